#include "engine/EngineController.h"
#include "engine/LatentWalk.h"

#include "data/Dataset.h"
#include "imaging/Imaging.h"
#include "inspect/Inspect.h"
#include "nn/Generative.h"
#include "nn/Model.h"
#include "train/Evaluator.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Png.h"
#include "util/Threads.h"

#include <QCoreApplication>
#include <QEvent>
#include <QThread>

#include <chrono>

namespace nc::ui {

namespace {
// A generative run's preview grid: its latent noise, and how often it is redrawn.
constexpr std::uint64_t kPreviewSeed = 20261203;
constexpr std::int64_t kPreviewEveryBatches = 200;
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

void thread::watchGuiDeliveries() {
#ifdef NC_TSAN
    // Application event filters see every event for objects of the GUI thread, queued calls
    // (QEvent::MetaCall) included, before the slot runs.
    class Filter final : public QObject {
      public:
        using QObject::QObject;
        bool eventFilter(QObject* watched, QEvent* event) override {
            if (event->type() == QEvent::MetaCall)
                takeOver();
            return QObject::eventFilter(watched, event);
        }
    };
    static bool installed = false;
    if (installed || !QCoreApplication::instance())
        return;
    installed = true;
    QCoreApplication::instance()->installEventFilter(new Filter(QCoreApplication::instance()));
#endif
}

// The last dataset a run loaded: starting again on the same one skips reading it.
struct EngineController::DatasetCache {
    std::string spec;
    nc::Json key; // the options the data was read with
    std::shared_ptr<const DatasetPair> data;
    nc::DatasetOptions options; // for the next read
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
    qRegisterMetaType<nc::PrecisionChoice>();
    qRegisterMetaType<QList<nc::BatchEvent>>();
    qRegisterMetaType<nc::ui::ModelInfo>();
    qRegisterMetaType<std::shared_ptr<const nc::ui::EvaluationReport>>();
    qRegisterMetaType<std::shared_ptr<const nc::ui::InspectResult>>();
    qRegisterMetaType<std::shared_ptr<const nc::ui::FolderPrediction>>();
    // Queued to this (GUI-thread) object before any other receiver sees the signal.
    connect(this, &EngineController::modelChanged, this,
            [this](const ModelInfo& info) { m_modelInfo = info; });
    m_thread->setObjectName(QStringLiteral("NeuralCanvas engine"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    // The engine thread's last writes, seen by the GUI thread once wait() returns.
    connect(
        m_thread, &QThread::finished, m_worker, [] { thread::handOff([] {}); }, Qt::DirectConnection);
    thread::watchGuiDeliveries();
    m_thread->start();
    post([threads] { prepareTorchThread(threads); });
}

EngineController::~EngineController() {
    stopTraining();   // a run ends before its next batch; its last checkpoint stays
    m_thread->quit(); // queued jobs before this point still run; nothing is terminated
    m_thread->wait();
    thread::takeOver();
}

void EngineController::post(std::function<void()> job) {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_training) {
            m_sideQueue.push_back(std::move(job)); // the mutex orders it, TSan sees that
            m_wake.notify_all();
            return;
        }
    }
    thread::handOff([&] {
        QMetaObject::invokeMethod(
            m_worker,
            [job = std::move(job)] {
                thread::takeOver();
                job();
            },
            Qt::QueuedConnection);
    });
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
    thread::handOff([&] {
        QMetaObject::invokeMethod(
            m_worker,
            [this, request] {
                thread::takeOver();
                runTraining(request);
            },
            Qt::QueuedConnection);
    });
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
        std::shared_ptr<const DatasetPair> data;
        try {
            data = dataset(request.datasetSpec);
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
        const Dataset& train = data->train;
        if (train.size() == 0)
            throw Error("The dataset \"" + request.datasetSpec + "\" has no training images.");
        const DatasetInfo info{train.channels, train.height, train.width, train.classNames};
        auto model = [&] {
            try {
                return std::make_shared<Model>(Model::compile(request.graph, info, request.config.seed));
            } catch (const std::exception& e) {
                throw Error(std::string("The network cannot be trained: ") + e.what());
            }
        }();
        Trainer trainer(*model, train, request.config, request.runDir);
        if (data->validation.size() > 0)
            trainer.setValidationSet(data->validation); // the folder's own val/ part
        if (!request.resumeCheckpoint.empty())
            trainer.resumeFrom(request.resumeCheckpoint);
        run.trainer = &trainer;

        // What a generative network makes, shown while it trains: the same latent noise (a fixed
        // seed) every time, so the grid shows the generator learning; for a VAE the first test
        // images above their reconstructions.
        const bool generative = isGenerative(*model);
        const Dataset& shown = data->test.size() > 0 ? data->test : train;
        const auto previewSamples = [&](const QString& when) {
            if (!generative)
                return;
            try {
                const Shape& s = model->inputShape();
                const std::int64_t per = s[0] * s[1] * s[2];
                std::vector<std::uint8_t> images;
                QString caption;
                std::vector<std::uint8_t> scratch;
                if (generatesFromNoise(*model)) {
                    images = nc::sampleImages(*model, 64, kPreviewSeed);
                    caption = tr("64 samples of the same latent noise, %1").arg(when);
                } else {
                    const std::int64_t n = std::min<std::int64_t>(8, shown.size());
                    const std::uint8_t* x = shown.imagesAt(0, n, scratch);
                    images.assign(x, x + n * per);
                    const auto recon = nc::reconstructImages(*model, x, n);
                    images.insert(images.end(), recon.begin(), recon.end());
                    const auto samples = nc::sampleImages(*model, 16, kPreviewSeed);
                    images.insert(images.end(), samples.begin(), samples.end());
                    caption = tr("Test images, their reconstructions and 16 samples, %1").arg(when);
                }
                const std::int64_t n = std::int64_t(images.size()) / per;
                const ImageGrid g = tileImages(images.data(), n, int(s[0]), int(s[1]), int(s[2]), 8, 2, 2);
                QImage grid(g.pixels.data(), g.width, g.height, g.width * g.channels,
                            g.channels == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
                const QImage copy = grid.copy(); // owns its pixels before g goes
                thread::handOff([&] { Q_EMIT trainingSamples(copy, caption); });
            } catch (const std::exception&) {
                // A preview that cannot be drawn (no decoder yet) leaves the last one showing.
            }
        };

        TrainerCallbacks callbacks;
        // The trainer leaves the time spent in onBatch (side jobs, pauses) out of its timings.
        callbacks.onBatch = [this, &run, &previewSamples](const BatchEvent& e) {
            run.pending.append(e);
            if (secondsSince(run.lastFlush) * 1000 >= kEventIntervalMs)
                flushBatches(run);
            if (e.step == 1 || e.step % kPreviewEveryBatches == 0)
                previewSamples(tr("after %n batch(es)", "", int(e.step)));
            betweenBatches(run);
        };
        callbacks.onEpoch = [this, &run, &previewSamples](const EpochEvent& e) {
            flushBatches(run);
            thread::handOff([&] { Q_EMIT trainingEpoch(e); });
            previewSamples(tr("after epoch %1").arg(e.epoch));
        };
        callbacks.onPrecisionChanged = [this, &run](const PrecisionChoice& p) {
            flushBatches(run);
            thread::handOff([&] { Q_EMIT trainingPrecisionChanged(p); });
        };
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_trainer = &trainer;
            if (m_stopRequested)
                trainer.stop();
        }
        trainer.setCallbacks(callbacks);
        const QString runName = QString::fromStdString(request.runDir).section(QLatin1Char('/'), -1);
        setModel(model, tr("live weights of run %1").arg(runName), {}, true);
        thread::handOff([&] {
            Q_EMIT trainingStarted(
                TrainingStart{train.size(), model->parameterCount(), trainer.config().device, request.runDir,
                              trainer.precisionChoice()});
        });
        finished = trainer.run();
        setModel(model, tr("weights at the end of run %1").arg(runName), {}, false);
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
    thread::handOff([&] { Q_EMIT trainingFinished(finished); });
    drainSideQueue(); // jobs posted during the run, before any posted after it
}

void EngineController::betweenBatches(Run& run) {
    drainSideQueue();
    if (m_pauseRequested && !m_stopRequested) {
        flushBatches(run); // the GUI sees exactly where the run holds
        thread::handOff([&] { Q_EMIT trainingPaused(true); });
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
        thread::handOff([&] { Q_EMIT trainingPaused(false); });
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
    thread::handOff([&] { Q_EMIT trainingBatches(run.pending); });
    run.pending.clear();
}

std::shared_ptr<const DatasetPair> EngineController::dataset(const std::string& spec) {
    const nc::Json key = {m_datasets->options.policy.toJson(), m_datasets->options.cacheDir,
                          m_datasets->options.cacheName};
    if (m_datasets->data && m_datasets->spec == spec && m_datasets->key == key)
        return m_datasets->data;
    m_datasets->data.reset(); // free the old one before reading the next (a run keeps its own)
    m_datasets->key = key;
    auto data = std::make_shared<const DatasetPair>(loadDataset(spec, m_datasets->options));
    m_datasets->spec = spec;
    m_datasets->data = data;
    return data;
}

PreparedImage prepareRequestImage(const InspectRequest& request, const Shape& input) {
    const std::int64_t pixels = input.size() == 3 ? input[0] * input[1] * input[2] : 0;
    PreparedImage image;
    if (!request.raw.empty()) {
        if (std::int64_t(request.raw.size()) != pixels)
            throw Error("the image is not " + shapeToString(input) + " like the model's input");
        image.channels = input[0];
        image.height = image.originalHeight = input[1];
        image.width = image.originalWidth = input[2];
        image.pixels = request.raw;
        return image;
    }
    if (!request.encoded.empty())
        return prepareImageForModel(request.encoded, request.what.toStdString(), input, request.fit);
    return loadImageForModel(request.path.toStdString(), input, request.fit);
}

void EngineController::exploreLatents(const LatentRequest& request, QObject* context,
                                      std::function<void(std::shared_ptr<const LatentResult>)> done,
                                      std::function<void(QString)> failed) {
    run<std::shared_ptr<const LatentResult>>(
        [this, request]() -> std::shared_ptr<const LatentResult> {
            if (!m_model)
                throw Error("There is no model yet: train the network (Train tab) or open the best model of a run "
                            "from the run history.");
            auto result = walkLatentSpace(*m_model, request, [this](const std::string& spec) { return dataset(spec); });
            result->live = m_modelLive;
            result->modelLabel = m_modelLabel;
            return result;
        },
        context, std::move(done), std::move(failed));
}

void EngineController::setModel(std::shared_ptr<Model> model, const QString& label, const QString& path,
                                bool live) {
    ModelInfo info;
    info.available = true;
    info.live = live;
    info.label = label;
    info.path = path;
    info.graph = model->graph();
    info.inputShape = model->inputShape();
    info.classNames = model->classNames();
    info.generative = isGenerative(*model);
    if (info.generative) {
        try {
            info.latentWidth = latentNode(*model).second;
            info.fromNoise = generatesFromNoise(*model);
        } catch (const std::exception&) {
            // no latent to walk through: Inspect says so when asked
        }
    }
    m_model = std::move(model);
    m_modelLabel = label;
    m_modelLive = live;
    thread::handOff([&] { Q_EMIT modelChanged(info); });
}

void EngineController::openModel(const QString& ncmodelPath, const QString& label) {
    post([this, ncmodelPath, label] {
        try {
            setModel(std::make_shared<Model>(Model::load(ncmodelPath.toStdString())), label, ncmodelPath,
                     false);
        } catch (const std::exception& e) {
            thread::handOff([&] {
                Q_EMIT modelFailed(
                    tr("The model %1 could not be opened: %2").arg(ncmodelPath, QString::fromUtf8(e.what())));
            });
        }
    });
}

void EngineController::setDatasetOptions(const nc::DatasetOptions& options) {
    nc::DatasetOptions o = options;
    o.progress = nullptr; // the engine reports nothing mid-read; the import view shows progress
    o.report = nullptr;
    post([this, o] { m_datasets->options = o; });
}

void EngineController::predictFolder(const QString& source, bool invert) {
    m_cancelFolder = false;
    post([this, source, invert] {
        try {
            if (!m_model)
                throw Error("There is no model yet: train the network (Train tab) or open a trained model.");
            const auto start = Clock::now();
            auto result = std::make_shared<FolderPrediction>();
            result->source = source;
            result->modelLabel = m_modelLabel;
            result->classNames = m_model->classNames();
            const Shape in = m_model->inputShape();
            if (in.size() == 3) {
                result->channels = in[0];
                result->height = in[1];
                result->width = in[2];
            }
            const PredictionListing listing = listImagesForPrediction(source.toStdString(), result->classNames);
            if (listing.items.empty())
                throw Error("There are no image files in " + source.toStdString() + ".");
            result->root = QString::fromStdString(listing.root);
            result->skipped = listing.problems;
            result->labelled = listing.labelled;
            BatchPredictOptions options;
            options.invert = invert;
            options.keepPixels = 5000; // thumbnails in the table; more would cost memory, not insight
            auto lastProgress = Clock::now() - std::chrono::seconds(1);
            options.progress = [&](std::int64_t done, std::int64_t total) {
                if (secondsSince(lastProgress) >= 0.1 || done == total) {
                    lastProgress = Clock::now();
                    thread::handOff([&] { Q_EMIT folderPredictionProgress(done, total); });
                }
                return !m_cancelFolder.load();
            };
            result->rows = predictImages(*m_model, listing, options);
            result->cancelled = result->rows.size() < listing.items.size();
            if (result->labelled)
                result->metrics = batchMetrics(result->rows, result->classNames);
            result->seconds = secondsSince(start);
            std::shared_ptr<const FolderPrediction> done = result;
            thread::handOff([&] { Q_EMIT folderPredicted(done); });
        } catch (const std::exception& e) {
            const QString message = QString::fromUtf8(e.what());
            thread::handOff([&] { Q_EMIT folderPredictionFailed(message); });
        }
    });
}

void EngineController::sampleImages(const std::string& datasetSpec, int count, QObject* context,
                                    std::function<void(SampleImages)> done,
                                    std::function<void(QString)> failed) {
    run<SampleImages>(
        [this, datasetSpec, count] {
            const std::shared_ptr<const DatasetPair> data = dataset(datasetSpec);
            const Dataset& train = data->train;
            SampleImages out;
            out.datasetSpec = datasetSpec;
            const std::int64_t per = train.imageBytes();
            out.count = int(std::min<std::int64_t>(count, per > 0 ? train.size() : 0));
            out.channels = int(train.channels);
            out.height = int(train.height);
            out.width = int(train.width);
            std::vector<std::uint8_t> scratch; // a streamed dataset reads just these from its file
            const std::uint8_t* first = out.count > 0 ? train.imagesAt(0, out.count, scratch) : nullptr;
            if (first)
                out.pixels.assign(first, first + out.count * per);
            return out;
        },
        context, std::move(done), std::move(failed));
}

void EngineController::evaluate(const std::string& datasetSpec) {
    post([this, datasetSpec] {
        try {
            if (!m_model)
                throw Error("There is no model to evaluate yet: train the network (Train tab) or open the "
                            "best model of a run from the run history.");
            const auto start = Clock::now();
            std::shared_ptr<const DatasetPair> data;
            try {
                data = dataset(datasetSpec);
            } catch (const std::exception& e) {
                throw Error("The dataset \"" + datasetSpec + "\" could not be loaded: " + e.what());
            }
            if (data->test.size() == 0)
                throw Error("The dataset \"" + datasetSpec + "\" has no test images.");
            auto report = std::make_shared<EvaluationReport>();
            report->modelLabel = m_modelLabel;
            report->datasetSpec = datasetSpec;
            report->data = std::shared_ptr<const Dataset>(data, &data->test);
            // Progress at most ~10 times a second.
            auto lastProgress = Clock::now() - std::chrono::seconds(1);
            report->metrics = evaluateModel(
                *m_model, data->test, 256,
                [&](std::int64_t done, std::int64_t total) {
                    if (secondsSince(lastProgress) >= 0.1 || done == total) {
                        lastProgress = Clock::now();
                        thread::handOff([&] { Q_EMIT evaluationProgress(done, total); });
                    }
                },
                &report->verdicts);
            report->seconds = secondsSince(start);
            thread::handOff([&] {
                Q_EMIT evaluationFinished(std::shared_ptr<const EvaluationReport>(std::move(report)));
            });
        } catch (const std::exception& e) {
            thread::handOff([&] { Q_EMIT evaluationFailed(QString::fromUtf8(e.what())); });
        }
    });
}

void EngineController::inspect(const InspectRequest& request) {
    const quint64 generation = ++m_inspectGeneration;
    post([this, request, generation] {
        if (generation != m_inspectGeneration)
            return; // a newer request is queued behind this one
        try {
            if (!m_model)
                throw Error("There is no model to ask yet: train the network (Train tab) or open the best "
                            "model of a run from the run history.");
            const auto start = Clock::now();
            const Model& model = *m_model;
            const Shape& input = model.inputShape();
            auto result = std::make_shared<InspectResult>();
            result->what = request.what;
            result->classNames = model.classNames();
            result->image = prepareRequestImage(request, input);
            result->training = model.inputAppearance();
            result->looksInverted = looksInverted(
                result->training, measureAppearance(result->image.pixels.data(), result->image.channels,
                                                    result->image.height, result->image.width));
            result->inverted = request.invert;
            if (request.invert)
                invertPixels(result->image.pixels);
            const std::vector<Prediction> p = predict(model, result->image.pixels.data(), 1, request.topK);
            result->prediction = p.at(0);
            if (request.withSaliency) {
                try {
                    result->saliency = saliency(model, result->image.pixels.data(), request.saliency);
                } catch (const std::exception& e) {
                    result->saliencyError = QString::fromUtf8(e.what());
                }
            }
            if (!request.featureNode.empty()) {
                try {
                    if (!model.graph().node(request.featureNode))
                        throw Error("this layer is not part of the model being inspected (it was added after "
                                    "the model was trained); train again to see it");
                    result->features = activation(model, result->image.pixels.data(), request.featureNode);
                } catch (const std::exception& e) {
                    result->featureError = QString::fromUtf8(e.what());
                }
            }
            result->milliseconds = secondsSince(start) * 1000;
            result->live = m_modelLive;
            result->modelLabel = m_modelLabel;
            thread::handOff(
                [&] { Q_EMIT inspected(std::shared_ptr<const InspectResult>(std::move(result))); });
        } catch (const std::exception& e) {
            thread::handOff([&] { Q_EMIT inspectionFailed(request.what, QString::fromUtf8(e.what())); });
        }
    });
}

} // namespace nc::ui
