// The Trainer's controls, checkpoints (written and resumed) and in-memory snapshots.
#include "train/TrainerImpl.h"

#include "io/Safetensors.h"
#include "util/Error.h"
#include "util/Files.h"
#include "util/Version.h"

namespace nc {

Trainer::Trainer(Model& model, const Dataset& trainingSet, const TrainConfig& config, const std::string& runDir)
    : d(std::make_unique<Impl>(model, trainingSet, config, runDir)) {}
Trainer::~Trainer() = default;

void Trainer::setCallbacks(TrainerCallbacks callbacks) { d->cb = std::move(callbacks); }
const TrainConfig& Trainer::config() const { return d->cfg; }
PrecisionChoice Trainer::precisionChoice() const { return d->resolvePrecision(); }

const PrecisionChoice& Trainer::Impl::resolvePrecision() {
    if (precisionResolved)
        return precision;
    precision = choosePrecision(cfg);
    Precision used;
    if (!resumedPrecision.empty() && parsePrecision(resumedPrecision, used) && used != Precision::Auto &&
        used != precision.precision) { // the checkpoint's precision wins: a resume stays bit-exact
        precision.precision = used;
        precision.reason = std::string(precisionName(used)) + ", the precision the checkpoint was trained in";
    }
    precisionResolved = true;
    return precision;
}

Trainer::Impl::Snapshot Trainer::Impl::snapshot(GraphNet& net, const Optimizer& opt) const {
    torch::NoGradGuard noGrad;
    Snapshot s;
    for (const auto& p : net->named_parameters())
        s.tensors.emplace_back(p.key(), p.value().clone());
    for (const auto& b : net->named_buffers())
        s.tensors.emplace_back(b.key(), b.value().clone());
    for (const auto& [name, t] : opt.state())
        s.optimizer.emplace_back(name, t.clone());
    s.optimizerSteps = opt.steps();
    s.steps = steps;
    s.batchInEpoch = batchInEpoch;
    s.epochCorrect = epochCorrect;
    s.epochSeen = epochSeen;
    s.epochsDone = epochsDone;
    s.bestEpoch = bestEpoch;
    s.epochsWithoutImprovement = epochsWithoutImprovement;
    s.bestValAccuracy = bestValAccuracy;
    s.epochLossSum = epochLossSum;
    s.firstLoss = firstLoss;
    s.history = history;
    return s;
}

void Trainer::Impl::restore(const Snapshot& s, GraphNet& net, Optimizer& opt) {
    torch::NoGradGuard noGrad;
    std::size_t i = 0;
    for (auto& p : net->named_parameters())
        p.value().copy_(s.tensors[i++].second);
    for (auto& b : net->named_buffers())
        b.value().copy_(s.tensors[i++].second);
    opt.loadState(s.optimizer, s.optimizerSteps, "the last checkpoint");
    steps = s.steps;
    batchInEpoch = s.batchInEpoch;
    epochCorrect = s.epochCorrect;
    epochSeen = s.epochSeen;
    epochsDone = s.epochsDone;
    bestEpoch = s.bestEpoch;
    epochsWithoutImprovement = s.epochsWithoutImprovement;
    bestValAccuracy = s.bestValAccuracy;
    epochLossSum = s.epochLossSum;
    firstLoss = s.firstLoss;
    history = s.history;
}

void Trainer::pause() { d->pauseFlag = true; }
void Trainer::resume() {
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        d->pauseFlag = false;
    }
    d->wake.notify_all();
}
void Trainer::stop() {
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        d->stopFlag = true;
    }
    d->wake.notify_all();
}
bool Trainer::isPaused() const { return d->pauseFlag; }

void Trainer::setValidationSet(const Dataset& validation) { d->givenValidation = validation; }

void Trainer::resumeFrom(const std::string& path) {
    const SafetensorsFile f = readSafetensors(path);
    auto meta = [&](const char* key) -> Json {
        auto it = f.metadata.find(key);
        if (it == f.metadata.end())
            throw Error(path + " has no '" + key + "' in its metadata; it is not a NeuralCanvas checkpoint");
        try {
            return Json::parse(it->second);
        } catch (const Json::exception&) {
            throw Error(path + ": metadata '" + key + "' is not valid JSON");
        }
    };
    auto fmt = f.metadata.find("format");
    if (fmt == f.metadata.end() || fmt->second != "neuralcanvas-checkpoint")
        throw Error(path + " is not a NeuralCanvas checkpoint");
    checkFormatVersion(path, "checkpoint format", f.metadata, kCheckpointFormatVersion);
    const int epochs = d->cfg.epochs;
    try {
        d->cfg = TrainConfig::fromJson(meta("config"));
        d->epochsDone = meta("epoch").get<int>();
        d->steps = meta("step").get<std::int64_t>();
        d->bestValAccuracy = meta("best_val_accuracy").get<double>();
        d->bestEpoch = meta("best_epoch").get<int>();
        d->epochsWithoutImprovement = meta("epochs_without_improvement").get<int>();
        d->history = meta("history");
        // Absent from checkpoints written at the end of an epoch by older versions.
        auto optional = [&](const char* key) { return f.metadata.count(key) ? meta(key) : Json(); };
        const Json batch = optional("batch_in_epoch");
        d->batchInEpoch = batch.is_number_integer() ? batch.get<std::int64_t>() : 0;
        d->epochLossSum = optional("epoch_loss_sum").is_number() ? meta("epoch_loss_sum").get<double>() : 0.0;
        d->epochCorrect = optional("epoch_correct").is_number() ? meta("epoch_correct").get<std::int64_t>() : 0;
        d->epochSeen = optional("epoch_seen").is_number() ? meta("epoch_seen").get<std::int64_t>() : 0;
        d->firstLoss = optional("first_loss").is_number() ? meta("first_loss").get<double>() : 0.0;
        const auto used = f.metadata.find("precision_used"); // absent before "auto" existed
        d->resumedPrecision = used == f.metadata.end() ? std::string() : used->second;
        d->precisionResolved = false;
        if (d->batchInEpoch < 0 || d->epochSeen < 0 || d->epochCorrect < 0 || d->epochCorrect > d->epochSeen)
            throw Error(path + ": its position in the epoch is not valid");
        const Json n = meta("normalization");
        d->model.setNormalization({n.at("mean").get<std::vector<float>>(), n.at("std").get<std::vector<float>>()});
    } catch (const Json::exception& e) {
        throw Error(path + ": metadata is malformed (" + std::string(e.what()) + ")");
    }
    d->cfg.epochs = epochs;
    NamedTensors weights;
    d->resumedOptimizerState.clear();
    for (const TensorRecord& r : f.tensors) {
        if (r.name.rfind("model/", 0) == 0)
            weights.emplace_back(r.name.substr(6), fromRecord(r));
        else if (r.name.rfind("optim/", 0) == 0)
            d->resumedOptimizerState.emplace_back(r.name.substr(6), fromRecord(r));
    }
    loadState(*d->model.impl().net, weights, path);
    d->resumed = true;
}


void Trainer::Impl::prepareData() {
    if (full.size() == 0)
        throw Error("the training set is empty");
    Dataset limited;
    if (cfg.limitTrain > 0 && cfg.limitTrain < full.size()) {
        std::vector<std::int64_t> first(static_cast<std::size_t>(cfg.limitTrain));
        for (std::int64_t i = 0; i < cfg.limitTrain; ++i)
            first[i] = i;
        limited = full.subset(first);
    }
    const Dataset& src = limited.size() ? limited : full;
    if (givenValidation.size() > 0) { // the data came with its own validation part
        train = src;
        val = givenValidation;
    } else if (cfg.validationFraction > 0) {
        auto [trainIdx, valIdx] = stratifiedSplit(src.labels, src.numClasses(), cfg.validationFraction, cfg.seed);
        train = src.subset(trainIdx);
        val = src.subset(valIdx);
    } else {
        train = src;
        val = Dataset();
    }
    bool latentInput = false; // a GAN: its generator's images (a Tanh's [-1, 1]) meet real ones in [-1, 1]
    for (const Node& n : model.graph().nodes())
        latentInput |= n.type == "LatentInput";
    if (!resumed && latentInput)
        model.setNormalization({std::vector<float>(std::size_t(train.channels), 0.5f),
                                std::vector<float>(std::size_t(train.channels), 0.5f)});
    else if (!resumed)
        model.setNormalization(computeNormalization(train));
    model.setInputAppearance(measureAppearance(train)); // for Inspect's polarity hint

}

void Trainer::Impl::waitWhilePaused(double& pausedSeconds) {
    if (!pauseFlag)
        return;
    const auto t0 = TrainerClock::now();
    std::unique_lock<std::mutex> lock(mutex);
    wake.wait(lock, [&] { return !pauseFlag || stopFlag; });
    const double held = secondsSince(t0);
    pausedSeconds += held;
    idleSeconds += held;
}

void Trainer::Impl::writeCheckpoint(const Optimizer& opt) {
    SafetensorsFile f;
    auto& net = *model.impl().net;
    for (const auto& p : net.named_parameters())
        f.tensors.push_back(toRecord("model/" + p.key(), p.value()));
    for (const auto& b : net.named_buffers())
        f.tensors.push_back(toRecord("model/" + b.key(), b.value()));
    for (const auto& [name, t] : opt.state())
        f.tensors.push_back(toRecord("optim/" + name, t));
    f.metadata = {{"format", "neuralcanvas-checkpoint"},
                  {"version", std::to_string(kCheckpointFormatVersion)},
                  {"writer", writerName()},
                  {"epoch", std::to_string(epochsDone)},
                  {"step", std::to_string(steps)},
                  {"config", cfg.toJson().dump()},
                  {"seed", std::to_string(cfg.seed)},
                  {"graph", model.graph().toJson().dump()},
                  {"best_val_accuracy", Json(bestValAccuracy).dump()},
                  {"best_epoch", std::to_string(bestEpoch)},
                  {"epochs_without_improvement", std::to_string(epochsWithoutImprovement)},
                  {"history", history.dump()},
                  {"batch_in_epoch", std::to_string(batchInEpoch)},
                  {"epoch_loss_sum", Json(epochLossSum).dump()},
                  {"epoch_correct", std::to_string(epochCorrect)},
                  {"epoch_seen", std::to_string(epochSeen)},
                  {"first_loss", Json(firstLoss).dump()},
                  {"precision_used", precisionName(precision.precision)},
                  {"normalization", Json{{"mean", model.normalization().mean}, {"std", model.normalization().std}}.dump()}};
    writeSafetensors(runDir + "/last.ncckpt", f);
}

// The weights of a stopped run, as a model Evaluate, Inspect and Export can open. Returns the
// validation accuracy they reach (the training accuracy so far without a validation split).
double Trainer::Impl::saveStoppedModel(GraphNet& net, std::int64_t batch, std::int64_t batches, double trainAccuracy) {
    double valLoss = 0, valAccuracy = trainAccuracy;
    if (val.size() > 0)
        std::tie(valLoss, valAccuracy) = validate(net);
    const Json saved = model.metadata();
    model.metadata() = {{"epoch", epochsDone}, {"batch_in_epoch", batch}, {"batches_per_epoch", batches},
                        {"val_accuracy", valAccuracy}, {"stopped", true}};
    if (val.size() > 0)
        model.metadata()["val_loss"] = valLoss;
    model.save(runDir + "/last.ncmodel");
    model.metadata() = saved;
    return valAccuracy;
}

FinishedEvent Trainer::Impl::fail(FinishedEvent ev, const std::string& message, const std::string& node) {
    ev.reason = FinishReason::Failed;
    ev.precision = precision.precision;
    ev.precisionFallback = fallbackMessage;
    ev.message = message;
    ev.nodeId = node;
    emit(ev.toJson());
    if (log.is_open())
        log.flush();
    if (cb.onFinished)
        cb.onFinished(ev);
    return ev;
}

} // namespace nc
