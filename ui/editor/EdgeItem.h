#pragma once
#include "graph/Graph.h"

#include <QGraphicsItem>
#include <QPainterPath>

namespace nc::ui {

class NodeItem;

// A connection drawn from an output port down to an input port, labelled with the tensor shape
// it carries. Long edges that would cross other layers take a lane beside them.
class EdgeItem final : public QGraphicsItem {
public:
    enum { Type = UserType + 2 };
    EdgeItem(NodeItem* from, const QString& fromPort, NodeItem* to, const QString& toPort);
    ~EdgeItem() override;
    int type() const override { return Type; }

    nc::Edge edge() const;
    NodeItem* fromNode() const { return m_from; }
    NodeItem* toNode() const { return m_to; }
    void detach(); // forget both ends (they are being deleted)

    void setLabel(const QString& shape);
    QString label() const { return m_label; }
    void setHighlighted(bool on);
    void updatePath();

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    QRectF labelRect() const;

    NodeItem* m_from;
    NodeItem* m_to;
    QString m_fromPort, m_toPort;
    QString m_label;
    QPainterPath m_path;
    QPointF m_labelAnchor;
    bool m_highlighted = false;
    bool m_onLane = false;
};

} // namespace nc::ui
