// folder: and csv: datasets on real files the test writes: a messy tree of Fashion-MNIST and
// shapes images (PNG and JPEG, several sizes, grey and colour, 16-bit) with the files people's
// folders really hold (a corrupt JPEG, a zero-byte file, text named .jpg, a decompression bomb,
// a duplicate across classes, a symbolic link leaving the folder). It trains; the report names
// exactly the bad ones; the cache is reused, rebuilt when a file changes, never left half-written.
#include "data/Dataset.h"
#include "data/ImageCache.h"
#include "graph/Project.h"
#include "imaging/BatchPredict.h"
#include "imaging/ImageFolder.h"
#include "nn/Model.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Files.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <set>

using namespace nc;
namespace fs = std::filesystem;

namespace {

void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void putBe32(std::string& s, std::uint32_t v) {
    for (int i = 3; i >= 0; --i)
        s += char((v >> (8 * i)) & 0xff);
}

void pngChunk(std::string& out, const char* type, const std::string& data) {
    putBe32(out, std::uint32_t(data.size()));
    std::string body = std::string(type, 4) + data;
    out += body;
    putBe32(out, std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size()))));
}

// A real, valid 30,000 × 30,000 grey PNG of zeros (~1 MB compressed, 900 MB decoded).
void writePngBomb(const std::string& path) {
    const std::uint32_t side = 30000;
    std::string ihdr;
    putBe32(ihdr, side);
    putBe32(ihdr, side);
    ihdr += std::string("\x08\x00\x00\x00\x00", 5); // 8-bit grey
    z_stream z{};
    deflateInit(&z, 9);
    std::string row(side + 1, '\0'), idat;
    std::vector<unsigned char> buf(1 << 16);
    for (std::uint32_t y = 0; y < side; ++y) {
        z.next_in = reinterpret_cast<Bytef*>(row.data());
        z.avail_in = uInt(row.size());
        const int flush = y + 1 == side ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = buf.data();
            z.avail_out = uInt(buf.size());
            deflate(&z, flush);
            idat.append(reinterpret_cast<char*>(buf.data()), buf.size() - z.avail_out);
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    std::string png = "\x89PNG\r\n\x1a\n";
    pngChunk(png, "IHDR", ihdr);
    pngChunk(png, "IDAT", idat);
    pngChunk(png, "IEND", "");
    writeBytes(path, png);
}

cv::Mat asMat(const Dataset& d, std::int64_t i) {
    std::vector<std::uint8_t> scratch;
    const std::uint8_t* p = d.imagesAt(i, 1, scratch);
    const int h = int(d.height), w = int(d.width);
    if (d.channels == 1)
        return cv::Mat(h, w, CV_8UC1, const_cast<std::uint8_t*>(p)).clone();
    std::vector<cv::Mat> planes;
    for (int c = 2; c >= 0; --c) // RGB planes to BGR
        planes.push_back(cv::Mat(h, w, CV_8UC1, const_cast<std::uint8_t*>(p + c * h * w)).clone());
    cv::Mat bgr;
    cv::merge(planes, bgr);
    return bgr;
}

struct Cli {
    int code = -1;
    QString out, err;
};
Cli cli(const QStringList& args, const QStringList& env = {}) {
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString& kv : env)
        e.insert(kv.section('=', 0, 0), kv.section('=', 1));
    p.setProcessEnvironment(e);
    p.start(NC_CLI_PATH, args);
    if (!p.waitForFinished(300000))
        p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

Json lastJsonWith(const QString& out, const std::string& event) {
    Json found;
    for (const QString& line : out.split('\n', Qt::SkipEmptyParts)) {
        try {
            Json j = Json::parse(line.toStdString());
            if (j.value("event", "") == event)
                found = j;
        } catch (const std::exception&) {
        }
    }
    return found;
}

// Two prediction CSVs agree: same text, except numbers, which may differ by 1e-5. Empty if so.
QString sameCsv(const std::string& a, const std::string& b) {
    const QStringList la = QString::fromStdString(a).split('\n'), lb = QString::fromStdString(b).split('\n');
    if (la.size() != lb.size())
        return QStringLiteral("%1 lines against %2").arg(la.size()).arg(lb.size());
    const QRegularExpression number(QStringLiteral("\\d+\\.\\d+"));
    for (int i = 0; i < la.size(); ++i) {
        QString ta = la[i], tb = lb[i];
        QList<double> na, nb;
        for (auto m = number.globalMatch(ta); m.hasNext();)
            na << m.next().captured().toDouble();
        for (auto m = number.globalMatch(tb); m.hasNext();)
            nb << m.next().captured().toDouble();
        ta.replace(number, "#");
        tb.replace(number, "#");
        if (ta != tb || na.size() != nb.size())
            return QStringLiteral("line %1: %2 | %3").arg(i + 1).arg(la[i], lb[i]);
        for (int k = 0; k < na.size(); ++k)
            if (std::abs(na[k] - nb[k]) > 1e-5)
                return QStringLiteral("line %1: %2 | %3").arg(i + 1).arg(la[i], lb[i]);
    }
    return {};
}

std::set<std::string> problemPaths(const ImportReport& r) {
    std::set<std::string> s;
    for (const ImportProblem& p : r.problems)
        s.insert(p.path);
    return s;
}

} // namespace

class TestImageFolder : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    std::string m_root, m_outside;
    std::int64_t m_goodImages = 0;
    std::set<std::string> m_bad;

    std::string tmp(const std::string& name) const { return (fs::path(m_tmp.path().toStdString()) / name).string(); }

private Q_SLOTS:
    void initTestCase() {
        installImageImporter();
        QVERIFY(m_tmp.isValid());
        m_root = tmp("myimages");
        // Three Fashion-MNIST classes and a class of shapes, 40 images each.
        const DatasetPair fm = loadDataset("fashion-mnist", 2000, 1);
        const Dataset shapes = makeShapes(40, 7);
        const std::pair<int, const char*> classes[] = {{0, "tshirt"}, {1, "trouser"}, {7, "sneaker"}};
        for (const auto& [label, name] : classes) {
            fs::create_directories(fs::path(m_root) / name);
            int k = 0;
            for (std::int64_t i = 0; i < fm.train.size() && k < 40; ++i) {
                if (fm.train.labels[std::size_t(i)] != label)
                    continue;
                cv::Mat img = asMat(fm.train, i);
                const std::string base = (fs::path(m_root) / name / ("img" + std::to_string(k))).string();
                if (k % 4 == 0) { // colour JPEG at twice the size
                    cv::Mat big, bgr;
                    cv::resize(img, big, cv::Size(56, 56));
                    cv::cvtColor(big, bgr, cv::COLOR_GRAY2BGR);
                    QVERIFY(cv::imwrite(base + ".jpg", bgr));
                } else if (k % 4 == 1) { // a 16-bit grey PNG
                    cv::Mat wide;
                    img.convertTo(wide, CV_16U, 257.0);
                    QVERIFY(cv::imwrite(base + ".png", wide));
                } else {
                    QVERIFY(cv::imwrite(base + ".png", img));
                }
                ++k;
            }
            m_goodImages += k;
        }
        fs::create_directories(fs::path(m_root) / "shape" / "nested");
        for (int i = 0; i < 40; ++i) {
            const std::string sub = i % 2 ? "shape/nested/" : "shape/";
            QVERIFY(cv::imwrite((fs::path(m_root) / (sub + "s" + std::to_string(i) + ".png")).string(),
                                asMat(shapes, i)));
        }
        m_goodImages += 40;
        // What real folders hold besides images.
        const std::string jpeg = readAll(m_root + "/tshirt/img0.jpg");
        writeBytes(m_root + "/tshirt/corrupt.jpg", jpeg.substr(0, 200));
        writeBytes(m_root + "/trouser/empty.png", "");
        writeBytes(m_root + "/sneaker/notes.jpg", "these are my notes, not a picture\n");
        writePngBomb(m_root + "/trouser/bomb.png");
        fs::copy_file(m_root + "/tshirt/img2.png", m_root + "/trouser/copied.png"); // same bytes, two classes
        m_outside = tmp("outside.png");
        fs::copy_file(m_root + "/sneaker/img2.png", m_outside);
        fs::create_symlink(m_outside, m_root + "/sneaker/outside.png");
        fs::create_symlink(m_root + "/sneaker/img3.png", m_root + "/sneaker/inside-link.png"); // stays inside: kept
        writeBytes(m_root + "/README.txt", "my dataset\n");
        writeBytes(m_root + "/sneaker/.hidden.png", "");  // hidden: ignored, not reported
        fs::create_directories(m_root + "/.thumbnails");
        writeBytes(m_root + "/.thumbnails/x.png", "");
        m_bad = {"tshirt/corrupt.jpg", "trouser/empty.png", "sneaker/notes.jpg", "trouser/bomb.png",
                 "trouser/copied.png", "tshirt/img2.png", "sneaker/outside.png", "README.txt",
                 "sneaker/inside-link.png"}; // the same file as sneaker/img3.png: a duplicate
    }

    // The report lists exactly the bad files; the rest are in the dataset at the policy's shape.
    void importsAMessyFolder() {
        DatasetOptions o;
        o.cacheDir = tmp("cache1");
        ImportReport report;
        o.report = &report;
        const DatasetPair d = loadDataset("folder:" + m_root, o);
        QCOMPARE(problemPaths(report), m_bad);
        for (const ImportProblem& p : report.problems)
            QVERIFY2(!p.reason.empty(), p.path.c_str());
        // The good ones, less the one duplicated across classes.
        const std::int64_t expected = m_goodImages - 1;
        QCOMPARE(report.imported, expected);
        QCOMPARE(d.train.size() + d.test.size(), expected);
        QCOMPARE(d.train.classNames, (std::vector<std::string>{"shape", "sneaker", "trouser", "tshirt"}));
        // Most images are grey and the median size is 28×28: that is the automatic shape.
        QCOMPARE(d.train.channels, std::int64_t(1));
        QCOMPARE(d.train.height, std::int64_t(28));
        QCOMPARE(d.train.width, std::int64_t(28));
        // A stratified 20 % test part per class.
        QCOMPARE(report.testCounts[3] + report.trainCounts[3], std::int64_t(39));
        QVERIFY(report.testCounts[0] >= 7 && report.testCounts[0] <= 9);
        QVERIFY(!report.fromCache);
        QVERIFY(fileExists(report.cachePath));
        // With the shape named, the info comes from the folders alone and agrees.
        DatasetOptions named = o;
        named.policy.channels = 1;
        named.policy.height = named.policy.width = 28;
        const DatasetInfo info = datasetInfo("folder:" + m_root, named);
        QCOMPARE(info.classNames, d.train.classNames);
        QCOMPARE(info.height, std::int64_t(28));
        // The bomb was refused from its header: its reason names its size.
        for (const ImportProblem& p : report.problems)
            if (p.path == "trouser/bomb.png")
                QVERIFY2(p.reason.find("30000") != std::string::npos, p.reason.c_str());
    }

    // The 16-bit PNG holds the same picture as its 8-bit source.
    void sixteenBitIsScaledDown() {
        DatasetOptions o;
        o.cacheDir = tmp("cache1");
        const ImportPolicy p = o.policy;
        const ImageListing l = listImages("folder:" + m_root, p);
        const auto it = std::find_if(l.entries.begin(), l.entries.end(),
                                     [](const ImageEntry& e) { return e.rel == "tshirt/img1.png"; });
        QVERIFY(it != l.entries.end());
        const PreparedImage img = loadImageForModel(it->path, {1, 28, 28});
        cv::Mat raw = cv::imread(it->path, cv::IMREAD_UNCHANGED);
        QCOMPARE(raw.depth(), CV_16U);
        QCOMPARE(int(img.pixels[14 * 28 + 14]), int(raw.at<std::uint16_t>(14, 14) / 257));
    }

    // A second load reads the cache; a changed folder rebuilds it; a damaged cache is rebuilt.
    void cacheIsReusedAndRefreshed() {
        DatasetOptions o;
        o.cacheDir = tmp("cache2");
        ImportReport r1, r2, r3, r4;
        o.report = &r1;
        const DatasetPair a = loadDataset("folder:" + m_root, o);
        o.report = &r2;
        const DatasetPair b = loadDataset("folder:" + m_root, o);
        QVERIFY(!r1.fromCache);
        QVERIFY(r2.fromCache);
        QCOMPARE(r2.problems.size(), r1.problems.size());
        QVERIFY(a.train.images == b.train.images);
        QVERIFY(a.train.labels == b.train.labels);
        // A new image: rebuilt, with one more.
        fs::copy_file(m_root + "/shape/s0.png", m_root + "/shape/s0-new.png");
        writeBytes(m_root + "/shape/s0-new.png", readAll(m_root + "/shape/s2.png") + std::string(16, '\0'));
        o.report = &r3;
        loadDataset("folder:" + m_root, o);
        QVERIFY(!r3.fromCache);
        QCOMPARE(r3.imported, r1.imported + 1);
        fs::remove(m_root + "/shape/s0-new.png");
        // Truncated cache: not trusted, rebuilt in place.
        const std::string cache = r3.cachePath;
        fs::resize_file(cache, fs::file_size(cache) / 2);
        {
            auto f = ImageFile::open(cache);
            QVERIFY_THROWS_EXCEPTION(Error, readCacheHeader(*f));
        }
        o.report = &r4;
        const DatasetPair c = loadDataset("folder:" + m_root, o);
        QVERIFY(!r4.fromCache);
        QCOMPARE(c.train.size(), a.train.size());
        // Only the cache is in its folder: no temporary files left.
        int files = 0;
        for (const auto& e : fs::directory_iterator(o.cacheDir)) {
            ++files;
            QVERIFY2(e.path().extension() == ".nccache", e.path().c_str());
        }
        QCOMPARE(files, 1);
    }

    // What a killed import left (its process is gone) is removed by the next one.
    void abandonedTemporariesAreRemoved() {
        DatasetOptions o;
        o.cacheDir = tmp("cache6");
        fs::create_directories(o.cacheDir);
        const std::string cache = importCachePath("folder:" + m_root, o);
        writeBytes(cache + ".slots-999999999", std::string(4096, 'x'));
        writeBytes(cache + ".partial-999999999", "half");
        writeBytes(cache + ".slots-999999999-3", "from a second import in that process");
        writeBytes(cache + ".slots-1", "pid 1 runs: kept");
        loadDataset("folder:" + m_root, o);
        QVERIFY(!fs::exists(cache + ".slots-999999999"));
        QVERIFY(!fs::exists(cache + ".partial-999999999"));
        QVERIFY(!fs::exists(cache + ".slots-999999999-3"));
        QVERIFY(fs::exists(cache + ".slots-1"));
        QVERIFY(fs::exists(cache));
    }

    // Cancel during decoding: an ImportCancelled, and nothing written.
    void cancelLeavesNothing() {
        DatasetOptions o;
        o.cacheDir = tmp("cache3");
        int calls = 0;
        o.progress = [&](std::int64_t, std::int64_t) { return ++calls < 1; };
        o.threads = 1;
        bool cancelled = false;
        try {
            loadDataset("folder:" + m_root, o);
        } catch (const ImportCancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QVERIFY(fs::is_empty(o.cacheDir));
    }

    // Larger than the memory budget: read from the cache per batch, and training is the same.
    void streamedTrainsLikeInMemory() {
        DatasetOptions o;
        o.cacheDir = tmp("cache1");
        o.memoryBudget = 0;
        const DatasetPair s = loadDataset("folder:" + m_root, o);
        o.memoryBudget = -1;
        const DatasetPair m = loadDataset("folder:" + m_root, o);
        QVERIFY(s.train.streamed());
        QVERIFY(!m.train.streamed());
        const std::vector<std::int64_t> picks = {5, 0, 17, 3};
        std::vector<std::uint8_t> a(picks.size() * std::size_t(s.train.imageBytes())), b(a.size());
        s.train.gather(picks.data(), std::int64_t(picks.size()), a.data());
        m.train.gather(picks.data(), std::int64_t(picks.size()), b.data());
        QVERIFY(a == b);
        Project p = makeFromTemplate("mlp");
        fitClassifierToClasses(p.graph, 4);
        TrainConfig cfg;
        cfg.epochs = 2;
        cfg.batchSize = 16;
        double loss[2] = {0, 0};
        for (int k = 0; k < 2; ++k) {
            const DatasetPair& d = k == 0 ? s : m;
            Model model = Model::compile(p.graph, {1, 28, 28, d.train.classNames}, cfg.seed);
            Trainer t(model, d.train, cfg);
            TrainerCallbacks cb;
            cb.onEpoch = [&](const EpochEvent& e) { loss[k] = e.trainLoss + e.validationLoss; };
            t.setCallbacks(cb);
            const FinishedEvent e = t.run();
            QCOMPARE(int(e.reason), int(FinishReason::Completed));
        }
        QVERIFY(loss[0] > 0);
        QCOMPARE(loss[0], loss[1]);
    }

    // train/ test/ val/ folders are kept as given; the trainer validates on val/.
    void splitFolders() {
        const std::string root = tmp("split");
        for (const char* split : {"train", "test", "val"})
            for (const char* cls : {"a", "b"}) {
                fs::create_directories(fs::path(root) / split / cls);
                const int n = std::string(split) == "train" ? 12 : 4;
                for (int i = 0; i < n; ++i) {
                    const int s = std::string(split) == "train" ? 0 : std::string(split) == "test" ? 1 : 2;
                    cv::Mat img(20, 20, CV_8UC3, cv::Scalar(cls[0] == 'a' ? 30 : 220, 60 + i * 5, 90 + 40 * s));
                    cv::circle(img, {10, 10}, 4 + i % 4, cv::Scalar(255, 255, 255), -1);
                    QVERIFY(cv::imwrite((fs::path(root) / split / cls / (std::to_string(i) + ".png")).string(), img));
                }
            }
        fs::create_directories(fs::path(root) / "test" / "c"); // a class train/ lacks
        QVERIFY(cv::imwrite(root + "/test/c/x.png", cv::Mat(20, 20, CV_8UC3, cv::Scalar(1, 2, 3))));
        DatasetOptions o;
        o.cacheDir = tmp("cache4");
        ImportReport r;
        o.report = &r;
        const DatasetPair d = loadDataset("folder:" + root, o);
        QVERIFY(r.splitFolders);
        QCOMPARE(d.train.size(), std::int64_t(24));
        QCOMPARE(d.test.size(), std::int64_t(8));
        QCOMPARE(d.validation.size(), std::int64_t(8));
        QCOMPARE(d.train.channels, std::int64_t(3));
        QCOMPARE(problemPaths(r), (std::set<std::string>{"test/c"}));
    }

    // The same tree described by a CSV (paths relative to it): the same bad ones, plus a row whose
    // file is missing.
    void csvDataset() {
        std::string csv = "filename,class\n";
        for (const auto& e : fs::recursive_directory_iterator(m_root)) {
            const std::string rel = e.path().lexically_relative(m_root).generic_string();
            if (e.is_directory() || rel.find('/') == std::string::npos || rel.find("/.") != std::string::npos ||
                rel[0] == '.')
                continue;
            csv += "myimages/" + rel + "," + rel.substr(0, rel.find('/')) + "\n";
        }
        csv += "myimages/tshirt/gone.png,tshirt\n";
        csv += "\"myimages/sneaker/img3.png\",sneaker\n"; // listed twice
        writeBytes(tmp("labels.csv"), csv);
        DatasetOptions o;
        o.cacheDir = tmp("cache5");
        ImportReport r;
        o.report = &r;
        const DatasetPair d = loadDataset("csv:" + tmp("labels.csv"), o);
        std::set<std::string> expected;
        for (const std::string& b : m_bad)
            if (b != "README.txt")
                expected.insert("myimages/" + b);
        expected.insert("myimages/tshirt/gone.png");
        expected.insert("myimages/sneaker/img3.png"); // the second listing
        QCOMPARE(problemPaths(r), expected);
        QCOMPARE(d.train.classNames, (std::vector<std::string>{"shape", "sneaker", "trouser", "tshirt"}));
        QCOMPARE(d.train.size() + d.test.size(), m_goodImages - 1);
        // It trains, from the CLI, under the same 3 GiB address-space cap as the folder.
        const QString proj = QString::fromStdString(tmp("fromcsv.ncproj"));
        const Cli made = cli({"new", "--template", "mlp", "--dataset", QString::fromStdString("csv:" + tmp("labels.csv")),
                              "-o", proj});
        QVERIFY2(made.code == 0, qPrintable(made.err));
        QProcess prl;
        prl.start("prlimit", {"--as=3221225472", NC_CLI_PATH, "train", proj, "--epochs", "2", "--json", "--out",
                              QString::fromStdString(tmp("csvrun"))});
        QVERIFY(prl.waitForFinished(300000));
        QVERIFY2(prl.exitCode() == 0, qPrintable(QString::fromUtf8(prl.readAllStandardError())));
        const Json summary = lastJsonWith(QString::fromUtf8(prl.readAllStandardOutput()), "summary");
        QVERIFY2(summary.value("best_val_accuracy", 0.0) > 0.6, summary.dump().c_str());
    }

    // The CLI: import prints the report; train on the folder works from a project, under an
    // address-space cap well below what decoding the bomb would take; a second run reuses the
    // cache; predict DIR --csv writes the same CSV as the library.
    void cliTrainsAndPredicts() {
        const QString proj = QString::fromStdString(tmp("mine.ncproj"));
        Cli r = cli({"new", "--template", "mlp", "--dataset", QString::fromStdString("folder:" + m_root), "-o", proj});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({"import", QString::fromStdString("folder:" + m_root), "--project", proj});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("9 file(s) skipped"), qPrintable(r.out));
        QVERIFY(r.out.contains("trouser/bomb.png"));
        // prlimit caps the address space at 3 GiB: the bomb alone would need 900 MB decoded ×3 channels.
        QProcess prl;
        const QString runDir = QString::fromStdString(tmp("run1"));
        prl.start("prlimit", {"--as=3221225472", NC_CLI_PATH, "train", proj, "--epochs", "2", "--json", "--out", runDir});
        QVERIFY(prl.waitForFinished(300000));
        const QString out = QString::fromUtf8(prl.readAllStandardOutput());
        QVERIFY2(prl.exitCode() == 0, qPrintable(QString::fromUtf8(prl.readAllStandardError())));
        const Json import1 = lastJsonWith(out, "import");
        QVERIFY2(import1.is_object(), qPrintable(out.left(2000)));
        QCOMPARE(import1.value("from_cache", true), true); // `import` above built it beside the project
        const Json done = lastJsonWith(out, "summary");
        QVERIFY2(done.is_object(), qPrintable(out.right(2000)));
        QVERIFY2(done.value("best_val_accuracy", 0.0) > 0.6, done.dump().c_str());
        r = cli({"predict", runDir + "/best.ncmodel", QString::fromStdString(m_root), "--csv",
                 QString::fromStdString(tmp("pred.csv"))});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.err.contains("accuracy"));
        const Model model = Model::load((runDir + "/best.ncmodel").toStdString());
        const PredictionListing l = listImagesForPrediction(m_root, model.classNames());
        QVERIFY(l.labelled); // every image's first folder names a class
        const std::vector<BatchPrediction> rows = predictImages(model, l, {});
        // The same rows, classes and (to 1e-5: another process may sum in another order) probabilities.
        const QString err = sameCsv(readAll(tmp("pred.csv")), predictionsCsv(rows, model.classNames()));
        QVERIFY2(err.isEmpty(), qPrintable(err));
        std::int64_t failed = 0;
        for (const BatchPrediction& b : rows)
            failed += !b.ok;
        QCOMPARE(failed, std::int64_t(4)); // corrupt, empty, notes, bomb
        QVERIFY(batchAccuracy(rows) > 0.6);
    }
};

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_imagefolder.moc"
