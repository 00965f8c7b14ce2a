// Prediction, activations and saliency on models trained on `shapes`; saliency must land on the
// object (issue 5) and must never touch the weights' gradients (it runs between training batches).
#include "data/Dataset.h"
#include "graph/Project.h"
#include "inspect/Inspect.h"
#include "nn/GraphNet.h" // the weights' .grad (torch headers: see tests/CMakeLists.txt)
#include "nn/Model.h"
#include "train/Trainer.h"
#include "util/Error.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <numeric>

using namespace nc;

namespace {
Graph kerasFor(int classes) {
    Project p = makeFromTemplate("keras-cnn");
    fitClassifierToClasses(p.graph, classes);
    return p.graph;
}

// A small all-convolutional network (conv 16, conv 16, pool, conv 32, global average, linear).
// Its last convolution is a 16×16 map, 2 pixels a cell: fine enough for Grad-CAM to outline a
// 9–17 pixel object, which keras-cnn's conv3 (4×4, 8 pixels a cell) is not.
Graph localNet(int classes) {
    Graph g;
    std::string prev = g.addNode({"input", "Input", Json::object()});
    auto add = [&](const char* type, Json params) {
        Node n;
        n.type = type;
        n.params = std::move(params);
        const std::string id = g.addNode(n);
        g.connect({prev, "out"}, {id, "in"});
        prev = id;
    };
    auto conv = [&](int channels) {
        add("Conv2d", {{"out_channels", channels}, {"kernel_size", 3}, {"padding", "same"}});
        add("ReLU", Json::object());
    };
    conv(16);
    conv(16);
    add("MaxPool2d", {{"kernel_size", 2}});
    conv(32);
    add("GlobalAvgPool2d", Json::object());
    add("Linear", {{"out_features", classes}});
    add("Output", {{"loss", "cross_entropy"}});
    return g;
}

// How many times the box's share of the image the map puts inside the box (x0, y0, x1, y1; end
// exclusive): 1 is what a flat map gives, and issue 5 asks for at least 2.
double boxConcentration(const SaliencyMap& m, const std::int32_t* box) {
    double inside = 0, total = 0;
    for (std::int64_t y = 0; y < m.height; ++y)
        for (std::int64_t x = 0; x < m.width; ++x) {
            const double v = m.values[static_cast<std::size_t>(y * m.width + x)];
            total += v;
            if (x >= box[0] && x < box[2] && y >= box[1] && y < box[3])
                inside += v;
        }
    const double boxShare = double((box[2] - box[0]) * (box[3] - box[1])) / double(m.height * m.width);
    return total > 0 ? inside / total / boxShare : 0.0;
}

struct Localisation {
    double onObject = 0;  // fraction of test images whose map passes with their own box
    double elsewhere = 0; // the same maps against another image's box (a control)
    double medianRatio = 0;
};

Localisation localisation(const Model& model, const Dataset& test, SaliencyMethod method) {
    const std::int64_t n = test.size();
    int pass = 0, passElsewhere = 0;
    std::vector<double> ratios;
    for (std::int64_t i = 0; i < n; ++i) {
        SaliencyOptions o; // the defaults a user gets: predicted class, 64 IG steps, last convolution
        o.method = method;
        const SaliencyMap m = saliency(model, test.image(i), o);
        const double r = boxConcentration(m, test.boxes.data() + 4 * i);
        ratios.push_back(r);
        pass += r >= 2.0;
        passElsewhere += boxConcentration(m, test.boxes.data() + 4 * ((i + n / 2) % n)) >= 2.0;
    }
    std::nth_element(ratios.begin(), ratios.begin() + n / 2, ratios.end());
    return {double(pass) / double(n), double(passElsewhere) / double(n),
            ratios[static_cast<std::size_t>(n / 2)]};
}

} // namespace

class TestInspect : public QObject {
    Q_OBJECT
private:
    Dataset m_train = makeShapes(2400, 21);
    Dataset m_test = makeShapes(200, 22);
    std::unique_ptr<Model> m_model;      // keras-cnn, as a user would train it
    std::unique_ptr<Model> m_localModel; // localNet, trained longer, for the localisation check

  private Q_SLOTS:
    void initTestCase() {
        m_model = std::make_unique<Model>(Model::compile(kerasFor(3), {3, 32, 32, m_train.classNames}, 1));
        TrainConfig cfg;
        cfg.epochs = 4;
        cfg.batchSize = 32;
        cfg.learningRate = 0.003;
        cfg.threads = 2;
        Trainer trainer(*m_model, m_train, cfg);
        QCOMPARE(trainer.run().reason, FinishReason::Completed);

        QElapsedTimer clock;
        clock.start();
        const Dataset more = makeShapes(4800, 21); // m_train is its first half
        m_localModel = std::make_unique<Model>(Model::compile(localNet(3), {3, 32, 32, more.classNames}, 1));
        cfg.epochs = 6;
        cfg.schedule = ScheduleKind::Cosine;
        Trainer localTrainer(*m_localModel, more, cfg);
        QCOMPARE(localTrainer.run().reason, FinishReason::Completed);
        qInfo("localNet trained on shapes (4800 images, 6 epochs) in %.1f s", clock.elapsed() / 1000.0);
    }

    void predictionsAreProbabilitiesInOrder() {
        const auto preds = predict(*m_model, m_test.images.data(), m_test.size(), 3);
        int correct = 0;
        for (std::int64_t i = 0; i < m_test.size(); ++i) {
            const Prediction& p = preds[i];
            QCOMPARE(p.topK.size(), std::size_t(3));
            QVERIFY(p.topK[0].second >= p.topK[1].second && p.topK[1].second >= p.topK[2].second);
            QCOMPARE(p.topK[0].first, p.predicted);
            QVERIFY(std::abs(std::accumulate(p.probabilities.begin(), p.probabilities.end(), 0.0) - 1.0) < 1e-4);
            correct += p.predicted == m_test.labels[i];
        }
        QVERIFY2(correct >= 0.9 * m_test.size(), qPrintable(QString::number(correct)));
    }

    void everySaliencyMethodGivesAnInputSizedMap() {
        for (SaliencyMethod method : kSaliencyMethods) {
            SaliencyOptions o;
            o.method = method;
            o.samples = 8;
            o.steps = 16;
            const SaliencyMap m = saliency(*m_model, m_test.image(0), o);
            QCOMPARE(m.values.size(), std::size_t(32 * 32));
            QVERIFY(*std::min_element(m.values.begin(), m.values.end()) >= 0.0f);
            QVERIFY2(*std::max_element(m.values.begin(), m.values.end()) > 0.0f, saliencyMethodName(method));
            QCOMPARE(m.targetClass, predict(*m_model, m_test.image(0), 1, 1)[0].predicted);
        }
    }

    void integratedGradientsIsComplete() {
        SaliencyOptions o;
        o.method = SaliencyMethod::IntegratedGradients;
        o.steps = 64;
        for (int i = 0; i < 10; ++i) {
            const SaliencyMap m = saliency(*m_model, m_test.image(i), o);
            // Relative to the score difference, but not to one that is itself ~0 (an image scored
            // like the black baseline: -2e-6 on this CPU, where 8e-5 of error is float noise).
            const double rel = std::abs(m.attributionSum - m.scoreDifference) / std::max(std::abs(m.scoreDifference), 0.01);
            QVERIFY2(rel < 0.05, qPrintable(QString("image %1: sum %2 vs f(x)-f(0) %3").arg(i).arg(m.attributionSum).arg(m.scoreDifference)));
        }
    }

    void gradCamDefaultsToTheLastConvolution() {
        SaliencyOptions o;
        o.method = SaliencyMethod::GradCam;
        QCOMPARE(saliency(*m_model, m_test.image(0), o).layer, std::string("conv3"));
        o.layer = "dense1";
        QVERIFY_THROWS_EXCEPTION(Error, saliency(*m_model, m_test.image(0), o));
        o.layer = "conv1";
        QCOMPARE(saliency(*m_model, m_test.image(0), o).layer, std::string("conv1"));
    }

    void activationsOfANode() {
        const Activation a = activation(*m_model, m_test.image(0), "pool1");
        QCOMPARE(a.shape, (Shape{32, 15, 15}));
        QCOMPARE(a.values.size(), std::size_t(32 * 15 * 15));
        QVERIFY(*std::min_element(a.values.begin(), a.values.end()) >= 0.0f); // after ReLU
        QVERIFY_THROWS_EXCEPTION(Error, activation(*m_model, m_test.image(0), "nope"));
    }

    // Issue 5: "for >= 80 % of test images the share of saliency mass inside the object's bounding
    // box is at least twice the box's share of the image, for gradient, Integrated Gradients and
    // Grad-CAM". Gradient, IG and Grad-CAM are checked on localNet (keras-cnn's Grad-CAM layer is a
    // 4×4 grid, coarser than the objects), SmoothGrad on keras-cnn, the network users train
    // (on localNet it reaches ~0.6, checked against a lower bar); both figures are printed.
    void saliencyLiesOnTheObject() {
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(m_test.boxes.size(), std::size_t(m_test.size() * 4));
        for (SaliencyMethod method : {SaliencyMethod::Gradient, SaliencyMethod::IntegratedGradients,
                                      SaliencyMethod::GradCam, SaliencyMethod::SmoothGrad}) {
            const Localisation local = localisation(*m_localModel, m_test, method);
            const Localisation keras = localisation(*m_model, m_test, method);
            qInfo("%-20s share of %lld test images with >= 2x the box's share inside the box: localNet %.3f "
                  "(median ratio %.2f; against another image's box %.3f), keras-cnn %.3f (median ratio %.2f; "
                  "against another image's box %.3f)",
                  saliencyMethodName(method), static_cast<long long>(m_test.size()), local.onObject,
                  local.medianRatio, local.elsewhere, keras.onObject, keras.medianRatio, keras.elsewhere);
            const Localisation& checked = method == SaliencyMethod::SmoothGrad ? keras : local;
            QVERIFY2(checked.onObject >= 0.8, qPrintable(QString("%1: %2 of the test images")
                                                             .arg(saliencyMethodName(method))
                                                             .arg(checked.onObject)));
            // The measure follows the object: judged against another image's box (which overlaps
            // the object now and then), the same maps pass far less often.
            QVERIFY2(checked.elsewhere <= checked.onObject / 2,
                     qPrintable(QString("%1: %2 pass with another image's box")
                                    .arg(saliencyMethodName(method))
                                    .arg(checked.elsewhere)));
            // SmoothGrad on localNet: noise must not swamp the map (signed gradients averaged
            // before taking magnitudes give ~0.6; averaging magnitudes gave 0.11, i.e. uniform).
            if (method == SaliencyMethod::SmoothGrad)
                QVERIFY2(local.onObject >= 0.4, qPrintable(QString::number(local.onObject)));
        }
        qInfo("localisation check: %.1f s", clock.elapsed() / 1000.0);
    }

    // Saliency runs between training batches on the live model: it must leave every weight's
    // .grad as it found it (defined or not), and the train/eval mode too.
    void saliencyLeavesTheWeightsGradientsAlone() {
        GraphNet& net = m_model->impl().net;
        const bool wasTraining = net->is_training();
        net->train(true);
        std::vector<std::pair<std::string, torch::Tensor>> before;
        int k = 0;
        for (auto& p : net->named_parameters()) {
            torch::Tensor& grad = p.value().mutable_grad();
            if (k++ % 2 == 0)
                grad = torch::full_like(p.value(), 0.25); // as if a batch had just run backward()
            else
                grad.reset();
            before.emplace_back(p.key(), grad.defined() ? grad.clone() : torch::Tensor());
        }
        QVERIFY(before.size() >= 8);
        for (SaliencyMethod method : kSaliencyMethods) {
            SaliencyOptions o;
            o.method = method;
            o.samples = 4;
            o.steps = 8;
            saliency(*m_model, m_test.image(1), o);
            QVERIFY(net->is_training());
            std::size_t i = 0;
            for (const auto& p : net->named_parameters()) {
                const torch::Tensor& was = before[i++].second;
                const torch::Tensor& now = p.value().grad();
                const QString what = QString("%1 after %2")
                                         .arg(QString::fromStdString(p.key()))
                                         .arg(saliencyMethodName(method));
                if (!was.defined())
                    QVERIFY2(!now.defined(), qPrintable(what + ": a gradient appeared"));
                else
                    QVERIFY2(now.defined() && torch::equal(now, was),
                             qPrintable(what + ": the gradient changed"));
            }
        }
        for (auto& p : net->parameters())
            p.mutable_grad().reset();
        net->train(wasTraining);
    }

    void badTargetClassIsAnError() {
        SaliencyOptions o;
        o.targetClass = 7;
        QVERIFY_THROWS_EXCEPTION(Error, saliency(*m_model, m_test.image(0), o));
    }
};

QTEST_APPLESS_MAIN(TestInspect)
#include "tst_inspect.moc"
