// Dataset readers (IDX, CIFAR-10, Fashion-MNIST, synthetic shapes) and the data utilities.
#include "data/Dataset.h"
#include "util/Error.h"
#include "util/Files.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

using namespace nc;

namespace {

void putBE32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> s));
}

std::vector<std::uint8_t> idxImages(std::uint32_t n, std::uint32_t h, std::uint32_t w, std::size_t pixels) {
    std::vector<std::uint8_t> out;
    putBE32(out, 0x00000803);
    putBE32(out, n);
    putBE32(out, h);
    putBE32(out, w);
    for (std::size_t i = 0; i < pixels; ++i)
        out.push_back(static_cast<std::uint8_t>(i * 7 + 3));
    return out;
}

std::vector<std::uint8_t> idxLabels(const std::vector<std::uint8_t>& labels) {
    std::vector<std::uint8_t> out;
    putBE32(out, 0x00000801);
    putBE32(out, static_cast<std::uint32_t>(labels.size()));
    out.insert(out.end(), labels.begin(), labels.end());
    return out;
}

void writeBytes(const QString& path, const std::vector<std::uint8_t>& bytes) {
    writeFileAtomic(path.toStdString(), bytes.data(), bytes.size());
}

void writeGzip(const QString& path, const std::vector<std::uint8_t>& bytes) {
    gzFile f = gzopen(path.toLocal8Bit().constData(), "wb");
    QVERIFY(f);
    QCOMPARE(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), int(bytes.size()));
    gzclose(f);
}

// The nc::Error message of `f`, or "<no error>"; hostile headers must fail fast.
template <typename F> QString errorOf(F&& f) {
    QElapsedTimer timer;
    timer.start();
    try {
        f();
    } catch (const Error& e) {
        if (timer.elapsed() > 2000)
            return QStringLiteral("too slow: ") + QString::fromStdString(e.what());
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("<no error>");
}

// 5 images of 2x3 and labels 0..4 % 3.
const std::vector<std::uint8_t> kLabels = {0, 1, 2, 0, 1};

std::vector<std::uint8_t> cifarRecords(const std::vector<std::uint8_t>& labels) {
    std::vector<std::uint8_t> out;
    for (std::size_t r = 0; r < labels.size(); ++r) {
        out.push_back(labels[r]);
        for (int i = 0; i < 3072; ++i)
            out.push_back(static_cast<std::uint8_t>(i + r));
    }
    return out;
}

double meanAbsDiff(const Dataset& d, std::int64_t i, bool insideBox, const double bg[3]) {
    const std::int32_t* b = d.boxes.data() + i * 4;
    double sum = 0;
    int count = 0;
    for (int y = 0; y < d.height; ++y)
        for (int x = 0; x < d.width; ++x) {
            const bool in = x >= b[0] && x < b[2] && y >= b[1] && y < b[3];
            if (in != insideBox)
                continue;
            for (int c = 0; c < 3; ++c)
                sum += std::abs(d.image(i)[c * d.height * d.width + y * d.width + x] - bg[c]);
            count += 3;
        }
    return count ? sum / count : 0;
}

} // namespace

class TestDataReaders : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void idxPlainAndGzip();
    void idxFolderNames();
    void idxCutByOneByte();
    void idxWrongMagic();
    void idxHugeCount();
    void idxCountMismatch();
    void cifarReads();
    void cifarBadFiles();
    void fashionMnist();
    void specs();
    void shapesDeterministicAndBalanced();
    void shapesBoxes();
    void subsetKeepsBoxes();
    void stratifiedSplitKeepsProportions();
    void normalization();
    void augmentFlip();
    void augmentCrop();
};

void TestDataReaders::idxPlainAndGzip() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto images = idxImages(5, 2, 3, 30);
    writeBytes(dir.filePath("i"), images);
    writeBytes(dir.filePath("l"), idxLabels(kLabels));
    writeGzip(dir.filePath("i.gz"), images);
    writeGzip(dir.filePath("l.gz"), idxLabels(kLabels));
    for (const char* suffix : {"", ".gz"}) {
        const Dataset d = readIdx(dir.filePath(QString("i") + suffix).toStdString(),
                                  dir.filePath(QString("l") + suffix).toStdString());
        QCOMPARE(d.size(), std::int64_t(5));
        QCOMPARE(d.channels, std::int64_t(1));
        QCOMPARE(d.height, std::int64_t(2));
        QCOMPARE(d.width, std::int64_t(3));
        QCOMPARE(d.numClasses(), 3);
        QCOMPARE(d.classNames[2], std::string("2"));
        QCOMPARE(d.labels, std::vector<std::int64_t>({0, 1, 2, 0, 1}));
        QVERIFY(std::equal(d.images.begin(), d.images.end(), images.begin() + 16, images.end()));
        QCOMPARE(int(d.image(4)[5]), int(images[16 + 29]));
    }
}

void TestDataReaders::idxFolderNames() {
    QTemporaryDir dir;
    writeGzip(dir.filePath("train-images-idx3-ubyte.gz"), idxImages(5, 2, 3, 30));
    writeBytes(dir.filePath("train-labels-idx1-ubyte"), idxLabels(kLabels));
    // No test files: an empty test set of the same shape.
    DatasetPair p = loadDataset("idx:" + dir.path().toStdString());
    QCOMPARE(p.train.size(), std::int64_t(5));
    QCOMPARE(p.test.size(), std::int64_t(0));
    QCOMPARE(p.test.width, std::int64_t(3));

    writeBytes(dir.filePath("t10k-images-idx3-ubyte"), idxImages(2, 2, 3, 12));
    writeGzip(dir.filePath("t10k-labels-idx1-ubyte.gz"), idxLabels({3, 0}));
    p = loadDataset("idx:" + dir.path().toStdString(), 4, 1);
    QCOMPARE(p.train.size(), std::int64_t(4));
    QCOMPARE(p.train.images.size(), std::size_t(24));
    QCOMPARE(p.test.size(), std::int64_t(1));
    // Label 3 appears only in the test set; both parts name the same 4 classes.
    QCOMPARE(p.train.numClasses(), 4);
    QCOMPARE(p.test.numClasses(), 4);
    const DatasetInfo info = datasetInfo("idx:" + dir.path().toStdString());
    QCOMPARE(info.channels, std::int64_t(1));
    QCOMPARE(info.height, std::int64_t(2));
    QCOMPARE(info.width, std::int64_t(3));
    QCOMPARE(info.classNames.size(), std::size_t(4));

    QTemporaryDir empty;
    const QString msg = errorOf([&] { loadDataset("idx:" + empty.path().toStdString()); });
    QVERIFY2(msg.contains("train-images-idx3-ubyte"), qPrintable(msg));
}

void TestDataReaders::idxCutByOneByte() {
    QTemporaryDir dir;
    auto images = idxImages(5, 2, 3, 30);
    images.pop_back();
    writeBytes(dir.filePath("i"), images);
    writeGzip(dir.filePath("i.gz"), images);
    writeBytes(dir.filePath("l"), idxLabels(kLabels));
    for (const char* name : {"i", "i.gz"}) {
        const std::string path = dir.filePath(name).toStdString();
        const QString msg = errorOf([&] { readIdx(path, dir.filePath("l").toStdString()); });
        QVERIFY2(msg.startsWith(QString::fromStdString(path)) &&
                     msg.contains("expected 30 bytes of image data") && msg.contains("file has 29"),
                 qPrintable(msg));
    }
    auto labels = idxLabels(kLabels);
    labels.pop_back();
    writeBytes(dir.filePath("l2"), labels);
    writeBytes(dir.filePath("i2"), idxImages(5, 2, 3, 30));
    const QString msg =
        errorOf([&] { readIdx(dir.filePath("i2").toStdString(), dir.filePath("l2").toStdString()); });
    QVERIFY2(msg.contains("expected 5 bytes of label data, file has 4"), qPrintable(msg));
}

void TestDataReaders::idxWrongMagic() {
    QTemporaryDir dir;
    writeBytes(dir.filePath("l"), idxLabels(kLabels));
    // Labels passed as images, a PNG passed as images, and 32-bit int data.
    QString msg = errorOf([&] { readIdx(dir.filePath("l").toStdString(), dir.filePath("l").toStdString()); });
    QVERIFY2(msg.contains("wrong magic number 0x00000801, expected 0x00000803"), qPrintable(msg));
    writeBytes(dir.filePath("png"), {0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0, 0, 0, 0, 0});
    msg = errorOf([&] { readIdx(dir.filePath("png").toStdString(), dir.filePath("l").toStdString()); });
    QVERIFY2(msg.contains("wrong magic number 0x89504E47"), qPrintable(msg));
    auto ints = idxImages(1, 1, 1, 1);
    ints[2] = 0x0C;
    writeBytes(dir.filePath("ints"), ints);
    msg = errorOf([&] { readIdx(dir.filePath("ints").toStdString(), dir.filePath("l").toStdString()); });
    QVERIFY2(msg.contains("only unsigned-byte data"), qPrintable(msg));
    writeBytes(dir.filePath("short"), {0, 0, 8, 3, 0, 0});
    msg = errorOf([&] { readIdx(dir.filePath("short").toStdString(), dir.filePath("l").toStdString()); });
    QVERIFY2(msg.contains("header is cut short"), qPrintable(msg));
}

void TestDataReaders::idxHugeCount() {
    QTemporaryDir dir;
    writeBytes(dir.filePath("i"), idxImages(0x80000000u, 28, 28, 784));
    writeGzip(dir.filePath("i.gz"), idxImages(0xFFFFFFFFu, 4096, 4096, 100));
    writeBytes(dir.filePath("l"), idxLabels(kLabels));
    QString msg = errorOf([&] { readIdx(dir.filePath("i").toStdString(), dir.filePath("l").toStdString()); });
    QVERIFY2(msg.contains("expected 1683627180032 bytes of image data") && msg.contains("file has 784"),
             qPrintable(msg));
    msg = errorOf([&] { readIdx(dir.filePath("i.gz").toStdString(), dir.filePath("l").toStdString()); });
    QVERIFY2(msg.contains("file has 100"), qPrintable(msg));
    writeBytes(dir.filePath("wide"), idxImages(1, 1, 100000, 100000));
    msg = errorOf([&] { readIdx(dir.filePath("wide").toStdString(), dir.filePath("l").toStdString()); });
    QVERIFY2(msg.contains("image size 1x100000 is not supported"), qPrintable(msg));
}

void TestDataReaders::idxCountMismatch() {
    QTemporaryDir dir;
    writeBytes(dir.filePath("i"), idxImages(5, 2, 3, 30));
    writeBytes(dir.filePath("l"), idxLabels({0, 1, 2}));
    const QString msg =
        errorOf([&] { readIdx(dir.filePath("i").toStdString(), dir.filePath("l").toStdString()); });
    QVERIFY2(msg.contains("has 5 images but") && msg.contains("has 3 labels"), qPrintable(msg));
}

void TestDataReaders::cifarReads() {
    QTemporaryDir dir;
    writeBytes(dir.filePath("data_batch_1.bin"), cifarRecords({0, 9, 3}));
    writeBytes(dir.filePath("data_batch_2.bin"), cifarRecords({5}));
    writeBytes(dir.filePath("test_batch.bin"), cifarRecords({1, 2}));
    DatasetPair p = loadDataset("cifar10:" + dir.path().toStdString());
    QCOMPARE(p.train.size(), std::int64_t(4));
    QCOMPARE(p.test.size(), std::int64_t(2));
    QCOMPARE(p.train.channels, std::int64_t(3));
    QCOMPARE(p.train.height, std::int64_t(32));
    QCOMPARE(p.train.labels, std::vector<std::int64_t>({0, 9, 3, 5}));
    QCOMPARE(p.train.classNames[1], std::string("automobile"));
    QCOMPARE(int(p.train.image(1)[0]), 1);             // record 1, pixel 0 (red plane)
    QCOMPARE(int(p.train.image(1)[1024]), 1025 % 256); // green plane starts at 1024
    QCOMPARE(int(p.train.image(3)[5]), 5);

    // Class names from batches.meta.txt, and a single batch read on its own.
    writeFileAtomic(dir.filePath("batches.meta.txt").toStdString(), std::string("cat\ndog\r\n\n"));
    writeBytes(dir.filePath("two.bin"), cifarRecords({1, 0}));
    const Dataset d = readCifarBatch(dir.filePath("two.bin").toStdString());
    QCOMPARE(d.classNames, std::vector<std::string>({"cat", "dog"}));
    QCOMPARE(d.labels, std::vector<std::int64_t>({1, 0}));
    QCOMPARE(datasetInfo("cifar10:" + dir.path().toStdString()).classNames.size(), std::size_t(2));
    // Label 9 is now beyond the two named classes.
    const QString msg = errorOf([&] { loadDataset("cifar10:" + dir.path().toStdString()); });
    QVERIFY2(msg.contains("data_batch_1.bin") && msg.contains("label 9") && msg.contains("only 2 classes"),
             qPrintable(msg));
}

void TestDataReaders::cifarBadFiles() {
    QTemporaryDir dir;
    auto bytes = cifarRecords({0, 1});
    bytes.pop_back();
    const std::string path = dir.filePath("data_batch_1.bin").toStdString();
    writeBytes(dir.filePath("data_batch_1.bin"), bytes);
    QString msg = errorOf([&] { readCifarBatch(path); });
    QVERIFY2(msg.startsWith(QString::fromStdString(path)) && msg.contains("6145 bytes") &&
                 msg.contains("3073 bytes each"),
             qPrintable(msg));
    writeBytes(dir.filePath("empty.bin"), {});
    msg = errorOf([&] { readCifarBatch(dir.filePath("empty.bin").toStdString()); });
    QVERIFY2(msg.contains("0 bytes is not a whole number"), qPrintable(msg));
    writeBytes(dir.filePath("label.bin"), cifarRecords({0, 10}));
    msg = errorOf([&] { readCifarBatch(dir.filePath("label.bin").toStdString()); });
    QVERIFY2(msg.contains("record 1 has label 10") && msg.contains("only 10 classes"), qPrintable(msg));
    QTemporaryDir empty;
    msg = errorOf([&] { loadDataset("cifar10:" + empty.path().toStdString()); });
    QVERIFY2(msg.contains("no CIFAR-10 binary batches"), qPrintable(msg));
}

void TestDataReaders::fashionMnist() {
    const std::string dir = fashionMnistDir();
    QVERIFY2(std::filesystem::is_directory(dir),
             qPrintable(QString::fromStdString("Fashion-MNIST folder " + dir +
                                               " is missing: install the dataset-fashion-mnist package "
                                               "(scripts' install step) or set NC_DATA_DIR")));
    const DatasetPair p = loadDataset("fashion-mnist");
    QCOMPARE(p.train.size(), std::int64_t(60000));
    QCOMPARE(p.test.size(), std::int64_t(10000));
    QCOMPARE(p.train.channels, std::int64_t(1));
    QCOMPARE(p.train.height, std::int64_t(28));
    QCOMPARE(p.train.width, std::int64_t(28));
    QCOMPARE(p.train.images.size(), std::size_t(60000) * 784);
    QCOMPARE(p.train.numClasses(), 10);
    QCOMPARE(p.test.numClasses(), 10);
    QCOMPARE(p.train.classNames[0], std::string("T-shirt/top"));
    QCOMPARE(p.train.classNames[9], std::string("Ankle boot"));
    std::vector<int> perClass(10, 0);
    for (auto l : p.train.labels)
        ++perClass[static_cast<std::size_t>(l)];
    QCOMPARE(perClass, std::vector<int>(10, 6000));

    const DatasetInfo info = datasetInfo("fashion-mnist");
    QCOMPARE(info.height, std::int64_t(28));
    QCOMPARE(info.classNames, p.train.classNames);
}

void TestDataReaders::specs() {
    for (const char* bad : {"mnist", "idx:", "shapes:abc", "shapes:0", "shapes:-5", ""}) {
        const QString msg = errorOf([&] { datasetInfo(bad); });
        QVERIFY2(msg.contains("spec"), qPrintable(msg));
    }
    const QString msg = errorOf([&] { loadDataset("imagenet"); });
    QVERIFY2(msg.contains("fashion-mnist") && msg.contains("idx:DIR") && msg.contains("cifar10:DIR") &&
                 msg.contains("shapes:N"),
             qPrintable(msg));
    const DatasetPair p = loadDataset("shapes:60");
    QCOMPARE(p.train.size(), std::int64_t(60));
    QCOMPARE(p.test.size(), std::int64_t(12));
    QCOMPARE(p.train.name, std::string("shapes:60"));
    // The test set is a separate generation, not a copy of the first training images.
    QVERIFY(!std::equal(p.train.image(0), p.train.image(0) + p.train.imageBytes(), p.test.image(0)));
    const DatasetPair q = loadDataset("shapes", 10, 5);
    QCOMPARE(q.train.size(), std::int64_t(10));
    QCOMPARE(q.train.boxes.size(), std::size_t(40));
    QCOMPARE(q.test.size(), std::int64_t(5));
    const DatasetInfo info = datasetInfo("shapes:9");
    QCOMPARE(info.channels, std::int64_t(3));
    QCOMPARE(info.classNames, std::vector<std::string>({"circle", "square", "triangle"}));
}

void TestDataReaders::shapesDeterministicAndBalanced() {
    const Dataset a = makeShapes(300, 42), b = makeShapes(300, 42), c = makeShapes(300, 43);
    QVERIFY(a.images == b.images);
    QVERIFY(a.boxes == b.boxes);
    QVERIFY(a.labels == b.labels);
    QVERIFY(a.images != c.images);
    QCOMPARE(a.imageBytes(), std::int64_t(3 * 32 * 32));
    std::vector<int> perClass(3, 0);
    for (auto l : a.labels)
        ++perClass[static_cast<std::size_t>(l)];
    QCOMPARE(perClass, std::vector<int>(3, 100));
}

void TestDataReaders::shapesBoxes() {
    const Dataset d = makeShapes(90, 7);
    QCOMPARE(d.boxes.size(), std::size_t(90 * 4));
    for (std::int64_t i = 0; i < d.size(); ++i) {
        const std::int32_t* b = d.boxes.data() + i * 4;
        QVERIFY(b[0] >= 0 && b[1] >= 0 && b[2] <= 32 && b[3] <= 32);
        // Radius 4..8: boxes are 9..17 pixels wide and tall.
        QVERIFY2(b[2] - b[0] >= 9 && b[2] - b[0] <= 17 && b[3] - b[1] >= 9 && b[3] - b[1] <= 17,
                 qPrintable(QString::number(i)));
        // Background colour: the mean outside the box; the object inside stands out from it.
        double bg[3] = {0, 0, 0};
        int n = 0;
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x)
                if (!(x >= b[0] && x < b[2] && y >= b[1] && y < b[3])) {
                    for (int c = 0; c < 3; ++c)
                        bg[c] += d.image(i)[c * 1024 + y * 32 + x];
                    ++n;
                }
        QVERIFY(n > 0);
        for (double& v : bg)
            v /= n;
        const double outside = meanAbsDiff(d, i, false, bg), inside = meanAbsDiff(d, i, true, bg);
        QVERIFY2(outside < 8 && inside > 30,
                 qPrintable(QString("image %1: inside %2 outside %3").arg(i).arg(inside).arg(outside)));
        // The object is the lighter one: at the box's centre (inside every shape) its channels
        // exceed the background's by 80 on average, less the noise (±6) and clamping at 0 and 255.
        const int cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2;
        double centre = 0;
        for (int c = 0; c < 3; ++c)
            centre += d.image(i)[c * 1024 + cy * 32 + cx] - bg[c];
        QVERIFY2(centre >= 3 * (80 - 10), qPrintable(QString("image %1: centre %2").arg(i).arg(centre)));
    }
}

void TestDataReaders::subsetKeepsBoxes() {
    const Dataset d = makeShapes(10, 1);
    const Dataset s = d.subset({7, 2});
    QCOMPARE(s.size(), std::int64_t(2));
    QCOMPARE(s.labels[0], d.labels[7]);
    QVERIFY(std::equal(s.image(1), s.image(1) + s.imageBytes(), d.image(2)));
    QVERIFY(std::equal(s.boxes.begin(), s.boxes.begin() + 4, d.boxes.begin() + 28));
    QCOMPARE(s.classNames, d.classNames);
    QVERIFY_THROWS_EXCEPTION(Error, d.subset({10}));
}

void TestDataReaders::stratifiedSplitKeepsProportions() {
    // Unbalanced classes: 500, 300, 200, 7 samples, interleaved.
    std::vector<std::int64_t> labels;
    const int counts[4] = {500, 300, 200, 7};
    for (int c = 0; c < 4; ++c)
        for (int i = 0; i < counts[c]; ++i)
            labels.push_back(c);
    for (std::size_t i = 0; i < labels.size(); ++i) // deterministic interleave
        std::swap(labels[i], labels[(i * 7919) % labels.size()]);

    const auto [train, val] = stratifiedSplit(labels, 4, 0.1, 123);
    QCOMPARE(train.size() + val.size(), labels.size());
    std::vector<int> inVal(4, 0);
    std::vector<bool> seen(labels.size(), false);
    for (auto i : val) {
        ++inVal[static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])];
        seen[static_cast<std::size_t>(i)] = true;
    }
    for (auto i : train) {
        QVERIFY2(!seen[static_cast<std::size_t>(i)], "an index is in both parts");
        seen[static_cast<std::size_t>(i)] = true;
    }
    for (int c = 0; c < 4; ++c)
        QVERIFY2(
            std::abs(inVal[static_cast<std::size_t>(c)] - counts[c] * 0.1) <= 1.0,
            qPrintable(QString("class %1: %2 in validation").arg(c).arg(inVal[static_cast<std::size_t>(c)])));

    const auto again = stratifiedSplit(labels, 4, 0.1, 123);
    QVERIFY(again.first == train && again.second == val);
    const auto other = stratifiedSplit(labels, 4, 0.1, 124);
    QVERIFY(other.second != val);
    QVERIFY_THROWS_EXCEPTION(Error, stratifiedSplit({0, 5}, 2, 0.1, 1));
}

void TestDataReaders::normalization() {
    // Two 2-channel 1x2 images: channel 0 holds 0, 255, 255, 255; channel 1 is 51 everywhere.
    Dataset d;
    d.channels = 2;
    d.height = 1;
    d.width = 2;
    d.classNames = {"a"};
    d.images = {0, 255, 51, 51, 255, 255, 51, 51};
    d.labels = {0, 0};
    const Normalization n = computeNormalization(d);
    QCOMPARE(n.mean.size(), std::size_t(2));
    QVERIFY(std::abs(n.mean[0] - 0.75f) < 1e-6f);
    QVERIFY(std::abs(n.std[0] - std::sqrt(0.1875f)) < 1e-6f); // sqrt(0.75 * 0.25)
    QVERIFY(std::abs(n.mean[1] - 0.2f) < 1e-6f);
    QCOMPARE(n.std[1], 1.f); // a constant channel is left unscaled rather than divided by zero
}

void TestDataReaders::augmentFlip() {
    // One 1x2x3 image per sample, 64 samples: every sample comes back original or mirrored.
    const std::vector<std::uint8_t> img = {1, 2, 3, 4, 5, 6};
    const std::vector<std::uint8_t> mirror = {3, 2, 1, 6, 5, 4};
    std::vector<std::uint8_t> batch;
    for (int i = 0; i < 64; ++i)
        batch.insert(batch.end(), img.begin(), img.end());
    Augmentation aug;
    aug.horizontalFlip = true;
    auto a = batch;
    augmentBatch(a.data(), 64, 1, 2, 3, aug, 5);
    int flipped = 0;
    for (int i = 0; i < 64; ++i) {
        const std::vector<std::uint8_t> s(a.begin() + i * 6, a.begin() + i * 6 + 6);
        QVERIFY(s == img || s == mirror);
        flipped += s == mirror;
    }
    QVERIFY2(flipped > 10 && flipped < 54, qPrintable(QString::number(flipped)));
    auto b = batch;
    augmentBatch(b.data(), 64, 1, 2, 3, aug, 5);
    QVERIFY(a == b);
    auto off = batch;
    augmentBatch(off.data(), 64, 1, 2, 3, Augmentation{}, 5);
    QVERIFY(off == batch);
}

void TestDataReaders::augmentCrop() {
    // A 5x5 image of all 200s: a shifted crop keeps its size and fills what it exposes with zeros.
    const int side = 5, pad = 2, samples = 50;
    std::vector<std::uint8_t> batch(static_cast<std::size_t>(samples * 2 * side * side), 200);
    Augmentation aug;
    aug.padCrop = pad;
    augmentBatch(batch.data(), samples, 2, side, side, aug, 9);
    QCOMPARE(batch.size(), std::size_t(samples * 2 * side * side));
    int shifted = 0;
    for (int s = 0; s < samples; ++s) {
        const std::uint8_t* p = batch.data() + s * 2 * side * side;
        int zeros = 0, kept = 0;
        for (int k = 0; k < side * side; ++k) {
            QVERIFY(p[k] == 0 || p[k] == 200);
            QCOMPARE(p[k], p[k + side * side]); // both channels moved the same way
            zeros += p[k] == 0;
            kept += p[k] == 200;
        }
        // At most `pad` rows and columns are exposed, so a (side-pad)^2 block of data remains.
        QVERIFY(kept >= (side - pad) * (side - pad));
        shifted += zeros > 0;
    }
    QVERIFY(shifted > samples / 2);

    // The centre pixel of a 5x5 image survives any shift of at most 2 and is not duplicated.
    std::vector<std::uint8_t> one(25, 0);
    one[12] = 255;
    augmentBatch(one.data(), 1, 1, side, side, aug, 3);
    int count = 0;
    for (auto v : one)
        count += v == 255;
    QCOMPARE(count, 1);
}

QTEST_APPLESS_MAIN(TestDataReaders)
#include "tst_datareaders.moc"
