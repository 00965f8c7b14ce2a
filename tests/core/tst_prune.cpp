// Structured channel pruning (issue 15): the filters that matter are kept and the network's
// function with them; Add-joined convolutions lose the same channels; what cannot be pruned is
// left whole and named; the CLI writes a model and a project that validate and train.
#include "data/Dataset.h"
#include "graph/Project.h"
#include "graph/ShapeInference.h"
#include "nn/GraphNet.h"
#include "nn/Model.h"
#include "nn/Prune.h"
#include "nn/Quantize.h"
#include "train/Evaluator.h"
#include "train/Trainer.h"
#include "util/Error.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <cmath>

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

std::int64_t outChannels(const Graph& g, const std::string& id) {
    return g.node(id)->params.at("out_channels").get<std::int64_t>();
}

bool contains(const std::vector<std::string>& items, const std::string& text) {
    return std::any_of(items.begin(), items.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
}
} // namespace

class TestPrune : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    DatasetPair m_data;

    Model trained(const Graph& graph, int epochs = 1) {
        const DatasetInfo info{m_data.train.channels, m_data.train.height, m_data.train.width, m_data.train.classNames};
        Model model = Model::compile(graph, info, 7);
        TrainConfig cfg;
        cfg.epochs = epochs;
        cfg.batchSize = 64;
        cfg.threads = 2;
        cfg.validationFraction = 0;
        Trainer trainer(model, m_data.train, cfg);
        const FinishedEvent r = trainer.run();
        if (r.reason != FinishReason::Completed)
            qFatal("training failed: %s", r.message.c_str());
        return model;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = loadDataset("fashion-mnist", 2000, 1000);
    }

    // keras-cnn with half of every convolution's filters made negligible (weights ×1e-6, bias 0):
    // pruning half the channels must remove exactly those, so the smaller network computes what
    // the whole one did, and it is as accurate before any fine-tuning.
    void theFiltersThatMatterAreKept() {
        Model model = trained(makeFromTemplate("keras-cnn").graph);
        {
            torch::NoGradGuard noGrad;
            auto params = model.impl().net->named_parameters(true);
            for (const char* conv : {"conv1", "conv2", "conv3"}) {
                torch::Tensor w = params[std::string(conv) + ".weight"];
                // odd filters negligible: the kept ones are not simply the first half
                for (std::int64_t o = 1; o < w.size(0); o += 2) {
                    w[o].mul_(1e-6);
                    params[std::string(conv) + ".bias"][o].zero_();
                }
            }
        }
        PruneReport report;
        const Model pruned = pruneChannels(model, PruneOptions{0.5}, &report);
        QCOMPARE(outChannels(pruned.graph(), "conv1"), std::int64_t(16));
        QCOMPARE(outChannels(pruned.graph(), "conv2"), std::int64_t(32));
        QCOMPARE(outChannels(pruned.graph(), "conv3"), std::int64_t(32));
        QVERIFY(report.kept.empty());
        QVERIFY2(contains(report.pruned, "conv2: 64 -> 32 channels"), report.pruned.front().c_str());
        const double cut = 1.0 - double(report.flopsAfter) / double(report.flopsBefore);
        qInfo("keras-cnn: MFLOPs %.2f -> %.2f (%.1f %% fewer), parameters %lld -> %lld", report.flopsBefore / 1e6,
              report.flopsAfter / 1e6, 100 * cut, static_cast<long long>(report.parametersBefore),
              static_cast<long long>(report.parametersAfter));
        QVERIFY(cut >= 0.45);
        QVERIFY(analyzeGraph(pruned.graph(), pruned.inputShape(), 10).valid());

        const std::int64_t n = 256;
        std::vector<std::uint8_t> scratch;
        const std::uint8_t* images = m_data.test.imagesAt(0, n, scratch);
        const std::vector<float> a = model.logits(images, n), b = pruned.logits(images, n);
        QCOMPARE(a.size(), b.size());
        float worst = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            worst = std::max(worst, std::abs(a[i] - b[i]));
        qInfo("largest logit difference to the unpruned network: %g", double(worst));
        QVERIFY2(worst < 1e-3f, qPrintable(QString::number(double(worst))));
        // At most one of the 1,000 test images may flip on a near tie.
        QVERIFY(std::abs(evaluateModel(pruned, m_data.test).accuracy - evaluateModel(model, m_data.test).accuracy) <= 0.001);
    }

    // resnet-mini: by default its residual streams (the channels an Add joins) stay whole and
    // each block's inner convolution loses half its channels, still ≥ 45 % of the FLOPs; with
    // `residual`, convolutions whose outputs meet in an Add lose the same channels, the graph
    // validates, and with the odd channels of every convolution silenced (filter ×1e-6, its
    // BatchNorm's gamma and beta 0) the pruned network computes what the whole one did; it trains.
    void addJoinedConvolutionsArePrunedTogether() {
        const Graph graph = makeFromTemplate("resnet-mini").graph;
        const Model model = trained(graph);
        const QString path = m_dir.filePath("resnet.ncmodel");
        model.save(path.toStdString());
        Model silenced = Model::load(path.toStdString());
        {
            torch::NoGradGuard noGrad;
            auto params = silenced.impl().net->named_parameters(true);
            for (const Node& n : graph.nodes()) {
                if (n.type != "Conv2d")
                    continue;
                const std::vector<const Edge*> next = graph.outgoing(n.id);
                QVERIFY2(next.size() == 1 && graph.node(next[0]->to.node)->type == "BatchNorm2d", n.id.c_str());
                const std::string bn = next[0]->to.node;
                torch::Tensor w = params[n.id + ".weight"];
                for (std::int64_t o = 1; o < w.size(0); o += 2) {
                    w[o].mul_(1e-6);
                    params[bn + ".weight"][o].zero_();
                    params[bn + ".bias"][o].zero_();
                }
            }
        }
        {
            const Model quiet = pruneChannels(silenced, PruneOptions{0.5, true});
            const std::int64_t n = 256;
            std::vector<std::uint8_t> scratch;
            const std::uint8_t* images = m_data.test.imagesAt(0, n, scratch);
            const std::vector<float> a = silenced.logits(images, n), b = quiet.logits(images, n);
            float worst = 0;
            for (std::size_t i = 0; i < a.size(); ++i)
                worst = std::max(worst, std::abs(a[i] - b[i]));
            qInfo("resnet-mini: largest logit difference to the unpruned network: %g", double(worst));
            QVERIFY2(a.size() == b.size() && worst < 1e-3f, qPrintable(QString::number(double(worst))));
        }
        const GraphAnalysis was = analyzeGraph(graph, model.inputShape(), 10);
        {
            PruneReport inner;
            const Model m = pruneChannels(model, PruneOptions{0.5}, &inner);
            const GraphAnalysis a = analyzeGraph(m.graph(), m.inputShape(), 10);
            QVERIFY2(a.valid(), a.problems.empty() ? "" : a.problems.front().message.c_str());
            for (const Node& n : m.graph().nodes()) {
                const std::int64_t now = a.info(n.id)->outputShape.at(0), then = was.info(n.id)->outputShape.at(0);
                if (n.type == "Add" || n.id == "stem" || n.id.find("_conv2") != std::string::npos || n.id.find("_proj") != std::string::npos)
                    QVERIFY2(now == then, n.id.c_str());
                else if (n.id.find("_conv1") != std::string::npos)
                    QVERIFY2(now * 2 == then, n.id.c_str());
            }
            QCOMPARE(inner.pruned.size(), std::size_t(3));
            QVERIFY(std::any_of(inner.kept.begin(), inner.kept.end(),
                                [](const std::string& k) { return k.rfind("stem (a residual stream", 0) == 0; }));
            const double cut = 1.0 - double(inner.flopsAfter) / double(inner.flopsBefore);
            qInfo("resnet-mini, residual streams kept: FLOPs -%.1f %%, parameters %lld -> %lld", 100 * cut,
                  static_cast<long long>(inner.parametersBefore), static_cast<long long>(inner.parametersAfter));
            QVERIFY(cut >= 0.45);
        }
        PruneReport report;
        Model pruned = pruneChannels(model, PruneOptions{0.5, true}, &report);
        QCOMPARE(recalibrateBatchNorm(pruned, m_data.train, 512), 512);
        const GraphAnalysis a = analyzeGraph(pruned.graph(), pruned.inputShape(), 10);
        QVERIFY2(a.valid(), a.problems.empty() ? "" : a.problems.front().message.c_str());
        // Every Add's inputs have the same channel count, and it is smaller than before.
        for (const Node& n : pruned.graph().nodes())
            if (n.type == "Add") {
                std::set<std::int64_t> channels;
                for (const Edge* e : pruned.graph().incoming(n.id))
                    channels.insert(a.info(e->from.node)->outputShape.at(0));
                QCOMPARE(channels.size(), std::size_t(1));
                QVERIFY(*channels.begin() < was.info(n.id)->outputShape.at(0));
            }
        QVERIFY(1.0 - double(report.flopsAfter) / double(report.flopsBefore) >= 0.45);
        const double before = evaluateModel(model, m_data.test).accuracy;
        TrainConfig cfg;
        cfg.epochs = 1;
        cfg.batchSize = 64;
        cfg.threads = 2;
        cfg.validationFraction = 0;
        Trainer trainer(pruned, m_data.train, cfg);
        QCOMPARE(trainer.run().reason, FinishReason::Completed);
        const double after = evaluateModel(pruned, m_data.test).accuracy;
        qInfo("resnet-mini: accuracy %.4f, pruned and fine-tuned one epoch %.4f; %s", before, after,
              report.pruned.front().c_str());
        QVERIFY2(after > 0.4, qPrintable(QString::number(after))); // chance is 0.1
    }

    // A Concat's inputs keep their channels (the concatenation's layout would change under its
    // readers); the convolution before them is still pruned. A network without convolutions, a
    // quantised model and a share outside (0, 1] are refused with the reason.
    void whatCannotBePrunedIsNamed() {
        Graph g = Graph::fromJson(Json::parse(R"({"nodes": [
            {"id": "input", "type": "Input", "params": {}},
            {"id": "stem", "type": "Conv2d", "params": {"out_channels": 16, "kernel_size": 3, "padding": 1}},
            {"id": "relu", "type": "ReLU", "params": {}},
            {"id": "left", "type": "Conv2d", "params": {"out_channels": 8, "kernel_size": 3, "padding": 1}},
            {"id": "right", "type": "Conv2d", "params": {"out_channels": 8, "kernel_size": 1}},
            {"id": "cat", "type": "Concat", "params": {"inputs": 2}},
            {"id": "gap", "type": "GlobalAvgPool2d", "params": {}},
            {"id": "fc", "type": "Linear", "params": {"out_features": 10}},
            {"id": "output", "type": "Output", "params": {}}],
          "edges": [{"from": "input:out", "to": "stem:in"}, {"from": "stem:out", "to": "relu:in"},
            {"from": "relu:out", "to": "left:in"}, {"from": "relu:out", "to": "right:in"},
            {"from": "left:out", "to": "cat:in0"}, {"from": "right:out", "to": "cat:in1"},
            {"from": "cat:out", "to": "gap:in"}, {"from": "gap:out", "to": "fc:in"}, {"from": "fc:out", "to": "output:in"}]})"));
        const DatasetInfo info{1, 28, 28, m_data.train.classNames};
        const Model model = Model::compile(g, info, 3);
        PruneReport report;
        const Model pruned = pruneChannels(model, PruneOptions{0.5}, &report);
        QCOMPARE(outChannels(pruned.graph(), "stem"), std::int64_t(8));
        QCOMPARE(outChannels(pruned.graph(), "left"), std::int64_t(8));
        QVERIFY2(contains(report.kept, "left (its channels reach cat (Concat))"), report.kept.front().c_str());
        QVERIFY(contains(report.kept, "right (its channels reach cat (Concat))"));
        std::vector<std::uint8_t> scratch;
        QCOMPARE(pruned.logits(m_data.test.imagesAt(0, 4, scratch), 4).size(), std::size_t(40));

        const Model mlp = Model::compile(makeFromTemplate("mlp").graph, info, 1);
        QVERIFY(errorOf([&] { pruneChannels(mlp, PruneOptions{0.5}); }).find("no convolution of this model can be pruned") !=
                std::string::npos);
        QVERIFY(errorOf([&] { pruneChannels(model, PruneOptions{1.5}); }).find("at most 1") != std::string::npos);
        QuantizeOptions q;
        q.calibrationImages = 16;
        const Model int8 = quantizeInt8(model, m_data.train, q);
        QVERIFY(errorOf([&] { pruneChannels(int8, PruneOptions{0.5}); }).find("prune the float model") != std::string::npos);
    }

    // Unstructured: 80 % of every convolution's and Linear's weights zero, still zero after a
    // fine-tune (the optimizer moves them; the pruner puts them back after every step), and the
    // CLI's file compresses to well under half.
    void magnitudePruningKeepsItsZerosThroughFineTuning() {
        Model model = trained(makeFromTemplate("keras-cnn").graph);
        auto zeros = [&] {
            std::int64_t z = 0;
            for (const auto& p : model.impl().net->named_parameters(true))
                if (p.key().size() > 7 && p.key().compare(p.key().size() - 7, 7, ".weight") == 0)
                    z += (p.value() == 0).sum().item<std::int64_t>();
            return z;
        };
        const std::int64_t before = zeros();
        MagnitudePruner pruner(model, 0.8);
        QVERIFY(std::abs(pruner.sparsity() - 0.8) < 0.001);
        QCOMPARE(pruner.layers().size(), std::size_t(5)); // conv1-3, dense1-2
        QVERIFY(zeros() >= pruner.prunedEntries());
        TrainConfig cfg;
        cfg.epochs = 1;
        cfg.batchSize = 64;
        cfg.threads = 2;
        cfg.validationFraction = 0;
        Trainer trainer(model, m_data.train, cfg);
        TrainerCallbacks cb;
        cb.onBatch = [&](const BatchEvent&) { pruner.reapply(); };
        trainer.setCallbacks(cb);
        QCOMPARE(trainer.run().reason, FinishReason::Completed);
        QVERIFY2(zeros() >= pruner.prunedEntries(), qPrintable(QString("%1 zeros, %2 pruned").arg(zeros()).arg(pruner.prunedEntries())));
        QVERIFY(before < pruner.prunedEntries() / 10);
        const double accuracy = evaluateModel(model, m_data.test).accuracy;
        qInfo("keras-cnn at 80 %% sparsity, fine-tuned one epoch: %.4f", accuracy);
        QVERIFY2(accuracy > 0.4, qPrintable(QString::number(accuracy))); // still a classifier (chance: 0.1)

        const QString in = m_dir.filePath("dense.ncmodel"), out = m_dir.filePath("sparse.ncmodel");
        trained(makeFromTemplate("keras-cnn").graph).save(in.toStdString());
        QProcess p;
        p.start(NC_CLI_PATH, {"compress", in, "--sparsity", "0.8", "--finetune-epochs", "1", "--dataset", "fashion-mnist",
                              "--limit-train", "1000", "--limit-test", "500", "-o", out, "--threads", "2", "--json"});
        QVERIFY(p.waitForFinished(300000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const Json j = Json::parse(p.readAllStandardOutput().trimmed().split('\n').last().toStdString());
        qInfo("compressed file: %lld -> %lld bytes", static_cast<long long>(j["compressed_bytes_before"].get<std::int64_t>()),
              static_cast<long long>(j["compressed_bytes_after"].get<std::int64_t>()));
        QVERIFY(j["compressed_bytes_after"].get<double>() < 0.5 * j["compressed_bytes_before"].get<double>());
        QCOMPARE(Model::load(out.toStdString()).graph().toJson(), Model::load(in.toStdString()).graph().toJson());
        QVERIFY(errorOf([&] { MagnitudePruner(model, 1.0); }).find("below 1") != std::string::npos);
    }

    // `compress --prune-channels` as a user runs it: a model and a project beside it; the project
    // opens, validates and holds the model's graph; the original file is untouched.
    void compressCommandWritesAModelAndAProject() {
        const Model model = trained(makeFromTemplate("keras-cnn").graph);
        const QString in = m_dir.filePath("k.ncmodel"), out = m_dir.filePath("k-pruned.ncmodel");
        model.save(in.toStdString());
        const QByteArray original = [&] {
            QFile f(in);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        QProcess p;
        p.start(NC_CLI_PATH, {"compress", in, "--prune-channels", "0.5", "--finetune-epochs", "1", "--dataset",
                              "fashion-mnist", "--limit-train", "1000", "--limit-test", "500", "-o", out, "--threads", "2"});
        QVERIFY(p.waitForFinished(300000));
        const QString text = QString::fromUtf8(p.readAllStandardOutput()), err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        QVERIFY2(text.contains("conv1: 32 -> 16 channels") && text.contains("MFLOPs:") && text.contains("after fine-tuning 1 epochs"),
                 qPrintable(text));
        QVERIFY2(err.contains("fine-tune epoch 1/1"), qPrintable(err));
        const Model loaded = Model::load(out.toStdString());
        const Project project = loadProject(m_dir.filePath("k-pruned.ncproj").toStdString());
        QCOMPARE(project.graph.toJson(), loaded.graph().toJson());
        QCOMPARE(outChannels(project.graph, "conv2"), std::int64_t(32));
        QVERIFY(analyzeGraph(project.graph, loaded.inputShape(), 10).valid());
        QVERIFY(loaded.metadata().at("compression").at("method") == "prune-channels");
        QFile f(in);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), original);

        QProcess bad;
        bad.start(NC_CLI_PATH, {"compress", in, "--prune-channels", "0.5", "--quantize", "int8", "--dataset", "fashion-mnist",
                                "-o", out});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY(QString::fromUtf8(bad.readAllStandardError()).contains("separate steps"));
        bad.start(NC_CLI_PATH, {"compress", in, "--prune-channels", "0.5", "--dataset", "fashion-mnist", "-o",
                                m_dir.filePath("k.onnx")});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY(QString::fromUtf8(bad.readAllStandardError()).contains("must name a .ncmodel"));
        // A folder that is not there is named before any fine-tuning, not after it.
        bad.start(NC_CLI_PATH, {"compress", in, "--prune-channels", "0.5", "--dataset", "fashion-mnist", "-o",
                                m_dir.filePath("no/such/folder/k.ncmodel")});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 1);
        const QString missing = QString::fromUtf8(bad.readAllStandardError());
        QVERIFY2(missing.contains("does not exist") && missing.contains("no/such/folder"), qPrintable(missing));
        QVERIFY2(!missing.contains("fine-tune epoch"), qPrintable(missing));
    }
};

QTEST_GUILESS_MAIN(TestPrune)
#include "tst_prune.moc"
