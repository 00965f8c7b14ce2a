#include "engine/EngineController.h"

#include "data/Dataset.h"
#include "nn/Model.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Threads.h"

#include <QThread>

#include <chrono>

namespace nc::ui {

namespace {
using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

FinishedEvent failure(std::string message) {
    FinishedEvent f;
    f.reason = FinishReason::Failed;
    f.message = std::move(message);
    return f;
}
} // namespace

// The last dataset a run loaded: starting again on the same one skips reading it.
struct EngineController::DatasetCache {
    std::string spec;
    std::shared_ptr<const DatasetPair> data;
};

// What the batch callback keeps for one run: the batch events not sent yet.
struct EngineController::Run {
    Trainer* trainer = nullptr;
    QList<BatchEvent> pending;
    Clock::time_point lastFlush = Clock::now();
};

EngineController::EngineController(int threads, QObject* parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new QObject),
      m_datasets(std::make_unique<DatasetCache>()) {
    qRegisterMetaType<nc::BatchEvent>();
    qRegisterMetaType<nc::EpochEvent>();
    qRegisterMetaType<nc::FinishedEvent>();
    qRegisterMetaType<nc::ui::TrainingStart>();
    qRegisterMetaType<QList<nc::BatchEvent>>();
    m_thread->setObjectName(QStringLiteral("NeuralCanvas engine"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
    post([threads] { prepareTorchThread(threads); });
}

EngineController::~EngineController() {
    stopTraining();   // a run ends before its next batch; its last checkpoint stays
    m_thread->quit(); // queued jobs before this point still run; nothing is terminated
    m_thread->wait();
}

void EngineController::post(std::function<void()> job) {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_training) {
            m_sideQueue.push_back(std::move(job));
            m_wake.notify_all();
            return;
        }
    }
    QMetaObject::invokeMethod(m_worker, std::move(job), Qt::QueuedConnection);
}

bool EngineController::isEngineThread() const {
    return QThread::currentThread() == m_thread;
}

void EngineController::startTraining(const TrainingRequest& request) {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_training)
            return; // one run at a time; the GUI disables Start meanwhile
        m_pauseRequested = false;
        m_stopRequested = false;
        m_training = true; // from here on post() feeds the side queue that the run drains
    }
    // Behind every job posted so far, which keeps the order in which jobs were asked for.
    QMetaObject::invokeMethod(
        m_worker, [this, request] { runTraining(request); }, Qt::QueuedConnection);
}

void EngineController::pauseTraining() {
    if (!m_training)
        return;
    m_pauseRequested = true;
}

void EngineController::resumeTraining() {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pauseRequested = false;
    m_wake.notify_all();
}

void EngineController::stopTraining() {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_training)
        return;
    m_stopRequested = true;
    if (m_trainer)
        m_trainer->stop();
    m_wake.notify_all();
}

void EngineController::runTraining(const TrainingRequest& request) {
    FinishedEvent finished;
    Run run;
    try {
        std::shared_ptr<const DatasetPair> data = m_datasets->data;
        if (!data || m_datasets->spec != request.datasetSpec) {
            m_datasets->data.reset(); // free the old one before reading the next
            try {
                data = std::make_shared<const DatasetPair>(loadDataset(request.datasetSpec));
            } catch (const std::exception& e) {
                finished =
                    failure("The dataset \"" + request.datasetSpec + "\" could not be loaded: " + e.what() +
                            " Choose another dataset in the Input layer's properties (Design tab) or check "
                            "its files.");
                for (const Node& n : request.graph.nodes())
                    if (n.type == "Input")
                        finished.nodeId = n.id;
                throw;
            }
            m_datasets->spec = request.datasetSpec;
            m_datasets->data = data;
        }
        const Dataset& train = data->train;
        if (train.size() == 0)
            throw Error("The dataset \"" + request.datasetSpec + "\" has no training images.");
        const DatasetInfo info{train.channels, train.height, train.width, train.classNames};
        Model model = [&] {
            try {
                return Model::compile(request.graph, info, request.config.seed);
            } catch (const std::exception& e) {
                throw Error(std::string("The network cannot be trained: ") + e.what());
            }
        }();
        Trainer trainer(model, train, request.config, request.runDir);
        if (!request.resumeCheckpoint.empty())
            trainer.resumeFrom(request.resumeCheckpoint);
        run.trainer = &trainer;

        TrainerCallbacks callbacks;
        // The trainer leaves the time spent in onBatch (side jobs, pauses) out of its timings.
        callbacks.onBatch = [this, &run](const BatchEvent& e) {
            run.pending.append(e);
            if (secondsSince(run.lastFlush) * 1000 >= kEventIntervalMs)
                flushBatches(run);
            betweenBatches(run);
        };
        callbacks.onEpoch = [this, &run](const EpochEvent& e) {
            flushBatches(run);
            Q_EMIT trainingEpoch(e);
        };
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_trainer = &trainer;
            if (m_stopRequested)
                trainer.stop();
        }
        trainer.setCallbacks(callbacks);
        Q_EMIT trainingStarted(TrainingStart{train.size(), model.parameterCount(), trainer.config().device});
        finished = trainer.run();
        std::lock_guard<std::mutex> lock(m_mutex);
        m_trainer = nullptr;
    } catch (const std::exception& e) {
        if (finished.reason != FinishReason::Failed)
            finished = failure(e.what());
    }
    flushBatches(run);
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_trainer = nullptr;
        m_training = false;
        m_pauseRequested = false;
    }
    Q_EMIT trainingFinished(finished);
    drainSideQueue(); // jobs posted during the run, before any posted after it
}

void EngineController::betweenBatches(Run& run) {
    drainSideQueue();
    if (m_pauseRequested && !m_stopRequested) {
        flushBatches(run); // the GUI sees exactly where the run holds
        Q_EMIT trainingPaused(true);
        for (;;) {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock,
                        [this] { return !m_pauseRequested || m_stopRequested || !m_sideQueue.empty(); });
            if (!m_sideQueue.empty()) {
                lock.unlock();
                drainSideQueue();
                continue;
            }
            break;
        }
        Q_EMIT trainingPaused(false);
    }
}

void EngineController::drainSideQueue() {
    for (;;) {
        std::function<void()> job;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (m_sideQueue.empty())
                return;
            job = std::move(m_sideQueue.front());
            m_sideQueue.pop_front();
        }
        job(); // run() wraps its jobs in try/catch; a bare post() job must not throw
    }
}

void EngineController::flushBatches(Run& run) {
    run.lastFlush = Clock::now();
    if (run.pending.isEmpty())
        return;
    Q_EMIT trainingBatches(run.pending);
    run.pending.clear();
}

} // namespace nc::ui
