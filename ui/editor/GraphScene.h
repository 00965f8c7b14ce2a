#pragma once
#include "editor/GraphEditor.h"
#include "editor/NodeItem.h"

#include <QGraphicsScene>
#include <QHash>
#include <QPointer>

class QGraphicsPathItem;
class QGraphicsSimpleTextItem;

namespace nc::ui {

class EdgeItem;

// Mirrors a GraphModel as items (rebuilt from its signals) and turns mouse gestures on them
// into GraphEditor calls: dragging nodes, dragging from port to port to connect (refused with
// the reason shown while dragging), double-click for quick add.
class GraphScene final : public QGraphicsScene {
    Q_OBJECT
public:
    explicit GraphScene(GraphEditor* editor, QObject* parent = nullptr);
    ~GraphScene() override;

    GraphEditor* editor() const { return m_editor; }
    GraphModel* model() const { return m_editor->model(); }
    NodeItem* nodeItem(const QString& id) const { return m_nodes.value(id); }
    EdgeItem* edgeItem(const QString& from, const QString& to) const;
    QList<NodeItem*> nodeItems() const { return m_nodes.values(); }
    QList<EdgeItem*> edgeItems() const { return m_edges.values(); }
    EdgeItem* edgeAt(const QPointF& scenePos) const;
    NodeItem* nodeAt(const QPointF& scenePos) const;

    QStringList selectedNodeIds() const; // in graph order
    QList<nc::Edge> selectedEdges() const;
    void selectNodes(const QStringList& ids);

    // A refusal reason while a connection is being dragged ("" when the hover target is fine).
    QString dragMessage() const { return m_dragMessage; }
    QRectF dragMessageRect() const { return m_dragTextRect; } // where the refusal was last drawn (scene)

Q_SIGNALS:
    void connectionRefused(const QString& reason);
    void quickAddRequested(const QPointF& scenePos);

protected:
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;

private:
    void rebuild();
    void addNodeItem(const QString& id);
    void removeNodeItem(const QString& id);
    void addEdgeItem(const QString& from, const QString& to);
    void removeEdgeItem(const QString& from, const QString& to);
    void refreshAnalysis();
    void scheduleReroute();
    // The (from, to) of a connection between the drag's start port and a hovered port.
    bool dragEnds(const NodeItem* other, const NodeItem::Port& port, nc::PortRef* from, nc::PortRef* to) const;
    void finishConnectionDrag(const QPointF& scenePos);

    GraphEditor* m_editor;
    QHash<QString, NodeItem*> m_nodes;
    QHash<QString, EdgeItem*> m_edges; // key "from|to"
    bool m_reroutePending = false;

    // Connection drag state.
    NodeItem* m_dragNode = nullptr;
    NodeItem::Port m_dragPort;
    QGraphicsPathItem* m_dragLine = nullptr;
    QGraphicsSimpleTextItem* m_dragText = nullptr;
    QRectF m_dragTextRect;
    QString m_dragMessage;
    // Node drag state: positions at press, to make one undo step of the whole move.
    QHash<QString, QPointF> m_pressPositions;
};

} // namespace nc::ui
