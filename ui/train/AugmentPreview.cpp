#include "train/AugmentPreview.h"

#include <QPainter>

#include <algorithm>

namespace nc::ui {

namespace {
// One CHW sample as a picture: grey for one channel, RGB for three, the first channel otherwise.
QImage toImage(const std::uint8_t* chw, int channels, int height, int width) {
    const std::size_t plane = std::size_t(height) * std::size_t(width);
    if (channels == 3) {
        QImage image(width, height, QImage::Format_RGB888);
        for (int y = 0; y < height; ++y) {
            uchar* row = image.scanLine(y);
            for (int x = 0; x < width; ++x) {
                const std::size_t at = std::size_t(y) * std::size_t(width) + std::size_t(x);
                row[3 * x] = chw[at];
                row[3 * x + 1] = chw[plane + at];
                row[3 * x + 2] = chw[2 * plane + at];
            }
        }
        return image;
    }
    QImage image(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y)
        std::copy_n(chw + std::size_t(y) * std::size_t(width), width, image.scanLine(y));
    return image;
}
} // namespace

AugmentPreview::AugmentPreview(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("augmentPreview"));
    setAccessibleName(tr("Augmentation preview"));
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    m_message = tr("Sample images appear here once the dataset is read.");
}

void AugmentPreview::setSamples(std::vector<std::uint8_t> pixels, int count, int channels, int height,
                                int width) {
    const std::size_t per = std::size_t(std::max(channels, 0)) * std::size_t(std::max(height, 0)) *
                            std::size_t(std::max(width, 0));
    count = std::min(count, kSamples);
    if (count <= 0 || per == 0 || pixels.size() < per * std::size_t(count)) {
        m_count = 0;
        m_samples.clear();
        setMessage(tr("This dataset has no images to preview."));
        return;
    }
    pixels.resize(per * std::size_t(count));
    m_samples = std::move(pixels);
    m_count = count;
    m_channels = channels;
    m_height = height;
    m_width = width;
    m_message.clear();
    render();
}

void AugmentPreview::setMessage(const QString& text) {
    m_message = text;
    if (!text.isEmpty()) {
        m_count = 0;
        m_samples.clear();
        m_augmented.clear();
        m_images.clear();
    }
    update();
}

void AugmentPreview::setAugmentation(const nc::Augmentation& augmentation) {
    m_augmentation = augmentation;
    render();
}

void AugmentPreview::shuffle() {
    m_seed = m_seed * 6364136223846793005ull + 1442695040888963407ull; // the next of a fixed sequence
    render();
}

void AugmentPreview::render() {
    m_images.clear();
    m_augmented = m_samples;
    if (m_count == 0) {
        update();
        return;
    }
    nc::augmentBatch(m_augmented.data(), m_count, m_channels, m_height, m_width, m_augmentation, m_seed);
    const std::size_t per = std::size_t(m_channels) * std::size_t(m_height) * std::size_t(m_width);
    for (int i = 0; i < m_count; ++i)
        m_images.append(toImage(m_augmented.data() + per * std::size_t(i), m_channels, m_height, m_width));
    update();
}

QSize AugmentPreview::sizeHint() const {
    const int cell = fontMetrics().height() * 4;
    return {kColumns * cell + (kColumns - 1) * kGap, kRows * cell + (kRows - 1) * kGap};
}

QSize AugmentPreview::minimumSizeHint() const {
    const int cell = fontMetrics().height() * 2;
    return {kColumns * cell + (kColumns - 1) * kGap, kRows * cell + (kRows - 1) * kGap};
}

int AugmentPreview::heightForWidth(int width) const {
    const int cell = std::max(1, (width - (kColumns - 1) * kGap) / kColumns);
    return kRows * cell + (kRows - 1) * kGap;
}

void AugmentPreview::paintEvent(QPaintEvent*) {
    QPainter p(this);
    if (m_images.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    // Square cells, as large as the widget allows; pixels stay sharp (no smoothing).
    const int gap = kGap;
    const int cell = std::max(
        1, std::min((width() - (kColumns - 1) * gap) / kColumns, (height() - (kRows - 1) * gap) / kRows));
    const int left = (width() - (kColumns * cell + (kColumns - 1) * gap)) / 2;
    for (int i = 0; i < m_images.size(); ++i) {
        const QRect box(left + (i % kColumns) * (cell + gap), (i / kColumns) * (cell + gap), cell, cell);
        const QImage& image = m_images[i];
        const QSize fitted = image.size().scaled(box.size(), Qt::KeepAspectRatio);
        const QRect target(box.center() - QPoint(fitted.width() / 2, fitted.height() / 2), fitted);
        p.drawImage(target, image);
        p.setPen(palette().color(QPalette::Mid));
        p.drawRect(target.adjusted(0, 0, -1, -1));
    }
}

} // namespace nc::ui
