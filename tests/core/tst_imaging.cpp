// Image files for prediction: decoding, channel conversion, fitting, limits, saliency overlays,
// and `neuralcanvas-cli predict` end to end.
#include "data/Dataset.h"
#include "imaging/Imaging.h"
#include "util/Error.h"
#include "util/Files.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace nc;

namespace {
std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}
} // namespace

class TestImaging : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::string path(const char* name) const { return m_dir.filePath(name).toStdString(); }

private Q_SLOTS:
    void headerSizesWithoutDecoding() {
        cv::Mat img(20, 40, CV_8UC3, cv::Scalar(10, 20, 30));
        for (const char* ext : {".png", ".jpg", ".bmp"}) {
            std::vector<std::uint8_t> bytes;
            QVERIFY(cv::imencode(ext, img, bytes));
            std::int64_t w = 0, h = 0;
            QVERIFY2(readImageHeaderSize(bytes.data(), bytes.size(), w, h), ext);
            QCOMPARE(w, std::int64_t(40));
            QCOMPARE(h, std::int64_t(20));
        }
        const std::uint8_t gif[] = {'G', 'I', 'F', '8', '9', 'a', 40, 0, 20, 0};
        std::int64_t w = 0, h = 0;
        QVERIFY(readImageHeaderSize(gif, sizeof gif, w, h));
        QCOMPARE(w, std::int64_t(40));
    }

    void grayscaleIntoAColourModelAndBack() {
        cv::Mat gray(28, 28, CV_8UC1, cv::Scalar(77));
        QVERIFY(cv::imwrite(path("g.png"), gray));
        const PreparedImage three = loadImageForModel(path("g.png"), {3, 28, 28});
        QCOMPARE(three.channels, std::int64_t(3));
        QVERIFY(std::all_of(three.pixels.begin(), three.pixels.end(), [](std::uint8_t v) { return v == 77; }));

        cv::Mat colour(28, 28, CV_8UC3, cv::Scalar(0, 0, 255)); // pure red in OpenCV's BGR
        QVERIFY(cv::imwrite(path("red.png"), colour));
        const PreparedImage rgb = loadImageForModel(path("red.png"), {3, 28, 28});
        QCOMPARE(int(rgb.pixels[0]), 255);           // R plane first, as the model expects
        QCOMPARE(int(rgb.pixels[28 * 28 * 2]), 0);   // B plane
        const PreparedImage one = loadImageForModel(path("red.png"), {1, 28, 28});
        QCOMPARE(one.channels, std::int64_t(1));
        QVERIFY(std::abs(int(one.pixels[0]) - 76) <= 1); // 0.299 · 255
    }

    void fitModesKeepOrCropTheAspect() {
        // A 60×20 image: white left third, black elsewhere.
        cv::Mat img(20, 60, CV_8UC1, cv::Scalar(0));
        img(cv::Rect(0, 0, 20, 20)).setTo(255);
        QVERIFY(cv::imwrite(path("wide.png"), img));
        const PreparedImage pad = loadImageForModel(path("wide.png"), {1, 30, 30}, FitMode::Pad);
        QCOMPARE(pad.originalWidth, std::int64_t(60));
        QCOMPARE(pad.height, std::int64_t(30));
        QCOMPARE(int(pad.pixels[15 * 30 + 2]), 255); // the white third is still there on the left
        const PreparedImage crop = loadImageForModel(path("wide.png"), {1, 30, 30}, FitMode::CenterCrop);
        QCOMPARE(int(crop.pixels[15 * 30 + 2]), 0); // the centre square is black
        const PreparedImage stretch = loadImageForModel(path("wide.png"), {1, 30, 30}, FitMode::Stretch);
        QCOMPARE(int(stretch.pixels[15 * 30 + 2]), 255);
        QCOMPARE(int(stretch.pixels[15 * 30 + 27]), 0);
    }

    void hugeDimensionsAreRefusedBeforeDecoding() {
        cv::Mat img(8, 8, CV_8UC1, cv::Scalar(1));
        std::vector<std::uint8_t> png;
        QVERIFY(cv::imencode(".png", img, png));
        // Claim 100000 × 100000 pixels (40 GB as RGBA) in the header.
        const std::uint8_t big[4] = {0x00, 0x01, 0x86, 0xA0};
        std::copy(big, big + 4, png.begin() + 16);
        std::copy(big, big + 4, png.begin() + 20);
        const std::string e = errorOf([&] { prepareImageForModel(png, "bomb.png", {1, 28, 28}); });
        QVERIFY2(e.find("bomb.png is 100000×100000 pixels") == 0, e.c_str());
    }

    void oversizedAndBrokenFiles() {
        cv::Mat img(64, 64, CV_8UC1, cv::Scalar(1));
        QVERIFY(cv::imwrite(path("small.png"), img));
        ImageLimits tight;
        tight.maxFileBytes = 10;
        QVERIFY(errorOf([&] { loadImageForModel(path("small.png"), {1, 28, 28}, FitMode::Pad, tight); })
                    .find("more than the limit") != std::string::npos);
        writeFileAtomic(path("junk.png"), std::string("this is not an image"));
        const std::string e = errorOf([&] { loadImageForModel(path("junk.png"), {1, 28, 28}); });
        QVERIFY2(e.find("junk.png is not an image") != std::string::npos, e.c_str());
        QVERIFY(!errorOf([&] { loadImageForModel(path("missing.png"), {1, 28, 28}); }).empty());
        writeFileAtomic(path("empty.png"), std::string());
        const std::string empty = errorOf([&] { loadImageForModel(path("empty.png"), {1, 28, 28}); });
        QVERIFY2(empty.find("empty.png is empty") != std::string::npos, empty.c_str());
    }

    void cliPredictsWithASaliencyOverlay() {
        const QString cli = NC_CLI_PATH;
        const QString project = m_dir.filePath("s.ncproj"), run = m_dir.filePath("run");
        auto exec = [&](const QStringList& args) {
            QProcess p;
            p.start(cli, args);
            p.waitForFinished(600000);
            return std::make_pair(p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()));
        };
        QCOMPARE(exec({"new", "--template", "keras-cnn", "--dataset", "shapes:300", "-o", project}).first, 0);
        auto trained = exec({"train", project, "--epochs", "1", "--batch", "32", "--lr", "0.003", "--out", run});
        QVERIFY2(trained.first == 0, qPrintable(trained.second));

        // A test image written as a PNG file, as a user would drop it.
        const Dataset test = makeShapes(3, 777);
        std::vector<cv::Mat> planes;
        for (int c = 2; c >= 0; --c) // RGB planes -> BGR for OpenCV
            planes.emplace_back(32, 32, CV_8UC1, const_cast<std::uint8_t*>(test.image(1) + c * 32 * 32));
        cv::Mat bgr;
        cv::merge(planes, bgr);
        cv::Mat big;
        cv::resize(bgr, big, cv::Size(96, 96), 0, 0, cv::INTER_NEAREST); // bigger than the input
        QVERIFY(cv::imwrite(path("square.png"), big));

        auto out = exec({"predict", run + "/best.ncmodel", m_dir.filePath("square.png"), "--topk", "3", "--json",
                         "--saliency", "grad-cam", "-o", m_dir.filePath("cam.png")});
        QVERIFY2(out.first == 0, qPrintable(out.second));
        const Json j = Json::parse(out.second.trimmed().split('\n').last().toStdString());
        QCOMPARE(j["top"].size(), std::size_t(3));
        QCOMPARE(j["saliency"]["layer"].get<std::string>(), std::string("conv3"));
        const cv::Mat cam = cv::imread(path("cam.png"));
        QCOMPARE(cam.cols, 32 * 8);
        QCOMPARE(cam.rows, 32 * 8);

        auto bad = exec({"predict", run + "/best.ncmodel", m_dir.filePath("missing.png")});
        QVERIFY(bad.first != 0);
        QVERIFY(bad.second.contains("missing.png"));
    }
};

QTEST_GUILESS_MAIN(TestImaging)
#include "tst_imaging.moc"
