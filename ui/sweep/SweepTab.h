#pragma once
#include "sweep/Sweep.h"

#include <QWidget>

#include <map>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace nc::ui {

class Document;
class EngineController;
class EpochCurvesView;
class ImportanceView;
class ParallelCoordinatesView;
class SweepSession;

// The Sweep tab: the search space (stored in the project's "sweeps"), strategy and budget,
// Start / Pause / Stop, a live trial table, the parallel-coordinates, accuracy-by-epoch and
// importance charts, and "Apply Best to Project" (one undo step). Trials run on the engine
// thread through SweepSession; each lands in the project's run history.
class SweepTab final : public QWidget {
    Q_OBJECT
  public:
    SweepTab(Document* document, EngineController* engine, QWidget* parent = nullptr);

    nc::SweepSpec spec() const;              // what the editor shows
    void setSpec(const nc::SweepSpec& spec); // into the editor (and the charts' axes)
    bool isRunning() const;
    const std::vector<nc::TrialRecord>& trials() const { return m_trials; }

  public Q_SLOTS:
    void start();
    void togglePause();
    void stop();
    void applyBest();
    void addParameter(const QString& key); // a row for `key` with a sensible range

  Q_SIGNALS:
    void runningChanged(bool running);
    void sweepFinished(const nc::SweepSummary& summary);

  private:
    void loadFromProject();
    void storeInProject(const nc::SweepSpec& spec);
    void addRow(const nc::SpaceParam& param);
    void suggestParameters();
    void setRunning(bool running);
    void upsertTrial(const nc::TrialRecord& trial, bool stopping);
    void refreshTrialRow(const nc::TrialRecord& trial);
    void refreshCharts();
    int bestIndex() const;

    Document* m_doc;
    EngineController* m_engine;
    SweepSession* m_session;
    QTableWidget* m_space;
    QComboBox* m_addParam;
    QComboBox* m_strategy;
    QSpinBox* m_trialsSpin;
    QSpinBox* m_epochsSpin;
    QCheckBox* m_prune;
    QSpinBox* m_minEpochs;
    QSpinBox* m_seed;
    QPushButton* m_startButton;
    QPushButton* m_pauseButton;
    QPushButton* m_stopButton;
    QPushButton* m_applyButton;
    QLabel* m_status;
    QTableWidget* m_table;
    QSpinBox* m_topPercent;
    ParallelCoordinatesView* m_parallel;
    EpochCurvesView* m_curves;
    ImportanceView* m_importance;
    std::vector<nc::TrialRecord> m_trials;
    std::map<int, bool> m_stoppedEarly; // trial number -> the pruner stopped it
    nc::Space m_runningSpace;           // the space of the sweep the table shows
};

} // namespace nc::ui
