// `neuralcanvas-cli sweep` as a user runs it: JSON lines per trial event, the table, trials in
// the project's run history, ASHA stopping trials, --parallel, and --resume after a SIGKILL.
#include "graph/Project.h"
#include "util/Json.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

using namespace nc;

namespace {
struct Result {
    int code = -1;
    QString out, err;
    std::vector<Json> lines() const {
        std::vector<Json> v;
        for (const QString& l : out.trimmed().split('\n', Qt::SkipEmptyParts))
            v.push_back(Json::parse(l.toStdString()));
        return v;
    }
};

Result cli(const QStringList& args, int timeoutMs = 600000) {
    QProcess p;
    p.start(NC_CLI_PATH, args);
    if (!p.waitForFinished(timeoutMs))
        p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

int countEvents(const std::vector<Json>& lines, const char* event) {
    int n = 0;
    for (const Json& j : lines)
        n += j.value("event", std::string()) == event;
    return n;
}
} // namespace

class TestSweepCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

    void newProject(const QString& name) {
        QCOMPARE(cli({"new", "--template", "mlp", "--dataset", "shapes:300", "-o", path(name)}).code, 0);
    }
    QString writeSpace(const QString& name, const char* json) {
        QFile f(path(name));
        f.open(QIODevice::WriteOnly);
        f.write(json);
        return path(name);
    }

private Q_SLOTS:
    void tpeWithAshaRecordsEveryTrialAsARun() {
        newProject("a.ncproj");
        const QString space = writeSpace("space.json", R"([
            {"key": "training.learning_rate", "type": "float", "low": 1e-6, "high": 3e-2, "log": true},
            {"key": "dense1.out_features", "type": "int", "low": 16, "high": 128, "step": 16},
            {"key": "training.optimizer", "type": "choice", "values": ["adam", "sgd"]}])");
        const Result r = cli({"sweep", path("a.ncproj"), "--space", space, "--strategy", "tpe", "--trials", "6",
                              "--startup-trials", "3", "--prune", "asha", "--epochs", "3", "--threads", "2",
                              "--seed", "1", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const std::vector<Json> lines = r.lines(); // every line is one JSON object
        QCOMPARE(countEvents(lines, "trial_start"), 6);
        QCOMPARE(countEvents(lines, "trial_end"), 6);
        QVERIFY(countEvents(lines, "trial_epoch") >= 6);
        const Json summary = lines.back();
        QCOMPARE(summary["event"].get<std::string>(), std::string("summary"));
        QCOMPARE(summary["trials"].size(), std::size_t(6));
        int pruned = 0;
        for (const Json& t : summary["trials"]) {
            const std::string state = t["state"].get<std::string>();
            QVERIFY2(state == "completed" || state == "pruned", state.c_str());
            if (state == "pruned") {
                ++pruned;
                QVERIFY(t["epochs"].get<int>() < 3);
            }
            QVERIFY(QFile::exists(QString::fromStdString(t["run_dir"].get<std::string>() + "/metrics.jsonl")));
        }
        QVERIFY2(pruned >= 1, "ASHA stopped no trial");
        QVERIFY(summary["best_val_accuracy"].get<double>() > 0.34);
        // Each trial is a run in the project's history, marked with its sweep and values.
        const Project p = loadProject(path("a.ncproj").toStdString());
        QCOMPARE(p.runs.size(), std::size_t(6));
        for (const Json& run : p.runs) {
            QCOMPARE(run["sweep"]["id"].get<std::string>(), summary["sweep"].get<std::string>());
            QVERIFY(run["sweep"]["params"].contains("training.learning_rate"));
            QCOMPARE(run["config"]["optimizer"], run["sweep"]["params"]["training.optimizer"]);
        }
    }

    void humanTableAndParallelTrials() {
        newProject("b.ncproj");
        const QString space = writeSpace("grid.json", R"([
            {"key": "training.learning_rate", "type": "choice", "values": [0.001, 0.01]},
            {"key": "dense3.out_features", "type": "choice", "values": [3, 4]}])");
        const Result r = cli({"sweep", path("b.ncproj"), "--space", space, "--strategy", "grid", "--epochs", "1",
                              "--parallel", "2", "--threads", "2"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("learning_rate") && r.out.contains("dense3.out_fea"), qPrintable(r.out));
        QCOMPARE(r.out.count("completed"), 2);
        QCOMPARE(r.out.count("failed"), 2); // 4 scores for 3 classes, said in the table
        QVERIFY2(r.out.contains("3 classes"), qPrintable(r.out));
        QVERIFY(r.out.contains("*best"));
        QVERIFY(r.out.contains("ended by grid"));
    }

    void resumeAfterAKillRepeatsNoFinishedTrial() {
        newProject("c.ncproj");
        const QString space = writeSpace("lr.json", R"([
            {"key": "training.learning_rate", "type": "float", "low": 1e-4, "high": 1e-2, "log": true}])");
        const QStringList common = {"--space", space, "--strategy", "random", "--trials", "4", "--epochs", "2",
                                    "--threads", "2", "--json"};
        QProcess p;
        p.start(NC_CLI_PATH, QStringList{"sweep", path("c.ncproj")} + common);
        QVERIFY(p.waitForStarted());
        std::set<int> finished;
        QByteArray buffer;
        while (finished.empty() && p.state() == QProcess::Running) {
            p.waitForReadyRead(1000);
            buffer += p.readAllStandardOutput();
            for (const QByteArray& line : buffer.split('\n')) {
                if (line.isEmpty())
                    continue;
                try {
                    const Json j = Json::parse(line.toStdString());
                    if (j.value("event", std::string()) == "trial_end")
                        finished.insert(j["trial"].get<int>());
                } catch (const Json::exception&) { // a line still arriving
                }
            }
        }
        p.kill(); // SIGKILL: no chance to tidy up
        p.waitForFinished();
        QVERIFY(!finished.empty());

        const Result r = cli({"sweep", path("c.ncproj"), "--resume", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const std::vector<Json> lines = r.lines();
        for (const Json& j : lines)
            if (j.value("event", std::string()) == "trial_start")
                QVERIFY2(!finished.count(j["trial"].get<int>()),
                         ("finished trial " + j["trial"].dump() + " ran again").c_str());
        const Json summary = lines.back();
        QCOMPARE(summary["trials"].size(), std::size_t(4));
        std::set<int> numbers;
        for (const Json& t : summary["trials"]) {
            numbers.insert(t["trial"].get<int>());
            QCOMPARE(t["state"].get<std::string>(), std::string("completed"));
        }
        QCOMPARE(numbers, (std::set<int>{0, 1, 2, 3}));
        QCOMPARE(countEvents(lines, "trial_start"), int(4 - finished.size()));
        // Nothing to resume here: a clear message.
        newProject("d.ncproj");
        const Result none = cli({"sweep", path("d.ncproj"), "--resume"});
        QCOMPARE(none.code, 1);
        QVERIFY2(none.err.contains("no sweep to resume"), qPrintable(none.err));
    }

    void theSpaceIsStoredInTheProject() {
        newProject("e.ncproj");
        Project p = loadProject(path("e.ncproj").toStdString());
        p.sweeps = Json::parse(R"([{"name": "lr", "strategy": "random", "trials": 2,
            "space": [{"key": "training.learning_rate", "type": "float", "low": 1e-4, "high": 1e-2, "log": true}]}])");
        saveProject(p, path("e.ncproj").toStdString());
        const Result r = cli({"sweep", path("e.ncproj"), "--epochs", "1", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.lines().back()["trials"].size(), std::size_t(2));
        // A bad stored sweep is refused with the field named, and the project still says why.
        QFile f(path("e.ncproj"));
        f.open(QIODevice::ReadOnly);
        QByteArray text = f.readAll();
        f.close();
        text.replace("\"random\"", "\"hyperband\"");
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text);
        f.close();
        const Result bad = cli({"sweep", path("e.ncproj")});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("strategy"), qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(TestSweepCli)
#include "tst_sweepcli.moc"
