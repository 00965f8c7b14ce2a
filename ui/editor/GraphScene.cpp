#include "editor/GraphScene.h"

#include "style/Theme.h"
#include "editor/EdgeItem.h"
#include "editor/EditorStyle.h"

#include <QGraphicsPathItem>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsSimpleTextItem>
#include <QPainter>
#include <QSet>
#include <QSignalBlocker>
#include <QTimer>

#include <cmath>

namespace nc::ui {

namespace {
QString key(const QString& from, const QString& to) { return from + QLatin1Char('|') + to; }
QString qs(const std::string& s) { return QString::fromStdString(s); }
} // namespace

GraphScene::GraphScene(GraphEditor* editor, QObject* parent) : QGraphicsScene(parent), m_editor(editor) {
    setItemIndexMethod(QGraphicsScene::BspTreeIndex);
    GraphModel* m = model();
    connect(m, &GraphModel::modelReset, this, &GraphScene::rebuild);
    connect(m, &GraphModel::nodeAdded, this, &GraphScene::addNodeItem);
    connect(m, &GraphModel::nodeRemoved, this, &GraphScene::removeNodeItem);
    connect(m, &GraphModel::edgeAdded, this, &GraphScene::addEdgeItem);
    connect(m, &GraphModel::edgeRemoved, this, &GraphScene::removeEdgeItem);
    connect(m, &GraphModel::nodeMoved, this, [this](const QString& id) {
        if (NodeItem* item = m_nodes.value(id)) {
            const nc::Node* n = model()->node(id);
            item->setPosFromModel(QPointF(n->x, n->y));
            scheduleReroute();
        }
    });
    connect(m, &GraphModel::nodeParamsChanged, this, [this](const QString& id) {
        if (NodeItem* item = m_nodes.value(id)) {
            item->setParams(model()->node(id)->params);
            for (EdgeItem* e : item->edges())
                e->updatePath(); // the number of input ports may have changed
        }
    });
    connect(m, &GraphModel::analysisChanged, this, &GraphScene::refreshAnalysis);
    connect(&Theme::instance(), &Theme::changed, this, [this] { update(); });
    rebuild();
}

GraphScene::~GraphScene() {
    // Edges hold pointers to their nodes: remove them first, then the nodes.
    const QSignalBlocker quiet(this);
    for (EdgeItem* e : std::as_const(m_edges))
        delete e;
    m_edges.clear();
    for (NodeItem* n : std::as_const(m_nodes))
        delete n;
    m_nodes.clear();
}

EdgeItem* GraphScene::edgeItem(const QString& from, const QString& to) const { return m_edges.value(key(from, to)); }

EdgeItem* GraphScene::edgeAt(const QPointF& scenePos) const {
    for (QGraphicsItem* item : items(QRectF(scenePos - QPointF(6, 6), QSizeF(12, 12))))
        if (item->type() == EdgeItem::Type && item->shape().contains(scenePos))
            return static_cast<EdgeItem*>(item);
    return nullptr;
}

NodeItem* GraphScene::nodeAt(const QPointF& scenePos) const {
    for (QGraphicsItem* item : items(scenePos))
        if (item->type() == NodeItem::Type)
            return static_cast<NodeItem*>(item);
    return nullptr;
}

QStringList GraphScene::selectedNodeIds() const {
    QStringList ids;
    for (const nc::Node& n : model()->graph().nodes())
        if (NodeItem* item = m_nodes.value(qs(n.id)); item && item->isSelected())
            ids << qs(n.id);
    return ids;
}

QList<nc::Edge> GraphScene::selectedEdges() const {
    QList<nc::Edge> out;
    for (EdgeItem* e : m_edges)
        if (e->isSelected())
            out << e->edge();
    return out;
}

void GraphScene::selectNodes(const QStringList& ids) {
    clearSelection();
    for (const QString& id : ids)
        if (NodeItem* item = m_nodes.value(id))
            item->setSelected(true);
}

void GraphScene::rebuild() {
    for (EdgeItem* e : std::as_const(m_edges))
        delete e;
    m_edges.clear();
    for (NodeItem* n : std::as_const(m_nodes))
        delete n;
    m_nodes.clear();
    for (const nc::Node& n : model()->graph().nodes())
        addNodeItem(qs(n.id));
    for (const nc::Edge& e : model()->graph().edges())
        addEdgeItem(qs(e.from.str()), qs(e.to.str()));
    refreshAnalysis();
    for (EdgeItem* e : std::as_const(m_edges))
        e->updatePath(); // now that every node is placed, lanes can see them all
}

void GraphScene::addNodeItem(const QString& id) {
    const nc::Node* n = model()->node(id);
    if (!n || m_nodes.contains(id))
        return;
    auto* item = new NodeItem(id, qs(n->type));
    item->setParams(n->params);
    item->setPosFromModel(QPointF(n->x, n->y));
    item->setInfo(model()->info(id), false); // refreshAnalysis follows with the full picture
    addItem(item);
    m_nodes.insert(id, item);
}

void GraphScene::removeNodeItem(const QString& id) {
    NodeItem* item = m_nodes.take(id);
    if (!item)
        return;
    for (EdgeItem* e : item->edges()) { // normally none left: edges are removed first
        m_edges.remove(m_edges.key(e));
        delete e;
    }
    delete item;
}

void GraphScene::addEdgeItem(const QString& from, const QString& to) {
    const nc::PortRef a = nc::parsePortRef(from.toStdString()), b = nc::parsePortRef(to.toStdString());
    NodeItem* fromItem = m_nodes.value(qs(a.node));
    NodeItem* toItem = m_nodes.value(qs(b.node));
    if (!fromItem || !toItem || m_edges.contains(key(from, to)))
        return;
    auto* e = new EdgeItem(fromItem, qs(a.port), toItem, qs(b.port));
    addItem(e);
    m_edges.insert(key(from, to), e);
    const nc::NodeInfo* info = model()->info(qs(a.node));
    e->setLabel(info && info->ok ? qs(nc::shapeToString(info->outputShape)) : QString());
    e->updatePath();
}

void GraphScene::removeEdgeItem(const QString& from, const QString& to) { delete m_edges.take(key(from, to)); }

void GraphScene::refreshAnalysis() {
    const nc::GraphAnalysis& a = model()->analysis();
    QSet<QString> problems;
    for (const nc::Problem& p : a.problems)
        problems.insert(qs(p.nodeId));
    for (const nc::NodeInfo& info : a.nodes)
        if (NodeItem* item = m_nodes.value(qs(info.id)))
            item->setInfo(&info, problems.contains(qs(info.id)));
    for (EdgeItem* e : std::as_const(m_edges)) {
        const nc::NodeInfo* info = e->fromNode() ? a.info(e->fromNode()->id().toStdString()) : nullptr;
        e->setLabel(info && info->ok ? qs(nc::shapeToString(info->outputShape)) : QString());
    }
}

void GraphScene::scheduleReroute() {
    // Moves come in bursts (auto-layout, undo of a drag): reroute lanes once, after the burst.
    if (m_reroutePending)
        return;
    m_reroutePending = true;
    QTimer::singleShot(0, this, [this] {
        m_reroutePending = false;
        for (EdgeItem* e : std::as_const(m_edges))
            e->updatePath();
    });
}

void GraphScene::drawBackground(QPainter* painter, const QRectF& rect) {
    const CanvasColors& c = Theme::instance().canvas();
    painter->fillRect(rect, c.background);
    const double step = kGridSize;
    const double left = std::floor(rect.left() / step) * step, top = std::floor(rect.top() / step) * step;
    // Skip the fine grid when zoomed far out: thousands of lines cost more than they help.
    const double scale = painter->worldTransform().m11();
    if (scale * step < 5)
        return;
    QVector<QLineF> minor, major;
    for (double x = left; x < rect.right(); x += step)
        (std::fmod(std::abs(x), step * 8) < 0.5 ? major : minor) << QLineF(x, rect.top(), x, rect.bottom());
    for (double y = top; y < rect.bottom(); y += step)
        (std::fmod(std::abs(y), step * 8) < 0.5 ? major : minor) << QLineF(rect.left(), y, rect.right(), y);
    painter->setPen(QPen(c.gridMinor, 0));
    painter->drawLines(minor);
    painter->setPen(QPen(c.gridMajor, 0));
    painter->drawLines(major);
}

bool GraphScene::dragEnds(const NodeItem* other, const NodeItem::Port& port, nc::PortRef* from, nc::PortRef* to) const {
    const nc::PortRef start{m_dragNode->id().toStdString(), m_dragPort.name.toStdString()};
    const nc::PortRef end{other->id().toStdString(), port.name.toStdString()};
    // Dragging may start at either end; the model always sees output → input. Two ports of
    // the same kind are passed as they are so the model can say why that cannot work.
    if (m_dragPort.kind == NodeItem::PortKind::Input && port.kind == NodeItem::PortKind::Output) {
        *from = end;
        *to = start;
    } else {
        *from = start;
        *to = end;
    }
    return true;
}

void GraphScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        if (NodeItem* node = nodeAt(event->scenePos())) {
            const NodeItem::Port port = node->portAt(event->scenePos());
            if (port.valid()) {
                m_dragNode = node;
                m_dragPort = port;
                m_dragMessage.clear();
                m_dragLine = addPath(QPainterPath(), QPen(Theme::instance().canvas().selection, 2, Qt::DashLine));
                m_dragLine->setZValue(10);
                m_dragText = addSimpleText(QString());
                m_dragText->setZValue(11);
                event->accept();
                return;
            }
        }
    }
    QGraphicsScene::mousePressEvent(event);
    m_pressPositions.clear();
    for (QGraphicsItem* item : selectedItems())
        if (item->type() == NodeItem::Type)
            m_pressPositions.insert(static_cast<NodeItem*>(item)->id(), item->pos());
}

void GraphScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (!m_dragNode) {
        QGraphicsScene::mouseMoveEvent(event);
        return;
    }
    const CanvasColors& c = Theme::instance().canvas();
    const QPointF p1 = m_dragNode->portScenePos(m_dragPort.name), p2 = event->scenePos();
    QPainterPath path(p1);
    const double bend = (m_dragPort.kind == NodeItem::PortKind::Output ? 1 : -1) * std::max(40.0, std::abs(p2.y() - p1.y()) / 2);
    path.cubicTo(p1 + QPointF(0, bend), p2 - QPointF(0, bend), p2);
    m_dragLine->setPath(path);
    m_dragMessage.clear();
    QColor color = c.selection;
    if (NodeItem* other = nodeAt(p2)) {
        const NodeItem::Port port = other->portAt(p2);
        if (port.valid()) {
            nc::PortRef from, to;
            dragEnds(other, port, &from, &to);
            QString why;
            color = model()->canConnect(from, to, &why) ? c.accept : c.error;
            m_dragMessage = why;
        }
    }
    m_dragLine->setPen(QPen(color, 2, m_dragMessage.isEmpty() ? Qt::SolidLine : Qt::DashLine));
    m_dragText->setText(m_dragMessage);
    m_dragText->setBrush(c.error);
    m_dragText->setPos(p2 + QPointF(14, 10));
    // Keep the refusal readable: inside the visible part of the canvas, left of the cursor near
    // the right edge, above it near the bottom.
    if (!views().isEmpty() && !m_dragMessage.isEmpty()) {
        const QGraphicsView* view = views().first();
        const QRectF visible = view->mapToScene(view->viewport()->rect()).boundingRect().adjusted(4, 4, -4, -4);
        const QRectF box = m_dragText->sceneBoundingRect();
        QPointF at = m_dragText->pos();
        if (box.right() > visible.right())
            at.setX(std::max(visible.left(), p2.x() - 14 - box.width()));
        if (box.bottom() > visible.bottom())
            at.setY(std::max(visible.top(), p2.y() - 10 - box.height()));
        m_dragText->setPos(at);
    }
    m_dragTextRect = m_dragText->sceneBoundingRect();
    event->accept();
}

void GraphScene::finishConnectionDrag(const QPointF& scenePos) {
    NodeItem* node = m_dragNode;
    m_dragNode = nullptr;
    delete m_dragLine;
    delete m_dragText;
    m_dragLine = nullptr;
    m_dragText = nullptr;
    m_dragMessage.clear();
    NodeItem* other = nodeAt(scenePos);
    if (!other)
        return;
    const NodeItem::Port port = other->portAt(scenePos);
    if (!port.valid())
        return;
    m_dragNode = node; // dragEnds reads the start
    nc::PortRef from, to;
    dragEnds(other, port, &from, &to);
    m_dragNode = nullptr;
    QString why;
    if (!m_editor->connectPorts(from, to, &why))
        Q_EMIT connectionRefused(why);
}

void GraphScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (m_dragNode) {
        finishConnectionDrag(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    // Whatever moved during this press becomes one undo step.
    QHash<QString, QPointF> moved;
    for (auto it = m_pressPositions.cbegin(); it != m_pressPositions.cend(); ++it)
        if (NodeItem* item = m_nodes.value(it.key()); item && item->pos() != *it)
            moved.insert(it.key(), item->pos());
    m_pressPositions.clear();
    if (!moved.isEmpty())
        m_editor->moveNodes(moved, moved.size() == 1 ? tr("Move %1").arg(moved.begin().key())
                                                     : tr("Move %n layer(s)", "", int(moved.size())));
}

void GraphScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
    if (!nodeAt(event->scenePos()) && !edgeAt(event->scenePos())) {
        Q_EMIT quickAddRequested(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseDoubleClickEvent(event);
}

} // namespace nc::ui
