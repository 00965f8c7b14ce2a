#pragma once
#include "graph/Project.h"
#include "sweep/Journal.h"
#include "sweep/Samplers.h"
#include "sweep/Space.h"
#include "util/Json.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nc {

struct DatasetPair;
struct EpochEvent;

// How a sweep searches: its space, strategy, budget, early stopping and seed. Stored in the
// project's "sweeps" list and at the top of each sweep's journal.
struct SweepSpec {
    std::string name = "sweep";
    Space space;
    SweepStrategy strategy = SweepStrategy::Tpe;
    int trials = 20;              // finished trials to run (0: no limit, for a time budget or a grid)
    double timeLimitSeconds = 0;  // 0: none; when it runs out, running trials stop and none start
    std::uint64_t seed = 0;       // the sampler's; each trial trains with the project's own seed
    bool prune = false;           // ASHA on validation accuracy per epoch
    int minEpochs = 1;            // ASHA's first rung: no trial stops before this many epochs
    int eta = 3;                  // ASHA's reduction factor
    int parallel = 1;             // trials at once, each with its share of the threads
    int startupTrials = 10;       // TPE: random trials first

    Json toJson() const;
    static SweepSpec fromJson(const Json& j); // throws nc::Error naming the bad field
};

// The sweeps stored in a project ("sweeps", a list of SweepSpec objects); throws nc::Error.
std::vector<SweepSpec> parseProjectSweeps(const Json& sweeps);

// "30m", "2h", "90s", "45" (seconds) -> seconds; throws nc::Error.
double parseDuration(const std::string& text);

struct SweepCallbacks {
    std::function<void(const TrialRecord&)> onTrialStarted;
    // After each epoch of a trial (its record holds the curve so far); `stopping` when the
    // pruner stopped it there.
    std::function<void(const TrialRecord&, bool stopping)> onTrialEpoch;
    // A finished trial and the run history entry it makes (the caller stores it in the project).
    std::function<void(const TrialRecord&, const Json& runRecord)> onTrialFinished;
};

struct SweepSummary {
    std::string id;
    std::string reason; // "trials" | "time" | "grid" | "stopped"
    std::vector<TrialRecord> trials; // every trial of the sweep, resumed ones included, by number
    int bestTrial = -1;              // by best validation accuracy among completed and pruned
    double seconds = 0;
    int epochsTrained = 0;
    const TrialRecord* best() const;
    Json toJson() const;
};

// Runs a sweep: samples each trial's values, applies them to a copy of the project, compiles
// and trains it as a run of its own (`<project>.runs/<sweep id>-t<N>/`), stops it early when
// the pruner says so, and journals every step. A trial whose values break the graph is recorded
// as failed with the message and the sweep goes on. The dataset is loaded once by the caller.
class SweepRunner {
public:
    // A new sweep; its journal is `journalPath` (created). `projectPath` names the run folders.
    SweepRunner(const Project& project, const std::string& projectPath, const std::string& datasetSpec,
                const DatasetPair& data, SweepSpec spec, std::string sweepId, std::string journalPath);
    // Continues the sweep of an existing journal: its spec and id; finished trials are kept and
    // never repeated, unfinished ones run again with the same values. `trials`/`timeLimit`
    // above 0 replace the journal's budget. Throws nc::Error.
    static std::unique_ptr<SweepRunner> resume(const Project& project, const std::string& projectPath,
                                               const DatasetPair& data, const std::string& journalPath,
                                               int trials = 0, double timeLimitSeconds = 0);
    ~SweepRunner();
    SweepRunner(const SweepRunner&) = delete;
    SweepRunner& operator=(const SweepRunner&) = delete;

    void setCallbacks(SweepCallbacks callbacks);
    // Threads all trials share (0: all cores); each of `parallel` trials gets its part.
    void setThreads(int threads);
    // Blocks until the budget is spent or stop(); never throws for a trial's failure.
    SweepSummary run();

    // Thread-safe. Pause holds every running trial before its next batch; stop ends them (they
    // count as unfinished and run again on resume) and starts no new one.
    void pause();
    void resume();
    void stop();

    const SweepSpec& spec() const;
    const std::string& id() const;
    const std::string& journalPath() const;
    std::string datasetSpec() const;

private:
    SweepRunner();
    struct Impl;
    std::unique_ptr<Impl> d;
};

// `<project>.sweeps/<id>/journal.jsonl`, and the newest journal below `<project>.sweeps/` ("" if none).
std::string sweepJournalPath(const std::string& projectPath, const std::string& sweepId);
std::string latestSweepJournal(const std::string& projectPath);
// "sweep-YYYYMMDD-HHMMSS", with "-2", "-3"... when that sweep exists beside the project.
std::string newSweepId(const std::string& projectPath);

// Importance of each parameter for the best validation accuracy: the share of its variance the
// parameter explains alone (between-group variance over bins or choices, fANOVA's first order),
// normalised to sum to 1. Keys in the space's order; finished non-failed trials only.
std::vector<std::pair<std::string, double>> parameterImportance(const Space& space,
                                                                const std::vector<TrialRecord>& trials);

} // namespace nc
