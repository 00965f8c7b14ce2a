#pragma once
#include "util/Json.h"

#include <QWidget>

class QPushButton;
class QTreeWidget;

namespace nc::ui {

// The project's run history (project.runs, FORMATS.md): one row per run with its outcome,
// best validation accuracy, duration and device. Several rows can be selected to compare their
// curves; a run with a last.ncckpt can be resumed.
class RunHistoryPanel final : public QWidget {
    Q_OBJECT
  public:
    explicit RunHistoryPanel(QWidget* parent = nullptr);

    // `liveId` marks the run that is training now (shown as running, not resumable).
    void setRuns(const nc::Json& runs, const QString& liveId = {});
    QList<int> selectedRuns() const; // indices into the runs, in list order
    void selectRun(int index);
    int rowCount() const;
    QString cellText(int row, int column) const; // for tests and screen readers
    void setResumeAllowed(bool allowed);         // off while a run trains

    static QString runDir(const nc::Json& run);
    // The model a run offers to Evaluate, Inspect and Export: its best.ncmodel, else (a run
    // stopped before its first epoch ended) last.ncmodel, its weights when it stopped; "" if none.
    static QString modelPath(const nc::Json& run);
    static QString modelLabel(const nc::Json& run); // "best model of run …" / "weights of run … when it stopped"
    // The newest run that offers a model, or -1.
    static int newestRunWithModel(const nc::Json& runs);
    static QString statusText(const nc::Json& run, bool live);

  Q_SIGNALS:
    void selectionChanged();
    void resumeRequested(int index);
    void openModelRequested(const QString& ncmodelPath, const QString& label); // a run's model (modelPath)

  private:
    void updateButtons();

    QTreeWidget* m_list;
    QPushButton* m_resume;
    QPushButton* m_openBest;
    nc::Json m_runs = nc::Json::array();
    bool m_resumeAllowed = true;
};

} // namespace nc::ui
