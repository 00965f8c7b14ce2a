// TFLite (float and int8) and int8 ONNX (QDQ) exports, each run in independent runtimes: ONNX
// Runtime (npm onnxruntime-node), ArmNN's TFLite parser on its CpuRef backend (python3-pyarmnn) and
// LiteRT in WebAssembly (npm @litertjs/core), all installed by scripts/install-deps.sh and driven by
// resources/tools/check_export.py, the checker `export --verify` runs.
#include "data/Dataset.h"
#include "graph/Project.h"
#include "io/Export.h"
#include "io/ExportInt8.h"
#include "io/ExportVerify.h"
#include "nn/Model.h"
#include "nn/Quantize.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

using namespace nc;

namespace {
// Layers TFLite export does not write yet; a template holding one must fail naming it.
const std::set<std::string> kNotInTflite = {"ConvTranspose2d", "Upsample", "Unflatten"};

std::string unsupportedNode(const Model& m) {
    for (const ExportNode& n : exportNodes(m))
        if (kNotInTflite.count(n.type))
            return n.id;
    return {};
}

double accuracy(const std::vector<float>& logits, const std::vector<std::int64_t>& labels, std::int64_t classes) {
    std::int64_t right = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const float* row = logits.data() + i * std::size_t(classes);
        right += std::max_element(row, row + classes) - row == labels[i];
    }
    return double(right) / double(labels.size());
}

double agreement(const std::vector<float>& a, const std::vector<float>& b, std::int64_t classes) {
    const std::size_t n = a.size() / std::size_t(classes);
    std::size_t same = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const float* x = a.data() + i * std::size_t(classes);
        const float* y = b.data() + i * std::size_t(classes);
        same += std::max_element(x, x + classes) - x == std::max_element(y, y + classes) - y;
    }
    return double(same) / double(n);
}
} // namespace

class TestExportInt8 : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    DatasetPair m_data;

    // `name` trained one epoch on 2,048 images (weights and BatchNorm statistics off their
    // defaults), and its int8 version calibrated on 256 of them.
    std::pair<Model, Model> trained(const std::string& name) {
        Model model = Model::compile(makeFromTemplate(name).graph,
                                     {m_data.train.channels, m_data.train.height, m_data.train.width, m_data.train.classNames}, 3);
        TrainConfig cfg;
        cfg.epochs = 1;
        cfg.batchSize = 64;
        cfg.threads = 2;
        cfg.validationFraction = 0;
        Trainer trainer(model, m_data.train, cfg);
        if (trainer.run().reason != FinishReason::Completed)
            throw Error(name + " did not train");
        QuantizeOptions q;
        q.calibrationImages = 256;
        Model int8 = quantizeInt8(model, m_data.train, q);
        return {std::move(model), std::move(int8)};
    }
    std::string path(const std::string& name) const { return m_dir.filePath(QString::fromStdString(name)).toStdString(); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = loadDataset("fashion-mnist", 2048, 1000);
        QCOMPARE(m_data.test.size(), std::int64_t(1000));
        const auto formats = availableExportFormats();
        QVERIFY2(std::find(formats.begin(), formats.end(), ExportFormat::Tflite) != formats.end(),
                 "TFLite export is built in (flatbuffers-compiler and libflatbuffers-dev, scripts/install-deps.sh)");
    }

    // Every template: the float TFLite file gives the app's logits in ArmNN and in LiteRT
    // (max |diff| < 1e-4, same top class) on real test images; the int8 one the app's int8
    // logits to within one step of the output's quantisation, in both runtimes. A template with
    // a layer TFLite export does not write fails naming that node, and leaves no file.
    void tfliteFloatAndInt8MatchInArmnnAndLitert_data() {
        QTest::addColumn<QString>("name");
        for (const TemplateInfo& t : listTemplates())
            if (!t.generative) // classifiers; the VAE template has no class scores (tst_generative)
                QTest::newRow(t.name.c_str()) << QString::fromStdString(t.name);
    }
    void tfliteFloatAndInt8MatchInArmnnAndLitert() {
        QFETCH(QString, name);
        const auto [model, int8] = trained(name.toStdString());
        const std::string unsupported = unsupportedNode(model);
        const std::string floatFile = path(name.toStdString() + ".tflite"), int8File = path(name.toStdString() + "_int8.tflite");
        if (!unsupported.empty()) {
            for (const Model* m : {&model, &int8}) {
                try {
                    exportModel(*m, ExportFormat::Tflite, floatFile);
                    QFAIL("a layer TFLite export does not write was written");
                } catch (const Error& e) {
                    QVERIFY2(std::string(e.what()).rfind(unsupported + ": ", 0) == 0, e.what());
                    QVERIFY2(std::string(e.what()).find("cannot be exported to TFLite") != std::string::npos, e.what());
                }
                QVERIFY(!fileExists(floatFile));
            }
            return;
        }
        const std::int64_t n = 24;
        std::vector<std::uint8_t> scratch;
        const std::uint8_t* images = m_data.test.imagesAt(0, n, scratch);

        exportModel(model, ExportFormat::Tflite, floatFile);
        const ExportCheck f = verifyExport(model, ExportFormat::Tflite, floatFile, images, n);
        QVERIFY2(f.ran, f.message.c_str());
        qInfo("%s float TFLite: max |diff| %.3g in %s", qPrintable(name), f.maxAbsDifference, f.runtime.c_str());
        QVERIFY2(f.runtime.find("ArmNN") != std::string::npos && f.runtime.find("LiteRT") != std::string::npos,
                 f.runtime.c_str());
        QVERIFY2(f.maxAbsDifference < 1e-4, qPrintable(QString::number(f.maxAbsDifference)));
        QVERIFY(f.sameClass);

        exportModel(int8, ExportFormat::Tflite, int8File);
        const ExportCheck q = verifyExport(int8, ExportFormat::Tflite, int8File, images, n);
        QVERIFY2(q.ran, q.message.c_str());
        const double step = outputStep(int8);
        qInfo("%s int8 TFLite: max |diff| %.3g = %.2f output steps (step %.3g), top-1 agreement %.3f, file %lld vs %lld bytes",
              qPrintable(name), q.maxAbsDifference, step > 0 ? q.maxAbsDifference / step : 0.0, step, q.agreement,
              static_cast<long long>(fileSize(int8File)), static_cast<long long>(fileSize(floatFile)));
        QVERIFY(step > 0);
        QVERIFY2(q.maxAbsDifference <= step * 1.001, qPrintable(QString::number(q.maxAbsDifference / step) + " steps"));
        // Recurrent layers keep float32 weights in TFLite (the app's dequantised ones, see
        // io/ExportTflite.cpp): lstm-rows' file shrinks only by its Linear layer.
        const bool recurrent = std::any_of(model.graph().nodes().begin(), model.graph().nodes().end(),
                                           [](const Node& node) { return node.type == "LSTM" || node.type == "GRU"; });
        if (recurrent)
            QVERIFY(fileSize(int8File) < fileSize(floatFile));
        else
            QVERIFY(fileSize(int8File) * 3 < fileSize(floatFile));
    }

    // keras-cnn's int8 model as QDQ ONNX in ONNX Runtime on 1,000 test images: top-1 agreement
    // with the app's own int8 model >= 99 %, accuracy within 0.5 points of it.
    void int8OnnxRunsInOnnxRuntimeLikeTheApp() {
        const auto [model, int8] = trained("keras-cnn");
        const std::string file = path("keras_cnn_int8.onnx");
        exportModel(int8, ExportFormat::Onnx, file);
        const std::int64_t n = m_data.test.size();
        std::vector<std::uint8_t> scratch;
        const ExportCheck c = verifyExport(int8, ExportFormat::Onnx, file, m_data.test.imagesAt(0, n, scratch), n);
        QVERIFY2(c.ran, c.message.c_str());
        QVERIFY2(c.runtime.find("ONNX Runtime") != std::string::npos, c.runtime.c_str());
        const std::int64_t classes = int8.classNames().size();
        QCOMPARE(c.outputs.size(), std::size_t(n * classes));
        const std::vector<float> app = int8.logits(m_data.test.imagesAt(0, n, scratch), n);
        const double appAccuracy = accuracy(app, m_data.test.labels, classes),
                     ortAccuracy = accuracy(c.outputs, m_data.test.labels, classes),
                     agree = agreement(app, c.outputs, classes);
        qInfo("keras-cnn int8 QDQ ONNX: app %.4f, ONNX Runtime %.4f, top-1 agreement %.4f, max |diff| %.3g (%.2f output steps)",
              appAccuracy, ortAccuracy, agree, c.maxAbsDifference, c.maxAbsDifference / outputStep(int8));
        QVERIFY2(agree >= 0.99, qPrintable(QString::number(agree)));
        QVERIFY2(std::abs(appAccuracy - ortAccuracy) <= 0.005, qPrintable(QString::number(ortAccuracy)));
        QCOMPARE(c.agreement, agree);
        // The same file through `export --verify`'s own criterion.
        QVERIFY2(verifyExport(int8, ExportFormat::Onnx, file).passed(), "export --verify refuses the QDQ file");
    }

    // What the int8 exports contain: QDQ pairs and int8 weights in the ONNX file, int8 tensors in
    // the TFLite one, and the refusal of the formats that cannot carry int8 arithmetic.
    void int8ExportsHoldInt8AndOtherFormatsRefuse() {
        const auto [model, int8] = trained("lenet5");
        const std::string onnx = path("lenet_int8.onnx");
        exportModel(int8, ExportFormat::Onnx, onnx);
        const std::string bytes = readFileText(onnx, 1 << 26);
        QVERIFY(bytes.find("QuantizeLinear") != std::string::npos);
        QVERIFY(bytes.find("DequantizeLinear") != std::string::npos);
        QVERIFY(bytes.find("conv1.weight_int8") != std::string::npos);
        exportModel(model, ExportFormat::Onnx, path("lenet.onnx"));
        QVERIFY(fileSize(onnx) * 3 < fileSize(path("lenet.onnx")));
        for (ExportFormat f : {ExportFormat::TorchScript, ExportFormat::Python}) {
            const std::string out = path(std::string("lenet_int8") + exportFileSuffix(f));
            try {
                exportModel(int8, f, out);
                QFAIL("an int8 model was exported to a float-only format");
            } catch (const Error& e) {
                QVERIFY2(std::string(e.what()).find("onnx (QDQ) or tflite") != std::string::npos, e.what());
            }
            QVERIFY(!fileExists(out));
        }
    }

    // TFLite layout details a runtime would get wrong silently: a padded stride-2 convolution
    // (explicit PAD, not SAME), average pooling with padding (counted as zeros, as PyTorch does),
    // a Flatten of a 7×7×C value feeding Linear (columns reordered), Add and Concat of NHWC values.
    void tfliteLayoutEdgeCases() {
        Graph g;
        g.addNode({"input", "Input", Json::object()});
        g.addNode({"c1", "Conv2d", {{"out_channels", 6}, {"kernel_size", 3}, {"stride", 2}, {"padding", 1}}});
        g.addNode({"r1", "ReLU", Json::object()});
        g.addNode({"c2", "Conv2d", {{"out_channels", 6}, {"kernel_size", 3}, {"padding", "same"}}});
        g.addNode({"add", "Add", Json::object()});
        g.addNode({"dw", "Conv2d", {{"out_channels", 12}, {"kernel_size", 3}, {"padding", 1}, {"groups", 6}}});
        g.addNode({"cat", "Concat", Json::object()});
        g.addNode({"pool", "AvgPool2d", {{"kernel_size", 3}, {"stride", 2}, {"padding", 1}}});
        g.addNode({"flat", "Flatten", Json::object()});
        g.addNode({"fc", "Linear", {{"out_features", 10}}});
        g.addNode({"output", "Output", Json::object()});
        g.connect({"input", "out"}, {"c1", "in"});
        g.connect({"c1", "out"}, {"r1", "in"});
        g.connect({"r1", "out"}, {"c2", "in"});
        g.connect({"c2", "out"}, {"add", "in0"});
        g.connect({"r1", "out"}, {"add", "in1"});
        g.connect({"add", "out"}, {"dw", "in"});
        g.connect({"dw", "out"}, {"cat", "in0"});
        g.connect({"add", "out"}, {"cat", "in1"});
        g.connect({"cat", "out"}, {"pool", "in"});
        g.connect({"pool", "out"}, {"flat", "in"});
        g.connect({"flat", "out"}, {"fc", "in"});
        g.connect({"fc", "out"}, {"output", "in"});
        const Model model = Model::compile(g, {1, 28, 28, m_data.train.classNames}, 5);
        const std::string file = path("edges.tflite");
        exportModel(model, ExportFormat::Tflite, file);
        std::vector<std::uint8_t> scratch;
        const ExportCheck c = verifyExport(model, ExportFormat::Tflite, file, m_data.test.imagesAt(0, 8, scratch), 8);
        QVERIFY2(c.ran, c.message.c_str());
        qInfo("layout edge cases: max |diff| %.3g in %s", c.maxAbsDifference, c.runtime.c_str());
        QVERIFY2(c.maxAbsDifference < 1e-4, qPrintable(QString::number(c.maxAbsDifference)));
        QVERIFY(c.sameClass);
    }

    // Recurrent layers, written unrolled: a 3-channel image read row by row (the channels-last
    // transpose), a 2-layer bidirectional GRU returning every step, read both by a bidirectional
    // LSTM ("last": each direction's final state) and by Flatten + Linear. Float within 1e-4 in
    // ArmNN and LiteRT; its int8 version (the recurrent layers in float from their int8-stored
    // matrices, the Linear layers int8) within one output step.
    void tfliteRecurrentLayers() {
        Graph g;
        g.addNode({"input", "Input", Json::object()});
        g.addNode({"c1", "Conv2d", {{"out_channels", 3}, {"kernel_size", 3}, {"padding", 1}}});
        g.addNode({"seq", "RowsToSequence", Json::object()});
        g.addNode({"gru", "GRU", {{"hidden_size", 16}, {"layers", 2}, {"bidirectional", true}, {"output", "all"}}});
        g.addNode({"lstm", "LSTM", {{"hidden_size", 12}, {"bidirectional", true}, {"output", "last"}}});
        g.addNode({"flat", "Flatten", Json::object()});
        g.addNode({"fc1", "Linear", {{"out_features", 8}}});
        g.addNode({"cat", "Concat", Json::object()});
        g.addNode({"fc", "Linear", {{"out_features", 10}}});
        g.addNode({"output", "Output", Json::object()});
        g.connect({"input", "out"}, {"c1", "in"});
        g.connect({"c1", "out"}, {"seq", "in"});
        g.connect({"seq", "out"}, {"gru", "in"});
        g.connect({"gru", "out"}, {"lstm", "in"});
        g.connect({"gru", "out"}, {"flat", "in"});
        g.connect({"flat", "out"}, {"fc1", "in"});
        g.connect({"lstm", "out"}, {"cat", "in0"});
        g.connect({"fc1", "out"}, {"cat", "in1"});
        g.connect({"cat", "out"}, {"fc", "in"});
        g.connect({"fc", "out"}, {"output", "in"});
        const Model model = Model::compile(g, {1, 28, 28, m_data.train.classNames}, 9);
        std::vector<std::uint8_t> scratch;
        const std::uint8_t* images = m_data.test.imagesAt(0, 8, scratch);
        const std::string file = path("recurrent.tflite");
        exportModel(model, ExportFormat::Tflite, file);
        const ExportCheck c = verifyExport(model, ExportFormat::Tflite, file, images, 8);
        QVERIFY2(c.ran, c.message.c_str());
        qInfo("recurrent layers: max |diff| %.3g in %s", c.maxAbsDifference, c.runtime.c_str());
        QVERIFY2(c.runtime.find("ArmNN") != std::string::npos && c.runtime.find("LiteRT") != std::string::npos,
                 c.runtime.c_str());
        QVERIFY2(c.maxAbsDifference < 1e-4, qPrintable(QString::number(c.maxAbsDifference)));
        QVERIFY(c.sameClass);

        QuantizeOptions q;
        q.calibrationImages = 128;
        const Model int8 = quantizeInt8(model, m_data.train, q);
        const std::string int8File = path("recurrent_int8.tflite");
        exportModel(int8, ExportFormat::Tflite, int8File);
        const ExportCheck qc = verifyExport(int8, ExportFormat::Tflite, int8File, images, 8);
        QVERIFY2(qc.ran, qc.message.c_str());
        const double step = outputStep(int8);
        qInfo("recurrent layers int8: max |diff| %.3g = %.2f output steps", qc.maxAbsDifference, qc.maxAbsDifference / step);
        QVERIFY(step > 0);
        QVERIFY2(qc.maxAbsDifference <= step * 1.001, qPrintable(QString::number(qc.maxAbsDifference / step) + " steps"));
    }
};

QTEST_GUILESS_MAIN(TestExportInt8)
#include "tst_exportint8.moc"
