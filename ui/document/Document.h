#pragma once
#include "editor/GraphEditor.h"
#include "model/GraphModel.h"

#include <QObject>
#include <QUndoStack>

namespace nc::ui {

// One open project: the model, its undo stack and editor, and where it lives on disk.
// Loading never replaces the current project unless the new one parsed completely; saving is
// atomic (QSaveFile) and marks the undo stack clean.
class Document final : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject* parent = nullptr);

    GraphModel* model() const { return m_model; }
    QUndoStack* undoStack() const { return m_stack; }
    GraphEditor* editor() const { return m_editor; }
    QString filePath() const { return m_path; }
    // Where file dialogs start: the project's folder, or the home folder for a new project.
    QString folder() const;
    QString displayName() const; // file name, or the project name for an unsaved one
    bool isModified() const { return !m_stack->isClean(); }

    // Reads and checks a project file; on failure returns false with a message and leaves the
    // open project exactly as it was.
    bool open(const QString& path, QString* error);
    // Save As (a new path) also names a project nobody named after its file.
    bool save(const QString& path, QString* error);
    void newFromTemplate(const QString& name, const QString& dataset = {}); // "" = empty project
    void newEmpty();
    void setProject(nc::Project project, const QString& path); // clears the undo history

    QByteArray projectJson() const; // the text a save would write, for tests and copy

Q_SIGNALS:
    void pathChanged();

private:
    GraphModel* m_model;
    QUndoStack* m_stack;
    GraphEditor* m_editor;
    QString m_path;
};

} // namespace nc::ui
