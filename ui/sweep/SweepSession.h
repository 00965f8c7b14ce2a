#pragma once
#include "graph/Project.h"
#include "sweep/Sweep.h"

#include <QObject>

#include <memory>

namespace nc::ui {

class EngineController;

// One sweep run from the window: the SweepRunner runs as a job on the engine thread (the one
// thread that does torch work) and its events come back to the GUI thread as queued calls
// carrying plain values. Pause and stop are calls on the runner, which polls them between
// batches, so the GUI thread never waits for torch.
class SweepSession final : public QObject {
    Q_OBJECT
  public:
    SweepSession(EngineController* engine, QObject* parent = nullptr);
    ~SweepSession() override; // stops a running sweep; the engine thread ends it after its batch

    // Starts a sweep of `project` (saved at `projectPath`, or a scratch path for an unsaved one).
    void start(const nc::Project& project, const QString& projectPath, const nc::DatasetOptions& options,
               const nc::SweepSpec& spec);
    void pause();
    void resume();
    void stop();
    bool isRunning() const { return m_running; }
    bool isPaused() const { return m_paused; }

  Q_SIGNALS:
    void started(const QString& sweepId);
    void trialStarted(const nc::TrialRecord& trial);
    void trialEpoch(const nc::TrialRecord& trial, bool stopping);
    void trialFinished(const nc::TrialRecord& trial, const nc::Json& runRecord);
    void finished(const nc::SweepSummary& summary);
    void failed(const QString& message); // the sweep could not start (dataset, space)

  private:
    struct Shared;
    EngineController* m_engine;
    std::shared_ptr<Shared> m_shared; // the runner pointer, reached from both threads
    bool m_running = false, m_paused = false;
};

} // namespace nc::ui
