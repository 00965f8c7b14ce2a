#pragma once
#include "engine/TrainingEvents.h"

#include <QObject>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

class QThread;

namespace nc::ui {

// The one thread that runs torch work for the app (DESIGN §6): jobs are queued to it and their
// results come back to the GUI thread as queued calls carrying plain values. The GUI thread
// never blocks on torch.
//
// Training runs as one long job on that thread. While it runs, post() no longer goes through
// the thread's event loop (which is busy inside the trainer) but into a side queue that the
// trainer's batch callback drains between batches, and that a paused run keeps draining while
// it waits. So a prediction asked for mid-run is answered on the live weights within one batch,
// in the order it was posted. Pause and stop are flags the callback polls, never queued slots.
// Training events leave as the signals below, batches coalesced to about 4 signals per second.
// The destructor stops a run (after its current batch), lets the thread finish, then waits.
class EngineController final : public QObject {
    Q_OBJECT
  public:
    explicit EngineController(int threads = 0, QObject* parent = nullptr);
    ~EngineController() override;

    // Runs `job` on the engine thread, then `done(result)` on `context`'s thread (dropped if
    // `context` is gone by then). Exceptions from `job` arrive as `failed(message)` instead.
    template <typename R>
    void run(std::function<R()> job, QObject* context, std::function<void(R)> done,
             std::function<void(QString)> failed = {}) {
        post([job = std::move(job), context, done = std::move(done), failed = std::move(failed)] {
            try {
                R result = job();
                QMetaObject::invokeMethod(
                    context, [done, result] { done(result); }, Qt::QueuedConnection);
            } catch (const std::exception& e) {
                const QString message = QString::fromUtf8(e.what());
                if (failed)
                    QMetaObject::invokeMethod(
                        context, [failed, message] { failed(message); }, Qt::QueuedConnection);
            }
        });
    }

    void post(std::function<void()> job); // runs on the engine thread, in order
    bool isEngineThread() const;

    // --- training (call from the GUI thread) ---
    // Queues a run; its events follow as signals, always ending with trainingFinished.
    void startTraining(const TrainingRequest& request);
    void pauseTraining(); // holds before the next batch; posted jobs are still answered
    void resumeTraining();
    void stopTraining(); // ends the run before its next batch (Finished with reason Stopped)
    bool isTraining() const { return m_training; }
    bool isPaused() const { return m_pauseRequested; }

    static constexpr int kEventIntervalMs = 250; // batch events are coalesced to ~4 per second

  Q_SIGNALS:
    void trainingStarted(const nc::ui::TrainingStart& start);
    void trainingBatches(const QList<nc::BatchEvent>& batches); // in order, never empty
    void trainingEpoch(const nc::EpochEvent& epoch);            // never dropped
    void trainingPaused(bool paused);                           // the run now holds / goes on
    void trainingFinished(const nc::FinishedEvent& finished);   // also for failures; never dropped

  private:
    struct Run;
    void runTraining(const TrainingRequest& request); // on the engine thread
    void betweenBatches(Run& run);                    // the trainer's batch callback
    void drainSideQueue();
    void flushBatches(Run& run);

    QThread* m_thread;
    QObject* m_worker; // lives on m_thread; jobs are invoked on it

    std::mutex m_mutex; // guards the side queue, m_trainer and the training flags' transitions
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_sideQueue;
    std::atomic<bool> m_training{
        false}; // set on the GUI thread by startTraining, cleared when the run job ends
    std::atomic<bool> m_pauseRequested{false};
    std::atomic<bool> m_stopRequested{false};
    nc::Trainer* m_trainer = nullptr; // the running job's, under m_mutex

    struct DatasetCache;
    std::unique_ptr<DatasetCache> m_datasets; // engine thread only
};

} // namespace nc::ui
