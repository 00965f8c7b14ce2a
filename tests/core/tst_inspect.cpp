// Prediction, activations and saliency on a model trained on `shapes`.
#include "data/Dataset.h"
#include "graph/Project.h"
#include "inspect/Inspect.h"
#include "nn/Model.h"
#include "train/Trainer.h"
#include "util/Error.h"

#include <QtTest>

#include <numeric>

using namespace nc;

namespace {
Graph kerasFor(int classes) {
    Project p = makeFromTemplate("keras-cnn");
    fitClassifierToClasses(p.graph, classes);
    return p.graph;
}

} // namespace

class TestInspect : public QObject {
    Q_OBJECT
private:
    Dataset m_train = makeShapes(2400, 21);
    Dataset m_test = makeShapes(200, 22);
    std::unique_ptr<Model> m_model;

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
        for (SaliencyMethod method : {SaliencyMethod::Gradient, SaliencyMethod::SmoothGrad,
                                      SaliencyMethod::IntegratedGradients, SaliencyMethod::GradCam}) {
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
            const double rel = std::abs(m.attributionSum - m.scoreDifference) / std::abs(m.scoreDifference);
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

    void badTargetClassIsAnError() {
        SaliencyOptions o;
        o.targetClass = 7;
        QVERIFY_THROWS_EXCEPTION(Error, saliency(*m_model, m_test.image(0), o));
    }
};

QTEST_APPLESS_MAIN(TestInspect)
#include "tst_inspect.moc"
