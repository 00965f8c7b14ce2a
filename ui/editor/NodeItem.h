#pragma once
#include "graph/ShapeInference.h"

#include <QGraphicsItem>
#include <QString>

namespace nc::ui {

class EdgeItem;

// The picture of one layer: type, id, key parameters, output shape and parameter count, in its
// category's colour (or the error colour). It mirrors the model and never edits it; a drag only
// moves the picture until the scene turns the gesture into an undo command.
class NodeItem final : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };
    enum class PortKind { Input, Output };
    struct Port {
        QString name;
        PortKind kind = PortKind::Input;
        bool valid() const { return !name.isEmpty(); }
    };

    NodeItem(const QString& id, const QString& type);
    int type() const override { return Type; }

    QString id() const { return m_id; }
    QString layerType() const { return m_type; }
    void setParams(const nc::Json& params); // refreshes the key-parameter line and port layout
    // Shape, parameters and message; `isProblem` marks a root cause (drawn in the error colour)
    // as opposed to a layer that only waits for one upstream. Repaints only on change.
    void setInfo(const nc::NodeInfo* info, bool isProblem);
    bool hasError() const { return m_problem; }
    QString message() const { return m_error; }
    QString shapeText() const { return m_shapeText; }
    QString paramsLine() const { return m_paramsLine; }

    QStringList inputPorts() const { return m_inputs; }
    bool hasOutputPort() const { return m_hasOutput; }
    QPointF portScenePos(const QString& port) const; // "out" or an input port name
    Port portAt(const QPointF& scenePos, double tolerance = 11) const;

    void addEdge(EdgeItem* e) { m_edges.append(e); }
    void removeEdge(EdgeItem* e) { m_edges.removeAll(e); }
    const QList<EdgeItem*>& edges() const { return m_edges; }

    void setPosFromModel(const QPointF& pos); // exact, without grid snapping
    static bool snapToGrid; // the canvas' "snap to grid" switch // the canvas' "snap to grid" switch

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
    void hoverEnterEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;

private:
    QPointF portLocalPos(const QString& port) const;

    QString m_id, m_type, m_category;
    QString m_paramsLine, m_shapeText, m_countText, m_error;
    QStringList m_inputs;
    bool m_hasOutput = true;
    bool m_hovered = false;
    bool m_fromModel = false;
    bool m_problem = false;
    bool m_summaryLine = false;
    QList<EdgeItem*> m_edges;
};

} // namespace nc::ui
