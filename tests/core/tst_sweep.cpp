// Sweeps: the space, the samplers (grid, random, TPE), ASHA's rungs, the journal and resume, and
// real trials on `shapes` (one failing because its values break the network).
#include "data/Dataset.h"
#include "graph/Project.h"
#include "sweep/Asha.h"
#include "sweep/Sweep.h"
#include "util/Error.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

using namespace nc;

namespace {

Space mixedSpace() {
    return Space::fromJson(Json::parse(R"([
        {"key": "training.learning_rate", "type": "float", "low": 1e-5, "high": 1e-1, "log": true},
        {"key": "dense1.out_features", "type": "int", "low": 16, "high": 256, "step": 16},
        {"key": "conv1.out_channels", "type": "int", "low": 4, "high": 512, "log": true},
        {"key": "training.optimizer", "type": "choice", "values": ["sgd", "adam", "rmsprop"]}
    ])"));
}

// A synthetic objective with one good region: lr near 1e-3 on a log scale, width near 200,
// optimizer "adam". Values in [0, 1] like an accuracy.
double objective(const Json& p) {
    const double lr = std::log10(p["training.learning_rate"].get<double>());
    const double width = p["dense1.out_features"].get<double>();
    double v = std::exp(-0.5 * std::pow((lr + 3.0) / 0.5, 2)) * std::exp(-0.5 * std::pow((width - 200) / 40, 2));
    if (p["training.optimizer"] != "adam")
        v *= 0.6;
    return v;
}

double bestOf(Sampler& sampler, int trials) {
    std::vector<Observation> seen;
    double best = 0;
    for (int n = 0; n < trials; ++n) {
        Observation o;
        o.number = n;
        o.params = sampler.propose(n, seen);
        o.value = objective(o.params);
        o.epochs = 1;
        best = std::max(best, o.value);
        seen.push_back(o);
    }
    return best;
}

} // namespace

class TestSweep : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void spaceRefusesWhatCannotBeSampled() {
        QVERIFY_THROWS_EXCEPTION(Error, Space::fromJson(Json::parse(R"([{"key":"training.learning_rate","low":0,"high":1,"log":true}])")));
        QVERIFY_THROWS_EXCEPTION(Error, Space::fromJson(Json::parse(R"([{"key":"x","low":0,"high":1}])")));
        QVERIFY_THROWS_EXCEPTION(Error, Space::fromJson(Json::parse(R"([{"key":"a.b","type":"choice","values":[]}])")));
        QVERIFY_THROWS_EXCEPTION(Error, Space::fromJson(Json::parse(R"([{"key":"a.b","low":2,"high":1}])")));
        try {
            Space::fromJson(Json::parse(R"([{"key":"a.b","type":"int","low":1.5,"high":4}])"));
            QFAIL("a fractional int bound was accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("a.b") != std::string::npos, e.what());
        }
        // An int range's top is the last value its step reaches.
        const Space s = Space::fromJson(Json::parse(R"([{"key":"a.b","type":"int","low":8,"high":30,"step":8}])"));
        QCOMPARE(s.params[0].high, 24.0);
        QCOMPARE(s.params[0].gridValues().size(), std::size_t(3));
    }

    void samplersRespectTheSpace() {
        const Space space = mixedSpace();
        for (SweepStrategy strategy : {SweepStrategy::Random, SweepStrategy::Tpe}) {
            auto sampler = makeSampler(strategy, space, 7, TpeOptions{5});
            std::vector<Observation> seen;
            std::set<std::string> optimizers;
            int lowDecade = 0;
            for (int n = 0; n < 60; ++n) {
                const Json p = sampler->propose(n, seen);
                for (const SpaceParam& param : space.params)
                    QVERIFY2(param.contains(p[param.key]), (param.key + " = " + p[param.key].dump()).c_str());
                QVERIFY(p["dense1.out_features"].is_number_integer());
                QCOMPARE(p["dense1.out_features"].get<int>() % 16, 0);
                QVERIFY(p["conv1.out_channels"].is_number_integer());
                optimizers.insert(p["training.optimizer"].get<std::string>());
                lowDecade += p["training.learning_rate"].get<double>() < 1e-4;
                seen.push_back({n, p, TrialState::Completed, objective(p), 1});
            }
            QCOMPARE(optimizers.size(), std::size_t(3));
            if (strategy == SweepStrategy::Random) // log scale: [1e-5, 1e-4) is a quarter of the range
                QVERIFY2(lowDecade >= 6 && lowDecade <= 26, std::to_string(lowDecade).c_str());
        }
        // A grid walks every combination once and then has nothing left.
        const Space grid = Space::fromJson(Json::parse(R"([
            {"key":"training.learning_rate","low":1e-4,"high":1e-1,"log":true,"grid_points":4},
            {"key":"training.batch_size","type":"choice","values":[32,64]}])"));
        QCOMPARE(grid.gridSize(), std::size_t(8));
        auto g = makeGridSampler(grid);
        std::set<std::string> points;
        for (int n = 0; n < 8; ++n)
            points.insert(g->propose(n, {}).dump());
        QCOMPARE(points.size(), std::size_t(8));
        QVERIFY(g->propose(8, {}).is_null());
        QVERIFY(points.count(Json{{"training.batch_size", 64}, {"training.learning_rate", 1e-4}}.dump()) == 1 ||
                std::any_of(points.begin(), points.end(), [](const std::string& s) {
                    const Json j = Json::parse(s);
                    return std::abs(j["training.learning_rate"].get<double>() - 1e-4) < 1e-12;
                }));
    }

    void samplersAreReproducibleWithASeed() {
        const Space space = mixedSpace();
        for (SweepStrategy strategy : {SweepStrategy::Random, SweepStrategy::Tpe}) {
            auto a = makeSampler(strategy, space, 11, TpeOptions{4});
            auto b = makeSampler(strategy, space, 11, TpeOptions{4});
            auto c = makeSampler(strategy, space, 12, TpeOptions{4});
            std::vector<Observation> seen;
            bool differs = false;
            for (int n = 0; n < 20; ++n) {
                const Json pa = a->propose(n, seen), pb = b->propose(n, seen), pc = c->propose(n, seen);
                QCOMPARE(QString::fromStdString(pa.dump()), QString::fromStdString(pb.dump()));
                differs = differs || pa != pc;
                seen.push_back({n, pa, TrialState::Completed, objective(pa), 1});
            }
            QVERIFY2(differs, "another seed proposed the same values");
        }
    }

    void tpeConcentratesOnTheGoodRegion() {
        const Space space = mixedSpace();
        const int budget = 60, seeds = 8;
        std::vector<double> tpe, random;
        int tpeNearGood = 0, randomNearGood = 0;
        for (int seed = 0; seed < seeds; ++seed) {
            auto t = makeTpeSampler(space, std::uint64_t(seed), TpeOptions{10});
            auto r = makeRandomSampler(space, std::uint64_t(seed));
            tpe.push_back(bestOf(*t, budget));
            random.push_back(bestOf(*r, budget));
            // Where the last 20 proposals land: within a decade-half of lr = 1e-3.
            auto t2 = makeTpeSampler(space, std::uint64_t(seed), TpeOptions{10});
            auto r2 = makeRandomSampler(space, std::uint64_t(seed));
            std::vector<Observation> st, sr;
            for (int n = 0; n < budget; ++n) {
                const Json pt = t2->propose(n, st), pr = r2->propose(n, sr);
                if (n >= budget - 20) {
                    tpeNearGood += std::abs(std::log10(pt["training.learning_rate"].get<double>()) + 3) < 0.5;
                    randomNearGood += std::abs(std::log10(pr["training.learning_rate"].get<double>()) + 3) < 0.5;
                }
                st.push_back({n, pt, TrialState::Completed, objective(pt), 1});
                sr.push_back({n, pr, TrialState::Completed, objective(pr), 1});
            }
        }
        std::sort(tpe.begin(), tpe.end());
        std::sort(random.begin(), random.end());
        const double tpeMedian = 0.5 * (tpe[3] + tpe[4]), randomMedian = 0.5 * (random[3] + random[4]);
        qInfo("best of %d: TPE median %.3f, random median %.3f; last 20 near lr=1e-3: TPE %d, random %d of %d",
              budget, tpeMedian, randomMedian, tpeNearGood, randomNearGood, 20 * seeds);
        QVERIFY2(tpeMedian > randomMedian, "TPE did no better than random search");
        QVERIFY2(tpeNearGood > 2 * randomNearGood, "TPE's proposals did not gather at the good learning rate");
    }

    void ashaPromotesAndStopsAsItsRungsSay() {
        AshaPruner asha(2, 3); // rungs at 2, 6, 18
        QCOMPARE(asha.rungs(20), (std::vector<int>{2, 6, 18}));
        QCOMPARE(asha.rungs(6), (std::vector<int>{2}));
        // Before the first rung nobody stops, however bad.
        QVERIFY(asha.report(0, 1, 0.0) == AshaPruner::Decision::Continue);
        // Epochs between rungs decide nothing.
        QVERIFY(asha.report(0, 3, 0.0) == AshaPruner::Decision::Continue);
        // At rung 2: the first trial is the best there; the second, worse, stops.
        QVERIFY(asha.report(0, 2, 0.50) == AshaPruner::Decision::Continue);
        QVERIFY(asha.report(1, 2, 0.40) == AshaPruner::Decision::Stop);
        QVERIFY(asha.report(2, 2, 0.60) == AshaPruner::Decision::Continue);
        // 6 values at the rung: the best 6/3 = 2 go on (0.60 and 0.70), the rest stop.
        QVERIFY(asha.report(3, 2, 0.55) == AshaPruner::Decision::Stop);
        QVERIFY(asha.report(4, 2, 0.70) == AshaPruner::Decision::Continue);
        QVERIFY(asha.report(5, 2, 0.58) == AshaPruner::Decision::Stop);
        QVERIFY(asha.report(6, 2, 0.65) == AshaPruner::Decision::Continue); // 2nd of 7
        QCOMPARE(asha.reached(2), 7);
        // A later rung compares only trials that reached it, never values from epoch 2.
        QVERIFY(asha.report(4, 6, 0.30) == AshaPruner::Decision::Continue);
        QVERIFY(asha.report(6, 6, 0.20) == AshaPruner::Decision::Stop);
        // Restored values count as competitors but decide nothing themselves.
        AshaPruner resumed(2, 3);
        resumed.restore(0, 2, 0.9);
        QVERIFY(resumed.report(1, 2, 0.8) == AshaPruner::Decision::Stop);
    }

    void durationsAndSpecs() {
        QCOMPARE(parseDuration("30m"), 1800.0);
        QCOMPARE(parseDuration("2h"), 7200.0);
        QCOMPARE(parseDuration("45"), 45.0);
        QVERIFY_THROWS_EXCEPTION(Error, parseDuration("soon"));
        QVERIFY_THROWS_EXCEPTION(Error, parseDuration("-5m"));
        SweepSpec s;
        s.space = mixedSpace();
        s.strategy = SweepStrategy::Grid;
        s.prune = true;
        s.minEpochs = 2;
        s.seed = 5;
        const SweepSpec back = SweepSpec::fromJson(s.toJson());
        QCOMPARE(back.toJson().dump(), s.toJson().dump());
        QVERIFY_THROWS_EXCEPTION(Error, SweepSpec::fromJson(Json{{"strategy", "hyperband"}}));
    }
};

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
