#include "data/Dataset.h"
#include "data/Random.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <random>

namespace nc {
using detail::between;

void augmentBatch(std::uint8_t* images, std::int64_t batch, std::int64_t c, std::int64_t h, std::int64_t w,
                  const Augmentation& aug, std::uint64_t seed) {
    if (!aug.enabled() || batch <= 0 || c <= 0 || h <= 0 || w <= 0)
        return;
    std::mt19937_64 g(seed);
    const std::int64_t plane = h * w;
    std::vector<std::uint8_t> tmp(static_cast<std::size_t>(plane));
    for (std::int64_t b = 0; b < batch; ++b) {
        // Draws happen in a fixed order per sample so a seed always means the same batch.
        const bool flip = aug.horizontalFlip && between(g, 0, 1) == 1;
        const int dx = aug.padCrop > 0 ? between(g, -aug.padCrop, aug.padCrop) : 0;
        const int dy = aug.padCrop > 0 ? between(g, -aug.padCrop, aug.padCrop) : 0;
        if (!flip && dx == 0 && dy == 0)
            continue;
        for (std::int64_t ch = 0; ch < c; ++ch) {
            std::uint8_t* p = images + (b * c + ch) * plane;
            // Output (y, x) reads input (y + dy, x' + dx) where x' is mirrored when flipping:
            // the same as padding with zeros, cropping at an offset, then flipping.
            for (std::int64_t y = 0; y < h; ++y) {
                const std::int64_t sy = y + dy;
                for (std::int64_t x = 0; x < w; ++x) {
                    const std::int64_t sx = (flip ? w - 1 - x : x) + dx;
                    tmp[static_cast<std::size_t>(y * w + x)] =
                        (sy >= 0 && sy < h && sx >= 0 && sx < w) ? p[sy * w + sx] : 0;
                }
            }
            std::memcpy(p, tmp.data(), static_cast<std::size_t>(plane));
        }
    }
}

} // namespace nc
