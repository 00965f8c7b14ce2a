#include "app/MainWindow.h"

#include "evaluate/EvaluateTab.h"
#include "inspect/InspectTab.h"

#include "engine/EngineController.h"
#include "deploy/CompressTab.h"
#include "deploy/DeployTab.h"
#include "export/ExportDialog.h"
#include "app/WindowDrop.h"
#include "app/Autosave.h"
#include "document/Document.h"
#include "style/Format.h"
#include "app/RecoveryDialog.h"
#include "app/TemplateGallery.h"
#include "style/Theme.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "editor/NodeItem.h"
#include "panels/PalettePanel.h"
#include "panels/ProblemsPanel.h"
#include "panels/PropertiesPanel.h"
#include "panels/QuickAddPopup.h"
#include "sweep/SweepTab.h"
#include "train/TrainTab.h"
#include "app/TrainingLock.h"

#include <QApplication>
#include <QBuffer>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QImage>
#include <QUrl>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUndoView>

namespace nc::ui {

namespace {
constexpr const char* kGraphMimeType = "application/x-neuralcanvas-graph";
constexpr int kMaxRecentFiles = 8;

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_doc(new Document(this)), m_autosave(new Autosave(m_doc, this)),
      m_engine(new EngineController(0, this)) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/neuralcanvas.svg")));
    m_scene = new GraphScene(m_doc->editor(), this);
    m_view = new GraphView(m_scene, this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("modeTabs"));
    m_tabs->setAccessibleName(tr("Modes"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_view, tr("Design"));
    m_trainTab = new TrainTab(m_doc, m_engine, m_tabs);
    m_tabs->addTab(m_trainTab, tr("Train"));
    m_evaluateTab = new EvaluateTab(m_doc, m_engine, m_tabs);
    m_tabs->addTab(m_evaluateTab, tr("Evaluate"));
    m_inspectTab = new InspectTab(m_engine, m_tabs);
    m_tabs->addTab(m_inspectTab, tr("Inspect"));
    m_deployTab = new DeployTab(m_engine, m_tabs);
    m_tabs->addTab(m_deployTab, tr("Deploy"));
    m_compressTab = new CompressTab(m_engine, m_tabs);
    m_tabs->addTab(m_compressTab, tr("Compress"));
    m_sweepTab = new SweepTab(m_doc, m_engine, m_tabs);
    m_tabs->insertTab(m_tabs->indexOf(m_trainTab) + 1, m_sweepTab, tr("Sweep"));
    m_deployTab->setModelProvider([this] { return m_trainTab->runModelPath(); });
    m_compressTab->setModelProvider([this] { return m_trainTab->runModelPath(); });
    m_compressTab->setProjectProvider([this] { return std::make_pair(m_doc->model()->project(), m_doc->filePath()); });
    connect(m_compressTab, &CompressTab::exportRequested, this,
            [this](const QString& path) { showExportDialog()->setModelPath(path); });
    connect(m_compressTab, &CompressTab::serveRequested, this, [this](const QString& path) {
        m_deployTab->stop();
        m_deployTab->setModelPath(path);
        m_tabs->setCurrentWidget(m_deployTab);
        m_deployTab->start();
    });
    connect(m_compressTab, &CompressTab::openProjectRequested, this, [this](const QString& path) {
        QString error;
        if (!openFile(path, &error))
            statusBar()->showMessage(error, 10000);
    });
    m_inspectTab->setStartFolder([this] { return m_doc->folder(); });
    setAcceptDrops(true); // Qt delivers a drag to the nearest widget that accepts drops: at least this one
    m_drop = new WindowDrop(this, [this](const QMimeData* mime) { handleDrop(mime); });
    setCentralWidget(m_tabs);
    m_quickAdd = new QuickAddPopup(this);

    createDocks();
    createStatusBar();
    createActions();
    createMenus();

    m_trainingLock = new TrainingLock(this);
    connect(m_trainTab, &TrainTab::runningChanged, m_trainingLock, &TrainingLock::setLocked);
    connect(m_sweepTab, &SweepTab::runningChanged, m_trainingLock, &TrainingLock::setLocked);
    // The engine runs one thing at a time: a sweep and a training run never share it.
    connect(m_sweepTab, &SweepTab::runningChanged, m_trainTab, [this](bool running) { m_trainTab->setEnabled(!running); });
    connect(m_trainTab, &TrainTab::runningChanged, m_sweepTab, [this](bool running) { m_sweepTab->setEnabled(!running); });
    connect(m_trainTab, &TrainTab::nodeBlamed, this, &MainWindow::showFailedNode);
    connect(m_trainTab, &TrainTab::showNodeRequested, this, &MainWindow::selectAndCenter);
    connect(m_trainTab, &TrainTab::modelOpened, this, [this] {
        m_tabs->setCurrentWidget(m_evaluateTab);
        m_evaluateTab->evaluateWhenModelArrives();
    });
    connect(m_evaluateTab, &EvaluateTab::inspectRequested, this,
            [this](const std::vector<std::uint8_t>& chw, const QString& what) {
                m_inspectTab->inspectPixels(chw, what);
                m_tabs->setCurrentWidget(m_inspectTab);
            });
    // The node selected on the canvas: its feature maps in the Inspect tab.
    connect(m_scene, &QGraphicsScene::selectionChanged, this, [this] {
        if (!m_scene)
            return;
        const QStringList ids = m_scene->selectedNodeIds();
        m_inspectTab->showFeaturesOf(ids.size() == 1 ? ids.first() : QString());
    });

    GraphModel* model = m_doc->model();
    connect(model, &GraphModel::analysisChanged, this, &MainWindow::updateStatus);
    connect(model, &GraphModel::datasetChanged, this, &MainWindow::updateStatus);
    connect(model, &GraphModel::datasetChanged, this, &MainWindow::syncDatasetOptions);
    connect(m_doc, &Document::pathChanged, this, &MainWindow::syncDatasetOptions);
    connect(m_properties, &PropertiesPanel::importRequested, this, &MainWindow::showImportDialog);
    syncDatasetOptions();
    connect(m_doc->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    connect(m_doc, &Document::pathChanged, this, &MainWindow::updateTitle);
    connect(m_scene, &GraphScene::connectionRefused, this,
            [this](const QString& why) { statusBar()->showMessage(tr("Not connected: %1").arg(why), 6000); });
    connect(m_scene, &GraphScene::quickAddRequested, this, &MainWindow::showQuickAdd);
    connect(m_quickAdd, &QuickAddPopup::layerChosen, this, [this](const QString& type) {
        m_view->dropLayer(type, m_quickAddPos);
        m_view->setFocus();
    });
    connect(m_palette, &PalettePanel::layerActivated, this, [this](const QString& type) {
        m_view->dropLayer(type, m_view->mapToScene(m_view->viewport()->rect().center()));
    });
    connect(m_problems, &ProblemsPanel::problemActivated, this, &MainWindow::selectAndCenter);
    connect(m_view, &GraphView::zoomChanged, this,
            [this](double z) { m_zoomLabel->setText(tr("Zoom %1%").arg(qRound(z * 100))); });
    connect(m_autosave, &Autosave::failed, this,
            [this](const QString& why) { statusBar()->showMessage(why, 10000); });

    QSettings settings;
    resize(1480, 920);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateTitle();
    updateStatus();
}

MainWindow::~MainWindow() {
    // The engine (the first child) dies first and waits for its thread: a running sweep is a
    // job on it, so ask it to stop now, or closing the window would wait for the whole sweep.
    m_sweepTab->stop();
    // Children die after this body, the document among them: its undo stack then signals
    // canUndoChanged while ~QObject runs, when this is no longer a MainWindow. Take down the
    // listeners that call back into the window first (UBSan: member call on a destroyed type).
    delete m_trainingLock;
    m_trainingLock = nullptr;
    m_doc->undoStack()->blockSignals(true);
    // The scene and panels mirror the document: take them down before it, quietly.
    m_scene->blockSignals(true);
    delete m_scene;
    m_scene = nullptr;
}

QAction* MainWindow::action(const QString& objectName) const { return findChild<QAction*>(objectName); }

ExportDialog* MainWindow::showExportDialog() {
    if (!m_exportDialog)
        m_exportDialog = new ExportDialog(m_engine, this);
    // Starts with the model in use (the selected run's, else the newest run's) and in the
    // project's folder, unless the user already chose something in this dialog.
    m_exportDialog->setStartFolder(m_doc->folder());
    m_exportDialog->offerModel(m_trainTab->runModelPath());
    m_exportDialog->show();
    m_exportDialog->raise();
    m_exportDialog->activateWindow();
    return m_exportDialog;
}

void MainWindow::createDocks() {
    auto dock = [this](const QString& title, const QString& name, QWidget* w, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        d->setAccessibleName(title);
        addDockWidget(area, d);
        return d;
    };
    m_palette = new PalettePanel(this);
    dock(tr("Layers"), QStringLiteral("paletteDock"), m_palette, Qt::LeftDockWidgetArea);
    m_properties = new PropertiesPanel(m_scene, this);
    QDockWidget* props = dock(tr("Properties"), QStringLiteral("propertiesDock"), m_properties, Qt::RightDockWidgetArea);
    m_history = new QUndoView(m_doc->undoStack(), this);
    m_history->setObjectName(QStringLiteral("history"));
    m_history->setAccessibleName(tr("Undo history"));
    m_history->setEmptyLabel(tr("<opened>"));
    QDockWidget* history = dock(tr("History"), QStringLiteral("historyDock"), m_history, Qt::RightDockWidgetArea);
    tabifyDockWidget(props, history);
    props->raise();
    m_problems = new ProblemsPanel(m_doc->model(), this);
    QDockWidget* problems = dock(tr("Problems"), QStringLiteral("problemsDock"), m_problems, Qt::BottomDockWidgetArea);
    connect(m_problems, &ProblemsPanel::countChanged, problems, [problems, this](int n) {
        problems->setWindowTitle(n ? tr("Problems (%1)").arg(n) : tr("Problems"));
    });
    resizeDocks({props}, {300}, Qt::Horizontal);
    resizeDocks({problems}, {80}, Qt::Vertical);
}

void MainWindow::createStatusBar() {
    auto label = [this](const QString& name) {
        auto* l = new QLabel(this);
        l->setObjectName(name);
        l->setContentsMargins(8, 0, 8, 0);
        statusBar()->addPermanentWidget(l);
        return l;
    };
    m_datasetLabel = label(QStringLiteral("statusDataset"));
    m_shapeLabel = label(QStringLiteral("statusInput"));
    m_paramsLabel = label(QStringLiteral("statusParams"));
    m_flopsLabel = label(QStringLiteral("statusFlops"));
    m_validLabel = label(QStringLiteral("statusValid"));
    m_zoomLabel = label(QStringLiteral("statusZoom"));
    m_zoomLabel->setText(tr("Zoom %1%").arg(100));
}

void MainWindow::updateStatus() {
    const GraphModel* model = m_doc->model();
    const nc::GraphAnalysis& a = model->analysis();
    m_datasetLabel->setText(tr("Dataset: %1").arg(model->datasetSpec()));
    const nc::DatasetInfo& d = model->datasetInfo();
    m_shapeLabel->setText(model->datasetError().isEmpty()
                              ? tr("Input %1×%2×%3 · %4 classes").arg(d.channels).arg(d.height).arg(d.width).arg(d.classNames.size())
                              : tr("Input unknown"));
    m_paramsLabel->setText(tr("%1 parameters").arg(formatCount(a.totalParameters)));
    m_flopsLabel->setText(tr("%1 per image").arg(formatFlops(a.totalFlops)));
    const QColor ok = Theme::instance().canvas().accept, bad = Theme::instance().canvas().error;
    m_validLabel->setText(a.valid() ? QStringLiteral("<span style='color:%1'>●</span> %2").arg(ok.name(), tr("Valid"))
                                    : QStringLiteral("<span style='color:%1'>●</span> %2")
                                          .arg(bad.name(), tr("%n problem(s)", "", int(a.problems.size()))));
}

QString MainWindow::statusSummary() const {
    return QStringList{m_datasetLabel->text(), m_shapeLabel->text(), m_paramsLabel->text(), m_flopsLabel->text(),
                       m_validLabel->text()}
        .join(QStringLiteral(" | "));
}

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] — NeuralCanvas").arg(m_doc->displayName()));
    setWindowModified(m_doc->isModified());
}

void MainWindow::retranslate() { updateTitle(); }

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::selectAndCenter(const QString& nodeId) {
    m_tabs->setCurrentWidget(m_view);
    m_scene->selectNodes({nodeId});
    m_view->centerOnNode(nodeId);
    m_view->setFocus();
}

void MainWindow::showFailedNode(const QString& nodeId, const QString& message) {
    NodeItem* item = m_scene->nodeItem(nodeId);
    if (!item)
        return;
    m_scene->selectNodes({nodeId});
    m_view->centerOnNode(nodeId);
    // Drawn like a graph problem until the next edit re-analyses the graph.
    const nc::NodeInfo* known = m_doc->model()->info(nodeId);
    nc::NodeInfo info = known ? *known : nc::NodeInfo();
    info.error = message.toStdString();
    item->setInfo(&info, true);
}

bool MainWindow::openFile(const QString& path, QString* error) {
    QString why;
    if (!m_doc->open(path, &why)) {
        if (error)
            *error = why;
        // Non-modal, so nothing blocks (and the open project stays on screen behind it).
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Could not open the project"),
                                    tr("%1 could not be opened.").arg(QFileInfo(path).fileName()), QMessageBox::Ok, this);
        box->setInformativeText(why);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return false;
    }
    addRecentFile(m_doc->filePath());
    QTimer::singleShot(0, m_view, &GraphView::fitAll);
    return true;
}

bool MainWindow::saveFile(const QString& path, QString* error) {
    QString why;
    if (!m_doc->save(path, &why)) {
        if (error)
            *error = why;
        QMessageBox::warning(this, tr("Could not save"), why);
        return false;
    }
    addRecentFile(m_doc->filePath());
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 4000);
    return true;
}

void MainWindow::newFromTemplate(const QString& name, const QString& dataset) {
    if (name.isEmpty())
        m_doc->newEmpty();
    else
        m_doc->newFromTemplate(name, dataset);
    QTimer::singleShot(0, m_view, &GraphView::fitAll);
}

RecoveryDialog* MainWindow::recoveryDialog() const { return m_recoveryDialog; }

RecoveryDialog* MainWindow::offerRecovery() {
    if (m_recoveryDialog)
        return m_recoveryDialog;
    std::vector<std::shared_ptr<RecoveredProject>> found = Autosave::findRecoverable();
    if (found.empty())
        return nullptr;
    m_recoveryDialog = new RecoveryDialog(std::move(found), this);
    connect(m_recoveryDialog, &RecoveryDialog::restoreRequested, this,
            [this](std::shared_ptr<RecoveredProject> project, bool* restored) {
                *restored = restoreProject(std::move(project)) != nullptr;
            });
    // Non-modal: the window stays usable, and nothing blocks tests or scripts.
    m_recoveryDialog->show();
    m_recoveryDialog->raise();
    m_recoveryDialog->activateWindow();
    return m_recoveryDialog;
}

MainWindow* MainWindow::restoreProject(std::shared_ptr<RecoveredProject> project) {
    if (!project || !project->isReadable())
        return nullptr;
    MainWindow* target = this;
    if (m_doc->isModified() || m_trainingLock->isLocked()) {
        target = new MainWindow;
        target->setAttribute(Qt::WA_DeleteOnClose);
        target->setAskBeforeDiscarding(m_askBeforeDiscarding);
        target->resize(size());
        target->move(pos() + QPoint(40, 40));
        target->show();
    }
    Document* doc = target->m_doc;
    doc->setProject(project->project, project->originalPath);
    doc->undoStack()->resetClean(); // unsaved until the user saves; Save writes to the original path
    target->m_autosave->adopt(std::move(project));
    QTimer::singleShot(0, target->m_view, &GraphView::fitAll);
    target->statusBar()->showMessage(tr("Restored %1 (not saved yet)").arg(doc->displayName()), 8000);
    return target;
}

bool MainWindow::save() { return m_doc->filePath().isEmpty() ? saveAs() : saveFile(m_doc->filePath()); }

bool MainWindow::saveAs() {
    QString suggested = m_doc->filePath();
    if (suggested.isEmpty())
        suggested = QDir(m_doc->folder()).filePath(m_doc->displayName() + QStringLiteral(".ncproj"));
    QString path = QFileDialog::getSaveFileName(this, tr("Save project"), suggested, tr("NeuralCanvas projects (*.ncproj)"));
    if (path.isEmpty())
        return false;
    if (!path.endsWith(QLatin1String(".ncproj")))
        path += QStringLiteral(".ncproj");
    return saveFile(path);
}

void MainWindow::openDialog() {
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), m_doc->folder(),
                                                      tr("NeuralCanvas projects (*.ncproj);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::newDialog() {
    if (!maybeSave())
        return;
    TemplateGallery gallery(this);
    if (gallery.exec() == QDialog::Accepted)
        newFromTemplate(gallery.chosenTemplate(), m_doc->model()->datasetSpec());
}

bool MainWindow::maybeSave() {
    if (!m_doc->isModified() || !m_askBeforeDiscarding)
        return true;
    const auto answer = QMessageBox::warning(this, tr("Unsaved changes"),
                                             tr("%1 has changes that are not saved. Save them?").arg(m_doc->displayName()),
                                             QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    m_autosave->endSession(); // saved or knowingly discarded: nothing to recover
    event->accept();
}

void MainWindow::addRecentFile(const QString& path) {
    QSettings settings;
    QStringList files = settings.value(QStringLiteral("files/recent")).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    settings.setValue(QStringLiteral("files/recent"), files);
    settings.setValue(QStringLiteral("files/lastDir"), QFileInfo(path).absolutePath());
}

void MainWindow::fillRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = QSettings().value(QStringLiteral("files/recent")).toStringList();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files[i];
        QAction* a = m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()));
        a->setToolTip(path);
        connect(a, &QAction::triggered, this, [this, path] {
            if (maybeSave())
                openFile(path);
        });
    }
    if (files.isEmpty())
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
}

void MainWindow::copySelection() {
    const QStringList ids = m_scene->selectedNodeIds();
    if (ids.isEmpty())
        return;
    const QByteArray json = m_doc->editor()->copy(ids);
    auto* mime = new QMimeData;
    mime->setData(kGraphMimeType, json);
    mime->setText(QString::fromUtf8(json)); // readable, and pastable into another window or a file
    QApplication::clipboard()->setMimeData(mime);
}

void MainWindow::pasteClipboard() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (!mime)
        return;
    const QByteArray json = mime->hasFormat(kGraphMimeType) ? mime->data(kGraphMimeType) : mime->text().toUtf8();
    const QStringList ids = m_doc->editor()->paste(json);
    if (ids.isEmpty()) {
        statusBar()->showMessage(tr("The clipboard holds no layers."), 4000);
        return;
    }
    m_scene->selectNodes(ids);
}

void MainWindow::duplicateSelection() {
    const QStringList ids = m_scene->selectedNodeIds();
    if (ids.isEmpty())
        return;
    m_scene->selectNodes(m_doc->editor()->paste(m_doc->editor()->copy(ids)));
}

void MainWindow::deleteSelection() {
    m_doc->editor()->removeItems(m_scene->selectedNodeIds(), m_scene->selectedEdges());
}

void MainWindow::showQuickAdd(const QPointF& scenePos) {
    m_quickAddPos = scenePos;
    m_quickAdd->popup(m_view->viewport()->mapToGlobal(m_view->mapFromScene(scenePos)));
}

void MainWindow::handleDrop(const QMimeData* mime) {
    const DroppedFile d = classifyDrop(mime);
    switch (d.kind) {
    case DroppedFile::Kind::Project:
        if (maybeSave())
            openFile(d.path);
        return;
    case DroppedFile::Kind::Model:
        m_engine->openModel(d.path, tr("model %1").arg(QFileInfo(d.path).fileName()));
        m_tabs->setCurrentWidget(m_evaluateTab);
        m_evaluateTab->evaluateWhenModelArrives();
        return;
    case DroppedFile::Kind::Image:
        m_tabs->setCurrentWidget(m_inspectTab);
        if (!d.path.isEmpty()) {
            m_inspectTab->inspectFile(d.path);
        } else { // pixels, e.g. dragged out of a browser
            QByteArray png;
            QBuffer buffer(&png);
            buffer.open(QIODevice::WriteOnly);
            qvariant_cast<QImage>(mime->imageData()).save(&buffer, "PNG");
            m_inspectTab->inspectEncoded(png, tr("dropped image"));
        }
        return;
    case DroppedFile::Kind::Folder:
    case DroppedFile::Kind::Csv: {
        // On Inspect: classify every image in it. Elsewhere: import it as a dataset.
        if (m_tabs->currentWidget() == m_inspectTab) {
            m_inspectTab->inspectFolder(d.path);
        } else {
            const QString prefix = d.kind == DroppedFile::Kind::Csv ? QStringLiteral("csv:") : QStringLiteral("folder:");
            showImportDialog(prefix + QDir::cleanPath(QFileInfo(d.path).absoluteFilePath()));
        }
        return;
    }
    case DroppedFile::Kind::Unsupported:
        statusBar()->showMessage(d.message, 15000);
        return;
    case DroppedFile::Kind::None: return;
    }
}

} // namespace nc::ui
