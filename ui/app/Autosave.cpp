#include "app/Autosave.h"

#include "document/Document.h"
#include "util/Files.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QUndoStack>

#include <algorithm>

namespace nc::ui {

namespace {
constexpr int kDefaultIntervalMs = 30000;
constexpr int kDebounceMs = 1000; // quiet time after an edit before it is written
constexpr std::uint64_t kMaxInfoBytes = 64 * 1024;
const QString kProjectFile = QStringLiteral("project.ncproj");
const QString kInfoFile = QStringLiteral("info.json");
const QString kLockFile = QStringLiteral("session.lock");

bool s_enabledByDefault = false;

// The project's own atomic write (temporary file, fsync, rename; stale temporaries of killed
// writers removed), with its message as `error`.
bool writeAtomically(const QString& path, const QByteArray& bytes, QString* error) {
    try {
        nc::writeFileAtomic(path.toStdString(), bytes.constData(), std::size_t(bytes.size()));
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

// At most `limit` bytes of a file; empty (with `error` set) when it is missing, unreadable or larger.
QByteArray readLimited(const QString& path, std::uint64_t limit, QString* error) {
    try {
        return QByteArray::fromStdString(nc::readFileText(path.toStdString(), limit));
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return {};
    }
}

// Parses a project file; on failure returns false with the reader's or the parser's message.
bool readProject(const QString& path, nc::Project* project, QString* error) {
    QString why;
    const QByteArray bytes = readLimited(path, nc::kMaxProjectBytes, &why);
    if (!why.isEmpty()) {
        *error = why;
        return false;
    }
    try {
        *project = nc::parseProject(bytes.toStdString(), QFileInfo(path).fileName().toStdString());
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
    return true;
}

// The first few layer ids, and how many more: counts read without singular/plural forms.
QString firstIds(const QStringList& ids, int* more) {
    constexpr int kNamed = 3;
    *more = std::max(0, int(ids.size()) - kNamed);
    return QStringList(ids.mid(0, kNamed)).join(QStringLiteral(", "));
}
} // namespace

RecoveredProject::RecoveredProject() = default;
RecoveredProject::~RecoveredProject() = default;

void RecoveredProject::discard() {
    if (folder.isEmpty())
        return;
    QFile::remove(folder + QLatin1Char('/') + kProjectFile);
    QFile::remove(folder + QLatin1Char('/') + kInfoFile);
    if (lock)
        lock->unlock();
    lock.reset();
    QDir(folder).removeRecursively();
    folder.clear();
    QDir().rmdir(Autosave::rootFolder()); // only when no other session is left in it
}

Autosave::Autosave(Document* document, QObject* parent) : QObject(parent), m_doc(document) {
    bool ok = false;
    const int fromEnv = qEnvironmentVariableIntValue("NC_AUTOSAVE_INTERVAL_MS", &ok);
    const int interval = ok && fromEnv >= 0 ? fromEnv : kDefaultIntervalMs;
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(interval > 0 ? std::min(kDebounceMs, interval) : kDebounceMs);
    m_interval.setInterval(interval > 0 ? interval : kDefaultIntervalMs);
    connect(&m_debounce, &QTimer::timeout, this, [this] { writeNow(); });
    connect(&m_interval, &QTimer::timeout, this, [this] {
        if (m_pending)
            writeNow();
    });

    // Structural edits through the model, undo/redo through the stack; both land in one write.
    GraphModel* model = m_doc->model();
    connect(model, &GraphModel::nodeAdded, this, &Autosave::scheduleWrite);
    connect(model, &GraphModel::nodeRemoved, this, &Autosave::scheduleWrite);
    connect(model, &GraphModel::edgeAdded, this, &Autosave::scheduleWrite);
    connect(model, &GraphModel::edgeRemoved, this, &Autosave::scheduleWrite);
    connect(model, &GraphModel::nodeMoved, this, &Autosave::scheduleWrite);
    connect(model, &GraphModel::nodeParamsChanged, this, &Autosave::scheduleWrite);
    connect(model, &GraphModel::datasetChanged, this, &Autosave::scheduleWrite);
    connect(model, &GraphModel::trainingChanged, this, &Autosave::scheduleWrite);
    connect(model, &GraphModel::runsChanged, this, &Autosave::scheduleWrite);
    connect(m_doc->undoStack(), &QUndoStack::indexChanged, this, &Autosave::scheduleWrite);
    connect(m_doc->undoStack(), &QUndoStack::cleanChanged, this, [this](bool clean) {
        if (clean)
            removeAutosave();
    });
    // Opened, new or saved elsewhere: nothing unsaved remains of the previous state.
    connect(m_doc, &Document::pathChanged, this, [this] {
        if (!m_doc->isModified())
            removeAutosave();
    });
    setEnabled(s_enabledByDefault && interval > 0);
}

Autosave::~Autosave() {
    endSession();
}

void Autosave::setEnabledByDefault(bool enabled) {
    s_enabledByDefault = enabled;
}

QString Autosave::rootFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

void Autosave::setEnabled(bool enabled) {
    if (enabled == m_enabled)
        return;
    m_enabled = enabled;
    if (enabled) {
        m_interval.start();
        if (m_doc->isModified())
            scheduleWrite();
    } else {
        m_interval.stop();
        endSession();
    }
}

QString Autosave::projectFile() const {
    if (m_folder.isEmpty())
        return {};
    const QString path = m_folder + QLatin1Char('/') + kProjectFile;
    return QFileInfo::exists(path) ? path : QString();
}

void Autosave::scheduleWrite() {
    if (!m_enabled)
        return;
    m_pending = true;
    m_debounce.start();
}

bool Autosave::writeNow(QString* error) {
    m_debounce.stop();
    if (!m_enabled) {
        if (error)
            *error = tr("autosave is off");
        return false;
    }
    if (!m_doc->isModified()) {
        m_pending = false;
        return true;
    }
    const nc::Project& project = m_doc->model()->project();
    const QJsonObject info{
        {QStringLiteral("format"), QStringLiteral("neuralcanvas-autosave")},
        {QStringLiteral("version"), 1},
        {QStringLiteral("path"), m_doc->filePath()},
        {QStringLiteral("name"), m_doc->displayName()},
        {QStringLiteral("savedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("layers"), int(project.graph.nodes().size())},
        {QStringLiteral("connections"), int(project.graph.edges().size())}};
    QString why;
    // The description first: it changes little between writes (the path only with Save As,
    // after which there is nothing to autosave), so a crash between the two writes still leaves
    // the project with the right path and name.
    const bool ok =
        ensureSession(&why) &&
        writeAtomically(m_folder + QLatin1Char('/') + kInfoFile, QJsonDocument(info).toJson(), &why) &&
        writeAtomically(m_folder + QLatin1Char('/') + kProjectFile, m_doc->projectJson(), &why);
    if (!ok) {
        if (error)
            *error = why;
        if (!m_reportedFailure) // once per failure streak, not every interval
            Q_EMIT failed(tr("Autosave failed: %1").arg(why));
        m_reportedFailure = true;
        return false; // still pending: the interval timer tries again
    }
    m_pending = false;
    m_reportedFailure = false;
    Q_EMIT written(m_folder + QLatin1Char('/') + kProjectFile);
    return true;
}

bool Autosave::ensureSession(QString* error) {
    if (m_lock)
        return true;
    const QString root = rootFolder();
    // A scanning instance may lock and remove a folder in the moment between its creation and
    // our lock (it looks like an empty leftover), and an exiting one removes an empty root;
    // then another name is tried.
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (!QDir().mkpath(root)) {
            *error = tr("cannot create %1").arg(QDir::toNativeSeparators(root));
            return false;
        }
        const QString folder = QStringLiteral("%1/session-%2-%3")
                                   .arg(root)
                                   .arg(QCoreApplication::applicationPid())
                                   .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        if (!QDir().mkdir(folder))
            continue;
        auto lock = std::make_unique<QLockFile>(folder + QLatin1Char('/') + kLockFile);
        lock->setStaleLockTime(0); // only a dead owner makes it stale, never its age
        if (lock->tryLock(0)) {
            m_lock = std::move(lock);
            m_folder = folder;
            return true;
        }
        QDir().rmdir(folder);
    }
    *error = tr("cannot create a session folder in %1").arg(QDir::toNativeSeparators(root));
    return false;
}

void Autosave::removeAutosave() {
    m_debounce.stop();
    m_pending = false;
    if (m_folder.isEmpty())
        return;
    QFile::remove(m_folder + QLatin1Char('/') + kProjectFile);
    QFile::remove(m_folder + QLatin1Char('/') + kInfoFile);
}

void Autosave::endSession() {
    removeAutosave();
    if (m_folder.isEmpty())
        return;
    if (m_lock)
        m_lock->unlock();
    m_lock.reset();
    QDir(m_folder).removeRecursively();
    m_folder.clear();
    QDir().rmdir(rootFolder()); // only when no other session is left in it
}

void Autosave::adopt(std::shared_ptr<RecoveredProject> recovered) {
    endSession();
    m_folder = recovered->folder;
    m_lock = std::move(recovered->lock);
    recovered->folder.clear(); // ours now: the recovered object no longer deletes or unlocks it
    m_debounce.stop();         // the folder already holds exactly this state
    m_pending = false;
}

std::vector<std::shared_ptr<RecoveredProject>> Autosave::findRecoverable() {
    std::vector<std::shared_ptr<RecoveredProject>> found;
    const QDir root(rootFolder());
    const QFileInfoList folders =
        root.entryInfoList({QStringLiteral("session-*")}, QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QFileInfo& folder : folders) {
        auto lock = std::make_unique<QLockFile>(folder.absoluteFilePath() + QLatin1Char('/') + kLockFile);
        lock->setStaleLockTime(0);
        if (!lock->tryLock(0))
            continue; // a running instance's session
        const QString projectPath = folder.absoluteFilePath() + QLatin1Char('/') + kProjectFile;
        if (!QFileInfo::exists(projectPath)) { // a session that ended before its first edit
            lock->unlock();
            QDir(folder.absoluteFilePath()).removeRecursively();
            continue;
        }
        auto r = std::make_shared<RecoveredProject>();
        r->folder = folder.absoluteFilePath();
        r->lock = std::move(lock);
        r->savedAt = QFileInfo(projectPath).lastModified();

        QString why;
        const QByteArray infoBytes =
            readLimited(r->folder + QLatin1Char('/') + kInfoFile, kMaxInfoBytes, &why);
        const QJsonObject info = QJsonDocument::fromJson(infoBytes).object(); // empty when missing or bad
        r->originalPath = info.value(QStringLiteral("path")).toString();
        r->displayName = info.value(QStringLiteral("name")).toString();
        const QDateTime savedAt =
            QDateTime::fromString(info.value(QStringLiteral("savedAt")).toString(), Qt::ISODateWithMs);
        if (savedAt.isValid())
            r->savedAt = savedAt.toLocalTime();

        if (!readProject(projectPath, &r->project, &r->error)) {
            if (r->displayName.isEmpty())
                r->displayName = tr("Unknown project");
            found.push_back(std::move(r));
            continue;
        }
        if (r->displayName.isEmpty())
            r->displayName = r->originalPath.isEmpty() ? QString::fromStdString(r->project.name)
                                                       : QFileInfo(r->originalPath).fileName();
        if (r->displayName.isEmpty())
            r->displayName = tr("Untitled");

        if (r->originalPath.isEmpty()) {
            r->changes = tr("Layers: %1, connections: %2") // the entry already says it was never saved
                             .arg(r->project.graph.nodes().size())
                             .arg(r->project.graph.edges().size());
        } else if (!QFileInfo::exists(r->originalPath)) {
            r->changes = tr("The saved file no longer exists (layers: %1, connections: %2)")
                             .arg(r->project.graph.nodes().size())
                             .arg(r->project.graph.edges().size());
        } else {
            nc::Project saved;
            QString savedError;
            r->changes = readProject(r->originalPath, &saved, &savedError)
                             ? describeChanges(saved, r->project)
                             : tr("The saved file cannot be read: %1").arg(savedError);
        }
        found.push_back(std::move(r));
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a->savedAt > b->savedAt; });
    return found;
}

QString Autosave::describeChanges(const nc::Project& saved, const nc::Project& recovered) {
    QStringList added, removed, changed;
    int moved = 0;
    for (const nc::Node& n : recovered.graph.nodes()) {
        const nc::Node* old = saved.graph.node(n.id);
        if (!old)
            added << QString::fromStdString(n.id);
        else if (old->type != n.type || old->params != n.params)
            changed << QString::fromStdString(n.id);
        else if (old->x != n.x || old->y != n.y)
            ++moved;
    }
    for (const nc::Node& n : saved.graph.nodes())
        if (!recovered.graph.node(n.id))
            removed << QString::fromStdString(n.id);
    QSet<QString> savedEdges, recoveredEdges;
    for (const nc::Edge& e : saved.graph.edges())
        savedEdges.insert(QString::fromStdString(e.from.str() + ">" + e.to.str()));
    for (const nc::Edge& e : recovered.graph.edges())
        recoveredEdges.insert(QString::fromStdString(e.from.str() + ">" + e.to.str()));
    const int edgesAdded = int((recoveredEdges - savedEdges).size());
    const int edgesRemoved = int((savedEdges - recoveredEdges).size());

    QStringList parts;
    // "conv1 changed"; "conv1, conv2, conv3 and 4 more changed".
    const auto layers = [&parts](const QStringList& ids, const QString& few, const QString& many) {
        int more = 0;
        const QString names = firstIds(ids, &more);
        if (!ids.isEmpty())
            parts << (more ? many.arg(names, QString::number(more)) : few.arg(names));
    };
    layers(added, tr("%1 added"), tr("%1 and %2 more added"));
    layers(removed, tr("%1 removed"), tr("%1 and %2 more removed"));
    layers(changed, tr("%1 changed"), tr("%1 and %2 more changed"));
    if (edgesAdded)
        parts << tr("connections added: %1").arg(edgesAdded);
    if (edgesRemoved)
        parts << tr("connections removed: %1").arg(edgesRemoved);
    if (moved)
        parts << tr("layers moved: %1").arg(moved);
    if (saved.dataset != recovered.dataset)
        parts << tr("dataset changed to %1").arg(QString::fromStdString(recovered.dataset));
    if (saved.training.toJson() != recovered.training.toJson())
        parts << tr("training settings changed");
    if (saved.runs.size() < recovered.runs.size())
        parts << tr("runs added: %1").arg(recovered.runs.size() - saved.runs.size());
    else if (saved.runs != recovered.runs)
        parts << tr("run history changed");
    if (saved.name != recovered.name || saved.description != recovered.description)
        parts << tr("name or description changed");
    if (parts.isEmpty())
        return tr("Same as the saved file");
    return tr("Compared with the saved file: %1").arg(parts.join(QStringLiteral(", ")));
}

} // namespace nc::ui
