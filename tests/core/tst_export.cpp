// Exports checked numerically in independent runtimes: Python torch for TorchScript and the
// generated code; ONNX in both ONNX Runtime (npm onnxruntime-node, installed into .exportcheck/ by
// scripts/install-deps.sh) and OpenCV's dnn module (resources/tools/check_export.py).
#include "GenerativeGraphs.h"
#include "data/Dataset.h"
#include "graph/Project.h"
#include "io/Export.h"
#include "io/ExportVerify.h"
#include "nn/Generative.h"
#include "nn/Model.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Files.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <fstream>
#include <random>

using namespace nc;

namespace {
struct Check {
    double maxDiff = 1e9;
    std::vector<std::string> classNames;
    bool argmaxAgrees = false;
    std::string runtime;
    QString error;
};

// Where install-deps.sh puts onnxruntime-node: the checkout's .exportcheck/ (resources/tools is two
// folders below the root).
const QString kOnnxRuntimeModules = QStringLiteral(NC_TOOLS_DIR "/../../.exportcheck/node_modules");

enum class OnnxRuntime { OpenCv, OnnxRuntime };

Check runChecker(ExportFormat f, const QString& file, const QString& model, const QString& input,
                 const Shape& shape, const QString& expected, OnnxRuntime onnx = OnnxRuntime::OnnxRuntime,
                 const QStringList& extra = {}) {
    QProcess p;
    QStringList args{NC_TOOLS_DIR "/check_export.py", "--format", exportFormatName(f), "--file", file, "--model",
                     model, "--input", input, "--shape",
                     QString("%1,%2,%3,%4").arg(shape[0]).arg(shape[1]).arg(shape[2]).arg(shape[3]), "--expected",
                     expected};
    if (onnx == OnnxRuntime::OnnxRuntime)
        args << "--node-modules" << kOnnxRuntimeModules;
    args << extra;
    p.start(NC_PYTHON, args);
    Check c;
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        c.error = QString::fromUtf8(p.readAllStandardError());
        return c;
    }
    const Json j = Json::parse(p.readAllStandardOutput().trimmed().toStdString());
    c.maxDiff = j["max_abs_diff"];
    c.runtime = j["runtime"].get<std::string>();
    c.classNames = j["class_names"].get<std::vector<std::string>>();
    c.argmaxAgrees = j["argmax_agrees"];
    return c;
}

void writeBytes(const QString& path, const void* data, std::size_t n) {
    std::ofstream(path.toStdString(), std::ios::binary).write(static_cast<const char*>(data), std::streamsize(n));
}
} // namespace

class TestExport : public QObject {
    Q_OBJECT
private:
    // Exports `model` to every format and checks each in every independent runtime that reads
    // it (ONNX in ONNX Runtime and OpenCV), on three random images: max |diff| < 1e-4, same top-1.
    void checkEveryFormatAndRuntime(const Model& model, const QString& name) {
        const QString modelPath = m_dir.filePath(name + ".ncmodel");
        model.save(modelPath.toStdString());
        const Shape shape{3, 1, 28, 28};
        std::vector<std::uint8_t> images(std::size_t(3 * 28 * 28));
        std::mt19937 rng(3);
        for (auto& b : images)
            b = static_cast<std::uint8_t>(rng() & 0xFF);
        const std::vector<float> logits = model.logits(images.data(), shape[0]);
        const QString input = m_dir.filePath(name + ".u8"), expected = m_dir.filePath(name + ".f32");
        writeBytes(input, images.data(), images.size());
        writeBytes(expected, logits.data(), logits.size() * sizeof(float));
        for (ExportFormat f : availableExportFormats()) {
            if (f == ExportFormat::Tflite) // NHWC, its own runtimes and tolerances: tst_exportint8
                continue;
            const char* ext = exportFileSuffix(f);
            const QString file = m_dir.filePath(name + ext);
            exportModel(model, f, file.toStdString());
            for (OnnxRuntime r : {OnnxRuntime::OnnxRuntime, OnnxRuntime::OpenCv}) {
                if (f != ExportFormat::Onnx && r == OnnxRuntime::OpenCv)
                    continue;
                const Check c = runChecker(f, file, modelPath, input, shape, expected, r);
                const QString what = name + " " + exportFormatName(f) + " in " + QString::fromStdString(c.runtime);
                QVERIFY2(c.error.isEmpty(), qPrintable(what + ": " + c.error));
                qInfo("%s: max |diff| = %.3g", qPrintable(what), c.maxDiff);
                QVERIFY2(c.maxDiff < 1e-4, qPrintable(what + ": " + QString::number(c.maxDiff)));
                QVERIFY2(c.argmaxAgrees, qPrintable(what));
            }
        }
    }
    QTemporaryDir m_dir;
    Dataset m_data;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = loadDataset("fashion-mnist", 512, 8).train;
    }

    void everyTemplateEveryFormatMatchesInAnIndependentRuntime_data() {
        QTest::addColumn<QString>("name");
        for (const TemplateInfo& t : listTemplates())
            if (!t.generative) // classifiers; the VAE template has no class scores (tst_generative)
                QTest::newRow(t.name.c_str()) << QString::fromStdString(t.name);
    }

    void everyTemplateEveryFormatMatchesInAnIndependentRuntime() {
        QFETCH(QString, name);
        const Project project = makeFromTemplate(name.toStdString());
        const DatasetInfo info{m_data.channels, m_data.height, m_data.width, m_data.classNames};
        Model model = Model::compile(project.graph, info, 3);
        // A short real training run moves the weights and BatchNorm statistics off their defaults.
        TrainConfig cfg;
        cfg.epochs = 1;
        cfg.batchSize = 64;
        cfg.threads = 2;
        cfg.validationFraction = 0;
        Trainer trainer(model, m_data, cfg);
        QCOMPARE(trainer.run().reason, FinishReason::Completed);
        const QString modelPath = m_dir.filePath(name + ".ncmodel");
        model.save(modelPath.toStdString());
        const Model saved = Model::load(modelPath.toStdString());

        // Random images, the app's own logits for them.
        const Shape shape{5, m_data.channels, m_data.height, m_data.width};
        std::vector<std::uint8_t> images(static_cast<std::size_t>(shape[0] * shape[1] * shape[2] * shape[3]));
        std::mt19937 rng(42);
        for (auto& b : images)
            b = static_cast<std::uint8_t>(rng() & 0xFF);
        const std::vector<float> logits = saved.logits(images.data(), shape[0]);
        const QString input = m_dir.filePath(name + ".u8"), expected = m_dir.filePath(name + ".f32");
        writeBytes(input, images.data(), images.size());
        writeBytes(expected, logits.data(), logits.size() * sizeof(float));

        for (ExportFormat f : availableExportFormats()) {
            if (f == ExportFormat::Tflite) // NHWC, its own runtimes and tolerances: tst_exportint8
                continue;
            const char* ext = exportFileSuffix(f);
            const QString file = m_dir.filePath(QString(name).replace('-', '_') + ext);
            exportModel(saved, f, file.toStdString());
            // ONNX runs in two runtimes: ONNX Runtime and OpenCV's dnn module.
            for (OnnxRuntime r : {OnnxRuntime::OnnxRuntime, OnnxRuntime::OpenCv}) {
                if (f != ExportFormat::Onnx && r == OnnxRuntime::OpenCv)
                    continue;
                const Check c = runChecker(f, file, modelPath, input, shape, expected, r);
                QVERIFY2(c.error.isEmpty(), qPrintable(QString(exportFormatName(f)) + ": " + c.error));
                qInfo("%s %-11s max |diff| = %.3g in %s", qPrintable(name), exportFormatName(f), c.maxDiff, c.runtime.c_str());
                QVERIFY2(c.maxDiff < 1e-4, qPrintable(QString("%1: %2").arg(exportFormatName(f)).arg(c.maxDiff)));
                QVERIFY(c.argmaxAgrees);
                QCOMPARE(c.classNames, saved.classNames()); // class names travel with the file
                if (f == ExportFormat::Onnx)
                    QVERIFY2(c.runtime.find(r == OnnxRuntime::OnnxRuntime ? "ONNX Runtime" : "OpenCV") != std::string::npos,
                             c.runtime.c_str());
            }
        }
    }

    void verifyAfterExportReportsTheDifference() {
        // What the Export dialog and `export --verify` run: the compiled-in checker script.
        const Model model = Model::compile(makeFromTemplate("keras-cnn").graph, {1, 28, 28, m_data.classNames}, 9);
        for (ExportFormat f : availableExportFormats()) {
            const std::string path = m_dir.filePath(QString("verify_%1%2").arg(exportFormatName(f)).arg(f == ExportFormat::Python ? ".py" : ".bin")).toStdString();
            exportModel(model, f, path);
            const ExportCheck c = verifyExport(model, f, path);
            QVERIFY2(c.ran, c.message.c_str());
            QVERIFY(c.maxAbsDifference < 1e-4);
            QVERIFY(c.sameClass);
            // install-deps.sh installs ONNX Runtime, so that is what `export --verify` uses for ONNX.
            QVERIFY2(c.runtime.find(f == ExportFormat::Onnx     ? "ONNX Runtime"
                                    : f == ExportFormat::Tflite ? "ArmNN"
                                                                : "torch") != std::string::npos,
                     c.runtime.c_str());
            QVERIFY(c.passed());
        }
        // A broken file is reported, not crashed on.
        const std::string junk = m_dir.filePath("junk.onnx").toStdString();
        writeFileAtomic(junk, std::string("not a model"));
        const ExportCheck bad = verifyExport(model, ExportFormat::Onnx, junk);
        QVERIFY(!bad.ran);
        QVERIFY(!bad.message.empty());
    }

    void onnxIsBuiltIn() {
        const auto formats = availableExportFormats();
        QVERIFY(std::find(formats.begin(), formats.end(), ExportFormat::Onnx) != formats.end());
    }

    void layerAFormatCannotExpressNamesTheNode() {
        Project p = makeFromTemplate("mlp");
        p.graph.node("relu1")->type = "GELU";
        const Model model = Model::compile(p.graph, {1, 28, 28, m_data.classNames}, 1);
        const std::string path = m_dir.filePath("gelu.onnx").toStdString();
        try {
            exportModel(model, ExportFormat::Onnx, path);
            QFAIL("GELU must not export to ONNX opset 13");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).rfind("relu1: GELU cannot be exported to ONNX", 0) == 0, e.what());
        }
        QVERIFY(!fileExists(path)); // no broken file left behind
        // The other formats can express it.
        exportModel(model, ExportFormat::TorchScript, m_dir.filePath("gelu.pt").toStdString());
        QVERIFY(fileExists(m_dir.filePath("gelu.pt").toStdString()));
    }

    // Each recurrent variant (LSTM and GRU; one or two directions; two layers; the last state or
    // every step) exports to every format and gives the app's numbers in the other runtimes. ONNX:
    // ONNX Runtime for all; OpenCV 4.6 also for LSTM (its GRU reader wants initial states baked
    // in for one batch size, which the exported files do not have). TFLite: ArmNN and LiteRT.
    void recurrentVariantsMatchInIndependentRuntimes() {
        const Shape shape{4, 1, 28, 28};
        std::vector<std::uint8_t> images(std::size_t(4 * 28 * 28));
        std::mt19937 rng(7);
        for (auto& b : images)
            b = static_cast<std::uint8_t>(rng() & 0xFF);
        for (const char* type : {"LSTM", "GRU"})
            for (bool bidirectional : {false, true})
                for (const char* output : {"last", "all"}) {
                    Project p = makeFromTemplate("lstm-rows");
                    Node* rnn = p.graph.node("lstm1");
                    rnn->type = type;
                    rnn->params = {{"hidden_size", 8}, {"layers", 2}, {"bidirectional", bidirectional}, {"output", output}};
                    if (std::string(output) == "all") { // every step's output, flattened, into the classifier
                        p.graph.disconnect({"lstm1", "out"}, {"dense1", "in"});
                        p.graph.addNode({"flat", "Flatten", Json::object()});
                        p.graph.connect({"lstm1", "out"}, {"flat", "in"});
                        p.graph.connect({"flat", "out"}, {"dense1", "in"});
                    }
                    const Model model = Model::compile(p.graph, {1, 28, 28, m_data.classNames}, 11);
                    const QString tag = QString("%1_%2_%3").arg(type).arg(bidirectional ? "bi" : "uni").arg(output);
                    const QString modelPath = m_dir.filePath(tag + ".ncmodel");
                    model.save(modelPath.toStdString());
                    const std::vector<float> logits = model.logits(images.data(), shape[0]);
                    const QString input = m_dir.filePath(tag + ".u8"), expected = m_dir.filePath(tag + ".f32");
                    writeBytes(input, images.data(), images.size());
                    writeBytes(expected, logits.data(), logits.size() * sizeof(float));
                    for (ExportFormat f : availableExportFormats()) {
                        const char* ext = exportFileSuffix(f);
                        const QString file = m_dir.filePath("rnn_" + tag + ext);
                        exportModel(model, f, file.toStdString());
                        std::vector<OnnxRuntime> runtimes{OnnxRuntime::OnnxRuntime};
                        if (f == ExportFormat::Onnx && std::string(type) == "LSTM")
                            runtimes.push_back(OnnxRuntime::OpenCv);
                        for (OnnxRuntime r : runtimes) {
                            const Check c = runChecker(f, file, modelPath, input, shape, expected, r);
                            const QString what = tag + " " + exportFormatName(f) + " in " + QString::fromStdString(c.runtime);
                            QVERIFY2(c.error.isEmpty(), qPrintable(what + ": " + c.error));
                            if (f == ExportFormat::Tflite) // unrolled steps (io/ExportTflite.cpp), in both runtimes
                                QVERIFY2(c.runtime.find("ArmNN") != std::string::npos && c.runtime.find("LiteRT") != std::string::npos,
                                         qPrintable(what));
                            qInfo("%s: max |diff| = %.3g", qPrintable(what), c.maxDiff);
                            QVERIFY2(c.maxDiff < 1e-4, qPrintable(what + ": " + QString::number(c.maxDiff)));
                            QVERIFY2(c.argmaxAgrees, qPrintable(what));
                        }
                    }
                }
    }

    // The layers that grow images (a decoder's path: Unflatten, ConvTranspose2d, nearest and
    // bilinear Upsample) export to every format and give the app's numbers in ONNX Runtime,
    // OpenCV and Python torch.
    void layersThatGrowImagesMatchInIndependentRuntimes() {
        Graph g;
        const std::vector<std::pair<std::string, Json>> layers = {
            {"Flatten", {}},
            {"Linear", {{"out_features", 392}}},
            {"Unflatten", {{"channels", 8}, {"height", 7}, {"width", 7}}},
            {"ConvTranspose2d", {{"out_channels", 4}, {"kernel_size", 4}, {"stride", 2}, {"padding", 1}}},
            {"Upsample", {{"scale", 2}, {"mode", "nearest"}}},
            {"ConvTranspose2d", {{"out_channels", 2}, {"kernel_size", 3}, {"stride", 2}, {"padding", 1}, {"output_padding", 1}}},
            {"Upsample", {{"scale", 2}, {"mode", "bilinear"}}},
            {"MaxPool2d", {{"kernel_size", 8}}},
            {"Flatten", {}},
            {"Linear", {{"out_features", 10}}}};
        std::string prev = g.addNode({"input", "Input", Json::object()});
        for (const auto& [type, params] : layers) {
            const std::string id = g.addNode({"", type, params});
            g.connect({prev, "out"}, {id, "in"});
            prev = id;
        }
        g.addNode({"output", "Output", Json::object()});
        g.connect({prev, "out"}, {"output", "in"});
        checkEveryFormatAndRuntime(Model::compile(g, {1, 28, 28, m_data.classNames}, 5), "grow");
    }

    // A VAE's bottleneck in a classifier: μ and log σ² from two Linear layers, Reparameterize
    // (μ at inference), a Detach; exported, every runtime must give the app's eval-mode numbers.
    void generativeLayersMatchInIndependentRuntimes() {
        const Graph g = test::vaeBottleneckClassifier(16, 16, 10);
        checkEveryFormatAndRuntime(Model::compile(g, {1, 28, 28, m_data.classNames}, 6), "vae_bottleneck");
    }

    // A generative model exports its decoder (conv-vae) or generator (dcgan, whose images are
    // un-normalised from its input space): latents in, pixels in [0, 1] out. In every runtime the
    // file gives the images the app's `generate` makes from the same latents.
    void generativeModelsExportTheirDecoder_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("conv-vae") << QStringLiteral("conv-vae");
        QTest::newRow("dcgan") << QStringLiteral("dcgan");
    }
    void generativeModelsExportTheirDecoder() {
        QFETCH(QString, name);
        Model model = Model::compile(makeFromTemplate(name.toStdString()).graph, {1, 28, 28, m_data.classNames}, 11);
        if (name == QLatin1String("dcgan"))
            model.setNormalization({{0.5f}, {0.5f}}); // as its training sets it
        const std::int64_t n = 3;
        const std::vector<float> z = randomLatents(model, n, 7);
        const std::vector<std::uint8_t> pixels = decodeLatents(model, z, n);
        const Model decoder = decoderModel(model);
        const std::int64_t width = std::int64_t(z.size()) / n;
        QCOMPARE(decoder.inputShape(), (Shape{width, 1, 1}));
        const std::vector<float> own = decoder.logitsFromUnit(z.data(), n);
        QCOMPARE(own.size(), pixels.size());
        auto sameImages = [&](const std::vector<float>& unit, const QString& what) {
            for (std::size_t i = 0; i < unit.size(); ++i)
                QVERIFY2(std::abs(unit[i] * 255.0 - double(pixels[i])) <= 0.5 + 1e-3,
                         qPrintable(what + QString(": pixel %1 is %2, the app's %3").arg(i).arg(unit[i] * 255).arg(pixels[i])));
        };
        sameImages(own, QStringLiteral("the decoder model"));
        const QString input = m_dir.filePath(name + "_z.f32"), expected = m_dir.filePath(name + "_pixels.f32");
        writeBytes(input, z.data(), z.size() * sizeof(float));
        writeBytes(expected, own.data(), own.size() * sizeof(float));
        const QString saved = m_dir.filePath(name + "_runtime.f32");
        for (ExportFormat f : availableExportFormats()) {
            if (f == ExportFormat::Tflite)
                continue; // not yet: Unflatten and ConvTranspose2d have no TFLite writer
            const QString file = m_dir.filePath(name + "_decoder" + exportFileSuffix(f));
            exportModel(model, f, file.toStdString());
            const QString weights = QString::fromStdString(decoderWeightsPath(file.toStdString()));
            if (f == ExportFormat::Python)
                QVERIFY2(QFile::exists(weights), qPrintable(weights));
            for (OnnxRuntime r : {OnnxRuntime::OnnxRuntime, OnnxRuntime::OpenCv}) {
                if (f != ExportFormat::Onnx && r == OnnxRuntime::OpenCv)
                    continue;
                QFile::remove(saved);
                const Check c = runChecker(f, file, weights, input, {n, width, 1, 1}, expected, r,
                                           {"--input-dtype", "f32", "--no-argmax", "--save-output", saved});
                const QString what = name + " decoder " + exportFormatName(f) + " in " + QString::fromStdString(c.runtime);
                QVERIFY2(c.error.isEmpty(), qPrintable(what + ": " + c.error));
                qInfo("%s: max |diff| = %.3g", qPrintable(what), c.maxDiff);
                QVERIFY2(c.maxDiff < 1e-4, qPrintable(what + ": " + QString::number(c.maxDiff)));
                QFile out(saved);
                QVERIFY(out.open(QIODevice::ReadOnly));
                const QByteArray bytes = out.readAll();
                QCOMPARE(std::size_t(bytes.size()), own.size() * sizeof(float));
                std::vector<float> y(own.size());
                std::memcpy(y.data(), bytes.constData(), std::size_t(bytes.size()));
                sameImages(y, what);
            }
        }
        // With --verify's own check: latents in, no top class to compare.
        const QString onnx = m_dir.filePath(name + "_decoder.onnx");
        const ExportCheck check = verifyExport(model, ExportFormat::Onnx, onnx.toStdString());
        QVERIFY2(check.passed(), check.message.c_str());
        QCOMPARE(check.images, std::int64_t(8));
    }

    void generatedPythonIsReadable() {
        const Model model = Model::compile(makeFromTemplate("keras-cnn").graph, {1, 28, 28, m_data.classNames}, 1);
        const std::string src = pythonSource(model, "keras_cnn");
        QVERIFY(src.find("self.conv1 = nn.Conv2d(1, 32, kernel_size=3") != std::string::npos);
        QVERIFY(src.find("dense2 = self.dense2(relu4)") != std::string::npos);
        QVERIFY(src.find("Usage:") != std::string::npos);
        QVERIFY(src.find("\"Ankle boot\"") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
