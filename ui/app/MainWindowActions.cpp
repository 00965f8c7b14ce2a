#include <QRegularExpression>
// The window's actions, menus and toolbar: every common action has a shortcut and a name
// screen readers can announce.
#include "document/Document.h"
#include "app/MainWindow.h"
#include "style/Theme.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "editor/NodeItem.h"
#include "inspect/InspectTab.h"
#include "panels/PalettePanel.h"

#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStyle>
#include <QToolBar>

namespace nc::ui {

namespace {
QAction* makeAction(QWidget* owner, const QString& name, const QString& text, const QList<QKeySequence>& keys,
                    const QIcon& icon = {}) {
    auto* a = new QAction(icon, text, owner);
    a->setObjectName(name);
    a->setShortcuts(keys);
    QString tip = text;
    // "自动布局(&L)": CJK menus append the mnemonic in brackets; tooltips and buttons drop it.
    tip.remove(QRegularExpression(QStringLiteral("\\(&\\w\\)")));
    tip.remove(QLatin1Char('&'));
    a->setIconText(QString(tip).remove(QStringLiteral("…")));
    tip.remove(QStringLiteral("…"));
    if (!keys.isEmpty())
        tip += QStringLiteral(" (%1)").arg(keys.first().toString(QKeySequence::NativeText));
    a->setToolTip(tip);
    a->setStatusTip(tip);
    owner->addAction(a);
    return a;
}
} // namespace

void MainWindow::createActions() {
    QStyle* s = style();
    Document* doc = m_doc;
    connect(makeAction(this, "actionNew", tr("&New…"), {QKeySequence::New}, s->standardIcon(QStyle::SP_FileIcon)),
            &QAction::triggered, this, &MainWindow::newDialog);
    connect(makeAction(this, "actionOpen", tr("&Open…"), {QKeySequence::Open}, s->standardIcon(QStyle::SP_DialogOpenButton)),
            &QAction::triggered, this, &MainWindow::openDialog);
    connect(makeAction(this, "actionSave", tr("&Save"), {QKeySequence::Save}, s->standardIcon(QStyle::SP_DialogSaveButton)),
            &QAction::triggered, this, &MainWindow::save);
    connect(makeAction(this, "actionSaveAs", tr("Save &As…"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)}),
            &QAction::triggered, this, &MainWindow::saveAs);
    connect(makeAction(this, "actionExport", tr("&Export Model…"), {QKeySequence(Qt::CTRL | Qt::Key_E)}),
            &QAction::triggered, this, [this] { showExportDialog(); });
    connect(makeAction(this, "actionExportJob", tr("Export &Training Job…"), {}), &QAction::triggered, this,
            &MainWindow::exportTrainingJobDialog);
    connect(makeAction(this, "actionImportRun", tr("&Import Run…"), {}), &QAction::triggered, this,
            &MainWindow::importRunDialog);
    connect(makeAction(this, "actionQuit", tr("&Quit"), {QKeySequence(Qt::CTRL | Qt::Key_Q)}), &QAction::triggered, this,
            &QWidget::close);

    QAction* undo = doc->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("actionUndo"));
    undo->setShortcuts(QKeySequence::Undo);
    undo->setIcon(s->standardIcon(QStyle::SP_ArrowBack));
    addAction(undo);
    QAction* redo = doc->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("actionRedo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    redo->setIcon(s->standardIcon(QStyle::SP_ArrowForward));
    addAction(redo);

    connect(makeAction(this, "actionCut", tr("Cu&t"), {QKeySequence::Cut}), &QAction::triggered, this, [this] {
        copySelection();
        deleteSelection();
    });
    connect(makeAction(this, "actionCopy", tr("&Copy"), {QKeySequence::Copy}), &QAction::triggered, this,
            &MainWindow::copySelection);
    // On the Inspect tab, Paste asks the model about the clipboard's image instead.
    connect(makeAction(this, "actionPaste", tr("&Paste"), {QKeySequence::Paste}), &QAction::triggered, this, [this] {
        if (m_tabs->currentWidget() == m_inspectTab)
            m_inspectTab->pasteFromClipboard();
        else
            pasteClipboard();
    });
    connect(makeAction(this, "actionDuplicate", tr("D&uplicate"), {QKeySequence(Qt::CTRL | Qt::Key_D)}),
            &QAction::triggered, this, &MainWindow::duplicateSelection);
    connect(makeAction(this, "actionDelete", tr("&Delete"), {QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)},
                       s->standardIcon(QStyle::SP_TrashIcon)),
            &QAction::triggered, this, &MainWindow::deleteSelection);
    connect(makeAction(this, "actionSelectAll", tr("Select &All"), {QKeySequence::SelectAll}), &QAction::triggered, this,
            [this] {
                for (QGraphicsItem* item : m_scene->items())
                    if (item->flags() & QGraphicsItem::ItemIsSelectable)
                        item->setSelected(true);
            });
    connect(makeAction(this, "actionQuickAdd", tr("&Quick Add Layer…"), {QKeySequence(Qt::CTRL | Qt::Key_K)}),
            &QAction::triggered, this, [this] { showQuickAdd(m_view->mapToScene(m_view->viewport()->rect().center())); });
    connect(makeAction(this, "actionFindLayer", tr("&Find Layer in Palette"), {QKeySequence::Find}), &QAction::triggered,
            m_palette, &PalettePanel::focusSearch);
    connect(makeAction(this, "actionAutoLayout", tr("Auto-&Layout"), {QKeySequence(Qt::CTRL | Qt::Key_L)}),
            &QAction::triggered, this, [this] {
                m_doc->editor()->autoLayoutAll();
                m_view->fitAll();
            });

    connect(makeAction(this, "actionZoomIn", tr("Zoom &In"), {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)}),
            &QAction::triggered, this, [this] { m_view->zoomBy(1.25); });
    connect(makeAction(this, "actionZoomOut", tr("Zoom &Out"), {QKeySequence::ZoomOut}), &QAction::triggered, this,
            [this] { m_view->zoomBy(0.8); });
    connect(makeAction(this, "actionZoomReset", tr("&Actual Size"), {QKeySequence(Qt::CTRL | Qt::Key_0)}),
            &QAction::triggered, m_view, &GraphView::resetZoom);
    connect(makeAction(this, "actionFit", tr("&Fit to Window"), {QKeySequence(Qt::CTRL | Qt::Key_9)}),
            &QAction::triggered, m_view, &GraphView::fitAll);
    QAction* snap = makeAction(this, "actionSnap", tr("&Snap to Grid"), {QKeySequence(Qt::CTRL | Qt::Key_G)});
    snap->setCheckable(true);
    snap->setChecked(NodeItem::snapToGrid);
    connect(snap, &QAction::toggled, this, [](bool on) { NodeItem::snapToGrid = on; });

    auto* themes = new QActionGroup(this);
    const struct {
        const char* name;
        QString text;
        ThemeMode mode;
    } themeActions[] = {{"actionThemeSystem", tr("Follow &System"), ThemeMode::System},
                        {"actionThemeLight", tr("&Light"), ThemeMode::Light},
                        {"actionThemeDark", tr("&Dark"), ThemeMode::Dark}};
    for (const auto& t : themeActions) {
        QAction* a = makeAction(this, t.name, t.text, {});
        a->setCheckable(true);
        a->setChecked(Theme::instance().mode() == t.mode);
        themes->addAction(a);
        const ThemeMode mode = t.mode;
        connect(a, &QAction::triggered, this, [mode] { Theme::instance().apply(mode); });
    }
    for (const char* tab : {"actionModeDesign", "actionModeTrain", "actionModeEvaluate", "actionModeInspect"}) {
        const int index = int(findChildren<QAction*>(QRegularExpression("^actionMode")).size());
        QAction* a = makeAction(this, tab, m_tabs->tabText(index), {QKeySequence(Qt::ALT | (Qt::Key_1 + index))});
        connect(a, &QAction::triggered, this, [this, index] { m_tabs->setCurrentIndex(index); });
    }
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(action("actionNew"));
    file->addAction(action("actionOpen"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addSeparator();
    file->addAction(action("actionSave"));
    file->addAction(action("actionSaveAs"));
    file->addSeparator();
    file->addAction(action("actionExport"));
    file->addAction(action("actionExportJob"));
    file->addAction(action("actionImportRun"));
    file->addSeparator();
    file->addAction(action("actionQuit"));

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    for (const char* name : {"actionUndo", "actionRedo", "", "actionCut", "actionCopy", "actionPaste", "actionDuplicate",
                             "actionDelete", "actionSelectAll", "", "actionQuickAdd", "actionFindLayer"}) {
        if (!*name)
            edit->addSeparator();
        else
            edit->addAction(action(name));
    }

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (const char* name : {"actionZoomIn", "actionZoomOut", "actionZoomReset", "actionFit", "", "actionSnap",
                             "actionAutoLayout", ""})
        if (!*name)
            view->addSeparator();
        else
            view->addAction(action(name));
    QMenu* theme = view->addMenu(tr("&Theme"));
    for (const char* name : {"actionThemeSystem", "actionThemeLight", "actionThemeDark"})
        theme->addAction(action(name));
    QMenu* panels = view->addMenu(tr("&Panels"));
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        panels->addAction(dock->toggleViewAction());
    QMenu* modes = view->addMenu(tr("&Mode"));
    for (const char* name : {"actionModeDesign", "actionModeTrain", "actionModeEvaluate", "actionModeInspect"})
        modes->addAction(action(name));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard and Mouse"), this, [this] {
        QMessageBox::information(
            this, tr("Keyboard and mouse"),
            tr("<b>Add</b>: drag a layer from the palette, double-click the canvas, or Ctrl+K.<br>"
               "<b>Insert</b>: drop a layer onto a connection.<br>"
               "<b>Connect</b>: drag from an output port (bottom) to an input port (top).<br>"
               "<b>Select</b>: click, Ctrl+click, or drag a rubber band on empty canvas.<br>"
               "<b>Move</b>: drag, or arrow keys. <b>Pan</b>: middle button, or Space + drag.<br>"
               "<b>Zoom</b>: wheel, Ctrl + / Ctrl −, Ctrl+0 actual size, Ctrl+9 fit."));
    });
    help->addAction(tr("&About NeuralCanvas"), this, [this] {
        QMessageBox::about(this, tr("About NeuralCanvas"),
                           tr("<b>NeuralCanvas %1</b><br>Design, train and understand convolutional networks.")
                               .arg(QApplication::applicationVersion()));
    });

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setAccessibleName(tr("Main toolbar"));
    bar->setIconSize(QSize(18, 18));
    for (const char* name : {"actionNew", "actionOpen", "actionSave", "", "actionUndo", "actionRedo", "", "actionDelete",
                             "actionAutoLayout", "actionFit"})
        if (!*name)
            bar->addSeparator();
        else
            bar->addAction(action(name));
}

} // namespace nc::ui
