// SweepRunner: trials sampled, trained as runs of their own, pruned by ASHA, journaled.
#include "sweep/Sweep.h"

#include "data/Dataset.h"
#include "nn/Model.h"
#include "sweep/Asha.h"
#include "train/Trainer.h"
#include "util/Error.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

namespace nc {

namespace {
using Clock = std::chrono::steady_clock;

std::string trialRunId(const std::string& sweepId, int number) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "-t%03d", number);
    return sweepId + buf;
}
} // namespace

struct SweepRunner::Impl {
    Project project;
    std::string projectPath, datasetSpec;
    const DatasetPair* data = nullptr;
    SweepSpec spec;
    std::string id;
    std::unique_ptr<SweepJournal> journal;
    std::unique_ptr<Sampler> sampler;
    std::unique_ptr<AshaPruner> pruner;
    SweepCallbacks cb;
    int threads = 0;

    std::mutex mutex; // guards everything below
    std::condition_variable wake;
    std::vector<TrialRecord> trials; // finished and running, by number
    std::deque<TrialRecord> rerun;   // unfinished trials of a resumed journal
    int nextNumber = 0;
    std::vector<Trainer*> running;
    std::string reason;
    std::atomic<bool> stopFlag{false}, pauseFlag{false}, timeUp{false};
    Clock::time_point start;

    int trialThreads() const {
        const int total = threads > 0 ? threads
                          : project.training.threads > 0 ? project.training.threads
                                                         : int(std::max(1u, std::thread::hardware_concurrency()));
        return std::max(1, total / std::max(1, spec.parallel));
    }
    bool deadlinePassed() const {
        return spec.timeLimitSeconds > 0 &&
               std::chrono::duration<double>(Clock::now() - start).count() >= spec.timeLimitSeconds;
    }
    TrialRecord* slot(int number) {
        for (TrialRecord& t : trials)
            if (t.number == number)
                return &t;
        return nullptr;
    }
    std::vector<Observation> observations() const {
        std::vector<Observation> out;
        for (const TrialRecord& t : trials)
            if (t.finished())
                out.push_back(t.observation());
        return out;
    }
    void setup() {
        sampler = makeSampler(spec.strategy, spec.space, spec.seed, TpeOptions{spec.startupTrials});
        if (spec.prune)
            pruner = std::make_unique<AshaPruner>(spec.minEpochs, spec.eta);
    }
    bool nextTrial(TrialRecord& rec);
    void runTrial(TrialRecord& rec, Json& runRecord);
    void worker();
};

bool SweepRunner::Impl::nextTrial(TrialRecord& rec) {
    std::unique_lock<std::mutex> lock(mutex);
    wake.wait(lock, [&] { return !pauseFlag || stopFlag; });
    if (stopFlag) {
        reason = "stopped";
        return false;
    }
    if (deadlinePassed() || timeUp) {
        reason = "time";
        return false;
    }
    int counted = 0; // finished or running now
    for (const TrialRecord& t : trials)
        counted += t.finished() || t.state == TrialState::Running;
    if (spec.trials > 0 && counted >= spec.trials) {
        reason = "trials";
        return false;
    }
    if (!rerun.empty()) {
        const TrialRecord old = rerun.front();
        rerun.pop_front();
        rec = TrialRecord();
        rec.number = old.number;
        rec.params = old.params;
    } else {
        Json params = sampler->propose(nextNumber, observations());
        if (params.is_null()) {
            reason = "grid";
            return false;
        }
        rec = TrialRecord();
        rec.number = nextNumber++;
        rec.params = std::move(params);
    }
    rec.state = TrialState::Running;
    rec.runId = trialRunId(id, rec.number);
    rec.runDir = projectPath + ".runs/" + rec.runId;
    if (TrialRecord* existing = slot(rec.number))
        *existing = rec;
    else
        trials.push_back(rec);
    return true;
}

void SweepRunner::Impl::runTrial(TrialRecord& rec, Json& runRecord) {
    Project p = project;
    TrainConfig cfg = p.training;
    FinishedEvent done;
    bool pruned = false;
    try {
        applyTrialParams(p, rec.params);
        cfg = p.training;
        cfg.threads = trialThreads();
        rec.maxEpochs = cfg.epochs;
        const DatasetInfo info{data->train.channels, data->train.height, data->train.width, data->train.classNames};
        Model model = [&] {
            try {
                return Model::compile(p.graph, info, cfg.seed);
            } catch (const std::exception& e) {
                throw Error(std::string("these values break the network: ") + e.what());
            }
        }();
        std::error_code ec;
        std::filesystem::remove_all(rec.runDir, ec); // an unfinished attempt of a resumed sweep
        Trainer trainer(model, data->train, cfg, rec.runDir);
        if (data->validation.size() > 0)
            trainer.setValidationSet(data->validation);
        TrainerCallbacks tcb;
        tcb.onBatch = [&](const BatchEvent&) {
            if (!timeUp && deadlinePassed()) {
                timeUp = true;
                std::lock_guard<std::mutex> lock(mutex);
                for (Trainer* t : running)
                    t->stop();
            }
        };
        tcb.onEpoch = [&](const EpochEvent& e) {
            rec.epochs = e.epoch;
            rec.validationAccuracy.push_back(e.validationAccuracy);
            rec.bestValidationAccuracy = std::max(rec.bestValidationAccuracy, e.validationAccuracy);
            bool stopping = false;
            if (pruner && e.epoch < cfg.epochs &&
                pruner->report(rec.number, e.epoch, rec.bestValidationAccuracy) == AshaPruner::Decision::Stop) {
                stopping = pruned = true;
                trainer.stop();
            }
            journal->append({{"event", "trial_epoch"}, {"trial", rec.number}, {"epoch", e.epoch},
                             {"val_accuracy", e.validationAccuracy}, {"best_val_accuracy", rec.bestValidationAccuracy},
                             {"decision", stopping ? "stop" : "continue"}});
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (TrialRecord* s = slot(rec.number))
                    *s = rec;
            }
            if (cb.onTrialEpoch)
                cb.onTrialEpoch(rec, stopping);
        };
        trainer.setCallbacks(tcb);
        {
            std::lock_guard<std::mutex> lock(mutex);
            running.push_back(&trainer);
            if (pauseFlag)
                trainer.pause();
            if (stopFlag)
                trainer.stop();
        }
        done = trainer.run();
        {
            std::lock_guard<std::mutex> lock(mutex);
            running.erase(std::find(running.begin(), running.end(), &trainer));
        }
    } catch (const std::exception& e) {
        done = FinishedEvent();
        done.reason = FinishReason::Failed;
        done.message = e.what();
    }
    if (done.reason == FinishReason::Failed) {
        rec.state = TrialState::Failed;
        rec.message = done.message;
    } else if (pruned) {
        rec.state = TrialState::Pruned;
    } else if (done.reason == FinishReason::Stopped) {
        rec.state = TrialState::Stopped; // by Stop or the time budget: runs again on resume
    } else {
        rec.state = TrialState::Completed;
    }
    rec.epochs = std::max(rec.epochs, done.epochsDone);
    rec.bestValidationAccuracy = std::max(rec.bestValidationAccuracy, done.bestValidationAccuracy);
    rec.bestEpoch = done.bestEpoch;
    rec.seconds = done.seconds;

    Json result = done.toJson();
    result["event"] = "summary";
    result["dataset"] = datasetSpec;
    if (rec.state != TrialState::Failed || std::filesystem::exists(rec.runDir))
        result["run_dir"] = rec.runDir;
    runRecord = {{"id", rec.runId},
                 {"dir", rec.runDir},
                 {"dataset", datasetSpec},
                 {"config", cfg.toJson()},
                 {"result", result},
                 {"sweep", {{"id", id}, {"trial", rec.number}, {"params", rec.params},
                            {"state", trialStateName(rec.state)}}}};
}

void SweepRunner::Impl::worker() {
    TrialRecord rec;
    while (nextTrial(rec)) {
        Json start = rec.toJson();
        start["event"] = "trial_start";
        journal->append(start);
        if (cb.onTrialStarted)
            cb.onTrialStarted(rec);
        Json runRecord;
        runTrial(rec, runRecord);
        Json end = rec.toJson();
        end["event"] = "trial_end";
        journal->append(end);
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (TrialRecord* s = slot(rec.number))
                *s = rec;
        }
        if (cb.onTrialFinished)
            cb.onTrialFinished(rec, runRecord);
    }
}

SweepRunner::SweepRunner() : d(std::make_unique<Impl>()) {}

SweepRunner::SweepRunner(const Project& project, const std::string& projectPath, const std::string& datasetSpec,
                         const DatasetPair& data, SweepSpec spec, std::string sweepId, std::string journalPath)
    : d(std::make_unique<Impl>()) {
    if (spec.space.params.empty())
        throw Error("the sweep's space is empty: add a parameter to search (e.g. training.learning_rate)");
    checkSpaceAgainst(spec.space, project);
    d->project = project;
    d->projectPath = projectPath;
    d->datasetSpec = datasetSpec;
    d->data = &data;
    d->spec = std::move(spec);
    d->id = std::move(sweepId);
    d->setup();
    d->journal = std::make_unique<SweepJournal>(journalPath);
    d->journal->append({{"event", "sweep"}, {"id", d->id}, {"spec", d->spec.toJson()}, {"dataset", datasetSpec},
                        {"project", projectPath}});
}

std::unique_ptr<SweepRunner> SweepRunner::resume(const Project& project, const std::string& projectPath,
                                                 const DatasetPair& data, const std::string& journalPath, int trials,
                                                 double timeLimitSeconds) {
    const JournalContents contents = SweepJournal::read(journalPath);
    std::unique_ptr<SweepRunner> r(new SweepRunner());
    Impl& d = *r->d;
    d.project = project;
    d.projectPath = projectPath;
    d.datasetSpec = contents.header.value("dataset", project.dataset);
    d.data = &data;
    d.spec = SweepSpec::fromJson(contents.header.value("spec", Json::object()));
    if (trials > 0)
        d.spec.trials = trials;
    if (timeLimitSeconds > 0)
        d.spec.timeLimitSeconds = timeLimitSeconds;
    d.id = contents.header.value("id", std::string("sweep"));
    d.setup();
    for (const TrialRecord& t : contents.trials) {
        d.nextNumber = std::max(d.nextNumber, t.number + 1);
        if (!t.finished()) {
            d.rerun.push_back(t);
            continue;
        }
        d.trials.push_back(t);
        if (d.pruner) {
            double best = 0;
            for (std::size_t e = 0; e < t.validationAccuracy.size(); ++e)
                d.pruner->restore(t.number, int(e + 1), best = std::max(best, t.validationAccuracy[e]));
        }
    }
    d.journal = std::make_unique<SweepJournal>(journalPath);
    d.journal->append({{"event", "resume"}, {"id", d.id}, {"finished", d.trials.size()}, {"rerun", d.rerun.size()}});
    return r;
}

SweepRunner::~SweepRunner() = default;

void SweepRunner::setCallbacks(SweepCallbacks callbacks) { d->cb = std::move(callbacks); }
void SweepRunner::setThreads(int threads) { d->threads = threads; }
const SweepSpec& SweepRunner::spec() const { return d->spec; }
const std::string& SweepRunner::id() const { return d->id; }
const std::string& SweepRunner::journalPath() const { return d->journal->path(); }
std::string SweepRunner::datasetSpec() const { return d->datasetSpec; }

SweepSummary SweepRunner::run() {
    d->start = Clock::now();
    const int workers = std::max(1, d->spec.parallel);
    if (workers == 1) {
        d->worker();
    } else {
        std::vector<std::thread> pool;
        for (int i = 0; i < workers; ++i)
            pool.emplace_back([this] { d->worker(); });
        for (std::thread& t : pool)
            t.join();
    }
    SweepSummary s;
    s.id = d->id;
    s.seconds = std::chrono::duration<double>(Clock::now() - d->start).count();
    std::lock_guard<std::mutex> lock(d->mutex);
    s.reason = d->stopFlag ? "stopped" : d->timeUp ? "time" : d->reason;
    s.trials = d->trials;
    std::sort(s.trials.begin(), s.trials.end(), [](const TrialRecord& a, const TrialRecord& b) { return a.number < b.number; });
    double best = -1;
    for (std::size_t i = 0; i < s.trials.size(); ++i) {
        const TrialRecord& t = s.trials[i];
        s.epochsTrained += t.epochs;
        if ((t.state == TrialState::Completed || t.state == TrialState::Pruned) && t.bestValidationAccuracy > best) {
            best = t.bestValidationAccuracy;
            s.bestTrial = int(i);
        }
    }
    return s;
}

void SweepRunner::pause() {
    std::lock_guard<std::mutex> lock(d->mutex);
    d->pauseFlag = true;
    for (Trainer* t : d->running)
        t->pause();
}

void SweepRunner::resume() {
    std::lock_guard<std::mutex> lock(d->mutex);
    d->pauseFlag = false;
    for (Trainer* t : d->running)
        t->resume();
    d->wake.notify_all();
}

void SweepRunner::stop() {
    std::lock_guard<std::mutex> lock(d->mutex);
    d->stopFlag = true;
    for (Trainer* t : d->running)
        t->stop();
    d->wake.notify_all();
}

const TrialRecord* SweepSummary::best() const {
    return bestTrial >= 0 && std::size_t(bestTrial) < trials.size() ? &trials[std::size_t(bestTrial)] : nullptr;
}

Json SweepSummary::toJson() const {
    Json list = Json::array();
    for (const TrialRecord& t : trials)
        list.push_back(t.toJson());
    Json j = {{"event", "summary"}, {"sweep", id}, {"reason", reason}, {"seconds", seconds},
              {"epochs_trained", epochsTrained}, {"trials", list}};
    if (const TrialRecord* b = best()) {
        j["best_trial"] = b->number;
        j["best_val_accuracy"] = b->bestValidationAccuracy;
        j["best_params"] = b->params;
        j["best_run_dir"] = b->runDir;
    }
    return j;
}

} // namespace nc
