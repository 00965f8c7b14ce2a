#include "train/TrainTab.h"

#include "graph/ShapeInference.h"

#include "document/Document.h"
#include "engine/EngineController.h"
#include "train/AugmentPreview.h"
#include "train/PrecisionLabel.h"
#include "train/RunCurves.h"
#include "train/RunHistoryPanel.h"
#include "train/RunImport.h"
#include "train/TrainSettingsForm.h"
#include "train/TrainingCharts.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShowEvent>
#include <QSplitter>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace nc::ui {

namespace {
QString clock(double seconds) {
    const qint64 s = qint64(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1:%2:%3")
                           .arg(s / 3600)
                           .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
                           .arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
// A message that goes in front of another sentence ends with a full stop ("… above it. Fix it").
QString sentence(QString text) {
    text = text.trimmed();
    if (!text.isEmpty() && !QStringLiteral(".!?。！？").contains(text.back()))
        text += QLatin1Char('.');
    return text;
}
QString inputNode(const nc::Graph& graph) {
    for (const nc::Node& n : graph.nodes())
        if (n.type == "Input")
            return QString::fromStdString(n.id);
    return {};
}
} // namespace

TrainTab::TrainTab(Document* document, EngineController* engine, QWidget* parent)
    : QWidget(parent), m_doc(document), m_engine(engine) {
    setObjectName(QStringLiteral("trainTab"));
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* outer = new QHBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(splitter);

    auto* scroll = new QScrollArea(splitter);
    m_form = new TrainSettingsForm(document->model(), document->undoStack(), scroll);
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(m_form->minimumSizeHint().width() +
                            scroll->verticalScrollBar()->sizeHint().width() + 4);
    scroll->setFrameShape(QFrame::NoFrame);

    auto* right = new QWidget(splitter);
    auto* column = new QVBoxLayout(right);
    auto* buttons = new QHBoxLayout;
    auto button = [&](const char* name, const QString& text, const QString& tip) {
        auto* b = new QPushButton(text, right);
        b->setObjectName(QString::fromLatin1(name));
        b->setToolTip(tip);
        buttons->addWidget(b);
        return b;
    };
    m_start =
        button("trainStart", tr("Start Training"), tr("Train this network with the settings on the left"));
    m_pause = button("trainPause", tr("Pause"), tr("Hold the run after the current batch"));
    m_stop = button("trainStop", tr("Stop"), tr("End the run after the current batch; its checkpoints stay"));
    m_progress = new QProgressBar(right);
    m_progress->setObjectName(QStringLiteral("trainProgress"));
    m_progress->setTextVisible(true);
    m_progress->setMinimumWidth(160);
    buttons->addWidget(m_progress, 1);
    column->addLayout(buttons);
    m_progressLabel = new QLabel(tr("Not training."), right);
    m_progressLabel->setObjectName(QStringLiteral("trainProgressText"));
    m_progressLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progressLabel->setWordWrap(true); // a stopped run's note is two sentences
    column->addWidget(m_progressLabel);
    m_precisionInfo = new PrecisionLabel(right);
    column->addWidget(m_precisionInfo);

    m_messageBox = new QWidget(right);
    auto* messageRow = new QHBoxLayout(m_messageBox);
    messageRow->setContentsMargins(8, 4, 8, 4);
    m_message = new QLabel(m_messageBox);
    m_message->setObjectName(QStringLiteral("trainMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    messageRow->addWidget(m_message, 1);
    m_showNode = new QPushButton(tr("Show Layer"), m_messageBox);
    m_showNode->setObjectName(QStringLiteral("trainShowNode"));
    messageRow->addWidget(m_showNode);
    m_messageBox->setAutoFillBackground(true);
    m_messageBox->hide();
    column->addWidget(m_messageBox);

    auto* chartsAndRuns = new QSplitter(Qt::Vertical, right);
    auto* chartBox = new QWidget(chartsAndRuns);
    auto* chartColumn = new QVBoxLayout(chartBox);
    chartColumn->setContentsMargins(0, 0, 0, 0);
    auto* chartButtons = new QHBoxLayout;
    chartButtons->addStretch(1);
    auto* saveImage = new QPushButton(tr("Save Charts as Image…"), chartBox);
    saveImage->setObjectName(QStringLiteral("saveChartImage"));
    auto* saveData = new QPushButton(tr("Save Data as CSV…"), chartBox);
    saveData->setObjectName(QStringLiteral("saveChartData"));
    chartButtons->addWidget(saveImage);
    chartButtons->addWidget(saveData);
    chartColumn->addLayout(chartButtons);
    m_charts = new TrainingCharts(chartBox);
    // A generative run's pictures beside its curves (hidden for classifiers).
    auto* chartsRow = new QHBoxLayout;
    chartsRow->addWidget(m_charts, 1);
    m_samplesBox = new QWidget(chartBox);
    m_samplesBox->setObjectName(QStringLiteral("generatedSamplesBox"));
    auto* samplesColumn = new QVBoxLayout(m_samplesBox);
    samplesColumn->setContentsMargins(0, 0, 0, 0);
    m_samples = new QLabel(m_samplesBox);
    m_samples->setObjectName(QStringLiteral("generatedSamples"));
    m_samples->setAccessibleName(tr("Generated images"));
    m_samples->setAlignment(Qt::AlignCenter);
    m_samplesText = new QLabel(m_samplesBox);
    m_samplesText->setWordWrap(true);
    m_samplesText->setMaximumWidth(360);
    samplesColumn->addWidget(m_samples);
    samplesColumn->addWidget(m_samplesText);
    samplesColumn->addStretch(1);
    m_samplesBox->hide();
    chartsRow->addWidget(m_samplesBox);
    chartColumn->addLayout(chartsRow, 1);
    m_history = new RunHistoryPanel(chartsAndRuns);
    chartsAndRuns->setStretchFactor(0, 4);
    chartsAndRuns->setStretchFactor(1, 1);
    column->addWidget(chartsAndRuns, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({330, 1000});

    connect(m_start, &QPushButton::clicked, this, &TrainTab::start);
    connect(m_pause, &QPushButton::clicked, this, &TrainTab::togglePause);
    connect(m_stop, &QPushButton::clicked, this, &TrainTab::stop);
    connect(m_showNode, &QPushButton::clicked, this, [this] { Q_EMIT showNodeRequested(m_blamedNode); });
    connect(saveImage, &QPushButton::clicked, this, &TrainTab::saveChartImage);
    connect(saveData, &QPushButton::clicked, this, &TrainTab::saveChartData);
    connect(m_history, &RunHistoryPanel::selectionChanged, this, &TrainTab::onSelectionChanged);
    connect(m_history, &RunHistoryPanel::resumeRequested, this, &TrainTab::resumeRun);
    connect(m_history, &RunHistoryPanel::openModelRequested, this, [this](const QString& path, const QString& label) {
        m_engine->openModel(path, label);
        Q_EMIT modelOpened();
    });
    connect(document->model(), &GraphModel::runsChanged, this, &TrainTab::refreshHistory);
    m_importer = new RunImporter(document, this); // runs trained elsewhere; their charts follow the log
    connect(m_importer, &RunImporter::curvesChanged, this, &TrainTab::onSelectionChanged);
    connect(m_importer, &RunImporter::runImported, m_history, &RunHistoryPanel::selectRun);
    connect(document->model(), &GraphModel::datasetChanged, this, [this] {
        if (isVisible())
            requestPreviewSamples();
    });
    connect(document->model(), &GraphModel::modelReset, this, [this] {
        if (!m_running) {
            m_charts->clear();
            m_precisionInfo->showPlanned(m_doc->model()->project().training);
        }
        refreshHistory();
        if (!m_running)
            showNewestRun();
        if (isVisible())
            requestPreviewSamples();
    });

    connect(engine, &EngineController::trainingStarted, this, &TrainTab::onStarted);
    connect(engine, &EngineController::trainingBatches, this, &TrainTab::onBatches);
    connect(engine, &EngineController::trainingEpoch, this, &TrainTab::onEpoch);
    connect(engine, &EngineController::trainingPaused, this, &TrainTab::onPaused);
    connect(engine, &EngineController::trainingFinished, this, &TrainTab::onFinished);
    connect(engine, &EngineController::trainingSamples, this, &TrainTab::onSamples);
    connect(engine, &EngineController::trainingPrecisionChanged, m_precisionInfo, &PrecisionLabel::showFallback);
    connect(document->model(), &GraphModel::trainingChanged, this, [this] {
        if (!m_running)
            m_precisionInfo->showPlanned(m_doc->model()->project().training);
    });

    refreshHistory();
    setRunning(false);
    m_precisionInfo->showPlanned(document->model()->project().training);
}

void TrainTab::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    requestPreviewSamples(); // lazily: a project never trained here never reads its data for this
}

void TrainTab::requestPreviewSamples() {
    const std::string spec = m_doc->model()->project().dataset;
    if (spec.empty() || spec == m_previewSpec)
        return;
    m_previewSpec = spec;
    AugmentPreview* preview = m_form->augmentPreview();
    preview->setMessage(tr("Reading sample images…"));
    // On the engine thread (the GUI never waits for a dataset); an answer for a dataset the
    // project no longer uses is dropped.
    m_engine->sampleImages(
        spec, AugmentPreview::kSamples, this,
        [this, preview](const SampleImages& s) {
            if (s.datasetSpec == m_previewSpec)
                preview->setSamples(s.pixels, s.count, s.channels, s.height, s.width);
        },
        [this, preview, spec](const QString& message) {
            if (spec == m_previewSpec)
                preview->setMessage(tr("No preview: %1").arg(message));
        });
}

QString TrainTab::runsFolder() const {
    const QString path = m_doc->filePath();
    if (!path.isEmpty())
        return path + QStringLiteral(".runs");
    // An unsaved project has no folder of its own yet.
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
           QStringLiteral("/unsaved-runs");
}

void TrainTab::showNewestRun() {
    // A project opened with runs shows where it left off: the newest run's curves, and its
    // model in Evaluate and Inspect (not "No model yet").
    const nc::Json& runs = m_doc->model()->project().runs;
    if (!runs.is_array() || runs.empty())
        return;
    m_history->selectRun(int(runs.size()) - 1);
    const int withModel = RunHistoryPanel::newestRunWithModel(runs);
    if (withModel >= 0 && !m_engine->isTraining()) {
        const nc::Json& run = runs[std::size_t(withModel)];
        m_engine->openModel(RunHistoryPanel::modelPath(run), RunHistoryPanel::modelLabel(run));
    }
}

QString TrainTab::runModelPath() const {
    const nc::Json& runs = m_doc->model()->project().runs;
    const QList<int> rows = m_history->selectedRuns();
    if (rows.size() == 1 && rows.first() < int(runs.size())) {
        const QString selected = RunHistoryPanel::modelPath(runs[std::size_t(rows.first())]);
        if (!selected.isEmpty())
            return selected;
    }
    const int newest = RunHistoryPanel::newestRunWithModel(runs);
    return newest >= 0 ? RunHistoryPanel::modelPath(runs[std::size_t(newest)]) : QString();
}

void TrainTab::start() {
    if (m_running || m_engine->isTraining())
        return;
    GraphModel* model = m_doc->model();
    const nc::GraphAnalysis& analysis = model->analysis();
    if (!analysis.valid()) {
        const nc::Problem& p = analysis.problems.front();
        showMessage(
            tr("The network cannot be trained yet: %1 Fix it in the Design tab (see Problems), then start "
               "again.")
                .arg(sentence(QString::fromStdString(p.message))),
            QString::fromStdString(p.nodeId));
        return;
    }
    if (!model->datasetError().isEmpty()) {
        showMessage(tr("The dataset \"%1\" cannot be read: %2 Choose another dataset in the Input layer's "
                       "properties.")
                        .arg(model->datasetSpec(), sentence(model->datasetError())),
                    inputNode(model->graph()));
        return;
    }
    TrainingRequest request;
    request.graph = model->graph();
    request.datasetSpec = model->project().dataset;
    request.config = model->project().training;

    nc::Json runs = model->project().runs;
    QString id = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString base = id;
    auto taken = [&](const QString& candidate) {
        for (const nc::Json& r : runs)
            if (r.is_object() && r.value("id", std::string()) == candidate.toStdString())
                return true;
        return QFileInfo::exists(runsFolder() + QLatin1Char('/') + candidate);
    };
    for (int n = 2; taken(id); ++n)
        id = QStringLiteral("%1-%2").arg(base).arg(n);
    const QString dir = runsFolder() + QLatin1Char('/') + id;
    request.runDir = dir.toStdString();
    runs.push_back({{"id", id.toStdString()},
                    {"dir", request.runDir},
                    {"dataset", request.datasetSpec},
                    {"config", request.config.toJson()},
                    {"graph", request.graph.toJson()},
                    {"started", QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()}});
    m_priorSeconds = 0;
    m_charts->clear();
    m_liveId = id;
    model->setRuns(runs);
    markModified();
    begin(request);
}

void TrainTab::resumeRun(int index) {
    GraphModel* model = m_doc->model();
    nc::Json runs = model->project().runs;
    if (m_running || m_engine->isTraining() || index < 0 || index >= int(runs.size()))
        return;
    nc::Json& run = runs[std::size_t(index)];
    const QString dir = RunHistoryPanel::runDir(run);
    const QString checkpoint = dir + QStringLiteral("/last.ncckpt");
    if (!QFileInfo::exists(checkpoint)) {
        showMessage(
            tr("This run has no checkpoint to resume from (one is written at the end of every epoch and when a "
               "run is stopped)."));
        return;
    }
    TrainingRequest request;
    try {
        request.graph = run.contains("graph") ? nc::Graph::fromJson(run["graph"]) : model->graph();
        request.config =
            run.contains("config") ? nc::TrainConfig::fromJson(run["config"]) : model->project().training;
    } catch (const std::exception& e) {
        showMessage(tr("This run's record cannot be read: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    request.datasetSpec = run.value("dataset", model->project().dataset);
    const nc::Json result = run.value("result", nc::Json::object());
    const int done = result.is_object() ? result.value("epochs_done", 0) : 0;
    request.config.epochs = model->project().training.epochs; // a run can be extended
    if (request.config.epochs <= done) {
        showMessage(
            tr("This run has already trained %n epoch(s). Set Epochs above %n to continue it.", "", done));
        return;
    }
    request.runDir = dir.toStdString();
    request.resumeCheckpoint = checkpoint.toStdString();
    run["config"]["epochs"] = request.config.epochs;
    m_priorSeconds = result.is_object() && result.value("seconds", nc::Json()).is_number()
                         ? result["seconds"].get<double>()
                         : 0.0;
    run.erase("result");
    m_liveId = QString::fromStdString(run.value("id", std::string()));
    m_charts->setOverlays({});
    m_charts->showRun(RunCurves::fromMetricsFile(dir + QStringLiteral("/metrics.jsonl")));
    model->setRuns(runs);
    markModified();
    begin(request);
}

void TrainTab::begin(const TrainingRequest& request) {
    m_messageBox->hide();
    m_samplesBox->hide(); // a generative run shows its own pictures once the first arrive
    m_charts->setAccuracyShown(!nc::isGenerativeGraph(request.graph));
    m_samplesImage = QImage();
    m_samplesShown = 0;
    m_message->clear();
    m_lastBatch = nc::BatchEvent();
    m_lastEpoch = nc::EpochEvent();
    m_batchSize = std::max(1, request.config.batchSize);
    m_paused = false;
    m_progress->setRange(0, 0); // busy until the dataset is loaded and the first batch is done
    m_progressLabel->setText(tr("Loading the dataset and building the network…"));
    setRunning(true);
    m_engine->startTraining(request);
}

void TrainTab::togglePause() {
    if (!m_running)
        return;
    if (m_paused) {
        m_engine->resumeTraining();
        m_paused = false;
    } else {
        m_engine->pauseTraining();
        m_paused = true;
    }
    m_pause->setText(m_paused ? tr("Resume") : tr("Pause"));
    updateProgress();
}

void TrainTab::stop() {
    if (!m_running)
        return;
    m_engine->stopTraining();
    m_progressLabel->setText(tr("Stopping after the current batch…"));
}

void TrainTab::setRunning(bool running) {
    const bool changed = running != m_running;
    m_running = running;
    m_start->setEnabled(!running);
    m_pause->setEnabled(running);
    m_stop->setEnabled(running);
    m_form->setEnabled(!running);
    m_history->setResumeAllowed(!running);
    if (!running) {
        m_paused = false;
        m_pause->setText(tr("Pause"));
    }
    if (changed)
        Q_EMIT runningChanged(running);
}

void TrainTab::showMessage(const QString& text, const QString& nodeId) {
    m_blamedNode = nodeId;
    m_message->setText(text);
    m_showNode->setVisible(!nodeId.isEmpty());
    QPalette p = m_messageBox->palette();
    p.setColor(QPalette::Window, QColor(0xd3, 0x2f, 0x2f, 40));
    m_messageBox->setPalette(p);
    m_messageBox->show();
    if (!nodeId.isEmpty())
        Q_EMIT nodeBlamed(nodeId, text);
}

QString TrainTab::message() const {
    return m_messageBox->isHidden() ? QString() : m_message->text();
}

QString TrainTab::progressText() const {
    return m_progressLabel->text();
}

void TrainTab::onStarted(const TrainingStart& start) {
    m_startInfo = start;
    m_precisionInfo->showRun(start.precision);
    m_progressLabel->setText(tr("Training on %1 images (%2 parameters, %3)…")
                                 .arg(start.trainImages)
                                 .arg(start.parameters)
                                 .arg(QString::fromStdString(start.device)));
}

void TrainTab::onBatches(const QList<nc::BatchEvent>& batches) {
    m_charts->addBatches(batches);
    m_lastBatch = batches.last();
    updateProgress();
}

void TrainTab::onEpoch(const nc::EpochEvent& epoch) {
    m_charts->addEpoch(epoch);
    m_lastEpoch = epoch;
    updateProgress();
}

void TrainTab::onSamples(const QImage& grid, const QString& caption) {
    m_samplesImage = grid;
    ++m_samplesShown;
    // At most 360 pixels wide beside the charts (the grid's cells are already drawn 2x).
    const QImage shown = grid.width() > 360 ? grid.scaledToWidth(360, Qt::SmoothTransformation) : grid;
    m_samples->setPixmap(QPixmap::fromImage(shown));
    m_samplesText->setText(caption);
    m_samplesBox->show();
}

QString TrainTab::samplesCaption() const { return m_samplesText->text(); }

void TrainTab::onPaused(bool paused) {
    Q_UNUSED(paused);
    updateProgress();
}

void TrainTab::updateProgress() {
    const nc::BatchEvent& e = m_lastBatch;
    if (!m_running || e.batchesPerEpoch <= 0)
        return;
    const qint64 total = qint64(e.epochs) * e.batchesPerEpoch;
    const qint64 done = qint64(e.epoch - 1) * e.batchesPerEpoch + e.batch;
    m_progress->setRange(0, int(std::min<qint64>(total, std::numeric_limits<int>::max())));
    m_progress->setValue(int(std::min<qint64>(done, std::numeric_limits<int>::max())));
    const double batchesPerSecond = e.imagesPerSecond / m_batchSize;
    QString text = tr("Epoch %1/%2 · batch %3/%4 · %5 images/s")
                       .arg(e.epoch)
                       .arg(e.epochs)
                       .arg(e.batch)
                       .arg(e.batchesPerEpoch)
                       .arg(qRound(e.imagesPerSecond));
    if (batchesPerSecond > 0)
        text += tr(" · %1 left").arg(clock(double(total - done) / batchesPerSecond));
    if (m_lastEpoch.epoch > 0 && !m_lastEpoch.validationTerms.empty())
        text += tr(" · validation loss %1 nats per image").arg(m_lastEpoch.validationLoss, 0, 'f', 2);
    else if (m_lastEpoch.epoch > 0)
        text += tr(" · validation accuracy %1%").arg(m_lastEpoch.validationAccuracy * 100, 0, 'f', 1);
    // A phased run's losses this batch, and the discriminator's verdicts (mean σ of its score).
    for (auto it = e.terms.begin(); it != e.terms.end(); ++it) {
        const QString key = QString::fromStdString(it.key());
        text += key.startsWith(QLatin1String("p:"))
                    ? tr(" · D at %1 %2").arg(key.mid(2)).arg(it.value().get<double>(), 0, 'f', 2)
                    : QStringLiteral(" · %1 %2").arg(key).arg(it.value().get<double>(), 0, 'f', 3);
    }
    if (m_paused)
        text = tr("Paused — %1").arg(text);
    m_progressLabel->setText(text);
}

void TrainTab::onFinished(const nc::FinishedEvent& f) {
    const QString id = m_liveId;
    m_liveId.clear();
    setRunning(false);
    m_progress->setRange(0, 1);
    m_progress->setValue(
        f.reason == nc::FinishReason::Completed || f.reason == nc::FinishReason::EarlyStopped ? 1 : 0);
    if (f.reason == nc::FinishReason::Stopped && m_lastBatch.batchesPerEpoch > 0 && m_lastBatch.epochs > 0) {
        // How far the run got, as the runs table says (e.g. 3 % of 2 epochs).
        const qint64 total = qint64(m_lastBatch.epochs) * m_lastBatch.batchesPerEpoch;
        const qint64 done = qint64(f.epochsDone) * m_lastBatch.batchesPerEpoch + f.batchesIntoEpoch;
        m_progress->setRange(0, int(std::min<qint64>(total, std::numeric_limits<int>::max())));
        m_progress->setValue(int(std::min<qint64>(done, total)));
    }

    // Record the outcome in the run's entry (unless another project was opened meanwhile).
    GraphModel* model = m_doc->model();
    nc::Json runs = model->project().runs;
    for (nc::Json& run : runs) {
        if (!run.is_object() || run.value("id", std::string()) != id.toStdString())
            continue;
        nc::Json result = f.toJson();
        result["seconds"] = m_priorSeconds + f.seconds;
        if (m_lastEpoch.epoch > 0) {
            result["final_val_accuracy"] = m_lastEpoch.validationAccuracy;
            result["final_val_loss"] = m_lastEpoch.validationLoss;
            result["final_train_loss"] = m_lastEpoch.trainLoss;
        }
        const QString best = RunHistoryPanel::runDir(run) + QStringLiteral("/best.ncmodel");
        const QString last = RunHistoryPanel::runDir(run) + QStringLiteral("/last.ncmodel");
        if (QFileInfo::exists(best))
            result["best_model"] = best.toStdString();
        if (f.reason == nc::FinishReason::Stopped && QFileInfo::exists(last))
            result["last_model"] = last.toStdString();
        result["device"] = m_startInfo.device;
        run["result"] = result;
        model->setRuns(runs);
        markModified();
        break;
    }

    switch (f.reason) {
    case nc::FinishReason::Failed:
        m_progressLabel->setText(tr("The run failed."));
        showMessage(QString::fromStdString(f.message), QString::fromStdString(f.nodeId));
        break;
    case nc::FinishReason::Stopped: {
        // Only what is true: where it stopped, what was kept, what its weights reach.
        QString text;
        if (f.batchesIntoEpoch > 0)
            text = tr("Stopped in epoch %1 at batch %2 of %3. Resume continues from exactly there.")
                       .arg(f.epochsDone + 1)
                       .arg(f.batchesIntoEpoch)
                       .arg(f.batchesPerEpoch);
        else if (f.epochsDone > 0)
            text = tr("Stopped after %n epoch(s). Resume continues from the end of the last one.", "", f.epochsDone);
        else
            text = tr("Stopped before the first batch; nothing was trained or saved.");
        if (f.stopValidationAccuracy >= 0)
            text += QLatin1Char(' ') + tr("Its weights at that point (last.ncmodel) reach %1% validation accuracy "
                                          "and can be evaluated, inspected and exported.")
                                           .arg(f.stopValidationAccuracy * 100, 0, 'f', 2);
        m_progressLabel->setText(text);
        break;
    }
    case nc::FinishReason::EarlyStopped:
    case nc::FinishReason::Completed:
        if (f.generative) {
            m_progressLabel->setText(tr("Finished %n epoch(s) in %1; validation loss %2 nats per image (epoch %3).", "",
                                        f.epochsDone)
                                         .arg(clock(f.seconds))
                                         .arg(f.bestValidationLoss, 0, 'f', 2)
                                         .arg(f.bestEpoch));
            break;
        }
        m_progressLabel->setText(
            tr("Finished %n epoch(s) in %1; best validation accuracy %2% (epoch %3).", "", f.epochsDone)
                .arg(clock(f.seconds))
                .arg(f.bestValidationAccuracy * 100, 0, 'f', 2)
                .arg(f.bestEpoch));
        break;
    }
}

void TrainTab::refreshHistory() {
    m_history->setRuns(m_doc->model()->project().runs, m_liveId);
}

void TrainTab::onSelectionChanged() {
    const nc::Json& runs = m_doc->model()->project().runs;
    const QList<int> rows = m_history->selectedRuns();
    auto curvesOf = [&](int i) {
        return RunCurves::fromMetricsFile(RunHistoryPanel::runDir(runs[std::size_t(i)]) +
                                          QStringLiteral("/metrics.jsonl"));
    };
    if (rows.size() == 1 && !m_running) {
        m_charts->setOverlays({});
        m_charts->showRun(curvesOf(rows.first()));
        return;
    }
    QList<TrainingCharts::Overlay> overlays;
    if (rows.size() >= 2) {
        for (int i : rows) {
            const QString id = QString::fromStdString(runs[std::size_t(i)].value("id", std::string()));
            if (id != m_liveId)
                overlays.append({id, curvesOf(i)});
        }
        if (!m_running)
            m_charts->clear();
    }
    m_charts->setOverlays(overlays);
}

void TrainTab::saveChartImage() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save charts as image"), QDir(m_doc->folder()).filePath(QStringLiteral("training.png")),
        tr("PNG images (*.png)"));
    if (!path.isEmpty() && !m_charts->saveImage(path))
        showMessage(tr("Could not write %1.").arg(QFileInfo(path).fileName()));
}

void TrainTab::saveChartData() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save chart data"), QDir(m_doc->folder()).filePath(QStringLiteral("training.csv")),
        tr("CSV files (*.csv)"));
    QString why;
    if (!path.isEmpty() && !m_charts->saveCsv(path, &why))
        showMessage(tr("Could not write %1: %2").arg(QFileInfo(path).fileName(), why));
}

void TrainTab::markModified() {
    // A run is not an undoable edit, but the project now differs from its file.
    m_doc->undoStack()->resetClean();
}

} // namespace nc::ui
