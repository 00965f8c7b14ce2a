#pragma once
#include "sweep/Samplers.h"
#include "util/Json.h"

#include <mutex>
#include <string>
#include <vector>

namespace nc {

// One trial of a sweep as the journal, the CLI's table and the window show it.
struct TrialRecord {
    int number = 0;
    Json params = Json::object();
    TrialState state = TrialState::Running;
    double bestValidationAccuracy = 0;
    int bestEpoch = 0;
    int epochs = 0;                         // epochs trained
    int maxEpochs = 0;                      // what the trial's settings asked for
    std::vector<double> validationAccuracy; // one a finished epoch
    double seconds = 0;
    std::string message; // why a trial failed (a graph the values broke, a diverged run, ...)
    std::string runId, runDir;

    bool finished() const {
        return state == TrialState::Completed || state == TrialState::Pruned || state == TrialState::Failed;
    }
    Observation observation() const;
    Json toJson() const;
    static TrialRecord fromJson(const Json& j); // throws nc::Error
};

// What a journal file holds: its header line and every trial in it, by number, as of its last line.
struct JournalContents {
    Json header = Json::object(); // {"event":"sweep","id":...,"spec":{...},"dataset":...}
    std::vector<TrialRecord> trials;
};

// A sweep's journal: JSON lines appended and flushed to disk one event at a time (trial started,
// epoch, trial ended), so a sweep killed at any moment can be resumed from it. A torn last line
// (the kill came mid-write) is ignored when reading. Thread-safe.
class SweepJournal {
public:
    // Opens `path` for appending, creating it (and its folder) when missing. Throws nc::Error.
    explicit SweepJournal(std::string path);
    ~SweepJournal();
    SweepJournal(const SweepJournal&) = delete;
    SweepJournal& operator=(const SweepJournal&) = delete;

    void append(const Json& event); // one line, written and fsync'd before returning
    const std::string& path() const { return m_path; }

    static JournalContents read(const std::string& path); // throws nc::Error

private:
    std::string m_path;
    int m_fd = -1;
    std::mutex m_mutex;
};

} // namespace nc
