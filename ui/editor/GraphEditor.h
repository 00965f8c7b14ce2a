#pragma once
#include "model/GraphModel.h"

#include <QHash>
#include <QObject>
#include <QPointF>
#include <QStringList>

class QUndoStack;

namespace nc::ui {

// The editing vocabulary of the canvas: every gesture (add, connect, delete, paste, move,
// parameter edit, auto-layout, insert on edge) becomes one undo command here. Views call these;
// they never touch the model directly.
class GraphEditor final : public QObject {
    Q_OBJECT
public:
    GraphEditor(GraphModel* model, QUndoStack* stack, QObject* parent = nullptr);

    GraphModel* model() const { return m_model; }
    QUndoStack* undoStack() const { return m_stack; }

    QString addLayer(const QString& type, QPointF pos); // returns the new node's id ("" if unknown type)
    // Refuses (returns false with the reason) a cycle, a second input or output-to-output.
    bool connectPorts(const nc::PortRef& from, const nc::PortRef& to, QString* why = nullptr);
    // Adds `type` at `pos` and routes the edge from→to through it; false if it cannot sit there.
    QString insertOnEdge(const QString& type, QPointF pos, const nc::PortRef& from, const nc::PortRef& to);
    void removeItems(const QStringList& nodeIds, const QList<nc::Edge>& edges);
    void moveNodes(const QHash<QString, QPointF>& newPositions, const QString& text, int mergeKey = 0);
    bool setParam(const QString& id, const QString& param, const nc::Json& value);
    void setDataset(const QString& spec);
    void setDataset(const QString& spec, const nc::ImportPolicy& policy); // one undo step
    void setProjectName(const QString& name); // one undo step
    void autoLayoutAll();

    // The selection as JSON ({"nodes": [...], "edges": [...] between them}), for the clipboard.
    QByteArray copy(const QStringList& nodeIds) const;
    // Pastes JSON produced by copy() (from any window): fresh ids, offset to `at` when given.
    // Returns the ids of the new nodes, empty when the text is not a graph.
    QStringList paste(const QByteArray& json, const QPointF* at = nullptr);

private:
    GraphModel* m_model;
    QUndoStack* m_stack;
};

} // namespace nc::ui
