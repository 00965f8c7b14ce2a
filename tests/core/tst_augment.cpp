// Augmentation: every transform is reproducible from its seed, does what its name says (checked
// against independent loops on known images), and a batch of 128 Fashion-MNIST-sized images
// with everything on costs little.
#include "data/Augment.h"

#include <QElapsedTimer>
#include <QtTest>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

using namespace nc;

namespace {
using Bytes = std::vector<std::uint8_t>;

// Distinct values, so any misplaced pixel shows.
Bytes ramp(int c, int h, int w) {
    Bytes b(std::size_t(c * h * w));
    for (std::size_t i = 0; i < b.size(); ++i)
        b[i] = std::uint8_t(1 + (i * 37) % 251);
    return b;
}

Bytes batchOf(int samples, int c, int h, int w) {
    Bytes out;
    for (int s = 0; s < samples; ++s) {
        Bytes one = ramp(c, h, w);
        for (auto& v : one)
            v = std::uint8_t(v + s); // each sample a little different
        out.insert(out.end(), one.begin(), one.end());
    }
    return out;
}

Bytes augmented(const Bytes& in, int samples, int c, int h, int w, const Augmentation& aug,
                std::uint64_t seed) {
    Bytes out = in;
    augmentBatch(out.data(), samples, c, h, w, aug, seed);
    return out;
}

Bytes applied(const Bytes& in, int c, int h, int w, const AugmentParams& p) {
    Bytes out = in;
    applyAugmentation(out.data(), c, h, w, p);
    return out;
}

double mean(const Bytes& b) {
    return std::accumulate(b.begin(), b.end(), 0.0) / double(b.size());
}
} // namespace

class TestAugment : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void eachTransformIsReproducible_data() {
        QTest::addColumn<int>("which");
        const char* names[] = {"horizontal flip", "vertical flip", "pad crop",   "rotation", "width shift",
                               "height shift",    "zoom",          "brightness", "contrast", "erase"};
        for (int i = 0; i < 10; ++i)
            QTest::newRow(names[i]) << i;
    }
    void eachTransformIsReproducible() {
        QFETCH(int, which);
        Augmentation aug;
        switch (which) {
        case 0:
            aug.horizontalFlip = true;
            break;
        case 1:
            aug.verticalFlip = true;
            break;
        case 2:
            aug.padCrop = 3;
            break;
        case 3:
            aug.rotationDegrees = 30;
            break;
        case 4:
            aug.widthShift = 0.2;
            break;
        case 5:
            aug.heightShift = 0.2;
            break;
        case 6:
            aug.zoom = 0.3;
            break;
        case 7:
            aug.brightness = 0.2;
            break;
        case 8:
            aug.contrast = 0.5;
            break;
        case 9:
            aug.eraseProbability = 0.5;
            break;
        }
        QVERIFY(aug.enabled());
        const int samples = 16, c = 2, h = 12, w = 10; // not square, two channels
        const Bytes in = batchOf(samples, c, h, w);
        const Bytes a = augmented(in, samples, c, h, w, aug, 1);
        QVERIFY(a != in);                                      // it does something
        QVERIFY(a == augmented(in, samples, c, h, w, aug, 1)); // same seed, same bytes
        QVERIFY(a != augmented(in, samples, c, h, w, aug, 2)); // another seed, another batch
    }

    void offChangesNothing() {
        const Bytes in = batchOf(8, 3, 9, 7);
        QVERIFY(!Augmentation{}.enabled());
        QVERIFY(augmented(in, 8, 3, 9, 7, Augmentation{}, 5) == in);
        QVERIFY(applied(in, 3, 9, 7, AugmentParams{}) == in);
    }

    // One transform's draws do not depend on which others are on (fixed draws per sample).
    void drawsDoNotDependOnWhatElseIsOn() {
        Augmentation rotationOnly;
        rotationOnly.rotationDegrees = 20;
        Augmentation everything = rotationOnly;
        everything.horizontalFlip = everything.verticalFlip = true;
        everything.zoom = everything.brightness = everything.contrast = 0.2;
        everything.eraseProbability = 0.5;
        const auto a = drawAugmentParams(rotationOnly, 64, 28, 28, 11);
        const auto b = drawAugmentParams(everything, 64, 28, 28, 11);
        for (std::size_t i = 0; i < a.size(); ++i)
            QCOMPARE(a[i].rotationDegrees, b[i].rotationDegrees);
        double lo = 0, hi = 0;
        for (const auto& p : a) {
            lo = std::min(lo, p.rotationDegrees);
            hi = std::max(hi, p.rotationDegrees);
        }
        QVERIFY(lo >= -20 && hi <= 20 && lo < -10 && hi > 10); // uniform in ±20
    }

    void rotationBy90MatchesASimpleLoop() {
        const int n = 7, c = 2;
        const Bytes in = ramp(c, n, n);
        for (double degrees : {90.0, -90.0, 180.0}) {
            AugmentParams p;
            p.rotationDegrees = degrees;
            const Bytes out = applied(in, c, n, n, p);
            // Counter-clockwise on screen: the top-right corner goes to the top-left.
            for (int ch = 0; ch < c; ++ch)
                for (int y = 0; y < n; ++y)
                    for (int x = 0; x < n; ++x) {
                        int sy = x, sx = n - 1 - y; // +90
                        if (degrees < 0)
                            sy = n - 1 - x, sx = y;
                        else if (degrees == 180)
                            sy = n - 1 - y, sx = n - 1 - x;
                        QCOMPARE(int(out[std::size_t((ch * n + y) * n + x)]),
                                 int(in[std::size_t((ch * n + sy) * n + sx)]));
                    }
        }
    }

    void shiftMovesAPixelByK() {
        const int h = 9, w = 11;
        Bytes in(std::size_t(h * w), 0);
        in[std::size_t(4 * w + 3)] = 200; // (x 3, y 4)
        for (int k : {1, 2, 5, -3}) {
            AugmentParams p;
            p.shiftX = k;
            p.shiftY = -k / 2;
            const Bytes out = applied(in, 1, h, w, p);
            const int x = 3 + k, y = 4 - k / 2;
            QCOMPARE(int(out[std::size_t(y * w + x)]), 200);
            QCOMPARE(std::accumulate(out.begin(), out.end(), 0), 200); // moved, not copied; the rest is 0
        }
        // Half a pixel blends the two neighbours (bilinear, rounded to nearest).
        AugmentParams half;
        half.shiftX = 0.5;
        const Bytes out = applied(in, 1, h, w, half);
        QCOMPARE(int(out[std::size_t(4 * w + 3)]), 100);
        QCOMPARE(int(out[std::size_t(4 * w + 4)]), 100);
    }

    void widthShiftDrawsAFractionOfTheWidth() {
        Augmentation aug;
        aug.widthShift = 0.25;
        double most = 0;
        for (const auto& p : drawAugmentParams(aug, 200, 10, 40, 3)) {
            QVERIFY(std::abs(p.shiftX) <= 10.0);
            QCOMPARE(p.shiftY, 0.0);
            most = std::max(most, std::abs(p.shiftX));
        }
        QVERIFY(most > 8);
    }

    void flipsMirror() {
        const int c = 3, h = 5, w = 6;
        const Bytes in = ramp(c, h, w);
        AugmentParams hf, vf, both;
        hf.horizontalFlip = true;
        vf.verticalFlip = true;
        both.horizontalFlip = both.verticalFlip = true;
        const Bytes a = applied(in, c, h, w, hf), b = applied(in, c, h, w, vf),
                    ab = applied(in, c, h, w, both);
        for (int ch = 0; ch < c; ++ch)
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) {
                    auto at = [&](int yy, int xx) { return std::size_t((ch * h + yy) * w + xx); };
                    QCOMPARE(a[at(y, x)], in[at(y, w - 1 - x)]);
                    QCOMPARE(b[at(y, x)], in[at(h - 1 - y, x)]);
                    QCOMPARE(ab[at(y, x)], in[at(h - 1 - y, w - 1 - x)]);
                }
    }

    void zoomTwiceKeepsTheCentre() {
        const int n = 9, mid = 4;
        const Bytes in = ramp(1, n, n);
        AugmentParams p;
        p.zoom = 2;
        const Bytes out = applied(in, 1, n, n, p);
        QCOMPARE(out[std::size_t(mid * n + mid)], in[std::size_t(mid * n + mid)]);
        // Two pixels out from the centre show what was one pixel out.
        QCOMPARE(out[std::size_t(mid * n + mid + 2)], in[std::size_t(mid * n + mid + 1)]);
        QCOMPARE(out[std::size_t((mid - 2) * n + mid)], in[std::size_t((mid - 1) * n + mid)]);
        // Zooming out leaves a black border.
        p.zoom = 0.5;
        const Bytes small = applied(in, 1, n, n, p);
        QCOMPARE(int(small[0]), 0);
        QCOMPARE(small[std::size_t(mid * n + mid)], in[std::size_t(mid * n + mid)]);
    }

    void brightnessAdds() {
        Bytes in(60);
        for (std::size_t i = 0; i < in.size(); ++i)
            in[i] = std::uint8_t(20 + 3 * i);
        AugmentParams up, down;
        up.brightness = 30;
        down.brightness = -50; // clamps at 0
        const Bytes a = applied(in, 1, 6, 10, up), b = applied(in, 1, 6, 10, down);
        for (std::size_t i = 0; i < in.size(); ++i) {
            QCOMPARE(int(a[i]), std::min(255, in[i] + 30));
            QCOMPARE(int(b[i]), std::max(0, in[i] - 50));
        }
    }

    void contrastKeepsTheMean() {
        Bytes in(2 * 8 * 8);
        for (std::size_t i = 0; i < in.size(); ++i)
            in[i] = std::uint8_t(90 + (i * 13) % 80); // 90..169: no clipping at 1.5
        const double m = mean(in);
        auto spread = [](const Bytes& b) {
            const auto [lo, hi] = std::minmax_element(b.begin(), b.end());
            return int(*hi) - int(*lo);
        };
        for (double factor : {0.5, 1.5}) {
            AugmentParams p;
            p.contrast = factor;
            const Bytes out = applied(in, 2, 8, 8, p);
            QVERIFY2(std::abs(mean(out) - m) < 0.5, qPrintable(QString::number(mean(out) - m)));
            QVERIFY(std::abs(spread(out) - factor * spread(in)) <= 1.0);
        }
    }

    void erasingChangesExactlyARectangle() {
        const int c = 3, h = 12, w = 16;
        const Bytes in(std::size_t(c * h * w), 128);
        AugmentParams p;
        p.eraseX = 2;
        p.eraseY = 3;
        p.eraseWidth = 5;
        p.eraseHeight = 4;
        p.eraseSeed = 77;
        const Bytes out = applied(in, c, h, w, p);
        int changed = 0;
        for (int ch = 0; ch < c; ++ch)
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) {
                    const std::size_t i = std::size_t((ch * h + y) * w + x);
                    const bool inside = x >= 2 && x < 7 && y >= 3 && y < 7;
                    if (!inside)
                        QCOMPARE(int(out[i]), 128);
                    changed += out[i] != 128;
                }
        QVERIFY(changed >= c * 5 * 4 - 3);       // random values: a few may happen to be 128
        QVERIFY(out == applied(in, c, h, w, p)); // the fill comes from its seed

        // Drawn rectangles: the probability, area and aspect of Zhong et al.'s random erasing.
        Augmentation aug;
        aug.eraseProbability = 0.5;
        int erased = 0;
        const auto drawn = drawAugmentParams(aug, 1000, 28, 28, 8);
        for (const auto& d : drawn) {
            if (d.eraseWidth == 0)
                continue;
            ++erased;
            const double area = double(d.eraseWidth * d.eraseHeight) / (28.0 * 28.0);
            QVERIFY2(area > 0.01 && area < 0.3, qPrintable(QString::number(area)));
            const double aspect = double(d.eraseHeight) / d.eraseWidth;
            QVERIFY(aspect > 0.2 && aspect < 5);
            QVERIFY(d.eraseX >= 0 && d.eraseX + d.eraseWidth <= 28 && d.eraseY >= 0 &&
                    d.eraseY + d.eraseHeight <= 28);
        }
        QVERIFY2(erased > 430 && erased < 570, qPrintable(QString::number(erased)));
    }

    // Not an assertion: what augmentation adds to a training step (docs/DECISIONS.md quotes it).
    void costOfAFashionMnistBatch() {
        Augmentation aug;
        aug.horizontalFlip = aug.verticalFlip = true;
        aug.padCrop = 2;
        aug.rotationDegrees = 15;
        aug.widthShift = aug.heightShift = 0.1;
        aug.zoom = 0.1;
        aug.brightness = aug.contrast = 0.2;
        aug.eraseProbability = 0.5;
        const int batch = 128;
        const Bytes in = batchOf(batch, 1, 28, 28);
        Bytes work = in;
        const int rounds = 200;
        QElapsedTimer t;
        t.start();
        for (int r = 0; r < rounds; ++r) {
            work = in;
            augmentBatch(work.data(), batch, 1, 28, 28, aug, std::uint64_t(r));
        }
        const double us = double(t.nsecsElapsed()) / 1000.0 / rounds;
        qInfo("augmentBatch, 128x1x28x28, everything on: %.0f us per batch", us);
        QVERIFY(work != in);
    }
};

QTEST_APPLESS_MAIN(TestAugment)
#include "tst_augment.moc"
