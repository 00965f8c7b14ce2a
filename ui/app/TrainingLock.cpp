#include "app/TrainingLock.h"

#include "document/Document.h"
#include "app/MainWindow.h"
#include "editor/GraphView.h"
#include "panels/PalettePanel.h"
#include "panels/PropertiesPanel.h"

#include <QAction>
#include <QLabel>
#include <QUndoStack>

namespace nc::ui {

namespace {
// Actions that change the graph or replace the project.
const char* const kLockedActions[] = {"actionUndo",      "actionRedo",   "actionCut",      "actionPaste",
                                      "actionDuplicate", "actionDelete", "actionQuickAdd", "actionAutoLayout",
                                      "actionNew",       "actionOpen"};
} // namespace

TrainingLock::TrainingLock(MainWindow* window) : QObject(window), m_window(window) {
    m_banner = new QLabel(window->view());
    m_banner->setObjectName(QStringLiteral("trainingLockBanner"));
    m_banner->setText(explanation());
    m_banner->setWordWrap(true);
    m_banner->setMaximumWidth(520);
    m_banner->setMargin(8);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: rgba(255, 193, 7, 230); color: black; "
                                           "border-radius: 4px; }"));
    m_banner->move(12, 12);
    m_banner->hide();
    // The undo stack re-enables its own actions whenever it changes: keep them off.
    QUndoStack* stack = window->document()->undoStack();
    connect(stack, &QUndoStack::canUndoChanged, this, [this] { applyToActions(); });
    connect(stack, &QUndoStack::canRedoChanged, this, [this] { applyToActions(); });
}

QString TrainingLock::explanation() const {
    return tr(
        "Training: the graph is locked. The running model was built from the graph as it was when training "
        "started; stop the run to edit layers or connections.");
}

void TrainingLock::setLocked(bool locked) {
    if (locked == m_locked)
        return;
    m_locked = locked;
    GraphView* view = m_window->view();
    view->setInteractive(!locked); // no drags, connections or double-click adds; pan and zoom stay
    view->setAcceptDrops(!locked);
    m_window->palette()->setEnabled(!locked);
    m_window->properties()->setEnabled(!locked);
    m_banner->setText(explanation());
    m_banner->adjustSize();
    m_banner->setVisible(locked);
    m_banner->raise();
    applyToActions();
    if (!locked) { // give the undo actions their own state back
        QUndoStack* stack = m_window->document()->undoStack();
        if (QAction* a = m_window->action(QStringLiteral("actionUndo")))
            a->setEnabled(stack->canUndo());
        if (QAction* a = m_window->action(QStringLiteral("actionRedo")))
            a->setEnabled(stack->canRedo());
    }
}

void TrainingLock::applyToActions() {
    for (const char* name : kLockedActions) {
        QAction* a = m_window->action(QString::fromLatin1(name));
        if (!a)
            continue;
        const bool undoAction = qstrcmp(name, "actionUndo") == 0 || qstrcmp(name, "actionRedo") == 0;
        if (m_locked)
            a->setEnabled(false);
        else if (!undoAction)
            a->setEnabled(true);
    }
}

} // namespace nc::ui
