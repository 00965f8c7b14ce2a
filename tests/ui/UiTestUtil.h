#pragma once
// Drives the editor the way a user does: drops from the palette, drags between ports, clicks.
#include "app/MainWindow.h"
#include "editor/EdgeItem.h"
#include "editor/EditorStyle.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "editor/NodeItem.h"

#include <QApplication>
#include <QMimeData>
#include <QScrollBar>
#include <QtTest>

namespace uitest {

using namespace nc::ui;

// Scrolls so that scenePos is visible and returns it in viewport coordinates.
inline QPoint showScenePoint(GraphView* view, const QPointF& scenePos) {
    const QPoint p = view->mapFromScene(scenePos);
    if (!view->viewport()->rect().adjusted(20, 20, -20, -20).contains(p))
        view->centerOn(scenePos);
    return view->mapFromScene(scenePos);
}

// A palette drag ending on the canvas: the same drop event Qt delivers at the end of a QDrag.
inline QString dropFromPalette(GraphView* view, const QString& type, const QPointF& scenePos) {
    const QPoint at = showScenePoint(view, scenePos);
    QMimeData mime;
    mime.setData(kLayerMimeType, type.toUtf8());
    QString dropped;
    const auto conn = QObject::connect(view, &GraphView::layerDropped, [&](const QString& id) { dropped = id; });
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &enter);
    QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &move);
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &drop);
    QObject::disconnect(conn);
    return dropped;
}

inline void mouseMoveWithButton(QWidget* viewport, const QPoint& p) {
    QMouseEvent move(QEvent::MouseMove, QPointF(p), viewport->mapToGlobal(QPointF(p)), Qt::NoButton, Qt::LeftButton,
                     Qt::NoModifier);
    QApplication::sendEvent(viewport, &move);
}

// Presses on one port, moves over the other (calling `whileHovering` there), releases.
template <typename F>
inline void dragPort(GraphView* view, NodeItem* a, const QString& portA, NodeItem* b, const QString& portB,
                     F whileHovering) {
    const QPointF sa = a->portScenePos(portA), sb = b->portScenePos(portB);
    view->centerOn((sa + sb) / 2);
    const QPoint pa = view->mapFromScene(sa), pb = view->mapFromScene(sb);
    QTest::mousePress(view->viewport(), Qt::LeftButton, Qt::NoModifier, pa);
    mouseMoveWithButton(view->viewport(), (pa + pb) / 2);
    mouseMoveWithButton(view->viewport(), pb);
    whileHovering();
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, Qt::NoModifier, pb);
}

inline void dragPort(GraphView* view, NodeItem* a, const QString& portA, NodeItem* b, const QString& portB) {
    dragPort(view, a, portA, b, portB, [] {});
}

inline void clickNode(GraphView* view, NodeItem* node) {
    const QPoint p = showScenePoint(view, node->mapToScene(QPointF(kNodeWidth * 0.8, kNodeHeight * 0.5)));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, p);
}

} // namespace uitest
