// Generative networks (issue 16): loss nodes, the conv-vae template trained on real
// Fashion-MNIST images, its ELBO in nats per image, exact resume, sampling, reconstruction and
// `neuralcanvas-cli generate`.
#include "data/Dataset.h"
#include "graph/Project.h"
#include "graph/ShapeInference.h"
#include "io/Export.h"
#include "io/ExportVerify.h"
#include "io/Safetensors.h"
#include "nn/Generative.h"
#include "nn/Model.h"
#include "train/Phases.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Files.h"

#include "GenerativeGraphs.h"

#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <cstring>
#include <map>

using namespace nc;

namespace {
const Shape kMnist{1, 28, 28};

DatasetInfo infoOf(const Dataset& d) { return {d.channels, d.height, d.width, d.classNames}; }

std::string problemOf(const GraphAnalysis& a, const std::string& node) {
    for (const Problem& p : a.problems)
        if (p.nodeId == node)
            return p.message;
    return {};
}

Dataset firstImages(const Dataset& d, std::int64_t n) {
    std::vector<std::int64_t> idx(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        idx[std::size_t(i)] = i;
    return d.subset(idx);
}

TrainConfig vaeConfig(int epochs) {
    TrainConfig c = makeFromTemplate("conv-vae").training;
    c.epochs = epochs;
    c.batchSize = 64;
    c.threads = 2;
    c.seed = 11;
    c.validationFraction = 0.1;
    return c;
}

double meanAbsDiff(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i)
        s += std::abs(int(a[i]) - int(b[i]));
    return s / double(n);
}

// What differs between two runs' last checkpoints ("" when every tensor is the same, byte for
// byte, in the same order); `names` receives the tensors' names.
std::string checkpointDifference(const std::string& dirA, const std::string& dirB, std::set<std::string>* names = nullptr) {
    const SafetensorsFile ra = readSafetensors(dirA + "/last.ncckpt");
    const SafetensorsFile rb = readSafetensors(dirB + "/last.ncckpt");
    if (ra.tensors.size() != rb.tensors.size())
        return std::to_string(ra.tensors.size()) + " tensors against " + std::to_string(rb.tensors.size());
    for (std::size_t i = 0; i < ra.tensors.size(); ++i) {
        if (ra.tensors[i].name != rb.tensors[i].name)
            return ra.tensors[i].name + " against " + rb.tensors[i].name;
        if (ra.tensors[i].data != rb.tensors[i].data)
            return ra.tensors[i].name;
        if (names)
            names->insert(ra.tensors[i].name);
    }
    return {};
}

struct CliRun {
    int code = -1;
    QString out, err;
};
CliRun cli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(NC_CLI_PATH), args);
    p.waitForFinished(600000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}
QJsonObject lastJson(const QString& out) {
    const QStringList lines = out.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last().toUtf8()).object();
}
} // namespace

class TestGenerative : public QObject {
    Q_OBJECT
    DatasetPair m_data;
    QTemporaryDir m_dir;
    std::string m_vaePath; // conv-vae trained in convVaeTrainsAndItsElboImproves

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = loadDataset("fashion-mnist", 3000, 1000);
    }

    // The template is a VAE: no Output, two loss nodes, every shape known.
    void convVaeTemplateValidates() {
        const Project p = makeFromTemplate("conv-vae");
        const GraphAnalysis a = analyzeGraph(p.graph, kMnist, 10);
        QVERIFY2(a.valid(), a.problems.empty() ? "" : a.problems[0].message.c_str());
        QVERIFY(a.generative());
        QCOMPARE(a.lossNodes, (std::vector<std::string>{"kl", "recon"}));
        QCOMPARE(shapeToString(a.info("deconv2")->outputShape), std::string("1×28×28"));
        QCOMPARE(shapeToString(a.info("z")->outputShape), std::string("16"));
        bool listed = false;
        for (const TemplateInfo& t : listTemplates())
            if (t.name == "conv-vae")
                listed = t.generative;
        QVERIFY(listed);
    }

    // What is wrong with a loss node is said on that node, in words that say what to change.
    void lossNodeProblemsNameTheNode() {
        {
            Project p = makeFromTemplate("conv-vae");
            p.graph.node("logvar")->params["out_features"] = 8;
            const GraphAnalysis a = analyzeGraph(p.graph, kMnist, 10);
            const std::string m = problemOf(a, "kl");
            QVERIFY2(m.rfind("kl: needs μ (in0) and log σ² (in1) of equal shapes but gets 16 and 8", 0) == 0, m.c_str());
        }
        {
            Project p = makeFromTemplate("conv-vae");
            p.graph.node("deconv2")->params["stride"] = 1; // 14 -> 15, not the image's 28
            const GraphAnalysis a = analyzeGraph(p.graph, kMnist, 10);
            const std::string m = problemOf(a, "recon");
            QVERIFY2(m.find("recon: reconstructs 1×15×15 but the images are 1×28×28") == 0, m.c_str());
        }
        {
            Project p = makeFromTemplate("conv-vae");
            p.graph.addNode({"extra", "Linear", {{"out_features", 4}}});
            p.graph.connect({"relu3", "out"}, {"extra", "in"});
            const GraphAnalysis a = analyzeGraph(p.graph, kMnist, 10);
            QCOMPARE(problemOf(a, "extra"), std::string("extra: its output does not reach a loss; connect it onward or delete it"));
        }
        {
            Project p = makeFromTemplate("conv-vae");
            p.graph.addNode({"cls", "Linear", {{"out_features", 10}}});
            p.graph.addNode({"output", "Output", Json::object()});
            p.graph.connect({"z", "out"}, {"cls", "in"});
            p.graph.connect({"cls", "out"}, {"output", "in"});
            // A classifier beside the VAE's losses is a valid network (its losses are summed)...
            const GraphAnalysis a = analyzeGraph(p.graph, kMnist, 10);
            QVERIFY2(a.valid(), a.problems.empty() ? "" : a.problems.front().message.c_str());
            // ...but not with a GAN's AdversarialLoss, and not in training phases.
            p.graph.addNode({"adv", "AdversarialLoss", Json::object()});
            p.graph.addNode({"score", "Linear", {{"out_features", 1}}});
            p.graph.connect({"z", "out"}, {"score", "in"});
            p.graph.connect({"score", "out"}, {"adv", "in"});
            const std::string m = problemOf(analyzeGraph(p.graph, kMnist, 10), "adv");
            QVERIFY2(m.find("has an Output (output)") != std::string::npos, m.c_str());
        }
        {
            Graph g; // KL of a feature map rather than a latent vector
            g.addNode({"input", "Input", Json::object()});
            g.addNode({"kl", "KLDivergence", Json::object()});
            g.connect({"input", "out"}, {"kl", "in0"});
            g.connect({"input", "out"}, {"kl", "in1"});
            const std::string m = problemOf(analyzeGraph(g, kMnist, 10), "kl");
            QVERIFY2(m.find("needs a latent vector") != std::string::npos, m.c_str());
        }
    }

    // KL and BCE are nats per image, computed as written: with every weight zero, μ and log σ²
    // are the biases and the decoder's logits its bias, so the expected values are sums by hand.
    void lossValuesAreNatsPerImage() {
        Graph g;
        g.addNode({"input", "Input", Json::object()});
        g.addNode({"flat", "Flatten", Json::object()});
        g.addNode({"mu", "Linear", {{"out_features", 3}}});
        g.addNode({"logvar", "Linear", {{"out_features", 3}}});
        g.addNode({"z", "Reparameterize", Json::object()});
        g.addNode({"dec", "Linear", {{"out_features", 784}}});
        g.addNode({"unflat", "Unflatten", {{"channels", 1}, {"height", 28}, {"width", 28}}});
        g.addNode({"recon", "ReconstructionLoss", Json::object()});
        g.addNode({"kl", "KLDivergence", Json::object()});
        for (auto [a, b] : std::vector<std::pair<const char*, const char*>>{
                 {"input", "flat"}, {"flat", "mu"}, {"flat", "logvar"}, {"z", "dec"}, {"dec", "unflat"}, {"unflat", "recon"}})
            g.connect({a, "out"}, {b, "in"});
        g.connect({"mu", "out"}, {"z", "in0"});
        g.connect({"logvar", "out"}, {"z", "in1"});
        g.connect({"mu", "out"}, {"kl", "in0"});
        g.connect({"logvar", "out"}, {"kl", "in1"});
        const Dataset test = firstImages(m_data.test, 50);
        Model model = Model::compile(g, infoOf(test), 1);
        const double mu[3] = {0.5, -1.0, 0.0}, lv[3] = {0.2, -0.7, 1.5}, logit = -1.3;
        const std::string path = m_dir.filePath("zero.ncmodel").toStdString();
        model.save(path);
        {   // every weight zero, the biases set, written into the file the model loads from
            SafetensorsFile f = readSafetensors(path);
            for (TensorRecord& r : f.tensors) {
                if (r.dtype != DType::F32)
                    continue;
                std::vector<float> v(r.data.size() / sizeof(float), 0.f);
                if (r.name == "mu.bias" || r.name == "logvar.bias")
                    for (int i = 0; i < 3; ++i)
                        v[std::size_t(i)] = float(r.name == "mu.bias" ? mu[i] : lv[i]);
                if (r.name == "dec.bias")
                    std::fill(v.begin(), v.end(), float(logit));
                std::memcpy(r.data.data(), v.data(), r.data.size());
            }
            writeSafetensors(path, f);
        }
        const Model loaded = Model::load(path);
        const GenerativeScores s = scoreGenerative(loaded, test);
        double kl = 0;
        for (int i = 0; i < 3; ++i)
            kl += -0.5 * (1 + lv[i] - mu[i] * mu[i] - std::exp(lv[i]));
        double bce = 0;
        std::vector<std::uint8_t> scratch;
        const std::uint8_t* px = test.imagesAt(0, test.size(), scratch);
        const double p1 = 1 / (1 + std::exp(-logit));
        for (std::int64_t i = 0; i < test.size() * 784; ++i) {
            const double t = px[i] / 255.0;
            bce -= t * std::log(p1) + (1 - t) * std::log(1 - p1);
        }
        bce /= double(test.size());
        QCOMPARE(s.terms.size(), std::size_t(2));
        QCOMPARE(s.images, test.size());
        for (const auto& [id, v] : s.terms) {
            const double want = id == "kl" ? kl : bce;
            QVERIFY2(std::abs(v - want) < 1e-4 * std::max(1.0, want), qPrintable(QString("%1: %2 vs %3").arg(id.c_str()).arg(v).arg(want)));
        }
        QVERIFY(std::abs(s.total - kl - bce) < 1e-3);
        // A decoder of constant logits makes the same image every time, sigmoid(-1.3) * 255.
        const std::vector<std::uint8_t> img = sampleImages(loaded, 2, 5);
        QCOMPARE(int(img[0]), int(std::lround(p1 * 255)));
    }

    // The Fréchet distance as written: two samples of one Gaussian are close, a shift of c in each
    // of d dimensions adds d·c², a doubled spread adds d·(2 − 1)² for unit variances.
    void frechetDistanceOfKnownGaussians() {
        const std::int64_t n = 20000, d = 4;
        std::mt19937 rng(7);
        std::normal_distribution<float> normal;
        std::vector<float> a(std::size_t(n * d)), b(a.size()), shifted(a.size()), wide(a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            a[i] = normal(rng);
            b[i] = normal(rng);
            shifted[i] = b[i] + 0.5f;
            wide[i] = 2 * b[i];
        }
        QVERIFY(frechetDistance(a, n, b, n, d) < 0.01);
        // The nearest reference: an image that is one of them is at 0; one pixel changed by 255
        // from it is at distance 1 (pixels in [0, 1]).
        std::vector<std::uint8_t> refs(3 * 16, 0), query(2 * 16, 0);
        for (int i = 0; i < 16; ++i) {
            refs[16 + i] = 200;
            refs[32 + i] = std::uint8_t(i * 10);
            query[i] = std::uint8_t(i * 10);
        }
        query[16] = 255; // the zero image with one white pixel
        const std::vector<float> near = nearestDistances(query.data(), 2, refs.data(), 3, 16);
        QVERIFY(near[0] < 1e-3);
        QVERIFY(std::abs(near[1] - 1.0f) < 1e-4);
        QVERIFY(std::abs(frechetDistance(a, n, shifted, n, d) - d * 0.25) < 0.03);
        QVERIFY(std::abs(frechetDistance(a, n, wide, n, d) - d * 1.0) < 0.08);
    }

    // conv-vae on 3,000 real training images: the validation ELBO (nats per image) falls epoch by
    // epoch, its terms add up, and the trained model reconstructs test images far closer than
    // it samples new ones; classifiers' calls are refused in words.
    // The 2-D latent map on points whose structure is known: 16-wide latents that vary along two
    // directions (3 and 1 units of spread) plus faint noise keep nearly all their variance in the
    // first two components, in that order; a latent 2 wide is drawn on its own axes.
    void latentMapOfKnownPoints() {
        std::mt19937 rng(5);
        std::normal_distribution<float> g(0.f, 1.f);
        const std::int64_t n = 400, w = 16;
        std::vector<float> z(std::size_t(n * w));
        std::vector<float> a(static_cast<std::size_t>(n)), b(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) {
            a[std::size_t(i)] = 3 * g(rng);
            b[std::size_t(i)] = g(rng);
            for (std::int64_t d = 0; d < w; ++d)
                z[std::size_t(i * w + d)] = 0.01f * g(rng) + 5.f;
            z[std::size_t(i * w + 2)] += a[std::size_t(i)]; // the widest direction: dimension 2
            z[std::size_t(i * w + 7)] += b[std::size_t(i)];
        }
        const LatentMap m = mapLatents(z, n, w);
        QVERIFY2(m.explained > 0.99, qPrintable(QString::number(m.explained)));
        QVERIFY(std::abs(m.axes[2]) > 0.999 && std::abs(m.axes[std::size_t(w + 7)]) > 0.999);
        const double ma = std::accumulate(a.begin(), a.end(), 0.0) / double(n);
        const double mb = std::accumulate(b.begin(), b.end(), 0.0) / double(n);
        for (std::int64_t i = 0; i < n; ++i) { // the map is the centred coordinates, signs fixed
            QVERIFY(std::abs(m.xy[std::size_t(2 * i)] - (a[std::size_t(i)] - ma)) < 0.1);
            QVERIFY(std::abs(m.xy[std::size_t(2 * i + 1)] - (b[std::size_t(i)] - mb)) < 0.1);
        }
        const std::vector<float> two = {1, 2, 3, 5, 5, 8};
        const LatentMap m2 = mapLatents(two, 3, 2);
        QCOMPARE(m2.explained, 1.0);
        QCOMPARE(m2.xy[0], 1.f - 3.f);
        QCOMPARE(m2.xy[5], 8.f - 5.f);
        QVERIFY_THROWS_EXCEPTION(nc::Error, mapLatents(two, 4, 2));
    }

    // A classifier with a loss node of its own: a KL term on its bottleneck (μ, log σ² →
    // Reparameterize → the class layer), summed with the cross-entropy from the same forward
    // pass. Both terms are reported per batch; with β = 0.05 the latent is kept far nearer
    // N(0, I) than the same network with β = 0 (the term computed, not trained) gets, and the
    // network still classifies. Its export leaves the loss node out.
    void classifierWithItsOwnKlLoss() {
        const Dataset small = firstImages(m_data.train, 2000);
        auto run = [&](double beta, double& lastKl, double& accuracy) {
            const Graph g = test::vaeBottleneckClassifier(8, 8, 10, false, beta);
            const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
            QVERIFY2(a.valid(), a.problems.empty() ? "" : a.problems.front().message.c_str());
            QVERIFY(!isGenerativeGraph(g));
            Model model = Model::compile(g, infoOf(small), 3);
            TrainConfig cfg;
            cfg.epochs = 2;
            cfg.batchSize = 64;
            cfg.threads = 2;
            cfg.validationFraction = 0.1;
            Trainer t(model, small, cfg);
            TrainerCallbacks cb;
            int reported = 0;
            cb.onBatch = [&](const BatchEvent& e) {
                if (e.terms.contains("kl") && e.terms.contains("output")) {
                    ++reported;
                    lastKl = e.terms["kl"].get<double>();
                }
            };
            cb.onEpoch = [&](const EpochEvent& e) { accuracy = e.validationAccuracy; };
            t.setCallbacks(cb);
            const FinishedEvent f = t.run();
            QVERIFY2(f.reason == FinishReason::Completed, f.message.c_str());
            QVERIFY2(reported > 0, qPrintable(QString("%1 epochs, %2 steps").arg(f.epochsDone).arg(f.steps)));
            const std::string onnx = m_dir.filePath(QString("aux%1.onnx").arg(beta)).toStdString();
            exportModel(model, ExportFormat::Onnx, onnx);
            const ExportCheck check = verifyExport(model, ExportFormat::Onnx, onnx);
            QVERIFY2(check.passed(), check.message.c_str());
        };
        double klTrained = 0, klFree = 0, accTrained = 0, accFree = 0;
        run(0.05, klTrained, accTrained); // β = 1 (8 nats-scale terms against one cross-entropy) collapses it
        run(0.0, klFree, accFree);
        qInfo("KL per image at the last batch: %.2f nats with beta 0.05, %.2f with beta 0; validation accuracy %.3f and %.3f",
              klTrained, klFree, accTrained, accFree);
        QVERIFY(klTrained < 0.5 * klFree);
        QVERIFY(accTrained > 0.6);
    }

    void convVaeTrainsAndItsElboImproves() {
        const Project p = makeFromTemplate("conv-vae");
        Model model = Model::compile(p.graph, infoOf(m_data.train), 3);
        const GenerativeScores untrained = scoreGenerative(model, m_data.test);
        const std::string runDir = m_dir.filePath("vae-run").toStdString();
        Trainer trainer(model, m_data.train, vaeConfig(3), runDir);
        std::vector<EpochEvent> epochs;
        trainer.setCallbacks({nullptr, [&](const EpochEvent& e) { epochs.push_back(e); }, nullptr});
        const FinishedEvent done = trainer.run();
        QVERIFY2(done.reason == FinishReason::Completed, done.message.c_str());
        QVERIFY(done.generative);
        QCOMPARE(epochs.size(), std::size_t(3));
        for (const EpochEvent& e : epochs) {
            QVERIFY(e.validationTerms.contains("kl") && e.validationTerms.contains("recon"));
            const double sum = e.validationTerms["kl"].get<double>() + e.validationTerms["recon"].get<double>();
            QVERIFY(std::abs(sum - e.validationLoss) < 1e-6 * sum);
            QVERIFY(e.validationTerms["kl"].get<double>() > 0);
            qInfo("epoch %d: train %.2f, validation %.2f nats per image (kl %.2f)", e.epoch, e.trainLoss,
                  e.validationLoss, e.validationTerms["kl"].get<double>());
        }
        QVERIFY(epochs[1].validationLoss < epochs[0].validationLoss);
        QVERIFY(epochs[2].validationLoss < epochs[1].validationLoss);
        QCOMPARE(done.bestEpoch, 3);
        QCOMPARE(done.bestValidationLoss, epochs[2].validationLoss);
        QCOMPARE(lastJsonKey(done.toJson(), "best_val_loss"), epochs[2].validationLoss);

        m_vaePath = runDir + "/best.ncmodel";
        const Model best = Model::load(m_vaePath);
        QVERIFY(isGenerative(best));
        QVERIFY(best.metadata()["val_terms"].contains("recon"));
        const GenerativeScores trained = scoreGenerative(best, m_data.test);
        qInfo("test: %.2f nats per image untrained, %.2f after 3 epochs", untrained.total, trained.total);
        QVERIFY(trained.total < 0.8 * untrained.total);

        const std::int64_t n = 64, per = 784;
        std::vector<std::uint8_t> scratch;
        const std::uint8_t* x = m_data.test.imagesAt(0, n, scratch);
        const std::vector<std::uint8_t> recon = reconstructImages(best, x, n);
        const std::vector<std::uint8_t> samples = sampleImages(best, n, 1);
        QCOMPARE(recon.size(), std::size_t(n * per));
        QCOMPARE(samples.size(), std::size_t(n * per));
        const double dRecon = meanAbsDiff(x, recon.data(), recon.size()), dSample = meanAbsDiff(x, samples.data(), samples.size());
        qInfo("mean |pixel difference| to the originals: reconstructions %.1f, samples %.1f", dRecon, dSample);
        QVERIFY(dRecon < 0.6 * dSample);
        // Seeded sampling; decoding the encoded means is reconstructing.
        QVERIFY(sampleImages(best, n, 1) == samples);
        QVERIFY(sampleImages(best, n, 2) != samples);
        QCOMPARE(latentNode(best), (std::pair<std::string, std::int64_t>{"z", 16}));
        QVERIFY(decodeLatents(best, encodeImages(best, x, n), n) == recon);

        try {
            best.logits(x, 1);
            QFAIL("a generative model gave class scores");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("generative model") != std::string::npos, e.what());
        }
        // Its export is the decoder: the trained one gives the app's numbers in ONNX Runtime.
        const std::string onnx = m_dir.filePath("vae.onnx").toStdString();
        exportModel(best, ExportFormat::Onnx, onnx);
        const ExportCheck check = verifyExport(best, ExportFormat::Onnx, onnx);
        QVERIFY2(check.passed(), (check.message + " " + std::to_string(check.maxAbsDifference)).c_str());
        qInfo("trained conv-vae decoder in %s: max |diff| %.3g", check.runtime.c_str(), check.maxAbsDifference);
    }

    // Stopped in the middle of an epoch and resumed: the same weights, bit for bit, as a run
    // that never stopped (the reparameterisation noise is seeded per batch).
    void vaeStopAndResumeIsBitExact() {
        const Dataset small = firstImages(m_data.train, 640);
        const Graph g = makeFromTemplate("conv-vae").graph;
        TrainConfig cfg = vaeConfig(2);
        QTemporaryDir a, b;
        {
            Model m = Model::compile(g, infoOf(small), 5);
            Trainer t(m, small, cfg, a.path().toStdString());
            QCOMPARE(t.run().reason, FinishReason::Completed);
        }
        const std::string dirB = b.path().toStdString();
        {
            Model m = Model::compile(g, infoOf(small), 5);
            Trainer t(m, small, cfg, dirB);
            t.setCallbacks({[&](const BatchEvent& e) {
                                if (e.epoch == 1 && e.batch == 4)
                                    t.stop();
                            },
                            nullptr, nullptr});
            const FinishedEvent stopped = t.run();
            QCOMPARE(stopped.reason, FinishReason::Stopped);
            QCOMPARE(stopped.batchesIntoEpoch, std::int64_t(4));
        }
        {
            Model m = Model::compile(g, infoOf(small), 77);
            Trainer t(m, small, cfg, dirB);
            t.resumeFrom(dirB + "/last.ncckpt");
            QCOMPARE(t.run().reason, FinishReason::Completed);
        }
        const std::string diff = checkpointDifference(a.path().toStdString(), dirB);
        QVERIFY2(diff.empty(), diff.c_str());
        const SafetensorsFile ra = readSafetensors(a.path().toStdString() + "/last.ncckpt");
        const SafetensorsFile rb = readSafetensors(dirB + "/last.ncckpt");
        const Json ha = Json::parse(ra.metadata.at("history")), hb = Json::parse(rb.metadata.at("history"));
        QCOMPARE(hb.size(), std::size_t(2));
        QCOMPARE(hb[1]["val_loss"].get<double>(), ha[1]["val_loss"].get<double>());
    }

    // `generate` writes a sample grid and the pairs of originals and reconstructions as PNG
    // files, and with --score a frozen classifier judges them; a classifier is refused.
    void generateCliWritesGridsAndScores() {
        QVERIFY2(!m_vaePath.empty(), "needs the model of convVaeTrainsAndItsElboImproves");
        const QString vae = QString::fromStdString(m_vaePath);
        const QString grid = m_dir.filePath("samples.png");
        CliRun r = cli({"generate", vae, "-n", "16", "-o", grid, "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QJsonObject j = lastJson(r.out);
        QCOMPARE(j["samples"].toInt(), 16);
        QImage img(grid);
        QVERIFY(!img.isNull());
        // 4 × 4 images of 28 pixels scaled 2× with 2-pixel gaps.
        QCOMPARE(img.width(), 4 * 56 + 5 * 2);
        QVERIFY(img.isGrayscale());

        // A classifier to judge with: mlp, one epoch on the same 3,000 images.
        Project cp = makeFromTemplate("mlp");
        Model classifier = Model::compile(cp.graph, infoOf(m_data.train), 1);
        TrainConfig cfg = cp.training;
        cfg.epochs = 1;
        cfg.threads = 2;
        cfg.validationFraction = 0;
        Trainer t(classifier, m_data.train, cfg);
        QCOMPARE(t.run().reason, FinishReason::Completed);
        const QString cpath = m_dir.filePath("mlp.ncmodel");
        classifier.save(cpath.toStdString());

        const QString pairs = m_dir.filePath("pairs.png");
        r = cli({"generate", vae, "--reconstruct", "--dataset", "fashion-mnist", "-n", "8", "-o", pairs, "--score", cpath,
                 "--score-images", "500", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        j = lastJson(r.out);
        QCOMPARE(j["test_images"].toInt(), 500);
        QVERIFY(j["test_loss"].toDouble() > 0);
        const double orig = j["accuracy_originals"].toDouble(), rec = j["accuracy_reconstructions"].toDouble();
        qInfo("classifier accuracy on 500 test images: originals %.3f, reconstructions %.3f", orig, rec);
        QVERIFY(orig > 0.6);
        QVERIFY(rec > 0.3 && rec <= 1.0);
        QVERIFY(!QImage(pairs).isNull());

        r = cli({"generate", vae, "-n", "200", "--score", cpath, "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        j = lastJson(r.out);
        double shareSum = 0;
        for (const QString& k : j["class_shares"].toObject().keys())
            shareSum += j["class_shares"].toObject()[k].toDouble();
        QVERIFY(std::abs(shareSum - 1) < 1e-9);
        QVERIFY(j["mean_confidence"].toDouble() > 0.1 && j["mean_confidence"].toDouble() <= 1);
        // FD-FMNIST of 200 samples of a VAE trained 3 epochs: farther from the test images than
        // 200 real training images are.
        QCOMPARE(j["fd_images"].toInt(), 200);
        qInfo("FD-FMNIST of 200 samples %.3f, real against real %.3f", j["fd_fmnist"].toDouble(),
              j["fd_floor_real_vs_real"].toDouble());
        QVERIFY(j["fd_floor_real_vs_real"].toDouble() > 0);
        QVERIFY(j["fd_fmnist"].toDouble() > j["fd_floor_real_vs_real"].toDouble());
        QCOMPARE(j["nearest_train_images"].toInt(), 60000); // all of fashion-mnist's training images
        QVERIFY(j["nearest_train_distance"].toDouble() > 0 && j["nearest_train_distance_real_test"].toDouble() > 0);

        // The path between two image files' latent means, the two images at its ends.
        std::vector<std::uint8_t> scratch;
        const std::uint8_t* two = m_data.test.imagesAt(0, 2, scratch);
        QStringList files;
        for (int k = 0; k < 2; ++k) {
            QImage img(28, 28, QImage::Format_Grayscale8);
            for (int y = 0; y < 28; ++y)
                std::memcpy(img.scanLine(y), two + k * 784 + y * 28, 28);
            files << m_dir.filePath(QString("end%1.png").arg(k));
            QVERIFY(img.save(files.last()));
        }
        const QString row = m_dir.filePath("row.png");
        r = cli({"generate", vae, "--interpolate", files[0], files[1], "-n", "8", "-o", row, "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(lastJson(r.out)["interpolation_steps"].toInt(), 8);
        const QImage path(row);
        QCOMPARE(path.width(), 10 * 56 + 11 * 2);
        QCOMPARE(path.height(), 56 + 2 * 2);
        // Its first step decodes A's mean: A's reconstruction, pixel for pixel.
        const std::vector<std::uint8_t> reconA = reconstructImages(Model::load(m_vaePath), two, 1);
        QCOMPARE(qGray(path.pixel(2 + 56 + 2 + 2 * 14, 2 + 2 * 14)), int(reconA[14 * 28 + 14]));

        // The latent map: test images' latent means on their first two principal components, one
        // CSV row each; the classes do not all sit in one place (trousers apart from ankle boots).
        const QString map = m_dir.filePath("map.csv");
        r = cli({"generate", vae, "--latent-map", map, "-n", "500", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        j = lastJson(r.out);
        QCOMPARE(j["images"].toInt(), 500);
        QCOMPARE(j["latent_width"].toInt(), 16);
        const double explained = j["explained_variance"].toDouble();
        QVERIFY2(explained > 2.0 / 16 && explained < 1, qPrintable(QString::number(explained))); // more than two random axes keep
        QFile mapFile(map);
        QVERIFY(mapFile.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(mapFile.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 501);
        QCOMPARE(lines.front(), QStringLiteral("x,y,label,class"));
        std::map<int, std::pair<double, double>> sums;
        std::map<int, int> counts;
        double spread = 0;
        for (int i = 1; i < lines.size(); ++i) {
            const QStringList f = lines[i].split(',');
            QVERIFY2(f.size() == 4, qPrintable(lines[i]));
            const int label = f[2].toInt();
            QCOMPARE(f[3].toStdString(), m_data.test.classNames[std::size_t(label)]);
            sums[label].first += f[0].toDouble();
            sums[label].second += f[1].toDouble();
            ++counts[label];
            spread += f[0].toDouble() * f[0].toDouble() + f[1].toDouble() * f[1].toDouble();
        }
        spread = std::sqrt(spread / 500);
        const double dx = sums[1].first / counts[1] - sums[9].first / counts[9];
        const double dy = sums[1].second / counts[1] - sums[9].second / counts[9];
        qInfo("latent map: %.1f %% of the variance; trouser and ankle boot centres %.2f apart, spread %.2f",
              100 * explained, std::hypot(dx, dy), spread);
        QVERIFY(std::hypot(dx, dy) > 0.5 * spread);

        r = cli({"generate", cpath, "-n", "4", "-o", m_dir.filePath("no.png")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("is a classifier"), qPrintable(r.err));
        QVERIFY(!QFile::exists(m_dir.filePath("no.png")));
    }

    // The dcgan template: one generator from a LatentInput, its discriminator drawn three times
    // (real, detached fake, fake for the generator) with the copies sharing the first one's
    // weights, counted once; what a wrong share or score says.
    void ganLayersAndSharedWeights() {
        const Project p = makeFromTemplate("dcgan");
        GraphAnalysis a = analyzeGraph(p.graph, kMnist, 10);
        QVERIFY2(a.valid(), a.problems.empty() ? "" : a.problems[0].message.c_str());
        QVERIFY(a.generative());
        QCOMPARE(a.lossNodes.size(), std::size_t(3));
        QCOMPARE(shapeToString(a.info("latent")->outputShape), std::string("100"));
        QCOMPARE(shapeToString(a.info("g1")->outputShape), std::string("256×4×4"));
        QCOMPARE(shapeToString(a.info("g2")->outputShape), std::string("128×7×7"));
        QCOMPARE(shapeToString(a.info("g3")->outputShape), std::string("64×14×14"));
        QCOMPARE(shapeToString(a.info("g_out")->outputShape), std::string("1×28×28"));
        QCOMPARE(shapeToString(a.info("d4")->outputShape), std::string("1×1×1"));
        QCOMPARE(a.info("d2_fake")->parameters, std::int64_t(0)); // its weights are d2's
        QCOMPARE(a.info("d2")->parameters, std::int64_t(64 * 128 * 16));
        const DatasetInfo info{1, 28, 28, m_data.train.classNames};
        const Model m = Model::compile(p.graph, info, 1);
        QCOMPARE(m.parameterCount(), a.totalParameters);
        for (const std::string& name : m.stateNames())
            QVERIFY2(name.find("_fake") == std::string::npos && name.find("_gen") == std::string::npos, name.c_str());
        QVERIFY(validatePhases(p.graph, a, p.training.phases).empty());

        auto problem = [&](const std::function<void(Graph&)>& edit, const std::string& node) {
            Graph g = p.graph;
            edit(g);
            return problemOf(analyzeGraph(g, kMnist, 10), node);
        };
        std::string m1 = problem([](Graph& g) { g.node("d2_gen")->params["kernel_size"] = 3; }, "d2_gen");
        QVERIFY2(m1.find("d2_gen: shares the weights of d2 but its kernel_size is 3 and d2's is 4") == 0, m1.c_str());
        m1 = problem([](Graph& g) { g.node("d2_gen")->params["shares"] = "d9"; }, "d2_gen");
        QVERIFY2(m1.find("'d9', which is not a layer of this network") != std::string::npos, m1.c_str());
        m1 = problem([](Graph& g) { g.node("d2_gen")->params["shares"] = "dbn2"; }, "d2_gen");
        QVERIFY2(m1.find("a BatchNorm2d, but is a Conv2d") != std::string::npos, m1.c_str());
        m1 = problem([](Graph& g) { g.node("dlr1")->params["shares"] = "d1"; }, "dlr1");
        QVERIFY2(m1.find("has no weights to share") != std::string::npos, m1.c_str());
        m1 = problem([](Graph& g) { g.node("d4")->params["out_channels"] = 2; g.node("d4_fake")->params["out_channels"] = 2;
                                   g.node("d4_gen")->params["out_channels"] = 2; }, "d_real");
        QVERIFY2(m1.find("d_real: needs one score per image") == 0, m1.c_str());
    }

    // Phase problems in words, each on the node to change.
    void phaseValidationSaysWhatIsWrong() {
        const Project base = makeFromTemplate("dcgan");
        auto check = [&](const Graph& g, const std::vector<TrainPhase>& phases) {
            const GraphAnalysis a = analyzeGraph(g, kMnist, 10);
            if (!a.valid())
                return "graph: " + a.problems[0].message;
            const auto problems = validatePhases(g, a, phases);
            return problems.empty() ? std::string() : problems[0].message;
        };
        std::vector<TrainPhase> phases = base.training.phases;
        QCOMPARE(phases.size(), std::size_t(2));
        QCOMPARE(phases[0].name, std::string("discriminator"));
        QCOMPARE(phases[0].beta1, 0.5);
        QCOMPARE(phases[1].learningRate, 2e-4);

        // The discriminator phase reaching into the generator: the Detach removed.
        Graph noDetach = base.graph;
        noDetach.removeNode("stop");
        noDetach.connect({"g_out", "out"}, {"d1_fake", "in"});
        std::string m = check(noDetach, phases);
        QVERIFY2(m.find("phase discriminator back-propagates from d_real, d_fake into g") == 0 &&
                     m.find("which phase generator trains; put a Detach between") != std::string::npos,
                 m.c_str());

        std::vector<TrainPhase> twice = phases;
        twice[1].trains.push_back("d2");
        m = check(base.graph, twice);
        QCOMPARE(m, std::string("d2 is trained by two phases, discriminator and generator; a layer's parameters belong to one phase"));

        std::vector<TrainPhase> typo = phases;
        typo[1].losses = {"g_los"};
        m = check(base.graph, typo);
        QVERIFY2(m.find("phase generator: g_los is not a loss node of this network") == 0, m.c_str());

        std::vector<TrainPhase> onlyD(phases.begin(), phases.begin() + 1);
        m = check(base.graph, onlyD);
        QVERIFY2(m.find("g_loss is in no training phase, so nothing minimises it") == 0, m.c_str());

        std::vector<TrainPhase> sharer = phases;
        sharer[0].trains.push_back("d1_fake");
        m = check(base.graph, sharer);
        QVERIFY2(m.find("phase discriminator trains d1_fake, which shares d1's weights; list d1 instead") == 0, m.c_str());

        // The generator's own path through the Detach: its layers reach their loss only through
        // it, so the generator phase would change nothing.
        Graph behind = base.graph;
        behind.removeNode("d1_gen");
        behind.addNode({"d1_gen", "Conv2d", base.graph.node("d1_gen")->params});
        behind.connect({"stop", "out"}, {"d1_gen", "in"});
        behind.connect({"d1_gen", "out"}, {"dlr1_gen", "in"});
        m = check(behind, phases);
        QVERIFY2(m.find("phase generator trains g1, but g1 does not lead to its losses (g_loss) except through a Detach") == 0,
                 m.c_str());

        m = check(base.graph, {});
        QVERIFY2(m.find("an AdversarialLoss needs training phases") != std::string::npos, m.c_str());

        // The trainer refuses the same, naming it, before any batch.
        Model model = Model::compile(noDetach, infoOf(m_data.train), 1);
        TrainConfig cfg = base.training;
        cfg.epochs = 1;
        cfg.threads = 2;
        const Dataset few = firstImages(m_data.train, 128);
        Trainer t(model, few, cfg);
        const FinishedEvent done = t.run();
        QCOMPARE(done.reason, FinishReason::Failed);
        QVERIFY2(done.message.find("put a Detach") != std::string::npos, done.message.c_str());
    }

    // A GAN run stopped in the middle of an epoch resumes bit for bit: both phases' optimizer
    // states (moments and step counts) are in the checkpoint. The trained generator samples.
    void ganStopAndResumeIsBitExact() {
        const Dataset small = firstImages(m_data.train, 320);
        const Project p = makeFromTemplate("dcgan");
        TrainConfig cfg = p.training;
        cfg.epochs = 2;
        cfg.batchSize = 32;
        cfg.threads = 2;
        cfg.seed = 3;
        cfg.validationFraction = 0.1;
        QTemporaryDir a, b;
        std::vector<BatchEvent> batches;
        {
            Model m = Model::compile(p.graph, infoOf(small), 5);
            Trainer t(m, small, cfg, a.path().toStdString());
            t.setCallbacks({[&](const BatchEvent& e) { batches.push_back(e); }, nullptr, nullptr});
            QCOMPARE(t.run().reason, FinishReason::Completed);
        }
        QVERIFY(!batches.empty());
        for (const char* k : {"d_real", "d_fake", "g_loss"})
            QVERIFY2(batches.back().terms.contains(k), batches.back().terms.dump().c_str());
        const std::string dirB = b.path().toStdString();
        {
            Model m = Model::compile(p.graph, infoOf(small), 5);
            Trainer t(m, small, cfg, dirB);
            t.setCallbacks({[&](const BatchEvent& e) {
                                if (e.epoch == 1 && e.batch == 4)
                                    t.stop();
                            },
                            nullptr, nullptr});
            QCOMPARE(t.run().reason, FinishReason::Stopped);
        }
        {
            Model m = Model::compile(p.graph, infoOf(small), 77);
            Trainer t(m, small, cfg, dirB);
            t.resumeFrom(dirB + "/last.ncckpt");
            QCOMPARE(t.run().reason, FinishReason::Completed);
        }
        std::set<std::string> names;
        const std::string diff = checkpointDifference(a.path().toStdString(), dirB, &names);
        QVERIFY2(diff.empty(), diff.c_str());
        for (const char* n : {"optim/d1.weight/exp_avg", "optim/g1.weight/exp_avg_sq", "optim/@discriminator/steps",
                              "optim/@generator/steps"})
            QVERIFY2(names.count(n), n);

        const Model gan = Model::load(a.path().toStdString() + "/best.ncmodel");
        QVERIFY(isGenerative(gan));
        QCOMPARE(gan.normalization().mean[0], 0.5f); // real images meet the Tanh's [-1, 1]
        QCOMPARE(latentNode(gan), (std::pair<std::string, std::int64_t>{"latent", 100}));
        const std::vector<std::uint8_t> s1 = sampleImages(gan, 8, 1), s2 = sampleImages(gan, 8, 2);
        QCOMPARE(s1.size(), std::size_t(8 * 784));
        QVERIFY(s1 != s2);
        QVERIFY(sampleImages(gan, 8, 1) == s1);
        std::vector<std::uint8_t> scratch;
        try {
            reconstructImages(gan, m_data.test.imagesAt(0, 2, scratch), 2);
            QFAIL("a GAN reconstructed images");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("cannot reconstruct") != std::string::npos, e.what());
        }
    }

    // Project format 2 holds the phases; a version 1 project migrates with none (one default
    // phase, trained as before) and a phased project round-trips.
    void projectFormatTwoKeepsPhases() {
        const Project v1 = loadProject(NC_TEST_DATA_DIR "/formats/project-v1.ncproj");
        QVERIFY(v1.training.phases.empty());
        QCOMPARE(v1.toJson()["version"].get<int>(), 2);
        QVERIFY(!v1.toJson()["training"].contains("phases"));
        const Project gan = makeFromTemplate("dcgan");
        const std::string path = m_dir.filePath("gan.ncproj").toStdString();
        saveProject(gan, path);
        const Project back = loadProject(path);
        QCOMPARE(back.training.toJson(), gan.training.toJson());
        QCOMPARE(back.training.phases[1].trains, gan.training.phases[1].trains);
        Json bad = gan.toJson();
        bad["training"]["phases"][0]["every"] = 0;
        try {
            parseProject(bad.dump(), "bad.ncproj");
            QFAIL("a phase that never runs was accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("training phase discriminator: ") != std::string::npos &&
                         std::string(e.what()).find("every") != std::string::npos,
                     e.what());
        }
    }

private:
    static double lastJsonKey(const Json& j, const char* key) { return j.at(key).get<double>(); }
};

QTEST_GUILESS_MAIN(TestGenerative)
#include "tst_generative.moc"
