#include "editor/GraphView.h"

#include "editor/EdgeItem.h"
#include "editor/EditorStyle.h"
#include "editor/GraphScene.h"

#include <QDragEnterEvent>
#include <QMimeData>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>

namespace nc::ui {

GraphView::GraphView(GraphScene* scene, QWidget* parent) : QGraphicsView(scene, parent), m_scene(scene) {
    setObjectName(QStringLiteral("canvas"));
    setAccessibleName(tr("Network canvas"));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setDragMode(QGraphicsView::RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    // A large scene rect lets the user pan past the graph's edges.
    setSceneRect(-20000, -20000, 40000, 40000);
}

void GraphView::zoomBy(double factor) {
    const double z = zoom() * factor;
    if (z < 0.1 || z > 4)
        return;
    scale(factor, factor);
    Q_EMIT zoomChanged(zoom());
}

void GraphView::resetZoom() {
    setTransform(QTransform());
    Q_EMIT zoomChanged(zoom());
}

void GraphView::fitAll() {
    QRectF bounds;
    for (QGraphicsItem* item : m_scene->items())
        if (item->type() == NodeItem::Type || item->type() == EdgeItem::Type)
            bounds |= item->sceneBoundingRect();
    if (bounds.isEmpty()) {
        resetZoom();
        centerOn(0, 0);
        return;
    }
    fitInView(bounds.adjusted(-40, -40, 40, 40), Qt::KeepAspectRatio);
    // Never blow a small graph up past 100 %, nor shrink a big one below readable: a tall
    // network then shows its top, and the user scrolls, as in any document.
    const double z = std::clamp(zoom(), 0.75, 1.0);
    setTransform(QTransform::fromScale(z, z));
    if (bounds.height() * z > viewport()->height())
        centerOn(bounds.center().x(), bounds.top() + viewport()->height() / z / 2 - 40);
    else
        centerOn(bounds.center());
    Q_EMIT zoomChanged(zoom());
}

void GraphView::centerOnNode(const QString& id) {
    if (NodeItem* item = m_scene->nodeItem(id))
        centerOn(item);
}

QString GraphView::dropLayer(const QString& type, const QPointF& scenePos) {
    const QPointF topLeft(std::round((scenePos.x() - kNodeWidth / 2) / kGridSize) * kGridSize,
                          std::round((scenePos.y() - kNodeHeight / 2) / kGridSize) * kGridSize);
    QString id;
    if (EdgeItem* edge = m_scene->edgeAt(scenePos)) {
        const nc::Edge e = edge->edge();
        id = m_scene->editor()->insertOnEdge(type, topLeft, e.from, e.to);
    }
    if (id.isEmpty())
        id = m_scene->editor()->addLayer(type, topLeft);
    if (!id.isEmpty()) {
        m_scene->selectNodes({id});
        Q_EMIT layerDropped(id);
    }
    return id;
}

void GraphView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ShiftModifier) { // Shift+wheel pans sideways
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - event->angleDelta().y());
        return;
    }
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        zoomBy(std::pow(1.15, steps));
    event->accept();
}

void GraphView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_panning = true;
        m_panStart = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void GraphView::mouseMoveEvent(QMouseEvent* event) {
    if (m_panning) {
        const QPoint d = event->position().toPoint() - m_panStart;
        m_panStart = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent* event) {
    if (m_panning) {
        m_panning = false;
        viewport()->setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void GraphView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        return;
    }
    QPointF step;
    switch (event->key()) {
    case Qt::Key_Left: step = {-kGridSize, 0}; break;
    case Qt::Key_Right: step = {kGridSize, 0}; break;
    case Qt::Key_Up: step = {0, -kGridSize}; break;
    case Qt::Key_Down: step = {0, kGridSize}; break;
    default: break;
    }
    const QStringList ids = m_scene->selectedNodeIds();
    if (!step.isNull() && !ids.isEmpty()) {
        QHash<QString, QPointF> to;
        for (const QString& id : ids)
            if (const nc::Node* n = m_scene->model()->node(id))
                to.insert(id, QPointF(n->x, n->y) + step);
        // Held arrow keys merge into one step; a new press starts a new one.
        if (!event->isAutoRepeat())
            ++m_nudgeSerial;
        m_scene->editor()->moveNodes(to, tr("Nudge"), m_nudgeSerial);
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void GraphView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        viewport()->setCursor(Qt::ArrowCursor);
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void GraphView::highlightEdge(EdgeItem* edge) {
    if (m_highlighted == edge)
        return;
    if (m_highlighted && m_scene->edgeItems().contains(m_highlighted))
        m_highlighted->setHighlighted(false);
    m_highlighted = edge;
    if (edge)
        edge->setHighlighted(true);
}

void GraphView::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasFormat(kLayerMimeType))
        event->acceptProposedAction();
    else
        QGraphicsView::dragEnterEvent(event);
}

void GraphView::dragMoveEvent(QDragMoveEvent* event) {
    if (!event->mimeData()->hasFormat(kLayerMimeType)) {
        QGraphicsView::dragMoveEvent(event);
        return;
    }
    highlightEdge(m_scene->edgeAt(mapToScene(event->position().toPoint())));
    event->acceptProposedAction();
}

void GraphView::dragLeaveEvent(QDragLeaveEvent* event) {
    highlightEdge(nullptr);
    QGraphicsView::dragLeaveEvent(event);
}

void GraphView::dropEvent(QDropEvent* event) {
    highlightEdge(nullptr);
    if (!event->mimeData()->hasFormat(kLayerMimeType)) {
        QGraphicsView::dropEvent(event);
        return;
    }
    const QString type = QString::fromUtf8(event->mimeData()->data(kLayerMimeType));
    dropLayer(type, mapToScene(event->position().toPoint()));
    event->acceptProposedAction();
    setFocus();
}

} // namespace nc::ui
