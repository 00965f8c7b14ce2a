#include "editor/GraphEditor.h"

#include "commands/GraphCommands.h"
#include "editor/AutoLayout.h"
#include "editor/EditorStyle.h"

#include <QSet>
#include <QUndoStack>

#include <cmath>

namespace nc::ui {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }

// An id free in the model and not yet handed out in this paste.
std::string freshId(const GraphModel* model, const std::string& wanted, const std::string& type,
                    const QSet<QString>& taken) {
    auto isFree = [&](const std::string& id) { return model->graph().indexOf(id) < 0 && !taken.contains(qs(id)); };
    if (!wanted.empty() && isFree(wanted))
        return wanted;
    const nc::LayerSpec* spec = nc::LayerRegistry::instance().find(type);
    const std::string prefix = spec ? spec->idPrefix : std::string("node");
    for (int n = 1;; ++n)
        if (isFree(prefix + std::to_string(n)))
            return prefix + std::to_string(n);
}
} // namespace

GraphEditor::GraphEditor(GraphModel* model, QUndoStack* stack, QObject* parent)
    : QObject(parent), m_model(model), m_stack(stack) {}

QString GraphEditor::addLayer(const QString& type, QPointF pos) {
    if (!nc::LayerRegistry::instance().find(type.toStdString()))
        return {};
    nc::Node node;
    node.type = type.toStdString();
    node.id = m_model->uniqueId(type).toStdString();
    node.x = pos.x();
    node.y = pos.y();
    auto* cmd = new AddNodeCommand(m_model, node);
    m_stack->push(cmd);
    return cmd->nodeId();
}

bool GraphEditor::connectPorts(const nc::PortRef& from, const nc::PortRef& to, QString* why) {
    if (!m_model->canConnect(from, to, why))
        return false;
    m_stack->push(new ConnectCommand(m_model, from, to));
    return true;
}

QString GraphEditor::insertOnEdge(const QString& type, QPointF pos, const nc::PortRef& from, const nc::PortRef& to) {
    const nc::LayerSpec* spec = nc::LayerRegistry::instance().find(type.toStdString());
    if (!spec || !spec->hasOutput || spec->maxInputs < 1 || m_model->edgeIndex(from, to) < 0)
        return {};
    // Make room, in the same undo step: the new layer goes below the one it follows, and the
    // layer it feeds moves down with everything after it, so nothing overlaps until auto-layout.
    const double gap = 2 * kGridSize;
    const nc::Graph& graph = m_model->graph();
    if (const nc::Node* above = graph.node(from.node))
        pos.setY(std::max(pos.y(), above->y + kNodeHeight + gap));
    pos.setY(std::ceil(pos.y() / kGridSize) * kGridSize);
    QHash<QString, MoveNodesCommand::Move> room;
    if (const nc::Node* below = graph.node(to.node)) {
        const double needed = pos.y() + kNodeHeight + gap - below->y;
        if (needed > 0) {
            const double dy = std::ceil(needed / kGridSize) * kGridSize;
            QSet<QString> downstream{qs(to.node)};
            QList<QString> queue{qs(to.node)};
            while (!queue.isEmpty()) {
                const std::string id = queue.takeFirst().toStdString();
                for (const nc::Edge& e : graph.edges())
                    if (e.from.node == id && !downstream.contains(qs(e.to.node))) {
                        downstream.insert(qs(e.to.node));
                        queue.append(qs(e.to.node));
                    }
            }
            for (const QString& id : downstream)
                if (const nc::Node* n = graph.node(id.toStdString()))
                    room.insert(id, {QPointF(n->x, n->y), QPointF(n->x, n->y + dy)});
        }
    }
    nc::Node node;
    node.type = type.toStdString();
    node.id = m_model->uniqueId(type).toStdString();
    node.x = pos.x();
    node.y = pos.y();
    const std::string firstPort = spec->inputPorts(node.params).front();
    auto* macro = new MacroCommand(m_model, tr("Insert %1").arg(type));
    if (!room.isEmpty())
        new MoveNodesCommand(m_model, room, tr("Make room"), 0, macro);
    new DisconnectCommand(m_model, from, to, macro);
    new AddNodeCommand(m_model, node, macro);
    new ConnectCommand(m_model, from, nc::PortRef{node.id, firstPort}, macro);
    new ConnectCommand(m_model, nc::PortRef{node.id, "out"}, to, macro);
    m_stack->push(macro);
    return qs(node.id);
}

void GraphEditor::removeItems(const QStringList& nodeIds, const QList<nc::Edge>& edges) {
    if (nodeIds.isEmpty() && edges.isEmpty())
        return;
    const int count = nodeIds.size() + edges.size();
    auto* macro = new MacroCommand(m_model, count == 1 && !nodeIds.isEmpty() ? tr("Delete %1").arg(nodeIds.first())
                                                                             : tr("Delete %n item(s)", "", count));
    const QSet<QString> removed(nodeIds.begin(), nodeIds.end());
    for (const nc::Edge& e : edges)
        if (!removed.contains(qs(e.from.node)) && !removed.contains(qs(e.to.node)))
            new DisconnectCommand(m_model, e.from, e.to, macro);
    for (const QString& id : nodeIds)
        new RemoveNodeCommand(m_model, id, macro);
    m_stack->push(macro);
}

void GraphEditor::moveNodes(const QHash<QString, QPointF>& newPositions, const QString& text, int mergeKey) {
    QHash<QString, MoveNodesCommand::Move> moves;
    for (auto it = newPositions.cbegin(); it != newPositions.cend(); ++it) {
        const nc::Node* n = m_model->node(it.key());
        if (n && (n->x != it->x() || n->y != it->y()))
            moves.insert(it.key(), {QPointF(n->x, n->y), *it});
    }
    if (!moves.isEmpty())
        m_stack->push(new MoveNodesCommand(m_model, moves, text, mergeKey));
}

bool GraphEditor::setParam(const QString& id, const QString& param, const nc::Json& value) {
    const nc::Node* n = m_model->node(id);
    if (!n)
        return false;
    nc::Json after = n->params.is_object() ? n->params : nc::Json::object();
    after[param.toStdString()] = value;
    if (after == n->params)
        return false;
    m_stack->push(new SetParamsCommand(m_model, id, param, n->params, after));
    return true;
}

void GraphEditor::setDataset(const QString& spec) {
    if (spec != m_model->datasetSpec())
        m_stack->push(new SetDatasetCommand(m_model, m_model->datasetSpec(), spec));
}

void GraphEditor::setDataset(const QString& spec, const nc::ImportPolicy& policy) {
    if (spec != m_model->datasetSpec() || !(policy == m_model->importPolicy()))
        m_stack->push(new SetDatasetCommand(m_model, m_model->datasetSpec(), m_model->importPolicy(), spec, policy));
}

void GraphEditor::setProjectName(const QString& name) {
    const QString before = QString::fromStdString(m_model->project().name);
    if (name != before)
        m_stack->push(new SetProjectNameCommand(m_model, before, name));
}

void GraphEditor::autoLayoutAll() { moveNodes(autoLayout(m_model->graph()), tr("Auto-layout")); }

QByteArray GraphEditor::copy(const QStringList& nodeIds) const {
    nc::Json nodes = nc::Json::array(), edges = nc::Json::array();
    const QSet<QString> chosen(nodeIds.begin(), nodeIds.end());
    for (const nc::Node& n : m_model->graph().nodes())
        if (chosen.contains(qs(n.id)))
            nodes.push_back({{"id", n.id}, {"type", n.type}, {"params", n.params}, {"pos", {n.x, n.y}}});
    for (const nc::Edge& e : m_model->graph().edges())
        if (chosen.contains(qs(e.from.node)) && chosen.contains(qs(e.to.node)))
            edges.push_back({{"from", e.from.str()}, {"to", e.to.str()}});
    const nc::Json doc = {{"format", "neuralcanvas-graph"}, {"nodes", nodes}, {"edges", edges}};
    return QByteArray::fromStdString(doc.dump(1));
}

QStringList GraphEditor::paste(const QByteArray& json, const QPointF* at) {
    nc::Graph incoming;
    try {
        const nc::Json doc = nc::Json::parse(json.toStdString());
        incoming = nc::Graph::fromJson(doc); // validates ids, types of fields and edge ends
    } catch (const std::exception&) {
        return {};
    }
    if (incoming.nodes().empty())
        return {};
    QPointF offset(2 * kGridSize, 2 * kGridSize);
    if (at) {
        double minX = 1e300, minY = 1e300;
        for (const nc::Node& n : incoming.nodes()) {
            minX = std::min(minX, n.x);
            minY = std::min(minY, n.y);
        }
        offset = *at - QPointF(minX, minY);
    }
    QHash<QString, std::string> rename;
    QSet<QString> taken;
    auto* macro = new MacroCommand(m_model, tr("Paste %n layer(s)", "", int(incoming.nodes().size())));
    QStringList ids;
    for (nc::Node n : incoming.nodes()) {
        const std::string id = freshId(m_model, n.id, n.type, taken);
        rename.insert(qs(n.id), id);
        taken.insert(qs(id));
        ids << qs(id);
        n.id = id;
        n.x = std::round((n.x + offset.x()) / kGridSize) * kGridSize;
        n.y = std::round((n.y + offset.y()) / kGridSize) * kGridSize;
        new AddNodeCommand(m_model, n, macro);
    }
    for (const nc::Edge& e : incoming.edges())
        new ConnectCommand(m_model, nc::PortRef{rename.value(qs(e.from.node)), e.from.port},
                           nc::PortRef{rename.value(qs(e.to.node)), e.to.port}, macro);
    m_stack->push(macro);
    return ids;
}

} // namespace nc::ui
