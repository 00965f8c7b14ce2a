#pragma once
#include "data/Augment.h"

#include <QImage>
#include <QWidget>

#include <cstdint>
#include <vector>

namespace nc::ui {

// A 4×2 grid of training images as augmentation will show them to the network: the same
// augmentBatch the trainer runs, on a few real samples, with a seed that changes only on
// shuffle(), so moving a setting shows what that setting does. A thin view: the samples come
// from outside (TrainTab asks the engine for them) and the settings from the form.
class AugmentPreview final : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kColumns = 4, kRows = 2, kSamples = kColumns * kRows;
    static constexpr int kGap = 4; // pixels between cells

    explicit AugmentPreview(QWidget* parent = nullptr);

    // uint8 [count, channels, height, width]; at most kSamples are shown.
    void setSamples(std::vector<std::uint8_t> pixels, int count, int channels, int height, int width);
    void setMessage(const QString& text); // shown instead of the grid (no samples, or why not)
    void setAugmentation(const nc::Augmentation& augmentation);
    void shuffle(); // a new seed: other random draws of the same settings

    bool hasSamples() const { return m_count > 0; }
    std::uint64_t seed() const { return m_seed; }
    // What the grid shows, uint8 [count, C, H, W] (for tests and screen readers' descriptions).
    const std::vector<std::uint8_t>& augmentedPixels() const { return m_augmented; }
    QString message() const { return m_message; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; } // square cells as wide as the form
    int heightForWidth(int width) const override;

  protected:
    void paintEvent(QPaintEvent* event) override;

  private:
    void render(); // re-augments the samples and rebuilds the images

    std::vector<std::uint8_t> m_samples, m_augmented;
    int m_count = 0, m_channels = 0, m_height = 0, m_width = 0;
    nc::Augmentation m_augmentation;
    std::uint64_t m_seed = 1;
    QList<QImage> m_images;
    QString m_message;
};

} // namespace nc::ui
