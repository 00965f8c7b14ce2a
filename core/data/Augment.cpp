#include "data/Augment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <random>

namespace nc {

namespace {

// Every sample takes this many numbers from the generator, in this order, whatever is enabled.
enum Draw {
    kDrawHorizontalFlip,
    kDrawVerticalFlip,
    kDrawPadX,
    kDrawPadY,
    kDrawRotation,
    kDrawWidthShift,
    kDrawHeightShift,
    kDrawZoom,
    kDrawBrightness,
    kDrawContrast,
    kDrawErase,
    kDrawEraseArea,
    kDrawEraseAspect,
    kDrawEraseX,
    kDrawEraseY,
    kDrawEraseFill,
    kDrawsPerSample
};

// [0, 1) from the top 53 bits: std::uniform_real_distribution differs between standard libraries
// (data/Random.h says why that matters).
double unit(std::uint64_t u) {
    return double(u >> 11) * 0x1.0p-53;
}
double symmetric(std::uint64_t u, double range) {
    return (2.0 * unit(u) - 1.0) * range;
}
int integerIn(std::uint64_t u, int lo, int hi) { // uniform in [lo, hi]
    const int n = hi - lo + 1;
    return lo + std::min(int(unit(u) * n), n - 1);
}

// The erased rectangle's fill: SplitMix64, eight bytes per step.
struct FillBytes {
    std::uint64_t state, word = 0;
    int left = 0;
    std::uint8_t next() {
        if (left == 0) {
            std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            word = z ^ (z >> 31);
            left = 8;
        }
        --left;
        const auto b = std::uint8_t(word);
        word >>= 8;
        return b;
    }
};

// The geometry step: output pixel (x, y) reads the input at (a·x + b·y + c, d·x + e·y + f),
// in 16.16 fixed point with 8-bit bilinear weights (as OpenCV's warpAffine does), so the pixel
// loop is integer-only, the same on every machine, and a map onto whole pixels copies exactly.
struct Warp {
    static constexpr std::int64_t one = 1 << 16;
    std::int64_t A, B, C, D, E, F;
    std::int64_t h, w;

    Warp(const AugmentParams& p, std::int64_t height, std::int64_t width) : h(height), w(width) {
        const double pi = 3.14159265358979323846;
        const double theta = p.rotationDegrees * pi / 180.0;
        const double cosT = std::cos(theta), sinT = std::sin(theta);
        const double fx = (p.horizontalFlip ? -1.0 : 1.0) / p.zoom,
                     fy = (p.verticalFlip ? -1.0 : 1.0) / p.zoom;
        const double cx = double(w - 1) / 2, cy = double(h - 1) / 2;
        // Forward: flip, zoom, rotate about the centre, shift. Inverse, for (X, Y) relative to
        // the shifted centre: source = centre + flip·(1/zoom)·R(-θ)·(X, Y).
        const double a = fx * cosT, b = -fx * sinT, d = fy * sinT, e = fy * cosT;
        const double x0 = -cx - p.shiftX, y0 = -cy - p.shiftY;
        A = fixed(a);
        B = fixed(b);
        C = fixed(cx + a * x0 + b * y0);
        D = fixed(d);
        E = fixed(e);
        F = fixed(cy + d * x0 + e * y0);
    }
    static std::int64_t fixed(double v) { return std::int64_t(std::llround(v * double(one))); }

    // Whole pixels only, with flips: each row is a (reversed) copy of a source row.
    bool copiesRows() const {
        return (A == one || A == -one) && B == 0 && D == 0 && (E == one || E == -one) && C % one == 0 &&
               F % one == 0;
    }
    // Both bilinear neighbours of the source point lie inside the image.
    bool interior(std::int64_t sx, std::int64_t sy) const {
        return sx >= 0 && sy >= 0 && sx < (w - 1) * one && sy < (h - 1) * one;
    }

    void run(const std::uint8_t* in, std::uint8_t* out, std::int64_t channels) const {
        const std::int64_t plane = h * w;
        if (copiesRows()) {
            for (std::int64_t y = 0; y < h; ++y) {
                const std::int64_t sy = (E * y + F) / one;
                for (std::int64_t ch = 0; ch < channels; ++ch) {
                    std::uint8_t* row = out + ch * plane + y * w;
                    if (sy < 0 || sy >= h) {
                        std::memset(row, 0, static_cast<std::size_t>(w));
                        continue;
                    }
                    const std::uint8_t* src = in + ch * plane + sy * w;
                    const std::int64_t step = A / one, first = C / one;
                    for (std::int64_t x = 0, sx = first; x < w; ++x, sx += step)
                        row[x] = sx >= 0 && sx < w ? src[sx] : 0;
                }
            }
            return;
        }
        for (std::int64_t y = 0; y < h; ++y) {
            const std::int64_t rowX = B * y + C, rowY = E * y + F;
            // The pixels whose source is interior form one run [begin, end) (both coordinates
            // are linear in x): found in floating point, then made exact.
            std::int64_t begin = 0, end = w;
            auto clip = [&](double start, double slope, double limit) {
                if (slope == 0) {
                    if (start < 0 || start >= limit)
                        end = begin;
                    return;
                }
                double lo = (0 - start) / slope, hi = (limit - start) / slope;
                if (lo > hi)
                    std::swap(lo, hi);
                begin = std::max(begin, std::int64_t(std::max(std::ceil(lo), -1.0)));
                end = std::min(end, std::int64_t(std::min(std::ceil(hi), double(w) + 1)));
            };
            clip(double(rowX), double(A), double((w - 1) * one));
            clip(double(rowY), double(D), double((h - 1) * one));
            begin = std::clamp<std::int64_t>(begin, 0, w);
            end = std::clamp<std::int64_t>(end, begin, w);
            auto inside = [&](std::int64_t x) { return interior(rowX + A * x, rowY + D * x); };
            while (begin < end && !inside(begin))
                ++begin;
            while (end > begin && !inside(end - 1))
                --end;
            if (begin == end) { // no interior pixel on the row: look for any, from the left
                while (begin < w && !inside(begin))
                    ++begin;
                end = begin;
            }
            while (begin > 0 && inside(begin - 1))
                --begin;
            while (end < w && inside(end))
                ++end;

            for (std::int64_t x = 0; x < begin; ++x)
                border(in, out, channels, y, x, rowX + A * x, rowY + D * x);
            std::int64_t sx = rowX + A * begin, sy = rowY + D * begin;
            if (channels == 1) { // the common case, without the channel loop
                std::uint8_t* dst = out + y * w;
                for (std::int64_t x = begin; x < end; ++x, sx += A, sy += D) {
                    const int wx = int((sx >> 8) & 255), wy = int((sy >> 8) & 255);
                    const std::uint8_t* src = in + (sy >> 16) * w + (sx >> 16);
                    const int top = src[0] * 256 + (src[1] - src[0]) * wx;
                    const int bottom = src[w] * 256 + (src[w + 1] - src[w]) * wx;
                    dst[x] = std::uint8_t((top * 256 + (bottom - top) * wy + 32768) >> 16);
                }
            }
            for (std::int64_t x = begin; x < end && channels > 1; ++x, sx += A, sy += D) {
                const std::int64_t ix = sx >> 16, iy = sy >> 16; // sx, sy >= 0 here
                const int wx = int((sx >> 8) & 255), wy = int((sy >> 8) & 255);
                const std::uint8_t* src = in + iy * w + ix;
                std::uint8_t* dst = out + y * w + x;
                for (std::int64_t ch = 0; ch < channels; ++ch, src += plane, dst += plane) {
                    const int top = src[0] * 256 + (src[1] - src[0]) * wx;
                    const int bottom = src[w] * 256 + (src[w + 1] - src[w]) * wx;
                    *dst = std::uint8_t((top * 256 + (bottom - top) * wy + 32768) >> 16);
                }
            }
            for (std::int64_t x = end; x < w; ++x)
                border(in, out, channels, y, x, rowX + A * x, rowY + D * x);
        }
    }

    // A pixel whose source is at or beyond the edge: neighbours outside the image count as 0.
    void border(const std::uint8_t* in, std::uint8_t* out, std::int64_t channels, std::int64_t y,
                std::int64_t x, std::int64_t sx, std::int64_t sy) const {
        const std::int64_t plane = h * w;
        if (sx <= -one || sy <= -one || sx >= w * one || sy >= h * one) {
            for (std::int64_t ch = 0; ch < channels; ++ch)
                out[ch * plane + y * w + x] = 0;
            return;
        }
        const std::int64_t ux = sx + one, uy = sy + one; // positive, so >> floors
        const std::int64_t ix = (ux >> 16) - 1, iy = (uy >> 16) - 1;
        const int wx = int((ux >> 8) & 255), wy = int((uy >> 8) & 255);
        const bool left = ix >= 0, right = ix + 1 < w, top = iy >= 0, bottom = iy + 1 < h;
        for (std::int64_t ch = 0; ch < channels; ++ch) {
            const std::uint8_t* src = in + ch * plane + iy * w + ix;
            const int v00 = top && left ? src[0] : 0, v01 = top && right ? src[1] : 0;
            const int v10 = bottom && left ? src[w] : 0, v11 = bottom && right ? src[w + 1] : 0;
            const int upper = v00 * 256 + (v01 - v00) * wx, lower = v10 * 256 + (v11 - v10) * wx;
            out[ch * plane + y * w + x] = std::uint8_t((upper * 256 + (lower - upper) * wy + 32768) >> 16);
        }
    }
};

void warp(std::uint8_t* chw, std::int64_t channels, std::int64_t h, std::int64_t w, const AugmentParams& p,
          std::vector<std::uint8_t>& scratch) {
    scratch.resize(static_cast<std::size_t>(channels * h * w));
    Warp(p, h, w).run(chw, scratch.data(), channels);
    std::memcpy(chw, scratch.data(), scratch.size());
}

// Brightness, then contrast around the brightened image's mean (over all channels), in integer
// arithmetic (16.16 for the contrast). Adding the offset rounded to whole units is exact:
// round(v + b) = v + round(b) for whole v.
struct Recolour {
    int offset;
    std::int32_t F = 65536, K = 32768; // out = (F·v + K) >> 16 = round(mean + f·(v - mean))

    int brighten(int v) const { return std::min(std::max(v + offset, 0), 255); }
    std::uint8_t operator()(std::uint8_t v) const {
        const std::int32_t x = F * brighten(v) + K;
        return std::uint8_t(std::min(std::max(x, 0), 255 * 65536 + 65535) >> 16);
    }
};

// Runs `f` over n bytes in fixed blocks of 32, which GCC vectorises at -O2 (its cheap cost
// model leaves loops of unknown length scalar), then the rest.
template <typename Fn> void blocks(std::int64_t n, Fn&& f) {
    std::int64_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (int k = 0; k < 32; ++k)
            f(i + k);
    for (; i < n; ++i)
        f(i);
}

void recolour(std::uint8_t* chw, std::int64_t n, const AugmentParams& p) {
    Recolour r{int(std::floor(p.brightness + 0.5))};
    if (p.contrast != 1) {
        std::int64_t sum = 0;
        std::int32_t part = 0; // 32 × 255 per block fits easily
        std::int64_t i = 0;
        for (; i + 32 <= n; i += 32) {
            part = 0;
            for (int k = 0; k < 32; ++k)
                part += r.brighten(chw[i + k]);
            sum += part;
        }
        for (; i < n; ++i)
            sum += r.brighten(chw[i]);
        const double mean = double(sum) / double(n);
        r.F = std::int32_t(std::llround(p.contrast * 65536.0));
        r.K = std::int32_t(std::llround(((1.0 - p.contrast) * mean + 0.5) * 65536.0));
    }
    blocks(n, [&](std::int64_t i) { chw[i] = r(chw[i]); });
}

void erase(std::uint8_t* chw, std::int64_t channels, std::int64_t h, std::int64_t w, const AugmentParams& p) {
    const std::int64_t x0 = std::clamp<std::int64_t>(p.eraseX, 0, w),
                       y0 = std::clamp<std::int64_t>(p.eraseY, 0, h);
    const std::int64_t x1 = std::min<std::int64_t>(x0 + p.eraseWidth, w),
                       y1 = std::min<std::int64_t>(y0 + p.eraseHeight, h);
    FillBytes fill{p.eraseSeed};
    for (std::int64_t ch = 0; ch < channels; ++ch)
        for (std::int64_t y = y0; y < y1; ++y) {
            std::uint8_t* row = chw + (ch * h + y) * w;
            for (std::int64_t x = x0; x < x1; ++x)
                row[x] = fill.next();
        }
}

} // namespace

bool AugmentParams::moves() const {
    return horizontalFlip || verticalFlip || zoom != 1 || rotationDegrees != 0 || shiftX != 0 || shiftY != 0;
}

bool AugmentParams::recolours() const {
    return brightness != 0 || contrast != 1;
}

std::vector<AugmentParams> drawAugmentParams(const Augmentation& aug, std::int64_t batch, std::int64_t h,
                                             std::int64_t w, std::uint64_t seed) {
    std::vector<AugmentParams> out(static_cast<std::size_t>(std::max<std::int64_t>(batch, 0)));
    std::mt19937_64 g(seed);
    const double zoom = std::clamp(aug.zoom, 0.0, 0.95);
    const double aspectLog = std::log(kEraseAspectMin);
    for (AugmentParams& p : out) {
        std::array<std::uint64_t, kDrawsPerSample> u;
        for (auto& v : u)
            v = g();
        p.horizontalFlip = aug.horizontalFlip && (u[kDrawHorizontalFlip] >> 63) != 0;
        p.verticalFlip = aug.verticalFlip && (u[kDrawVerticalFlip] >> 63) != 0;
        const int pad = std::max(aug.padCrop, 0);
        p.shiftX =
            symmetric(u[kDrawWidthShift], aug.widthShift) * double(w) + integerIn(u[kDrawPadX], -pad, pad);
        p.shiftY =
            symmetric(u[kDrawHeightShift], aug.heightShift) * double(h) + integerIn(u[kDrawPadY], -pad, pad);
        p.rotationDegrees = symmetric(u[kDrawRotation], aug.rotationDegrees);
        p.zoom = 1.0 + symmetric(u[kDrawZoom], zoom);
        p.brightness = symmetric(u[kDrawBrightness], aug.brightness) * 255.0;
        p.contrast = 1.0 + symmetric(u[kDrawContrast], std::clamp(aug.contrast, 0.0, 1.0));
        if (aug.eraseProbability > 0 && unit(u[kDrawErase]) < aug.eraseProbability && h > 0 && w > 0) {
            const double area =
                double(h * w) * (kEraseAreaMin + unit(u[kDrawEraseArea]) * (kEraseAreaMax - kEraseAreaMin));
            const double aspect = std::exp(aspectLog + unit(u[kDrawEraseAspect]) * (-2.0 * aspectLog));
            p.eraseHeight = int(std::clamp<double>(std::floor(std::sqrt(area * aspect) + 0.5), 1, double(h)));
            p.eraseWidth = int(std::clamp<double>(std::floor(std::sqrt(area / aspect) + 0.5), 1, double(w)));
            p.eraseX = integerIn(u[kDrawEraseX], 0, int(w) - p.eraseWidth);
            p.eraseY = integerIn(u[kDrawEraseY], 0, int(h) - p.eraseHeight);
            p.eraseSeed = u[kDrawEraseFill];
        }
    }
    return out;
}

void applyAugmentation(std::uint8_t* chw, std::int64_t c, std::int64_t h, std::int64_t w,
                       const AugmentParams& params, std::vector<std::uint8_t>& scratch) {
    if (c <= 0 || h <= 0 || w <= 0)
        return;
    if (params.moves() && params.zoom > 0)
        warp(chw, c, h, w, params, scratch);
    if (params.recolours())
        recolour(chw, c * h * w, params);
    if (params.eraseWidth > 0 && params.eraseHeight > 0)
        erase(chw, c, h, w, params);
}

void applyAugmentation(std::uint8_t* chw, std::int64_t c, std::int64_t h, std::int64_t w,
                       const AugmentParams& params) {
    std::vector<std::uint8_t> scratch;
    applyAugmentation(chw, c, h, w, params, scratch);
}

void augmentBatch(std::uint8_t* images, std::int64_t batch, std::int64_t c, std::int64_t h, std::int64_t w,
                  const Augmentation& aug, std::uint64_t seed) {
    if (!aug.enabled() || batch <= 0 || c <= 0 || h <= 0 || w <= 0)
        return;
    const std::vector<AugmentParams> params = drawAugmentParams(aug, batch, h, w, seed);
    std::vector<std::uint8_t> scratch(static_cast<std::size_t>(c * h * w));
    for (std::int64_t b = 0; b < batch; ++b)
        applyAugmentation(images + b * c * h * w, c, h, w, params[std::size_t(b)], scratch);
}

} // namespace nc
