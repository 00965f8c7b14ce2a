#pragma once
#include "data/Import.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QLabel;
class QMimeData;
class QMenu;
class QTabWidget;
class QUndoView;

namespace nc::ui {

class Autosave;
class Document;
class DeployTab;
class CompressTab;
class SweepTab;
class EngineController;
class EvaluateTab;
class ExportDialog;
class InspectTab;
class GraphScene;
class GraphView;
class PalettePanel;
class ProblemsPanel;
class ImportDialog;
class PropertiesPanel;
class QuickAddPopup;
class RecoveryDialog;
struct RecoveredProject;
class TrainTab;
class TrainingLock;
class WindowDrop;

// The window users live in: palette | canvas | properties, problems below, status bar with the
// graph's totals, Design/Train/Evaluate/Inspect tabs, file handling with recent files.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Document* document() const { return m_doc; }
    GraphScene* scene() const { return m_scene; }
    GraphView* view() const { return m_view; }
    PalettePanel* palette() const { return m_palette; }
    PropertiesPanel* properties() const { return m_properties; }
    ProblemsPanel* problems() const { return m_problems; }
    QAction* action(const QString& objectName) const;
    EngineController* engine() const { return m_engine; }
    TrainTab* trainTab() const { return m_trainTab; }
    EvaluateTab* evaluateTab() const { return m_evaluateTab; }
    InspectTab* inspectTab() const { return m_inspectTab; }
    DeployTab* deployTab() const { return m_deployTab; }
    CompressTab* compressTab() const { return m_compressTab; }
    SweepTab* sweepTab() const { return m_sweepTab; }
    TrainingLock* trainingLock() const { return m_trainingLock; }
    QTabWidget* modeTabs() const { return m_tabs; }
    ExportDialog* showExportDialog(); // File > Export Model…
    // File › Export Training Job…: the project as a torchrun job in `dir` (io/TorchrunJob.h),
    // written on the engine thread; trainingJobExported follows ("" error when it worked).
    void exportTrainingJob(const QString& dir);
    // File › Import Run…: a run folder trained elsewhere joins the run history (train/RunImport.h).
    bool importRun(const QString& dir, QString* error = nullptr);
    QString statusSummary() const; // the status bar's permanent text, for tests and screen readers
    WindowDrop* windowDrop() const { return m_drop; }
    // What a file dropped anywhere on the window does (WindowDrop routes every drop here): an
    // image goes to Inspect, a project opens, a model is evaluated; anything else is explained.
    void handleDrop(const QMimeData* mime);

    // The import view for a folder: or csv: spec (a dropped folder, Choose folder…). Not modal;
    // "Use this dataset" sets it on the project in one undo step. Returns the dialog (for tests).
    ImportDialog* showImportDialog(const QString& spec);
    // Applies an import: the dataset, its policy and (if the class count changed) the classifier's
    // width, as one undo step.
    void useImportedDataset(const QString& spec, const nc::ImportPolicy& policy, int classes);

    // File operations. openFile shows why a file failed (without blocking) and keeps the
    // current project; `error` receives the message too.
    bool openFile(const QString& path, QString* error = nullptr);
    bool saveFile(const QString& path, QString* error = nullptr);
    void newFromTemplate(const QString& name, const QString& dataset = {});
    // Tests turn this off: closing then discards changes without asking.
    void setAskBeforeDiscarding(bool ask) { m_askBeforeDiscarding = ask; }

    // Crash recovery. offerRecovery looks for projects that ended sessions left unsaved and
    // shows the (non-modal) recovery dialog when there are any; the app calls it at start.
    Autosave* autosave() const { return m_autosave; }
    RecoveryDialog* offerRecovery();
    RecoveryDialog* recoveryDialog() const; // null once closed
    // Shows `project` as an unsaved document that saves to its original path: in this window
    // unless it holds unsaved work or is training, else in a new one. Returns that window.
    MainWindow* restoreProject(std::shared_ptr<RecoveredProject> project);

    // Edit operations (also behind the menus' actions).
    void copySelection();
    void pasteClipboard();
    void duplicateSelection();
    void deleteSelection();
    void showQuickAdd(const QPointF& scenePos);

Q_SIGNALS:
    void trainingJobExported(const QString& dir, const QString& error); // after exportTrainingJob

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void syncDatasetOptions(); // the project's import policy and cache folder, to the engine
    void createActions();  // MainWindowActions.cpp
    void createMenus();    // MainWindowActions.cpp
    void createDocks();
    void createStatusBar();
    void retranslate();
    void updateTitle();
    void updateStatus();
    void selectAndCenter(const QString& nodeId);
    void showFailedNode(const QString& nodeId, const QString& message); // select, center, error colour
    bool maybeSave();
    bool save();
    bool saveAs();
    void openDialog();
    void exportTrainingJobDialog(); // MainWindowJobs.cpp
    void importRunDialog();
    void newDialog();
    void addRecentFile(const QString& path);
    void fillRecentMenu();

    Document* m_doc;
    Autosave* m_autosave;
    QPointer<RecoveryDialog> m_recoveryDialog;
    EngineController* m_engine;
    ExportDialog* m_exportDialog = nullptr;
    GraphScene* m_scene;
    GraphView* m_view;
    QTabWidget* m_tabs;
    TrainTab* m_trainTab;
    EvaluateTab* m_evaluateTab;
    InspectTab* m_inspectTab;
    DeployTab* m_deployTab;
    CompressTab* m_compressTab;
    SweepTab* m_sweepTab;
    TrainingLock* m_trainingLock = nullptr;
    WindowDrop* m_drop = nullptr;
    PalettePanel* m_palette;
    PropertiesPanel* m_properties;
    ProblemsPanel* m_problems;
    QUndoView* m_history;
    QuickAddPopup* m_quickAdd;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_datasetLabel;
    QLabel* m_shapeLabel;
    QLabel* m_paramsLabel;
    QLabel* m_flopsLabel;
    QLabel* m_validLabel;
    QLabel* m_zoomLabel;
    QPointF m_quickAddPos;
    bool m_askBeforeDiscarding = true;
};

} // namespace nc::ui
