#include "commands/GraphCommands.h"

#include <QCoreApplication>

namespace nc::ui {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
} // namespace

void MacroCommand::redo() {
    GraphModel::Batch batch(m_model);
    QUndoCommand::redo();
}

void MacroCommand::undo() {
    GraphModel::Batch batch(m_model);
    QUndoCommand::undo();
}

AddNodeCommand::AddNodeCommand(GraphModel* model, nc::Node node, QUndoCommand* parent)
    : QUndoCommand(parent), m_model(model), m_node(std::move(node)) {
    setText(QCoreApplication::translate("nc::ui::Commands", "Add %1").arg(qs(m_node.type)));
}

void AddNodeCommand::redo() {
    // The first redo fixes the id; later redos get the same one because undo freed it.
    m_node.id = m_model->addNode(m_node).toStdString();
}

void AddNodeCommand::undo() { m_model->removeNode(nodeId()); }

RemoveNodeCommand::RemoveNodeCommand(GraphModel* model, const QString& id, QUndoCommand* parent)
    : QUndoCommand(parent), m_model(model), m_id(id) {
    setText(QCoreApplication::translate("nc::ui::Commands", "Delete %1").arg(id));
}

void RemoveNodeCommand::redo() {
    const nc::Node* n = m_model->node(m_id);
    if (!n)
        return;
    m_nodeJson = {{"id", n->id}, {"type", n->type}, {"params", n->params}, {"x", n->x}, {"y", n->y}};
    m_index = m_model->nodeIndex(m_id);
    m_edges.clear();
    const auto& edges = m_model->graph().edges();
    for (std::size_t i = 0; i < edges.size(); ++i)
        if (qs(edges[i].from.node) == m_id || qs(edges[i].to.node) == m_id)
            m_edges.emplace_back(static_cast<int>(i), edges[i]);
    m_model->removeNode(m_id);
}

void RemoveNodeCommand::undo() {
    if (m_index < 0)
        return;
    nc::Node n;
    n.id = m_nodeJson["id"];
    n.type = m_nodeJson["type"];
    n.params = m_nodeJson["params"];
    n.x = m_nodeJson["x"];
    n.y = m_nodeJson["y"];
    GraphModel::Batch batch(m_model);
    m_model->addNode(n, m_index);
    for (const auto& [index, e] : m_edges)
        m_model->connectPorts(e.from, e.to, index);
}

ConnectCommand::ConnectCommand(GraphModel* model, nc::PortRef from, nc::PortRef to, QUndoCommand* parent)
    : QUndoCommand(parent), m_model(model), m_from(std::move(from)), m_to(std::move(to)) {
    setText(QCoreApplication::translate("nc::ui::Commands", "Connect %1 → %2").arg(qs(m_from.node), qs(m_to.str())));
}

void ConnectCommand::redo() { m_model->connectPorts(m_from, m_to); }
void ConnectCommand::undo() { m_model->disconnectPorts(m_from, m_to); }

DisconnectCommand::DisconnectCommand(GraphModel* model, nc::PortRef from, nc::PortRef to, QUndoCommand* parent)
    : QUndoCommand(parent), m_model(model), m_from(std::move(from)), m_to(std::move(to)) {
    setText(QCoreApplication::translate("nc::ui::Commands", "Disconnect %1 → %2").arg(qs(m_from.node), qs(m_to.str())));
}

void DisconnectCommand::redo() {
    m_index = m_model->edgeIndex(m_from, m_to);
    m_model->disconnectPorts(m_from, m_to);
}

void DisconnectCommand::undo() {
    if (m_index >= 0)
        m_model->connectPorts(m_from, m_to, m_index);
}

MoveNodesCommand::MoveNodesCommand(GraphModel* model, QHash<QString, Move> moves, const QString& text, int mergeKey,
                                   QUndoCommand* parent)
    : QUndoCommand(text, parent), m_model(model), m_moves(std::move(moves)), m_mergeKey(mergeKey) {}

void MoveNodesCommand::redo() {
    for (auto it = m_moves.cbegin(); it != m_moves.cend(); ++it)
        m_model->moveNode(it.key(), it->to.x(), it->to.y());
}

void MoveNodesCommand::undo() {
    for (auto it = m_moves.cbegin(); it != m_moves.cend(); ++it)
        m_model->moveNode(it.key(), it->from.x(), it->from.y());
}

bool MoveNodesCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = static_cast<const MoveNodesCommand*>(other);
    if (o->m_mergeKey != m_mergeKey || o->m_moves.keys() != m_moves.keys())
        return false;
    for (auto it = o->m_moves.cbegin(); it != o->m_moves.cend(); ++it)
        m_moves[it.key()].to = it->to;
    return true;
}

SetParamsCommand::SetParamsCommand(GraphModel* model, const QString& id, const QString& param, nc::Json before,
                                   nc::Json after, QUndoCommand* parent)
    : QUndoCommand(parent), m_model(model), m_id(id), m_param(param), m_before(std::move(before)),
      m_after(std::move(after)) {
    setText(QCoreApplication::translate("nc::ui::Commands", "Set %1.%2").arg(id, param));
}

void SetParamsCommand::redo() { m_model->setParams(m_id, m_after); }
void SetParamsCommand::undo() { m_model->setParams(m_id, m_before); }

bool SetParamsCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = static_cast<const SetParamsCommand*>(other);
    if (o->m_id != m_id || o->m_param != m_param)
        return false;
    m_after = o->m_after;
    setObsolete(m_after == m_before);
    return true;
}

SetProjectNameCommand::SetProjectNameCommand(GraphModel* model, QString before, QString after)
    : m_model(model), m_before(std::move(before)), m_after(std::move(after)) {
    setText(QCoreApplication::translate("nc::ui::Commands", "Rename project to %1").arg(m_after));
}

SetDatasetCommand::SetDatasetCommand(GraphModel* model, QString before, QString after)
    : SetDatasetCommand(model, std::move(before), model->importPolicy(), std::move(after), model->importPolicy()) {}

SetDatasetCommand::SetDatasetCommand(GraphModel* model, QString before, nc::ImportPolicy policyBefore, QString after,
                                     nc::ImportPolicy policyAfter)
    : m_model(model), m_before(std::move(before)), m_after(std::move(after)), m_policyBefore(std::move(policyBefore)),
      m_policyAfter(std::move(policyAfter)) {
    setText(QCoreApplication::translate("nc::ui::Commands", "Dataset %1").arg(m_after));
}

} // namespace nc::ui
