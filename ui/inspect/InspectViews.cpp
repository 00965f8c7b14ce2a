#include "inspect/InspectViews.h"

#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>

namespace nc::ui {

namespace {
int channel(double v) {
    return std::clamp(int(std::lround(v * 255.0)), 0, 255);
}

// matplotlib's inferno sampled at t = 0, 0.1, …, 1; linear in between.
constexpr std::array<std::array<int, 3>, 11> kInferno{{{0, 0, 4},
                                                       {22, 11, 57},
                                                       {66, 10, 104},
                                                       {106, 23, 110},
                                                       {147, 38, 103},
                                                       {188, 55, 84},
                                                       {221, 81, 58},
                                                       {243, 120, 25},
                                                       {252, 165, 10},
                                                       {246, 215, 70},
                                                       {252, 255, 164}}};

// Fits `size` into `area`, centred; whole-number magnification when it grows (crisp pixels).
QRect fitCentred(const QSize& size, const QRect& area) {
    if (size.isEmpty() || area.isEmpty())
        return {};
    double scale = std::min(double(area.width()) / size.width(), double(area.height()) / size.height());
    if (scale >= 1)
        scale = std::floor(scale);
    const int w = std::max(1, int(size.width() * scale)), h = std::max(1, int(size.height() * scale));
    return QRect(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h);
}
} // namespace

QRgb colormapColor(const QString& colormap, double t) {
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
    if (colormap == QLatin1String("gray"))
        return qRgb(channel(t), channel(t), channel(t));
    if (colormap == QLatin1String("inferno")) {
        const double x = t * double(kInferno.size() - 1);
        const std::size_t i = std::min(std::size_t(x), kInferno.size() - 2);
        const double f = x - double(i);
        int rgb[3];
        for (int c = 0; c < 3; ++c)
            rgb[c] = int(std::lround(kInferno[i][c] * (1 - f) + kInferno[i + 1][c] * f));
        return qRgb(rgb[0], rgb[1], rgb[2]);
    }
    // jet: blue → cyan → yellow → red
    auto ramp = [t](double centre) { return std::clamp(1.5 - std::abs(4 * t - centre), 0.0, 1.0); };
    return qRgb(channel(ramp(3)), channel(ramp(2)), channel(ramp(1)));
}

QImage preparedToImage(const nc::PreparedImage& image) {
    const int w = int(image.width), h = int(image.height);
    if (w <= 0 || h <= 0 || image.pixels.size() != std::size_t(image.channels * w * h))
        return {};
    return chwToImage(image.pixels.data(), int(image.channels), h, w);
}

QImage chwToImage(const std::uint8_t* px, int channels, int h, int w) {
    if (w <= 0 || h <= 0 || (channels != 1 && channels != 3))
        return {};
    const std::size_t plane = std::size_t(w) * h;
    QImage out(w, h, channels == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB32);
    for (int y = 0; y < h; ++y) {
        if (channels == 1) {
            std::copy_n(px + std::size_t(y) * w, w, out.scanLine(y));
            continue;
        }
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(y));
        for (int x = 0; x < w; ++x) {
            const std::size_t i = std::size_t(y) * w + x;
            line[x] = qRgb(px[i], px[plane + i], px[2 * plane + i]);
        }
    }
    return out;
}

QImage saliencyToImage(const nc::SaliencyMap& map, const QString& colormap) {
    const int w = int(map.width), h = int(map.height);
    if (w <= 0 || h <= 0 || map.values.size() != std::size_t(w) * h)
        return {};
    float lo = 0, hi = 0;
    bool first = true;
    for (float v : map.values)
        if (std::isfinite(v)) {
            lo = first ? v : std::min(lo, v);
            hi = first ? v : std::max(hi, v);
            first = false;
        }
    const double range = hi > lo ? double(hi) - lo : 0.0;
    QImage out(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(y));
        for (int x = 0; x < w; ++x) {
            const float v = map.values[std::size_t(y) * w + x];
            line[x] = colormapColor(colormap, range > 0 && std::isfinite(v) ? (v - lo) / range : 0.0);
        }
    }
    return out;
}

// --- PixelImageView ---

PixelImageView::PixelImageView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void PixelImageView::setImage(const QImage& image) {
    m_image = image;
    updateGeometry();
    update();
}

void PixelImageView::setOverlay(const QImage& heat, double opacity) {
    m_heat = heat;
    m_opacity = opacity;
    update();
}

void PixelImageView::setOpacity(double opacity) {
    if (opacity == m_opacity)
        return;
    m_opacity = opacity;
    update();
}

void PixelImageView::setPlaceholder(const QString& text) {
    m_placeholder = text;
    update();
}

// 288 = 9 × 32 ≈ 10 × 28: common inputs magnify by a whole number.
QSize PixelImageView::sizeHint() const {
    return {288, 288};
}
QSize PixelImageView::minimumSizeHint() const {
    return {224, 224};
}

QRect PixelImageView::target() const {
    return fitCentred(m_image.size(), rect());
}

void PixelImageView::paintPicture(QPainter& p, const QRect& r) const {
    p.setRenderHint(QPainter::SmoothPixmapTransform, false); // nearest neighbour: pixels stay pixels
    p.drawImage(r, m_image);
    if (!m_heat.isNull() && m_opacity > 0) {
        p.setRenderHint(QPainter::SmoothPixmapTransform, true);
        p.setOpacity(m_opacity);
        p.drawImage(r, m_heat);
        p.setOpacity(1);
    }
}

QImage PixelImageView::render(int side) const {
    if (m_image.isNull())
        return {};
    const QRect r = fitCentred(m_image.size(), QRect(0, 0, side, side));
    QImage out(r.size(), QImage::Format_RGB32);
    QPainter p(&out);
    paintPicture(p, QRect(QPoint(0, 0), r.size()));
    return out;
}

void PixelImageView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    if (m_image.isNull()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const QRect r = target();
    paintPicture(p, r);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(r.adjusted(0, 0, -1, -1));
}

// --- ClassBarsView ---

ClassBarsView::ClassBarsView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void ClassBarsView::setBars(std::vector<std::pair<QString, double>> bars) {
    m_bars = std::move(bars);
    updateGeometry();
    update();
}

int ClassBarsView::rowHeight() const {
    return fontMetrics().height() + 10;
}

QSize ClassBarsView::sizeHint() const {
    return {320, std::max<int>(5, int(m_bars.size())) * rowHeight()};
}
QSize ClassBarsView::minimumSizeHint() const {
    return {200, std::max<int>(1, int(m_bars.size())) * rowHeight()};
}

void ClassBarsView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = fontMetrics();
    const int rowH = rowHeight(), gap = 8;
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold); // the best class is drawn bold
    const int percentW = boldMetrics.horizontalAdvance(QStringLiteral("100.0 %")) + gap;
    int nameW = 0;
    for (const auto& [name, probability] : m_bars)
        nameW = std::max(nameW, boldMetrics.horizontalAdvance(name));
    nameW = std::min(nameW + gap + 4, width() * 2 / 5); // + 4: elidedText rounds differently
    const int barX = nameW, barW = std::max(10, width() - nameW - percentW);
    const QColor highlight = palette().color(QPalette::Highlight);
    QColor other = highlight;
    other.setAlphaF(0.45);
    QColor track = palette().color(QPalette::Mid);
    track.setAlphaF(0.25); // visible on light and dark windows alike
    for (std::size_t i = 0; i < m_bars.size(); ++i) {
        const auto& [name, probability] = m_bars[i];
        const int y = int(i) * rowH;
        p.setPen(palette().color(QPalette::WindowText));
        p.setFont(i == 0 ? bold : font());
        p.drawText(QRect(0, y, nameW - gap, rowH), Qt::AlignVCenter | Qt::AlignRight,
                   (i == 0 ? boldMetrics : fm).elidedText(name, Qt::ElideRight, nameW - gap));
        const QRectF trackRect(barX, y + 4, barW, rowH - 8);
        p.setPen(Qt::NoPen);
        p.setBrush(track);
        p.drawRoundedRect(trackRect, 3, 3);
        const double fraction = std::clamp(probability, 0.0, 1.0);
        if (fraction > 0) {
            p.setBrush(i == 0 ? highlight : other);
            p.drawRoundedRect(QRectF(trackRect.x(), trackRect.y(),
                                     std::max(2.0, trackRect.width() * fraction), trackRect.height()),
                              3, 3);
        }
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(barX + barW + gap / 2, y, percentW, rowH), Qt::AlignVCenter | Qt::AlignLeft,
                   QStringLiteral("%1 %").arg(probability * 100, 0, 'f', 1));
    }
}

// --- FeatureGridView ---

FeatureGridView::FeatureGridView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void FeatureGridView::setActivation(const nc::Activation& a) {
    m_tiles.clear();
    m_features.clear();
    const std::size_t total = a.values.size();
    if (a.shape.size() == 3 && std::size_t(a.shape[0] * a.shape[1] * a.shape[2]) == total && total > 0) {
        const int c = int(a.shape[0]), h = int(a.shape[1]), w = int(a.shape[2]);
        const std::size_t plane = std::size_t(h) * w;
        for (int k = 0; k < std::min(c, kMaxTiles); ++k) {
            const float* v = a.values.data() + k * plane;
            float lo = v[0], hi = v[0];
            for (std::size_t i = 1; i < plane; ++i) {
                lo = std::min(lo, v[i]);
                hi = std::max(hi, v[i]);
            }
            const double range = std::isfinite(hi - lo) && hi > lo ? double(hi) - lo : 0.0;
            QImage tile(w, h, QImage::Format_Grayscale8);
            for (int y = 0; y < h; ++y) {
                uchar* line = tile.scanLine(y);
                for (int x = 0; x < w; ++x)
                    line[x] = uchar(range > 0 ? channel((v[std::size_t(y) * w + x] - lo) / range) : 0);
            }
            m_tiles.push_back(std::move(tile));
        }
    } else if (!a.node.empty() && total > 0) {
        m_features = a.values;
    }
    updateGeometry();
    update();
}

QSize FeatureGridView::sizeHint() const {
    return {480, m_tiles.empty() && !m_features.empty() ? 120 : 320};
}
QSize FeatureGridView::minimumSizeHint() const {
    return {160, m_tiles.empty() && !m_features.empty() ? 80 : 160};
}

void FeatureGridView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    if (!m_tiles.empty())
        paintTiles(p);
    else if (!m_features.empty())
        paintStrip(p);
}

void FeatureGridView::paintTiles(QPainter& p) {
    const int n = int(m_tiles.size()), gap = 3;
    const QSize tileSize = m_tiles.front().size();
    const double aspect = double(tileSize.width()) / tileSize.height();
    // The column count that gives the largest tiles in this widget.
    int bestCols = 1;
    double bestSide = 0;
    for (int cols = 1; cols <= n; ++cols) {
        const int rows = (n + cols - 1) / cols;
        const double w = (width() - (cols - 1) * gap) / double(cols);
        const double h = (height() - (rows - 1) * gap) / double(rows);
        const double side = std::min(w, h * aspect);
        if (side > bestSide) {
            bestSide = side;
            bestCols = cols;
        }
    }
    if (bestSide < 1)
        return;
    // Whole multiples of the map's size when they fit, so the pixels stay square and crisp.
    double tileW = bestSide;
    if (tileW >= tileSize.width())
        tileW = std::floor(tileW / tileSize.width()) * tileSize.width();
    const int tw = std::max(1, int(tileW)), th = std::max(1, int(tileW / aspect));
    const int rows = (n + bestCols - 1) / bestCols;
    const int gridW = bestCols * tw + (bestCols - 1) * gap, gridH = rows * th + (rows - 1) * gap;
    const int x0 = std::max(0, (width() - gridW) / 2), y0 = std::max(0, (height() - gridH) / 2);
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.setPen(palette().color(QPalette::Mid));
    for (int i = 0; i < n; ++i) {
        const QRect r(x0 + (i % bestCols) * (tw + gap), y0 + (i / bestCols) * (th + gap), tw, th);
        p.drawImage(r, m_tiles[std::size_t(i)]);
        p.drawRect(r.adjusted(-1, -1, 0, 0));
    }
}

void FeatureGridView::paintStrip(QPainter& p) {
    const int n = int(m_features.size());
    const QRect area = rect().adjusted(4, 4, -4, -4);
    if (area.width() < 2 || area.height() < 2)
        return;
    float lo = 0, hi = 0;
    for (float v : m_features)
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    const double scale = std::max(double(hi), -double(lo));
    // The axis sits where zero is: at the bottom for non-negative outputs (after a ReLU).
    const double axisY = area.top() + area.height() * (scale > 0 ? hi / (double(hi) - lo) : 1.0);
    const double slot = double(area.width()) / n;
    const int bins = std::min(n, area.width()); // more features than pixels: one bar per pixel
    const QColor bar = palette().color(QPalette::Highlight);
    p.setPen(Qt::NoPen);
    p.setBrush(bar);
    for (int b = 0; b < bins; ++b) {
        const int first = int(std::int64_t(b) * n / bins), last = int(std::int64_t(b + 1) * n / bins);
        float v = 0;
        for (int i = first; i < last; ++i)
            if (std::isfinite(m_features[std::size_t(i)]) &&
                std::abs(m_features[std::size_t(i)]) > std::abs(v))
                v = m_features[std::size_t(i)];
        if (scale <= 0 || v == 0)
            continue;
        const double x = area.left() + (bins == n ? b * slot : b);
        const double w = bins == n ? std::max(1.0, slot - (slot > 4 ? 1 : 0)) : 1.0;
        const double h = (double(area.height()) * std::abs(v)) / (double(hi) - lo);
        p.drawRect(QRectF(x, v > 0 ? axisY - h : axisY, w, h));
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(QPointF(area.left(), axisY), QPointF(area.right(), axisY));
}

} // namespace nc::ui
