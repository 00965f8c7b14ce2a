#include "sweep/SweepSession.h"

#include "data/Dataset.h"
#include "engine/EngineController.h"
#include "engine/ThreadHandOff.h"

#include <QCoreApplication>
#include <QPointer>

#include <mutex>

namespace nc::ui {

struct SweepSession::Shared {
    std::mutex mutex;
    nc::SweepRunner* runner = nullptr; // while the job runs
    bool stopRequested = false, pauseRequested = false;
};

SweepSession::SweepSession(EngineController* engine, QObject* parent)
    : QObject(parent), m_engine(engine), m_shared(std::make_shared<Shared>()) {}

SweepSession::~SweepSession() { stop(); }

void SweepSession::start(const nc::Project& project, const QString& projectPath, const nc::DatasetOptions& options,
                         const nc::SweepSpec& spec) {
    if (m_running)
        return;
    m_running = true;
    m_paused = false;
    m_shared = std::make_shared<Shared>();
    std::shared_ptr<Shared> shared = m_shared;
    QPointer<SweepSession> self(this);
    // Sends `call` to the GUI thread, dropped when the session is gone.
    auto toGui = [self](std::function<void(SweepSession*)> call) {
        thread::handOff([&] {
            QMetaObject::invokeMethod(
                qApp,
                [self, call] {
                    thread::takeOver();
                    if (self)
                        call(self.data());
                },
                Qt::QueuedConnection);
        });
    };
    const std::string path = projectPath.toStdString();
    m_engine->post([shared, toGui, project, path, options, spec] {
        try {
            const nc::DatasetPair data = nc::loadDataset(project.dataset, options, 0, 1);
            const std::string id = nc::newSweepId(path);
            nc::SweepRunner runner(project, path, project.dataset, data, spec, id, nc::sweepJournalPath(path, id));
            nc::SweepCallbacks cb;
            cb.onTrialStarted = [toGui](const nc::TrialRecord& t) {
                toGui([t](SweepSession* s) { Q_EMIT s->trialStarted(t); });
            };
            cb.onTrialEpoch = [toGui](const nc::TrialRecord& t, bool stopping) {
                toGui([t, stopping](SweepSession* s) { Q_EMIT s->trialEpoch(t, stopping); });
            };
            cb.onTrialFinished = [toGui](const nc::TrialRecord& t, const nc::Json& run) {
                toGui([t, run](SweepSession* s) { Q_EMIT s->trialFinished(t, run); });
            };
            runner.setCallbacks(cb);
            {
                std::lock_guard<std::mutex> lock(shared->mutex);
                if (shared->stopRequested)
                    runner.stop();
                if (shared->pauseRequested)
                    runner.pause();
                shared->runner = &runner;
            }
            toGui([id](SweepSession* s) { Q_EMIT s->started(QString::fromStdString(id)); });
            const nc::SweepSummary summary = runner.run();
            {
                std::lock_guard<std::mutex> lock(shared->mutex);
                shared->runner = nullptr;
            }
            toGui([summary](SweepSession* s) {
                s->m_running = false;
                Q_EMIT s->finished(summary);
            });
        } catch (const std::exception& e) {
            {
                std::lock_guard<std::mutex> lock(shared->mutex);
                shared->runner = nullptr;
            }
            const QString message = QString::fromUtf8(e.what());
            toGui([message](SweepSession* s) {
                s->m_running = false;
                Q_EMIT s->failed(message);
            });
        }
    });
}

void SweepSession::pause() {
    std::lock_guard<std::mutex> lock(m_shared->mutex);
    m_shared->pauseRequested = true;
    m_paused = true;
    if (m_shared->runner)
        m_shared->runner->pause();
}

void SweepSession::resume() {
    std::lock_guard<std::mutex> lock(m_shared->mutex);
    m_shared->pauseRequested = false;
    m_paused = false;
    if (m_shared->runner)
        m_shared->runner->resume();
}

void SweepSession::stop() {
    std::lock_guard<std::mutex> lock(m_shared->mutex);
    m_shared->stopRequested = true;
    if (m_shared->runner) {
        m_shared->runner->resume();
        m_shared->runner->stop();
    }
}

} // namespace nc::ui
