// int8 post-training quantisation (issue 15): every template trained briefly on Fashion-MNIST,
// quantised, checked against its float self on the test split, saved and loaded back bit-exactly;
// damaged int8 files are refused with a message naming the problem; the CLI's `compress`.
#include "data/Dataset.h"
#include "graph/Project.h"
#include "inspect/Inspect.h"
#include "io/Safetensors.h"
#include "nn/Model.h"
#include "nn/Quantize.h"
#include "train/Evaluator.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Files.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>

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

float maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    float m = a.size() == b.size() ? 0.f : std::numeric_limits<float>::infinity();
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        m = std::max(m, std::abs(a[i] - b[i]));
    return m;
}

double top1Agreement(const std::vector<float>& a, const std::vector<float>& b, std::size_t classes) {
    const std::size_t n = a.size() / classes;
    std::size_t same = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const float* x = a.data() + i * classes;
        const float* y = b.data() + i * classes;
        same += (std::max_element(x, x + classes) - x) == (std::max_element(y, y + classes) - y);
    }
    return n ? double(same) / double(n) : 0.0;
}
} // namespace

class TestQuantize : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    DatasetPair m_data;
    QString m_kerasInt8; // a saved int8 keras-cnn, for the damaged-file cases
    QString m_kerasFloat;

    Model trained(const std::string& name) {
        const Project project = makeFromTemplate(name);
        const DatasetInfo info{m_data.train.channels, m_data.train.height, m_data.train.width, m_data.train.classNames};
        Model model = Model::compile(project.graph, info, 7);
        TrainConfig cfg;
        cfg.epochs = 1;
        cfg.batchSize = 64;
        cfg.threads = 2;
        cfg.validationFraction = 0;
        Trainer trainer(model, m_data.train, cfg);
        const FinishedEvent r = trainer.run();
        if (r.reason != FinishReason::Completed)
            qFatal("training %s failed: %s", name.c_str(), r.message.c_str());
        return model;
    }

    // Rewrites the saved int8 model with `edit` applied to its safetensors contents.
    QString damaged(const char* name, const std::function<void(SafetensorsFile&)>& edit) {
        SafetensorsFile f = readSafetensors(m_kerasInt8.toStdString());
        edit(f);
        const QString path = m_dir.filePath(QString(name) + ".ncmodel");
        writeSafetensors(path.toStdString(), f);
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = loadDataset("fashion-mnist", 3000, 2000);
    }

    void everyTemplateKeepsItsAccuracyInInt8_data() {
        QTest::addColumn<QString>("name");
        for (const TemplateInfo& t : listTemplates())
            if (!t.generative) // classifiers; the VAE template has no class scores (tst_generative)
                QTest::newRow(t.name.c_str()) << QString::fromStdString(t.name);
    }

    // The float model and its int8 self on 2,000 test images: nearly every prediction the same,
    // accuracy within a point (the 0.5-point goal at 5 epochs is docs/ACCURACY.md's bench), the
    // file smaller, and the file read back gives exactly the int8 logits it was saved with.
    void everyTemplateKeepsItsAccuracyInInt8() {
        QFETCH(QString, name);
        const Model model = trained(name.toStdString());
        QuantizeOptions options;
        options.calibrationImages = 256;
        QuantizeReport report;
        const Model int8 = quantizeInt8(model, m_data.train, options, &report);
        QVERIFY(isQuantized(int8));
        QVERIFY(!isQuantized(model));
        QVERIFY2(!report.int8Nodes.empty(), "no layer runs in int8");
        QCOMPARE(report.calibrationImages, 256);

        const double before = evaluateModel(model, m_data.test).accuracy;
        const double after = evaluateModel(int8, m_data.test).accuracy;
        qInfo("%s: float %.4f, int8 %.4f; int8 layers %zu, float layers %zu", qPrintable(name), before, after,
              report.int8Nodes.size(), report.floatNodes.size());
        QVERIFY2(std::abs(after - before) <= 0.01, qPrintable(QString("float %1, int8 %2").arg(before).arg(after)));

        const std::int64_t n = 200;
        std::vector<std::uint8_t> scratch;
        const std::uint8_t* images = m_data.test.imagesAt(0, n, scratch);
        const std::vector<float> f = model.logits(images, n), q = int8.logits(images, n);
        QVERIFY2(top1Agreement(f, q, m_data.test.classNames.size()) >= 0.97, "int8 and float disagree on > 3% of images");

        const QString floatPath = m_dir.filePath(name + ".ncmodel"), int8Path = m_dir.filePath(name + "-int8.ncmodel");
        model.save(floatPath.toStdString());
        int8.save(int8Path.toStdString());
        const Model loaded = Model::load(int8Path.toStdString());
        QVERIFY(isQuantized(loaded));
        QCOMPARE(maxAbsDiff(loaded.logits(images, n), q), 0.f);
        QCOMPARE(quantizeReport(loaded).int8Nodes, report.int8Nodes);
        // The serving path (float pixels in [0, 1]) runs the same int8 arithmetic.
        std::vector<float> unit(static_cast<std::size_t>(8 * 28 * 28));
        for (std::size_t i = 0; i < unit.size(); ++i)
            unit[i] = float(images[i]) / 255.f;
        const std::vector<float> served = loaded.logitsFromUnit(unit.data(), 8);
        QVERIFY(maxAbsDiff(served, std::vector<float>(q.begin(), q.begin() + std::ptrdiff_t(served.size()))) < 1e-5f);

        const double ratio = double(fileSize(floatPath.toStdString())) / double(fileSize(int8Path.toStdString()));
        qInfo("%s: file %.2fx smaller", qPrintable(name), ratio);
        QVERIFY2(ratio >= 3.5, qPrintable(QString("only %1x smaller").arg(ratio)));
        if (name == "keras-cnn") {
            m_kerasInt8 = int8Path;
            m_kerasFloat = floatPath;
        }
        // Saliency runs on the dequantised float copy: a map, finite, not all zero.
        const SaliencyMap map = saliency(loaded, images, SaliencyOptions{});
        double sum = 0;
        for (float v : map.values) {
            QVERIFY(std::isfinite(v));
            sum += v;
        }
        QVERIFY(sum > 0);
    }

    void refusesWhatCannotWork() {
        QVERIFY(!m_kerasInt8.isEmpty());
        const Model int8 = Model::load(m_kerasInt8.toStdString());
        QVERIFY(errorOf([&] { quantizeInt8(int8, m_data.train, QuantizeOptions{}); }).find("quantised already") !=
                std::string::npos);
        const Model model = Model::load(m_kerasFloat.toStdString());
        const Dataset shapes = loadDataset("shapes:64", 0, 0).train; // 3×32×32: not the model's input
        const std::string e = errorOf([&] { quantizeInt8(model, shapes, QuantizeOptions{}); });
        QVERIFY2(e.find("1×28×28") != std::string::npos, e.c_str());
    }

    void damagedInt8FilesAreRefusedByName_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        auto setScale = [](const char* tensor, float value) {
            return [=](SafetensorsFile& f) {
                for (TensorRecord& r : f.tensors)
                    if (r.name == tensor)
                        std::memcpy(r.data.data() + 4, &value, 4); // the second channel's scale
            };
        };
        auto editInfo = [](const std::function<void(Json&)>& g) {
            return [=](SafetensorsFile& f) {
                Json j = Json::parse(f.metadata["quantization"]);
                g(j);
                f.metadata["quantization"] = j.dump();
            };
        };
        QTest::newRow("weight scale zero") << damaged("scale-zero", setScale("conv2.weight_scale", 0.f))
                                           << "conv2.weight_scale' holds 1 scale(s) that are zero, negative, NaN";
        QTest::newRow("weight scale NaN")
            << damaged("scale-nan", setScale("dense1.weight_scale", std::numeric_limits<float>::quiet_NaN()))
            << "dense1.weight_scale' holds 1 scale(s)";
        QTest::newRow("weight scale negative") << damaged("scale-neg", setScale("conv1.weight_scale", -0.5f))
                                               << "conv1.weight_scale' holds 1 scale(s)";
        QTest::newRow("zero point out of range")
            << damaged("zp", editInfo([](Json& j) { j["steps"]["conv2"]["zero_point"] = 300; }))
            << "activation zero point of layer conv2 is 300 (uint8 needs 0 to 255)";
        QTest::newRow("activation scale zero")
            << damaged("act-zero", editInfo([](Json& j) { j["input"]["scale"] = 0.0; }))
            << "activation scale of the input is 0.0";
        QTest::newRow("activation scale not a number")
            << damaged("act-str", editInfo([](Json& j) { j["steps"]["dense2"]["scale"] = "big"; }))
            << "layer dense2 has no numeric scale";
        QTest::newRow("a layer missing") << damaged("missing", editInfo([](Json& j) { j["steps"].erase("conv3"); }))
                                         << "no entry for layer conv3";
        QTest::newRow("a layer of another kind")
            << damaged("kind", editInfo([](Json& j) { j["steps"]["conv1"]["kind"] = "float"; }))
            << "layer conv1 is stored as 'float' but its graph makes it 'conv'";
        QTest::newRow("not int8 metadata") << damaged("scheme", editInfo([](Json& j) { j["scheme"] = "int4"; }))
                                           << "not the int8 scheme";
        QTest::newRow("metadata not JSON")
            << damaged("notjson", [](SafetensorsFile& f) { f.metadata["quantization"] = "{oops"; })
            << "metadata 'quantization' is not valid JSON";
        QTest::newRow("int8 weights stored as float") << damaged("f32", [](SafetensorsFile& f) {
            for (TensorRecord& r : f.tensors)
                if (r.name == "conv2.weight") {
                    r.dtype = DType::F32;
                    r.shape[0] /= 4; // same bytes, so the file itself is consistent
                }
        }) << "conv2.weight' is F32, not I8";
        QTest::newRow("int8 weights of another shape") << damaged("shape", [](SafetensorsFile& f) {
            for (TensorRecord& r : f.tensors)
                if (r.name == "dense1.weight") {
                    std::swap(r.shape[0], r.shape[1]);
                }
        }) << "dense1.weight' has shape";
        QTest::newRow("weight scales missing") << damaged("noscale", [](SafetensorsFile& f) {
            f.tensors.erase(std::remove_if(f.tensors.begin(), f.tensors.end(),
                                           [](const TensorRecord& r) { return r.name == "conv3.weight_scale"; }),
                            f.tensors.end());
        }) << "no tensor 'conv3.weight_scale'";
        QTest::newRow("bias NaN") << damaged("bias", [](SafetensorsFile& f) {
            for (TensorRecord& r : f.tensors)
                if (r.name == "dense2.bias") {
                    const float nan = std::numeric_limits<float>::quiet_NaN();
                    std::memcpy(r.data.data(), &nan, 4);
                }
        }) << "dense2.bias' holds NaN";
    }

    void damagedInt8FilesAreRefusedByName() {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        const std::string e = errorOf([&] { Model::load(path.toStdString()); });
        QVERIFY2(e.find(expected.toStdString()) != std::string::npos, e.c_str());
        QVERIFY2(e.rfind(path.toStdString(), 0) == 0, e.c_str()); // the message starts with the file
    }

    // neuralcanvas-cli compress: the int8 file, a summary with both accuracies, the float model
    // untouched, and -o naming the input refused.
    void compressCommand() {
        QVERIFY(!m_kerasFloat.isEmpty());
        const QString out = m_dir.filePath("cli-int8.ncmodel");
        const std::vector<std::uint8_t> before = readFileBytes(m_kerasFloat.toStdString(), 1 << 26);
        QProcess p;
        p.start(NC_CLI_PATH, {"compress", m_kerasFloat, "--quantize", "int8", "--dataset", "fashion-mnist",
                              "--calibration", "128", "--limit-test", "500", "-o", out, "--json"});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
        const Json j = Json::parse(lines.last().toStdString());
        QCOMPARE(j["calibration_images"].get<int>(), 128);
        QCOMPARE(j["test_images"].get<int>(), 500);
        QVERIFY(std::abs(j["int8_accuracy"].get<double>() - j["float_accuracy"].get<double>()) <= 0.02);
        QVERIFY(j["float_bytes"].get<double>() / j["int8_bytes"].get<double>() >= 3.5);
        const Model int8 = Model::load(out.toStdString());
        QVERIFY(isQuantized(int8));
        QCOMPARE(int8.metadata()["compression"]["method"].get<std::string>(), std::string("int8"));

        QProcess same;
        same.start(NC_CLI_PATH, {"compress", m_kerasFloat, "--quantize", "int8", "--dataset", "fashion-mnist", "-o",
                                 m_kerasFloat});
        QVERIFY(same.waitForFinished(60000));
        QCOMPARE(same.exitCode(), 1);
        QVERIFY(same.readAllStandardError().contains("so the float one is kept"));
        QVERIFY(readFileBytes(m_kerasFloat.toStdString(), 1 << 26) == before);

        // Exporting the int8 model to TorchScript is refused (the file would carry a float network
        // that does not compute what the int8 one does), naming the float model to export
        // instead; no file left. ONNX (QDQ) and TFLite carry it: tst_exportint8.
        QProcess exporting;
        const QString pt = m_dir.filePath("k8.pt");
        exporting.start(NC_CLI_PATH, {"export", out, "--format", "torchscript", "-o", pt});
        QVERIFY(exporting.waitForFinished(60000));
        QCOMPARE(exporting.exitCode(), 1);
        const QString err = QString::fromUtf8(exporting.readAllStandardError());
        QVERIFY2(err.contains("int8 model") && err.contains(m_kerasFloat) && err.contains("onnx (QDQ) or tflite"),
                 qPrintable(err));
        QVERIFY(!QFile::exists(pt));
        const QString onnx = m_dir.filePath("k8.onnx");
        QProcess verified;
        verified.start(NC_CLI_PATH, {"export", out, "--format", "onnx", "-o", onnx, "--verify"});
        QVERIFY(verified.waitForFinished(120000));
        QVERIFY2(verified.exitCode() == 0, verified.readAllStandardError().constData());
        QVERIFY(QString::fromUtf8(verified.readAllStandardOutput()).contains("ONNX Runtime"));
    }
};

QTEST_GUILESS_MAIN(TestQuantize)
#include "tst_quantize.moc"
