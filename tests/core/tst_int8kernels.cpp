// The app's uint8 × int8 kernels (core/nn/Int8Kernels.h) against the plain one-multiply-at-a-time
// arithmetic, on every path this CPU has: a dense layer's shapes (depths that are and are not
// multiples of 4, output counts beside multiples of 16, a batch that leaves a remainder of rows),
// and a convolution read in place through group offsets. Any byte that differs fails.
#include "nn/Int8Kernels.h"

#include <QtTest>

#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace nc::int8;

namespace {

struct Case {
    std::int64_t m, rows, depth;
};

std::vector<std::uint8_t> randomBytes(std::size_t n, std::mt19937& rng) {
    std::uniform_int_distribution<int> d(0, 255);
    std::vector<std::uint8_t> v(n);
    for (auto& x : v)
        x = std::uint8_t(d(rng));
    return v;
}

std::vector<std::int8_t> randomWeights(std::size_t n, int magnitude, std::mt19937& rng) {
    std::uniform_int_distribution<int> d(-magnitude, magnitude);
    std::vector<std::int8_t> v(n);
    for (auto& x : v)
        x = std::int8_t(d(rng));
    return v;
}

struct Constants {
    std::vector<float> scale, bias;
    Requant r;
};

Constants constants(std::int64_t rows, std::int64_t depth, std::mt19937& rng, bool relu) {
    Constants c;
    std::uniform_real_distribution<float> s(0.2f, 1.0f), b(-40.0f, 40.0f);
    for (std::int64_t o = 0; o < rows; ++o) {
        // Outputs spread over the whole 0..255 range (and past it: clamping is checked too): the
        // sums' spread is about 4,000·√depth for these inputs and weights.
        c.scale.push_back(s(rng) * 0.03f / std::sqrt(float(depth)));
        c.bias.push_back(b(rng));
    }
    c.r.scale = c.scale.data();
    c.r.bias = c.bias.data();
    c.r.inZero = 37;
    c.r.outZero = 121;
    c.r.relu = relu;
    return c;
}

std::vector<std::string> paths() {
    std::vector<std::string> p;
    for (const char* isa : {"avx512-vnni", "avx2"}) {
        const std::vector<std::int8_t> w(16, 1);
        const PackedWeights packed = pack(w.data(), 1, 16);
        const std::vector<std::uint8_t> a(16, 1);
        std::uint8_t out = 0;
        const float scale = 1.0f;
        Requant r;
        r.scale = &scale;
        if (gemmWith(isa, a.data(), 1, 16, packed, r, &out, 1))
            p.push_back(isa);
    }
    return p;
}

} // namespace

class TestInt8Kernels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void denseLayersMatchThePlainArithmetic();
    void convolutionWindowsReadInPlaceMatch();
    void wideWeightsNeedVnni();
};

void TestInt8Kernels::denseLayersMatchThePlainArithmetic() {
    const auto isas = paths();
    if (std::string(kernelIsa()).empty())
        QVERIFY(isas.empty());
    else
        QVERIFY2(!isas.empty(), kernelIsa());
    std::mt19937 rng(7);
    const std::vector<Case> cases = {{64, 256, 784}, {64, 10, 84}, {13, 17, 30}, {1, 16, 4}, {9, 33, 1}, {64, 120, 400}};
    for (const std::string& isa : isas)
        for (const Case& c : cases)
            for (bool relu : {false, true}) {
                const auto a = randomBytes(std::size_t(c.m * c.depth), rng);
                const auto w = randomWeights(std::size_t(c.rows * c.depth), 64, rng);
                const Constants k = constants(c.rows, c.depth, rng, relu);
                const PackedWeights packed = pack(w.data(), c.rows, c.depth);
                std::vector<std::uint8_t> got(std::size_t(c.m * c.rows), 0), want(got.size(), 0);
                QVERIFY(gemmWith(isa.c_str(), a.data(), c.m, c.depth, packed, k.r, got.data(), c.rows));
                gemmReference(a.data(), c.m, c.depth, w.data(), c.rows, c.depth, k.r, want.data(), c.rows);
                int differ = 0, low = 0, high = 0;
                for (std::size_t i = 0; i < got.size(); ++i) {
                    differ += got[i] != want[i];
                    low += want[i] == (relu ? 121 : 0);
                    high += want[i] == 255;
                }
                const QString what = QString("%1, %2 rows × %3 → %4 outputs%5")
                                         .arg(isa.c_str()).arg(c.m).arg(c.depth).arg(c.rows).arg(relu ? ", relu" : "");
                QVERIFY2(differ == 0, qPrintable(what + QString(": %1 of %2 bytes differ").arg(differ).arg(got.size())));
                // The data reaches both ends, so the clamping is exercised, and is not all clamped.
                if (c.m * c.rows >= 1000)
                    QVERIFY2(low > 0 && high > 0 && low + high < int(got.size()) * 3 / 4, qPrintable(what));
            }
}

// A 5 × 5 convolution of a 3-channel, 12 × 11 padded image, stride 2, as the executor runs it:
// each kernel row's 15 bytes read straight from the image through offsets (padded to 16 with
// zero weights), against the same windows copied out one by one.
void TestInt8Kernels::convolutionWindowsReadInPlaceMatch() {
    std::mt19937 rng(11);
    const std::int64_t h = 12, w = 11, c = 3, k = 5, stride = 2, outs = 20;
    const std::int64_t run = k * c, padded = 16, oh = (h - k) / stride + 1, ow = (w - k) / stride + 1;
    auto image = randomBytes(std::size_t(h * w * c + padded), rng);
    const auto weights = randomWeights(std::size_t(outs * k * run), 64, rng);
    std::vector<std::int8_t> packedOrder(std::size_t(outs * k * padded), 0);
    for (std::int64_t o = 0; o < outs; ++o)
        for (std::int64_t ky = 0; ky < k; ++ky)
            for (std::int64_t j = 0; j < run; ++j)
                packedOrder[std::size_t((o * k + ky) * padded + j)] = weights[std::size_t((o * k + ky) * run + j)];
    const PackedWeights packed = pack(packedOrder.data(), outs, k * padded);
    std::vector<std::int64_t> offsets;
    for (std::int64_t ky = 0; ky < k; ++ky)
        for (std::int64_t j = 0; j < padded; j += 4)
            offsets.push_back(ky * w * c + j);
    const Constants kc = constants(outs, k * run, rng, false);
    // The windows, copied out: the reference's input rows.
    std::vector<std::uint8_t> windows;
    for (std::int64_t y = 0; y < oh; ++y)
        for (std::int64_t x = 0; x < ow; ++x)
            for (std::int64_t ky = 0; ky < k; ++ky)
                for (std::int64_t j = 0; j < run; ++j)
                    windows.push_back(image[std::size_t(((y * stride + ky) * w + x * stride) * c + j)]);
    std::vector<std::uint8_t> want(std::size_t(oh * ow * outs));
    gemmReference(windows.data(), oh * ow, k * run, weights.data(), outs, k * run, kc.r, want.data(), outs);
    for (const std::string& isa : paths()) {
        std::vector<std::uint8_t> got(want.size(), 0);
        for (std::int64_t y = 0; y < oh; ++y)
            QVERIFY(gemmWith(isa.c_str(), image.data() + y * stride * w * c, ow, stride * c, packed, kc.r,
                             got.data() + y * ow * outs, outs, offsets.data()));
        int differ = 0;
        for (std::size_t i = 0; i < got.size(); ++i)
            differ += got[i] != want[i];
        QVERIFY2(differ == 0, qPrintable(QString("%1: %2 of %3 bytes differ").arg(isa.c_str()).arg(differ).arg(got.size())));
    }
}

// Weights of ±127 (files quantised before weights were kept in ±64): exact on VNNI; the AVX2
// path, whose 16-bit pair sums would saturate, declines them (the executor keeps oneDNN).
void TestInt8Kernels::wideWeightsNeedVnni() {
    std::mt19937 rng(3);
    const auto a = randomBytes(8 * 64, rng);
    auto w = randomWeights(16 * 64, 127, rng);
    w[5] = 127;
    const PackedWeights packed = pack(w.data(), 16, 64);
    QCOMPARE(packed.maxMagnitude, 127);
    const Constants k = constants(16, 64, rng, false);
    std::vector<std::uint8_t> got(8 * 16, 0), want(got.size(), 0);
    QVERIFY(!gemmWith("avx2", a.data(), 8, 64, packed, k.r, got.data(), 16));
    gemmReference(a.data(), 8, 64, w.data(), 16, 64, k.r, want.data(), 16);
    if (gemmWith("avx512-vnni", a.data(), 8, 64, packed, k.r, got.data(), 16))
        QVERIFY(got == want);
}

QTEST_GUILESS_MAIN(TestInt8Kernels)
#include "tst_int8kernels.moc"
