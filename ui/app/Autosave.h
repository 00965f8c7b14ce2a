#pragma once
#include "graph/Project.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <vector>

class QLockFile;

namespace nc::ui {

class Document;

// A project that a session which ended without a clean exit left in the autosave folder. It
// holds that session's lock while it exists, so no other running instance offers it too.
struct RecoveredProject {
    RecoveredProject();
    ~RecoveredProject(); // releases the lock; the folder stays unless discard() was called
    RecoveredProject(const RecoveredProject&) = delete;
    RecoveredProject& operator=(const RecoveredProject&) = delete;

    QString folder;       // the ended session's folder
    QString originalPath; // where the project was last saved; empty if it never was
    QString displayName;
    QDateTime savedAt; // when the autosave was written
    QString changes;   // what differs from the saved file, in words
    QString error;     // why the autosave cannot be read; `project` is then empty
    nc::Project project;
    std::unique_ptr<QLockFile> lock;

    bool isReadable() const { return error.isEmpty(); }
    void discard(); // deletes the folder and everything in it
};

// Writes the document's unsaved state to "<app data>/autosave/session-<pid>-<random>/" while it
// has unsaved changes: a second after each edit and at a fixed interval (NC_AUTOSAVE_INTERVAL_MS,
// default 30 s; 0 turns autosave off). The folder holds a QLockFile for the life of the session,
// which is how a later start tells a crashed session (lock free) from a running one. A saved or
// replaced document removes its autosave; a clean exit (endSession or destruction) removes the
// folder. The destructor never touches the document, which may be gone by then.
class Autosave final : public QObject {
    Q_OBJECT
  public:
    explicit Autosave(Document* document, QObject* parent = nullptr);
    ~Autosave() override; // a clean exit: the session folder goes

    // Off in the library so that tests and benches write nothing; the app turns it on.
    static void setEnabledByDefault(bool enabled);
    static QString rootFolder(); // <AppDataLocation>/autosave
    // Projects left by sessions whose lock is free (their process ended), each locked now.
    // Session folders without a project are removed on the way.
    static std::vector<std::shared_ptr<RecoveredProject>> findRecoverable();
    // In words, what `recovered` changes relative to `saved`: "conv1 changed, connections added: 2".
    static QString describeChanges(const nc::Project& saved, const nc::Project& recovered);

    bool isEnabled() const { return m_enabled; }
    void setEnabled(bool enabled); // off also ends the session: its autosave is removed
    int interval() const { return m_interval.interval(); }
    QString sessionFolder() const { return m_folder; } // empty until the first write
    QString projectFile() const;                       // the autosaved project, when there is one

    bool writeNow(QString* error = nullptr); // if the document has unsaved changes
    void endSession();                       // a clean exit: removes the folder, releases the lock
    // The document now shows `recovered`: its folder becomes this session's, so the autosave
    // stays on disk until the user saves or discards the restored project.
    void adopt(std::shared_ptr<RecoveredProject> recovered);

  Q_SIGNALS:
    void written(const QString& path);
    void failed(const QString& message);

  private:
    void scheduleWrite();
    void removeAutosave(); // the files, not the folder or its lock
    bool ensureSession(QString* error);

    Document* m_doc;
    QTimer m_debounce;
    QTimer m_interval;
    std::unique_ptr<QLockFile> m_lock;
    QString m_folder;
    bool m_enabled = false;
    bool m_pending = false; // changes since the last write
    bool m_reportedFailure = false;
};

} // namespace nc::ui
