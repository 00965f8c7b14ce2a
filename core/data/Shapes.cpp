#include "data/Dataset.h"
#include "data/Random.h"

#include "util/Error.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <random>

namespace nc {
using detail::between;
namespace {

constexpr int kSide = 32;
// Objects are 9..17 pixels wide (8–28 % of the image as a bounding box), so that "the saliency
// lies on the object" can be told apart from "the saliency is everywhere" (docs/DECISIONS.md).
constexpr int kMinRadius = 4, kMaxRadius = 8;
// The object is lighter than the background: its channels exceed the background's by at least
// this much on average. Colours are random otherwise. One polarity keeps the task about shape;
// with both, keras-cnn often sat at chance for hundreds of steps on objects this small.
constexpr int kMinContrast = 80;
constexpr int kNoise = 6; // pixels get ±kNoise


// Whether pixel (x, y) belongs to a shape of class `label` centred at (cx, cy) with radius r.
bool inside(int label, int x, int y, int cx, int cy, int r) {
    const int dx = x - cx, dy = y - cy;
    switch (label) {
    case 0:
        return dx * dx + dy * dy <= r * r;
    case 1:
        return std::abs(dx) <= r && std::abs(dy) <= r;
    default: {
        // Apex at the top, base of width 2r+1 at the bottom.
        if (dy < -r || dy > r)
            return false;
        return 2 * std::abs(dx) <= dy + r;
    }
    }
}

} // namespace

Dataset makeShapes(std::int64_t count, std::uint64_t seed) {
    if (count < 0 || count > 10'000'000)
        throw Error("cannot make " + std::to_string(count) + " synthetic shapes");
    Dataset d;
    d.name = "shapes";
    d.channels = 3;
    d.height = d.width = kSide;
    d.classNames = {"circle", "square", "triangle"};
    d.images.resize(static_cast<std::size_t>(count * d.imageBytes()));
    d.labels.resize(static_cast<std::size_t>(count));
    d.boxes.resize(static_cast<std::size_t>(count * 4));

    std::mt19937_64 g(seed);
    constexpr int plane = kSide * kSide;
    for (std::int64_t i = 0; i < count; ++i) {
        const int label = static_cast<int>(i % 3);
        int bg[3], fg[3];
        for (;;) {
            int lighter = 0;
            for (int c = 0; c < 3; ++c) {
                bg[c] = between(g, 0, 255);
                fg[c] = between(g, 0, 255);
                lighter += fg[c] - bg[c];
            }
            if (lighter >= 3 * kMinContrast)
                break;
        }
        const int r = between(g, kMinRadius, kMaxRadius);
        const int cx = between(g, r, kSide - 1 - r);
        const int cy = between(g, r, kSide - 1 - r);

        std::uint8_t* img = d.images.data() + i * d.imageBytes();
        int x0 = kSide, y0 = kSide, x1 = 0, y1 = 0;
        for (int y = 0; y < kSide; ++y) {
            for (int x = 0; x < kSide; ++x) {
                const bool on = inside(label, x, y, cx, cy, r);
                if (on) {
                    x0 = std::min(x0, x);
                    y0 = std::min(y0, y);
                    x1 = std::max(x1, x + 1);
                    y1 = std::max(y1, y + 1);
                }
                for (int c = 0; c < 3; ++c) {
                    const int v = (on ? fg[c] : bg[c]) + between(g, -kNoise, kNoise);
                    img[c * plane + y * kSide + x] = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
                }
            }
        }
        d.labels[static_cast<std::size_t>(i)] = label;
        std::int32_t* box = d.boxes.data() + i * 4;
        box[0] = x0;
        box[1] = y0;
        box[2] = x1;
        box[3] = y1;
    }
    return d;
}

} // namespace nc
