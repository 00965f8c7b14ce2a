#pragma once
// Drives the editor the way a user does: drops from the palette, drags between ports, clicks.
#include "app/MainWindow.h"
#include "editor/EdgeItem.h"
#include "editor/EditorStyle.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "editor/NodeItem.h"

#include <QApplication>
#include <QDir>
#include <QDropEvent>
#include <QGuiApplication>
#include <QScreen>
#include <QMimeData>
#include <QScrollBar>
#include <QUrl>
#include <QtTest>

#include <functional>

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

// A file dragged onto `target` and dropped (a real enter, move and drop), as from a file manager;
// `whileOver` runs while it hovers. True when the drag and the drop were accepted.
inline bool dropUrl(QWidget* target, const QString& path, const std::function<void()>& whileOver = {}) {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &move);
    if (whileOver)
        whileOver();
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &drop);
    return enter.isAccepted() && drop.isAccepted();
}

// NC_SCREENSHOT_DIR=folder keeps pictures of these moments; under Xvfb (xcb) they are taken from
// the screen, as a user sees the window.
inline void screenshot(QWidget& window, const QString& name) {
    const QString dir = qEnvironmentVariable("NC_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(300);
    const QString path = QDir(dir).filePath(name + QStringLiteral(".png"));
    if (QGuiApplication::platformName() == QLatin1String("xcb"))
        window.screen()->grabWindow(window.winId()).save(path);
    else
        window.grab().save(path);
}

// What a file manager's drag delivers at its end: enter, move, drop with the file's URL.
inline void dropFile(QWidget* window, const QString& path) {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPoint at = window->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window, &enter);
    QVERIFY(enter.isAccepted());
    QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window, &move);
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window, &drop);
    QVERIFY(drop.isAccepted());
}

} // namespace uitest
