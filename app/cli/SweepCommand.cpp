// `sweep`: a hyperparameter search over the project's training settings and layer parameters,
// each trial a run in the project's history; --resume continues a sweep from its journal.
#include "Commands.h"

#include "data/Dataset.h"
#include "graph/Project.h"
#include "sweep/Sweep.h"
#include "util/Error.h"
#include "util/Files.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>

namespace nc::cli {

namespace {

std::atomic<SweepRunner*> g_sweep{nullptr};

void onInterrupt(int) {
    // Ctrl+C stops the running trials after their batch; the journal lets --resume continue.
    if (SweepRunner* s = g_sweep.load())
        s->stop();
}

// The sweep to run: the project's (the one named by --sweep, else its first), then --space
// FILE, then the command line's settings.
SweepSpec resolveSpec(const Args& args, const Project& project) {
    SweepSpec spec;
    const std::vector<SweepSpec> stored = parseProjectSweeps(project.sweeps);
    bool found = !args.has("sweep");
    for (const SweepSpec& s : stored)
        if (!args.has("sweep") ? &s == &stored.front() : s.name == args.get("sweep")) {
            spec = s;
            found = true;
            break;
        }
    if (!found)
        throw Error("the project has no sweep named '" + args.get("sweep") + "'");
    if (args.has("space")) {
        const Json j = [&] {
            try {
                return Json::parse(readFileText(args.get("space"), 4u << 20));
            } catch (const Json::exception& e) {
                throw Error(args.get("space") + " is not valid JSON (" + std::string(e.what()).substr(0, 200) + ")");
            }
        }();
        try {
            if (j.is_object() && j.contains("space")) {
                const SweepSpec fromFile = SweepSpec::fromJson(j);
                spec = fromFile;
            } else {
                spec.space = Space::fromJson(j);
            }
        } catch (const Error& e) {
            throw Error(args.get("space") + ": " + e.what());
        }
    }
    if (args.has("strategy") && !parseStrategy(args.get("strategy"), spec.strategy))
        throw Error("--strategy must be grid, random or tpe");
    if (args.has("trials"))
        spec.trials = int(args.getInt("trials", spec.trials));
    if (args.has("time")) {
        spec.timeLimitSeconds = parseDuration(args.get("time"));
        if (!args.has("trials"))
            spec.trials = 0; // the time is the budget
    }
    if (args.has("prune")) {
        const std::string p = args.get("prune");
        if (p != "asha" && p != "none")
            throw Error("--prune must be asha or none");
        spec.prune = p == "asha";
    }
    spec.minEpochs = int(args.getInt("min-epochs", spec.minEpochs));
    spec.eta = int(args.getInt("eta", spec.eta));
    spec.parallel = int(args.getInt("parallel", spec.parallel));
    spec.seed = std::uint64_t(args.getInt("seed", std::int64_t(spec.seed)));
    spec.startupTrials = int(args.getInt("startup-trials", spec.startupTrials));
    if (spec.trials < 0 || spec.parallel < 1 || spec.minEpochs < 1 || spec.eta < 2)
        throw Error("--trials must not be negative, --parallel and --min-epochs at least 1, --eta at least 2");
    if (spec.space.params.empty())
        throw Error("the sweep has no space: give --space FILE (a JSON list of parameters, see docs/SWEEPS.md) or "
                    "store one in the project's \"sweeps\"");
    return SweepSpec::fromJson(spec.toJson()); // the same checks as a stored sweep
}

std::string shortKey(const std::string& key) { return key.rfind("training.", 0) == 0 ? key.substr(9) : key; }

std::string cell(const Json& v) {
    if (v.is_number_float()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", v.get<double>());
        return buf;
    }
    return v.is_string() ? v.get<std::string>() : v.dump();
}

void printTable(const SweepSummary& s, const Space& space) {
    std::printf("\n%-6s %-10s", "trial", "state");
    for (const SpaceParam& p : space.params)
        std::printf(" %14.14s", shortKey(p.key).c_str());
    std::printf(" %8s %7s %8s\n", "val_acc", "epochs", "seconds");
    for (std::size_t i = 0; i < s.trials.size(); ++i) {
        const TrialRecord& t = s.trials[i];
        std::printf("%-6d %-10s", t.number, trialStateName(t.state));
        for (const SpaceParam& p : space.params)
            std::printf(" %14.14s", t.params.contains(p.key) ? cell(t.params[p.key]).c_str() : "-");
        std::printf(" %8.4f %7d %8.1f%s\n", t.bestValidationAccuracy, t.epochs, t.seconds,
                    int(i) == s.bestTrial ? "  *best" : "");
        if (t.state == TrialState::Failed)
            std::printf("       %s\n", t.message.substr(0, 300).c_str());
    }
    if (const TrialRecord* b = s.best())
        std::printf("\nbest: trial %d, validation accuracy %.4f, run %s\n", b->number, b->bestValidationAccuracy,
                    b->runDir.c_str());
    std::printf("%s: %zu trial(s), %d epoch(s) trained in %.1fs (ended by %s)\n", s.id.c_str(), s.trials.size(),
                s.epochsTrained, s.seconds, s.reason.c_str());
}

} // namespace

int sweepCommand(const Args& args) {
    args.allowOnly({"space", "strategy", "trials", "time", "prune", "min-epochs", "eta", "parallel", "seed",
                    "startup-trials", "resume", "journal", "sweep", "dataset", "epochs", "limit-train", "threads",
                    "json"});
    if (args.positional().size() != 1)
        throw Error("sweep needs one project file");
    const std::string projectPath = args.positional()[0];
    Project project = loadProject(projectPath);
    project.training.epochs = int(args.getInt("epochs", project.training.epochs));
    project.training.limitTrain = args.getInt("limit-train", project.training.limitTrain);
    if (project.training.epochs < 1)
        throw Error("--epochs must be positive");
    const bool json = args.has("json");

    std::unique_ptr<SweepRunner> runner;
    DatasetPair data;
    const bool resuming = args.has("resume") || args.has("journal");
    if (resuming) {
        const std::string journal = args.get("journal", latestSweepJournal(projectPath));
        if (journal.empty())
            throw Error("there is no sweep to resume beside " + projectPath + " (no " + projectPath + ".sweeps/*/journal.jsonl)");
        const JournalContents header = SweepJournal::read(journal);
        const std::string spec = header.header.value("dataset", project.dataset);
        data = loadDataset(spec, datasetOptionsFor(project, projectPath), 0, 1);
        runner = SweepRunner::resume(project, projectPath, data, journal, int(args.getInt("trials", 0)),
                                     args.has("time") ? parseDuration(args.get("time")) : 0.0);
    } else {
        const SweepSpec spec = resolveSpec(args, project);
        const std::string datasetSpec = args.get("dataset", project.dataset);
        data = loadDataset(datasetSpec, datasetOptionsFor(project, projectPath), 0, 1);
        const std::string id = newSweepId(projectPath);
        runner = std::make_unique<SweepRunner>(project, projectPath, datasetSpec, data, spec, id,
                                               sweepJournalPath(projectPath, id));
    }
    runner->setThreads(int(args.getInt("threads", 0)));

    std::mutex outputMutex;
    SweepCallbacks cb;
    cb.onTrialStarted = [&](const TrialRecord& t) {
        std::lock_guard<std::mutex> lock(outputMutex);
        if (json)
            std::cout << Json{{"event", "trial_start"}, {"sweep", runner->id()}, {"trial", t.number}, {"params", t.params},
                              {"run_dir", t.runDir}}.dump()
                      << std::endl;
        else
            std::fprintf(stderr, "trial %d: %s\n", t.number, t.params.dump().c_str());
    };
    cb.onTrialEpoch = [&](const TrialRecord& t, bool stopping) {
        std::lock_guard<std::mutex> lock(outputMutex);
        if (json)
            std::cout << Json{{"event", "trial_epoch"}, {"trial", t.number}, {"epoch", t.epochs},
                              {"val_accuracy", t.validationAccuracy.back()}, {"best_val_accuracy", t.bestValidationAccuracy},
                              {"pruned", stopping}}.dump()
                      << std::endl;
    };
    cb.onTrialFinished = [&](const TrialRecord& t, const Json& run) {
        std::lock_guard<std::mutex> lock(outputMutex);
        // The run joins the project's history; the file is re-read so nothing else is lost.
        try {
            Project current = loadProject(projectPath);
            current.runs.push_back(run);
            saveProject(current, projectPath);
        } catch (const Error& e) {
            std::fprintf(stderr, "warning: trial %d was not recorded in the project: %s\n", t.number, e.what());
        }
        if (json) {
            Json j = t.toJson();
            j["event"] = "trial_end";
            std::cout << j.dump() << std::endl;
        } else {
            std::fprintf(stderr, "trial %d: %s after %d epoch(s), best validation accuracy %.4f%s\n", t.number,
                         trialStateName(t.state), t.epochs, t.bestValidationAccuracy,
                         t.state == TrialState::Failed ? (" — " + t.message).c_str() : "");
        }
    };
    runner->setCallbacks(cb);
    g_sweep = runner.get();
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    const SweepSummary summary = runner->run();
    g_sweep = nullptr;
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    if (json) {
        Json j = summary.toJson();
        j["journal"] = runner->journalPath();
        std::cout << j.dump() << std::endl;
    } else {
        printTable(summary, runner->spec().space);
        std::printf("journal: %s\n", runner->journalPath().c_str());
    }
    return summary.best() ? 0 : 1;
}

} // namespace nc::cli
