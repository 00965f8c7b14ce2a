#pragma once
#include "engine/Inspection.h"
#include "engine/ThreadHandOff.h"
#include "engine/TrainingEvents.h"

#include <QImage>
#include <QObject>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

class QThread;

namespace nc {
class Model;
}

namespace nc::ui {

// A few training images of a dataset, uint8 [count, channels, height, width].
struct SampleImages {
    std::string datasetSpec;
    int count = 0, channels = 0, height = 0, width = 0;
    std::vector<std::uint8_t> pixels;
};

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
                thread::handOff([&] {
                    QMetaObject::invokeMethod(
                        context, [done, result] { done(result); }, Qt::QueuedConnection);
                });
            } catch (const std::exception& e) {
                const QString message = QString::fromUtf8(e.what());
                if (failed)
                    thread::handOff([&] {
                        QMetaObject::invokeMethod(
                            context, [failed, message] { failed(message); }, Qt::QueuedConnection);
                    });
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

    // --- the model the Evaluate and Inspect tabs use (call from the GUI thread) ---
    // A run's model becomes current when it starts (live weights) and stays after it ends.
    // openModel loads a .ncmodel instead (modelChanged, or modelFailed with the reason).
    void openModel(const QString& ncmodelPath, const QString& label);
    const ModelInfo& modelInfo() const { return m_modelInfo; } // as of the last modelChanged
    // Runs the current model on `datasetSpec`'s test split: evaluationProgress while it runs,
    // then evaluationFinished or evaluationFailed. During training it runs between batches.
    void evaluate(const std::string& datasetSpec);
    // Prediction, saliency and feature maps for one image. A request still queued when a newer
    // one arrives is dropped (sliders and clicks send many); the newest is always answered.
    void inspect(const InspectRequest& request);
    // The first `count` training images of `datasetSpec`, read through the cache a run uses (so
    // the run that follows does not read the files again); `done` or `failed` on `context`.
    void sampleImages(const std::string& datasetSpec, int count, QObject* context,
                      std::function<void(SampleImages)> done, std::function<void(QString)> failed);

    // A generative model's latent space (LatentRequest): `done` with the result, or `failed` with
    // why (no model, a classifier, an image that cannot be read) on `context`'s thread.
    void exploreLatents(const LatentRequest& request, QObject* context,
                        std::function<void(std::shared_ptr<const LatentResult>)> done,
                        std::function<void(QString)> failed);

    // How folder: and csv: datasets are read from now on (the project's import policy, its cache
    // folder). Runs, evaluations and folder predictions after this call use it.
    void setDatasetOptions(const nc::DatasetOptions& options);
    // Classifies every image below `folderOrCsv` with the current model (folderPredictionProgress,
    // then folderPredicted or folderPredictionFailed). cancelFolderPrediction stops it early.
    void predictFolder(const QString& folderOrCsv, bool invert);
    void cancelFolderPrediction() { m_cancelFolder = true; }

  Q_SIGNALS:
    void trainingStarted(const nc::ui::TrainingStart& start);
    void trainingBatches(const QList<nc::BatchEvent>& batches); // in order, never empty
    void trainingEpoch(const nc::EpochEvent& epoch);            // never dropped
    void trainingPaused(bool paused);                           // the run now holds / goes on
    void trainingFinished(const nc::FinishedEvent& finished);   // also for failures; never dropped
    // A generative run's images (a GAN's fixed-noise samples, a VAE's inputs above their
    // reconstructions and samples), at its first batch, every few hundred and every epoch's end.
    void trainingSamples(const QImage& grid, const QString& caption);
    // A bf16 run went non-finite and goes on in fp32 from its last checkpoint.
    void trainingPrecisionChanged(const nc::PrecisionChoice& choice);

    void modelChanged(const nc::ui::ModelInfo& info);
    void modelFailed(const QString& message);
    void evaluationProgress(qint64 done, qint64 total);
    void evaluationFinished(const std::shared_ptr<const nc::ui::EvaluationReport>& report);
    void evaluationFailed(const QString& message);
    void inspected(const std::shared_ptr<const nc::ui::InspectResult>& result);
    void inspectionFailed(const QString& what, const QString& message);
    void folderPredictionProgress(qint64 done, qint64 total);
    void folderPredicted(const std::shared_ptr<const nc::ui::FolderPrediction>& result);
    void folderPredictionFailed(const QString& message);

  private:
    struct Run;
    void runTraining(const TrainingRequest& request); // on the engine thread
    void betweenBatches(Run& run);                    // the trainer's batch callback
    void drainSideQueue();
    void flushBatches(Run& run);
    void setModel(std::shared_ptr<nc::Model> model, const QString& label, const QString& path, bool live);
    std::shared_ptr<const nc::DatasetPair> dataset(const std::string& spec); // engine thread

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
    std::shared_ptr<nc::Model> m_model;       // engine thread only: what Evaluate/Inspect use
    QString m_modelLabel;                     // engine thread only: m_model's label
    bool m_modelLive = false;                 // engine thread only: m_model is the running run's
    ModelInfo m_modelInfo;                    // GUI thread: a copy made on each modelChanged
    std::atomic<quint64> m_inspectGeneration{0};
    std::atomic<bool> m_cancelFolder{false};
};

} // namespace nc::ui
