#pragma once
// The Inspect tab's pictures: the image as the model sees it (optionally under a saliency
// overlay), the top-k classes as bars and a node's feature maps. All of them paint from plain
// values (nc::PreparedImage, nc::SaliencyMap, nc::Activation); none talks to the engine.
#include "imaging/Imaging.h"
#include "inspect/Inspect.h"

#include <QImage>
#include <QWidget>

#include <string>
#include <utility>
#include <vector>

namespace nc::ui {

// Colour maps the overlay offers, as stored in the combo box: "jet", "inferno", "gray".
QRgb colormapColor(const QString& colormap, double t); // t in [0, 1]
// uint8 [C, H, W] (1 or 3 channels) as a QImage of H × W pixels.
QImage preparedToImage(const nc::PreparedImage& image);
// uint8 [channels, height, width] (1 or 3 channels) as a QImage; null for other channel counts.
QImage chwToImage(const std::uint8_t* pixels, int channels, int height, int width);
// The map normalised to [0, 1] by its own minimum and maximum, coloured; H × W, opaque.
QImage saliencyToImage(const nc::SaliencyMap& map, const QString& colormap);

// An image scaled up with nearest-neighbour (so 28×28 pixels stay visible as pixels), keeping
// its aspect ratio; optionally a heat map blended on top with a given opacity (smoothly scaled,
// like the engine's writeSaliencyOverlay).
class PixelImageView final : public QWidget {
    Q_OBJECT
  public:
    explicit PixelImageView(QWidget* parent = nullptr);
    void setImage(const QImage& image);
    void setOverlay(const QImage& heat, double opacity); // a null heat image: none
    void setOpacity(double opacity);
    void setPlaceholder(const QString& text); // shown when there is no image
    bool hasOverlay() const { return !m_heat.isNull(); }
    // The picture as drawn at `side` pixels for the longer edge (tests compare these).
    QImage render(int side) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    QRect target() const; // where the picture lands inside the widget
    void paintPicture(QPainter& p, const QRect& r) const;
    QImage m_image, m_heat;
    double m_opacity = 0.5;
    QString m_placeholder;
};

// Horizontal bars of the top-k classes: name, bar, percentage; the first one highlighted.
class ClassBarsView final : public QWidget {
    Q_OBJECT
  public:
    explicit ClassBarsView(QWidget* parent = nullptr);
    void setBars(std::vector<std::pair<QString, double>> bars); // (class name, probability), best first
    const std::vector<std::pair<QString, double>>& bars() const { return m_bars; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    int rowHeight() const;
    std::vector<std::pair<QString, double>> m_bars;
};

// One node's output for one image: [C, H, W] as a grid of up to kMaxTiles tiles, each
// normalised by its own range; [F] as a strip of bars (negative values below the axis).
class FeatureGridView final : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kMaxTiles = 64;
    explicit FeatureGridView(QWidget* parent = nullptr);
    void setActivation(const nc::Activation& activation); // an empty node clears it
    int tileCount() const { return int(m_tiles.size()); } // 0 for a [F] strip
    int featureCount() const { return int(m_features.size()); }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    void paintTiles(QPainter& p);
    void paintStrip(QPainter& p);
    std::vector<QImage> m_tiles; // grayscale, one per channel shown
    std::vector<float> m_features;
};

} // namespace nc::ui
