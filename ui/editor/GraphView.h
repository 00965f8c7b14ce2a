#pragma once
#include <QGraphicsView>

namespace nc::ui {

class GraphScene;
class EdgeItem;

// MIME type of a layer dragged from the palette: the layer type name as UTF-8.
inline constexpr const char* kLayerMimeType = "application/x-neuralcanvas-layer";

// The canvas: zoom (wheel, Ctrl +/-), pan (middle button or Space + drag), rubber-band
// selection, drops from the palette (onto an edge inserts the layer there), arrow-key nudges.
class GraphView final : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(GraphScene* scene, QWidget* parent = nullptr);
    GraphScene* graphScene() const { return m_scene; }

    void zoomBy(double factor);
    void resetZoom();
    void fitAll();
    void centerOnNode(const QString& id);
    double zoom() const { return transform().m11(); }
    // Adds `type` centred on `scenePos`, or inserts it into the edge under that point.
    QString dropLayer(const QString& type, const QPointF& scenePos);

Q_SIGNALS:
    void zoomChanged(double zoom);
    void layerDropped(const QString& id);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dragLeaveEvent(QDragLeaveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void highlightEdge(EdgeItem* edge);

    GraphScene* m_scene;
    EdgeItem* m_highlighted = nullptr;
    bool m_spaceHeld = false;
    bool m_panning = false;
    QPoint m_panStart;
    int m_nudgeSerial = 1;
};

} // namespace nc::ui
