#include "document/Document.h"

#include "editor/AutoLayout.h"
#include "graph/Project.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace nc::ui {

Document::Document(QObject* parent)
    : QObject(parent), m_model(new GraphModel(this)), m_stack(new QUndoStack(this)),
      m_editor(new GraphEditor(m_model, m_stack, this)) {}

QString Document::displayName() const {
    if (!m_path.isEmpty())
        return QFileInfo(m_path).fileName();
    const QString name = QString::fromStdString(m_model->project().name);
    return name.isEmpty() ? tr("Untitled") : name;
}

bool Document::open(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("Cannot read %1: %2").arg(QFileInfo(path).fileName(), file.errorString());
        return false;
    }
    // Read one byte past the limit so parseProject can refuse an oversized file by itself.
    const QByteArray bytes = file.read(qint64(nc::kMaxProjectBytes) + 1);
    nc::Project project;
    try {
        project = nc::parseProject(bytes.toStdString(), QFileInfo(path).fileName().toStdString());
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
    // Files written before the canvas existed stack their layers on top of each other.
    if (nodesOverlap(project.graph)) {
        const auto positions = autoLayout(project.graph);
        for (const nc::Node& n : project.graph.nodes()) {
            nc::Node* node = project.graph.node(n.id);
            const QPointF p = positions.value(QString::fromStdString(n.id));
            node->x = p.x();
            node->y = p.y();
        }
    }
    setProject(std::move(project), QFileInfo(path).absoluteFilePath());
    return true;
}

namespace {
// A name nobody chose: the default, a template's, or the old file's. Save As replaces it with the
// new file's name (myshirts.ncproj → "myshirts"); a name the user typed stays.
bool isPlaceholderName(const QString& name, const QString& oldPath) {
    if (name.isEmpty() || name == QLatin1String("Untitled") || name == Document::tr("Untitled"))
        return true;
    if (!oldPath.isEmpty() && name == QFileInfo(oldPath).completeBaseName())
        return true;
    for (const nc::TemplateInfo& t : nc::listTemplates())
        if (name.toStdString() == t.name)
            return true;
    return false;
}
} // namespace

QString Document::folder() const {
    return m_path.isEmpty() ? QDir::homePath() : QFileInfo(m_path).absolutePath();
}

bool Document::save(const QString& path, QString* error) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QString name = QString::fromStdString(m_model->project().name);
    QString previousName;
    if (absolute != m_path && isPlaceholderName(name, m_path)) {
        previousName = name;
        m_model->setName(QFileInfo(path).completeBaseName());
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(QFileInfo(path).fileName(), file.errorString());
        if (!previousName.isNull())
            m_model->setName(previousName);
        return false;
    }
    file.write(projectJson());
    if (!file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(QFileInfo(path).fileName(), file.errorString());
        if (!previousName.isNull())
            m_model->setName(previousName); // nothing changed after all
        return false;
    }
    m_path = QFileInfo(path).absoluteFilePath();
    m_stack->setClean();
    Q_EMIT pathChanged();
    return true;
}

void Document::newFromTemplate(const QString& name, const QString& dataset) {
    nc::Project project = nc::makeFromTemplate(name.toStdString());
    if (!dataset.isEmpty())
        project.dataset = dataset.toStdString();
    // Templates list their layers in one column; lay them out so branches get their own lane.
    const auto positions = autoLayout(project.graph);
    for (const nc::Node& n : project.graph.nodes()) {
        const QPointF p = positions.value(QString::fromStdString(n.id));
        project.graph.node(n.id)->x = p.x();
        project.graph.node(n.id)->y = p.y();
    }
    setProject(std::move(project), QString());
}

void Document::newEmpty() {
    nc::Project project;
    project.name = tr("Untitled").toStdString();
    setProject(std::move(project), QString());
}

void Document::setProject(nc::Project project, const QString& path) {
    m_stack->clear();
    m_model->setProject(std::move(project));
    m_path = path;
    m_stack->setClean();
    Q_EMIT pathChanged();
}

QByteArray Document::projectJson() const { return QByteArray::fromStdString(m_model->project().toText()); }

} // namespace nc::ui
