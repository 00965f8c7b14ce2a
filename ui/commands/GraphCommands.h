#pragma once
#include "model/GraphModel.h"

#include <QHash>
#include <QPointF>
#include <QUndoCommand>

namespace nc::ui {

// Undo commands: one small command per kind of model change, composed into gestures
// (paste, delete selection, insert on edge) by MacroCommand. Each redo/undo touches the model
// only through GraphModel's mutators, so the scene follows by signal.

enum CommandId { MoveCommandId = 1001, ParamCommandId = 1002 };

// A gesture made of several commands; the model re-analyses once for the whole of it.
class MacroCommand : public QUndoCommand {
public:
    MacroCommand(GraphModel* model, const QString& text) : QUndoCommand(text), m_model(model) {}
    void redo() override;
    void undo() override;

private:
    GraphModel* m_model;
};

class AddNodeCommand : public QUndoCommand {
public:
    AddNodeCommand(GraphModel* model, nc::Node node, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    QString nodeId() const { return QString::fromStdString(m_node.id); }

private:
    GraphModel* m_model;
    nc::Node m_node;
};

// Keeps the node (its JSON, index and edges) so that undo restores it exactly where it was.
class RemoveNodeCommand : public QUndoCommand {
public:
    RemoveNodeCommand(GraphModel* model, const QString& id, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    GraphModel* m_model;
    QString m_id;
    nc::Json m_nodeJson;
    int m_index = -1;
    std::vector<std::pair<int, nc::Edge>> m_edges; // with their indices, ascending
};

class ConnectCommand : public QUndoCommand {
public:
    ConnectCommand(GraphModel* model, nc::PortRef from, nc::PortRef to, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    GraphModel* m_model;
    nc::PortRef m_from, m_to;
};

class DisconnectCommand : public QUndoCommand {
public:
    DisconnectCommand(GraphModel* model, nc::PortRef from, nc::PortRef to, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    GraphModel* m_model;
    nc::PortRef m_from, m_to;
    int m_index = -1;
};

// Moves any number of nodes as one step. Commands that share a non-zero merge key (arrow-key
// nudges of the same selection) merge into one.
class MoveNodesCommand : public QUndoCommand {
public:
    struct Move {
        QPointF from, to;
    };
    MoveNodesCommand(GraphModel* model, QHash<QString, Move> moves, const QString& text, int mergeKey = 0,
                     QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return m_mergeKey ? MoveCommandId : -1; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    GraphModel* m_model;
    QHash<QString, Move> m_moves;
    int m_mergeKey;
};

// One command shape for every parameter edit (LabPlot's setter-command idea): old and new
// params of one node. Consecutive edits of the same parameter merge (spin-box arrows).
class SetParamsCommand : public QUndoCommand {
public:
    SetParamsCommand(GraphModel* model, const QString& id, const QString& param, nc::Json before, nc::Json after,
                     QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return ParamCommandId; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    GraphModel* m_model;
    QString m_id, m_param;
    nc::Json m_before, m_after;
};

class SetProjectNameCommand : public QUndoCommand {
public:
    SetProjectNameCommand(GraphModel* model, QString before, QString after);
    void redo() override { m_model->setName(m_after); }
    void undo() override { m_model->setName(m_before); }

private:
    GraphModel* m_model;
    QString m_before, m_after;
};

class SetDatasetCommand : public QUndoCommand {
public:
    SetDatasetCommand(GraphModel* model, QString before, QString after);
    // With the import policy (an image folder's size, channels, fit, split): one undo step.
    SetDatasetCommand(GraphModel* model, QString before, nc::ImportPolicy policyBefore, QString after,
                      nc::ImportPolicy policyAfter);
    void redo() override { m_model->setDataset(m_after, m_policyAfter); }
    void undo() override { m_model->setDataset(m_before, m_policyBefore); }

private:
    GraphModel* m_model;
    QString m_before, m_after;
    nc::ImportPolicy m_policyBefore, m_policyAfter;
};

} // namespace nc::ui
