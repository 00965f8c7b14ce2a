// Sweeps that train: real trials of the mlp template on `shapes`, a trial whose values break the
// network, ASHA stopping trials in a real sweep, and resuming after a stop with a torn journal.
#include "data/Dataset.h"
#include "graph/Project.h"
#include "sweep/Sweep.h"
#include "util/Files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <functional>

using namespace nc;

class TestSweepRun : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    DatasetPair m_data;
    Project m_project;

    std::string projectPath(const char* name) const { return m_dir.filePath(name).toStdString(); }

private Q_SLOTS:
    void initTestCase() {
        m_project = makeFromTemplate("mlp");
        m_project.dataset = "shapes:300";
        fitClassifierToClasses(m_project.graph, 3);
        m_project.training.epochs = 3;
        m_project.training.batchSize = 32;
        m_project.training.threads = 2;
        m_data = loadDataset(m_project.dataset);
    }

    void aTrialThatBreaksTheNetworkFailsAndTheSweepGoesOn() {
        const std::string path = projectPath("grid.ncproj");
        saveProject(m_project, path);
        SweepSpec spec;
        spec.strategy = SweepStrategy::Grid;
        spec.trials = 0; // the whole grid
        spec.space = Space::fromJson(Json::parse(R"([
            {"key": "dense3.out_features", "type": "choice", "values": [3, 5]},
            {"key": "training.learning_rate", "type": "choice", "values": [0.001, 0.003]}])"));
        m_project.training.epochs = 2;
        SweepRunner runner(m_project, path, m_project.dataset, m_data, spec, "sweep-a", sweepJournalPath(path, "sweep-a"));
        m_project.training.epochs = 3;
        std::vector<Json> records;
        SweepCallbacks cb;
        cb.onTrialFinished = [&](const TrialRecord&, const Json& run) { records.push_back(run); };
        runner.setCallbacks(cb);
        const SweepSummary s = runner.run();
        QCOMPARE(s.reason, std::string("grid"));
        QCOMPARE(s.trials.size(), std::size_t(4));
        QCOMPARE(records.size(), std::size_t(4));
        for (int n : {0, 1}) {
            const TrialRecord& t = s.trials[std::size_t(n)];
            QCOMPARE(int(t.state), int(TrialState::Completed));
            QCOMPARE(t.epochs, 2);
            QVERIFY(t.bestValidationAccuracy > 0.34);
            QVERIFY(fileExists(t.runDir + "/best.ncmodel"));
            QVERIFY(fileExists(t.runDir + "/metrics.jsonl"));
        }
        for (int n : {2, 3}) {
            const TrialRecord& t = s.trials[std::size_t(n)];
            QCOMPARE(int(t.state), int(TrialState::Failed));
            QCOMPARE(t.params["dense3.out_features"].get<int>(), 5);
            QVERIFY2(t.message.find("3 classes") != std::string::npos, t.message.c_str());
            QVERIFY2(t.message.find("dense3") != std::string::npos, t.message.c_str());
        }
        // Each trial is a run of the history, marked with its sweep and values.
        for (std::size_t i = 0; i < records.size(); ++i) {
            QCOMPARE(records[i]["sweep"]["id"].get<std::string>(), std::string("sweep-a"));
            QCOMPARE(records[i]["sweep"]["params"], s.trials[i].params);
            QCOMPARE(records[i]["config"]["learning_rate"].get<double>(),
                     s.trials[i].params["training.learning_rate"].get<double>());
        }
        QVERIFY(s.best() && s.best()->state == TrialState::Completed);
    }

    void ashaStopsTrialsThatLagAtARung() {
        const std::string path = projectPath("asha.ncproj");
        saveProject(m_project, path);
        SweepSpec spec;
        spec.strategy = SweepStrategy::Random;
        spec.seed = 3;
        spec.trials = 6;
        spec.prune = true;
        spec.minEpochs = 1;
        spec.eta = 3;
        spec.space = Space::fromJson(Json::parse(
            R"([{"key": "training.learning_rate", "type": "float", "low": 1e-6, "high": 3e-2, "log": true}])"));
        SweepRunner runner(m_project, path, m_project.dataset, m_data, spec, "sweep-b", sweepJournalPath(path, "sweep-b"));
        int stopsSeen = 0;
        SweepCallbacks cb;
        cb.onTrialEpoch = [&](const TrialRecord&, bool stopping) { stopsSeen += stopping; };
        runner.setCallbacks(cb);
        const SweepSummary s = runner.run();
        QCOMPARE(s.trials.size(), std::size_t(6));
        // Replay the rule on the epoch-1 values, in trial order: each trial goes on only when it is
        // among the best max(1, n/3) of the n trials that have reached epoch 1.
        std::vector<double> rung;
        int pruned = 0;
        for (const TrialRecord& t : s.trials) {
            QVERIFY(!t.validationAccuracy.empty());
            rung.push_back(t.validationAccuracy[0]);
            std::vector<double> sorted = rung;
            std::sort(sorted.begin(), sorted.end(), std::greater<double>());
            const bool goesOn = t.validationAccuracy[0] >= sorted[std::max<std::size_t>(1, sorted.size() / 3) - 1];
            QCOMPARE(int(t.state), int(goesOn ? TrialState::Completed : TrialState::Pruned));
            QCOMPARE(t.epochs, goesOn ? 3 : 1);
            pruned += !goesOn;
        }
        QVERIFY2(pruned >= 1, "no trial was stopped early");
        QCOMPARE(stopsSeen, pruned);
        QVERIFY(s.epochsTrained < 6 * 3);
    }

    void resumeRepeatsNoFinishedTrial() {
        const std::string path = projectPath("resume.ncproj");
        saveProject(m_project, path);
        m_project.training.epochs = 2;
        SweepSpec spec;
        spec.strategy = SweepStrategy::Tpe;
        spec.startupTrials = 2;
        spec.seed = 9;
        spec.trials = 4;
        spec.space = Space::fromJson(Json::parse(R"([
            {"key": "training.learning_rate", "type": "float", "low": 1e-4, "high": 1e-2, "log": true},
            {"key": "dense1.out_features", "type": "int", "low": 16, "high": 128, "step": 16}])"));
        const std::string journal = sweepJournalPath(path, "sweep-c");
        Json interruptedParams;
        {
            SweepRunner first(m_project, path, m_project.dataset, m_data, spec, "sweep-c", journal);
            SweepCallbacks cb;
            cb.onTrialEpoch = [&](const TrialRecord& t, bool) {
                if (t.number == 2 && t.epochs == 1) { // mid-sweep: two trials done, the third half-way
                    interruptedParams = t.params;
                    first.stop();
                }
            };
            first.setCallbacks(cb);
            const SweepSummary s = first.run();
            QCOMPARE(s.reason, std::string("stopped"));
            QCOMPARE(int(s.trials[2].state), int(TrialState::Stopped));
        }
        { // a kill in the middle of writing leaves half a line
            std::ofstream out(journal, std::ios::app);
            out << "{\"event\":\"trial_end\",\"trial\":2,\"state\":\"comp"; // (moc misreads raw strings with an open brace)
        }
        const JournalContents before = SweepJournal::read(journal);
        QCOMPARE(before.trials.size(), std::size_t(3));
        m_project.training.epochs = 3;
        auto resumed = SweepRunner::resume(m_project, path, m_data, journal);
        std::vector<int> started;
        Json rerunParams;
        SweepCallbacks cb;
        cb.onTrialStarted = [&](const TrialRecord& t) {
            started.push_back(t.number);
            if (t.number == 2)
                rerunParams = t.params;
        };
        resumed->setCallbacks(cb);
        const SweepSummary s = resumed->run();
        QCOMPARE(started, (std::vector<int>{2, 3}));
        QCOMPARE(rerunParams, interruptedParams);
        QCOMPARE(s.trials.size(), std::size_t(4));
        for (const TrialRecord& t : s.trials)
            QVERIFY2(t.finished(), std::to_string(t.number).c_str());
        QCOMPARE(s.reason, std::string("trials"));
        QCOMPARE(s.trials[0].runDir, before.trials[0].runDir);
    }
};

QTEST_GUILESS_MAIN(TestSweepRun)
#include "tst_sweeprun.moc"
