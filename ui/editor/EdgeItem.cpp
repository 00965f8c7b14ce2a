#include "editor/EdgeItem.h"

#include "style/Theme.h"
#include "editor/EditorStyle.h"
#include "editor/NodeItem.h"

#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QPainter>
#include <QPainterPathStroker>

namespace nc::ui {

namespace {
QFont labelFont() {
    QFont f;
    f.setPointSizeF(8);
    return f;
}
} // namespace

EdgeItem::EdgeItem(NodeItem* from, const QString& fromPort, NodeItem* to, const QString& toPort)
    : m_from(from), m_to(to), m_fromPort(fromPort), m_toPort(toPort) {
    setFlags(ItemIsSelectable);
    setZValue(-1); // under the nodes
    m_from->addEdge(this);
    m_to->addEdge(this);
}

EdgeItem::~EdgeItem() { detach(); }

void EdgeItem::detach() {
    if (m_from)
        m_from->removeEdge(this);
    if (m_to)
        m_to->removeEdge(this);
    m_from = m_to = nullptr;
}

nc::Edge EdgeItem::edge() const {
    return nc::Edge{nc::PortRef{m_from ? m_from->id().toStdString() : std::string(), m_fromPort.toStdString()},
                    nc::PortRef{m_to ? m_to->id().toStdString() : std::string(), m_toPort.toStdString()}};
}

void EdgeItem::setLabel(const QString& shape) {
    if (shape == m_label)
        return;
    prepareGeometryChange();
    m_label = shape;
    update();
}

void EdgeItem::setHighlighted(bool on) {
    if (on != m_highlighted) {
        m_highlighted = on;
        update();
    }
}

void EdgeItem::updatePath() {
    if (!m_from || !m_to)
        return;
    const QPointF p1 = m_from->portScenePos(m_fromPort);
    const QPointF p2 = m_to->portScenePos(m_toPort);
    QPainterPath path(p1);
    const double dy = p2.y() - p1.y();
    m_onLane = false;
    if (dy < 30) {
        // Backwards or sideways: a loop out below the source and in above the target.
        const double bend = std::max(60.0, -dy / 2 + 60);
        path.cubicTo(p1 + QPointF(0, bend), p2 - QPointF(0, bend), p2);
        m_path = path;
    } else {
        path.cubicTo(p1 + QPointF(0, dy / 2), p2 - QPointF(0, dy / 2), p2);
        // Route around layers that sit between the two ends (skip connections).
        double laneX = -1e300;
        if (scene()) {
            const QRectF corridor = QRectF(p1, p2).normalized().adjusted(-4, 8, 4, -8);
            for (QGraphicsItem* item : scene()->items(corridor)) {
                if (item->type() != NodeItem::Type || item == m_from || item == m_to)
                    continue;
                const QRectF r = item->sceneBoundingRect();
                if (path.intersects(r.adjusted(-2, 0, 2, 0)))
                    laneX = std::max(laneX, r.right() + 18);
            }
        }
        if (laneX > -1e299 && dy > 130) {
            QPainterPath lane(p1);
            lane.cubicTo(p1 + QPointF(0, 36), QPointF(laneX, p1.y() + 6), QPointF(laneX, p1.y() + 56));
            lane.lineTo(laneX, p2.y() - 56);
            lane.cubicTo(QPointF(laneX, p2.y() - 6), p2 - QPointF(0, 36), p2);
            path = lane;
            m_onLane = true;
        }
        m_path = path;
    }
    prepareGeometryChange();
    // The label sits beside the middle of the edge, right of the line.
    m_labelAnchor = m_path.pointAtPercent(0.5);
    update();
}

QRectF EdgeItem::labelRect() const {
    if (m_label.isEmpty())
        return {};
    const QFontMetricsF fm(labelFont());
    const double w = fm.horizontalAdvance(m_label) + 10, h = fm.height() + 2;
    // Labels of ordinary edges sit left of the line, so lanes (always to the right of the
    // layers they pass) never run through them; a lane's own label sits right of the lane.
    const double x = m_onLane ? m_labelAnchor.x() + 6 : m_labelAnchor.x() - 6 - w;
    return QRectF(x, m_labelAnchor.y() - h / 2, w, h);
}

QRectF EdgeItem::boundingRect() const {
    return m_path.boundingRect().adjusted(-4, -4, 4, 4).united(labelRect().adjusted(-1, -1, 1, 1));
}

QPainterPath EdgeItem::shape() const {
    QPainterPathStroker stroker;
    stroker.setWidth(12); // generous so that a thin edge is easy to click and to drop onto
    QPainterPath s = stroker.createStroke(m_path);
    s.addRect(labelRect());
    return s;
}

void EdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const CanvasColors& c = Theme::instance().canvas();
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor color = (isSelected() || m_highlighted) ? c.selection : c.edge;
    painter->setPen(QPen(color, isSelected() || m_highlighted ? 2.6 : 1.6));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    if (!m_label.isEmpty()) {
        const QRectF r = labelRect();
        painter->setPen(QPen(c.nodeBorder, 0.8));
        painter->setBrush(c.edgeLabelBackground);
        painter->drawRoundedRect(r, 4, 4);
        painter->setFont(labelFont());
        painter->setPen(c.edgeLabelText);
        painter->drawText(r, Qt::AlignCenter, m_label);
    }
}

} // namespace nc::ui
