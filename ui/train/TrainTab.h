#pragma once
#include "engine/TrainingEvents.h"

#include <QImage>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace nc::ui {

class Document;
class EngineController;
class PrecisionLabel;
class RunHistoryPanel;
class RunImporter;
class TrainSettingsForm;
class TrainingCharts;

// The Train tab: the project's training settings, Start / Pause-Resume / Stop, progress, live
// charts and the run history. Runs execute on the EngineController's thread; every run is
// recorded in `<project>.runs/<id>/` (metrics.jsonl, checkpoints) and in the project's runs.
class TrainTab final : public QWidget {
    Q_OBJECT
  public:
    TrainTab(Document* document, EngineController* engine, QWidget* parent = nullptr);

    bool isTraining() const { return m_running; }
    TrainSettingsForm* settingsForm() const { return m_form; }
    TrainingCharts* charts() const { return m_charts; }
    RunHistoryPanel* history() const { return m_history; }
    RunImporter* importer() const { return m_importer; } // File › Import Run… (train/RunImport.h)
    QString progressText() const; // "Epoch 1/2 · batch 4/9 · …", for tests and screen readers
    QString message() const;      // the last failure or notice, "" when none
    const nc::BatchEvent& lastBatch() const { return m_lastBatch; }
    // A generative run's latest preview grid (null before one arrived) and its caption.
    QImage samplesImage() const { return m_samplesImage; }
    QString samplesCaption() const;
    int samplesShown() const { return m_samplesShown; } // previews received this run
    QString runsFolder() const; // where new runs of this project are written

    // The buttons' actions (also for tests).
    void start();
    void togglePause();
    void stop();
    void resumeRun(int index); // continues a recorded run from its last.ncckpt
    // The model in use for Export: the selected run's (RunHistoryPanel::modelPath), else the
    // newest run's that has one; "" when no run has a model.
    QString runModelPath() const;

  Q_SIGNALS:
    void runningChanged(bool running);
    // A run failed because of this layer (e.g. its output went non-finite): show it on the canvas.
    void nodeBlamed(const QString& nodeId, const QString& message);
    void showNodeRequested(const QString& nodeId);
    void modelOpened(); // a run's model was asked for (Evaluate and Inspect Best Model)

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    void begin(const TrainingRequest& request);
    void requestPreviewSamples(); // the augmentation preview's images, once per dataset
    void setRunning(bool running);
    void showMessage(const QString& text, const QString& nodeId = {});
    void updateProgress();
    void refreshHistory();
    void showNewestRun();
    void onSelectionChanged();
    void onStarted(const TrainingStart& start);
    void onBatches(const QList<nc::BatchEvent>& batches);
    void onEpoch(const nc::EpochEvent& epoch);
    void onPaused(bool paused);
    void onFinished(const nc::FinishedEvent& finished);
    void onSamples(const QImage& grid, const QString& caption);
    void saveChartImage();
    void saveChartData();
    void markModified();

    Document* m_doc;
    EngineController* m_engine;
    std::string m_previewSpec; // the dataset whose samples the preview shows or awaits
    TrainSettingsForm* m_form;
    TrainingCharts* m_charts;
    QWidget* m_samplesBox = nullptr;
    QLabel* m_samples = nullptr;
    QLabel* m_samplesText = nullptr;
    QImage m_samplesImage;
    int m_samplesShown = 0;
    RunHistoryPanel* m_history;
    RunImporter* m_importer;
    QPushButton* m_start;
    QPushButton* m_pause;
    QPushButton* m_stop;
    QProgressBar* m_progress;
    QLabel* m_progressLabel;
    PrecisionLabel* m_precisionInfo;
    QWidget* m_messageBox;
    QLabel* m_message;
    QPushButton* m_showNode;
    QString m_blamedNode;

    bool m_running = false;
    bool m_paused = false;
    QString m_liveId;          // the run being trained, as recorded in project.runs
    double m_priorSeconds = 0; // time of earlier parts of a resumed run
    nc::BatchEvent m_lastBatch;
    nc::EpochEvent m_lastEpoch;
    TrainingStart m_startInfo;
    int m_batchSize = 1;
};

} // namespace nc::ui
