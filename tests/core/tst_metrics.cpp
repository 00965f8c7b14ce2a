// Classification metrics against a hand-computed example.
#include "train/Metrics.h"
#include "util/Error.h"

#include <QtTest>

using namespace nc;

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handComputedExample() {
        // truth:     a a a a b b b c c c
        // predicted: a a b c b b a c c c
        const std::vector<std::int64_t> truth{0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
        const std::vector<std::int64_t> pred{0, 0, 1, 2, 1, 1, 0, 2, 2, 2};
        const EvaluationResult r = computeMetrics(truth, pred, {"a", "b", "c"});
        QCOMPARE(r.count, std::int64_t(10));
        QCOMPARE(r.accuracy, 0.7);
        // a: tp 2, predicted a 3 (2 + one b), actual 4 -> P 2/3, R 1/2, F1 4/7
        QVERIFY(qFuzzyCompare(r.classes[0].precision, 2.0 / 3.0));
        QVERIFY(qFuzzyCompare(r.classes[0].recall, 0.5));
        QVERIFY(qFuzzyCompare(r.classes[0].f1, 4.0 / 7.0));
        QCOMPARE(r.classes[0].support, std::int64_t(4));
        // b: tp 2, predicted b 3, actual 3 -> P 2/3, R 2/3
        QVERIFY(qFuzzyCompare(r.classes[1].precision, 2.0 / 3.0));
        QVERIFY(qFuzzyCompare(r.classes[1].recall, 2.0 / 3.0));
        // c: tp 3, predicted c 4, actual 3 -> P 3/4, R 1, F1 6/7
        QVERIFY(qFuzzyCompare(r.classes[2].precision, 0.75));
        QVERIFY(qFuzzyCompare(r.classes[2].recall, 1.0));
        QVERIFY(qFuzzyCompare(r.classes[2].f1, 6.0 / 7.0));
        QVERIFY(qFuzzyCompare(r.macroF1, (4.0 / 7.0 + 2.0 / 3.0 + 6.0 / 7.0) / 3.0));
        const std::vector<std::vector<std::int64_t>> confusion{{2, 1, 1}, {1, 2, 0}, {0, 0, 3}};
        QCOMPARE(r.confusion, confusion);
        std::int64_t sum = 0;
        for (const auto& row : r.confusion)
            for (auto v : row)
                sum += v;
        QCOMPARE(sum, r.count);
        const std::string text = formatMetrics(r);
        QVERIFY(text.find("accuracy 0.7000 on 10 images") != std::string::npos);
    }

    void classNeverPredictedHasZeroPrecision() {
        const EvaluationResult r = computeMetrics({0, 1}, {0, 0}, {"a", "b"});
        QCOMPARE(r.classes[1].precision, 0.0);
        QCOMPARE(r.classes[1].f1, 0.0);
    }

    void labelOutsideClassesIsAnError() {
        QVERIFY_THROWS_EXCEPTION(Error, computeMetrics({0, 5}, {0, 0}, {"a", "b"}));
    }
};

QTEST_APPLESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
