// neuralcanvas-cli end to end, as a script or a user runs it: real processes, real files.
#include "graph/Project.h"
#include "util/Json.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace nc;

namespace {
struct Result {
    int code = -1;
    QString out, err;
    Json lastJson() const {
        const QStringList lines = out.trimmed().split('\n');
        return Json::parse(lines.last().toStdString());
    }
};

Result cli(const QStringList& args, int timeoutMs = 120000) {
    QProcess p;
    p.start(NC_CLI_PATH, args);
    if (!p.waitForFinished(timeoutMs))
        p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}
} // namespace

class TestCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void templatesAreListed() {
        const Result r = cli({"templates"});
        QCOMPARE(r.code, 0);
        for (const char* name : {"keras-cnn", "lenet5", "mlp", "vgg-mini", "resnet-mini"})
            QVERIFY2(r.out.contains(name), name);
    }

    void validateKerasCnnOnFashionMnist() {
        QCOMPARE(cli({"new", "--template", "keras-cnn", "-o", path("k.ncproj")}).code, 0);
        const Result r = cli({"validate", path("k.ncproj"), "--dataset", "fashion-mnist"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("total parameters: 93,322"), qPrintable(r.out));
        QVERIFY(r.out.contains("64×5×5"));
        QVERIFY(r.out.contains("graph is valid"));
        const Result j = cli({"validate", path("k.ncproj"), "--json"});
        QCOMPARE(j.lastJson()["total_parameters"].get<int>(), 93322);
        QCOMPARE(j.lastJson()["nodes"].size(), std::size_t(14));
    }

    void validateReportsProblemsWithExitCode() {
        QCOMPARE(cli({"new", "--template", "keras-cnn", "-o", path("bad.ncproj")}).code, 0);
        const Result r = cli({"validate", path("bad.ncproj"), "--dataset", "shapes"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("output: gets 10 scores but the dataset has 3 classes; set out_features of dense2 to 3"),
                 qPrintable(r.err));
    }

    void trainThenEvalAgree() {
        QCOMPARE(cli({"new", "--template", "keras-cnn", "--dataset", "shapes:900", "-o", path("s.ncproj")}).code, 0);
        const Result t = cli({"train", path("s.ncproj"), "--epochs", "3", "--batch", "32", "--lr", "0.003",
                              "--threads", "2", "--out", path("run"), "--json"});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        const Json summary = t.lastJson();
        QCOMPARE(summary["event"].get<std::string>(), std::string("summary"));
        QCOMPARE(summary["reason"].get<std::string>(), std::string("completed"));
        // Every line before the summary is one JSON event.
        const QStringList lines = t.out.trimmed().split('\n');
        int epochs = 0;
        for (const QString& line : lines)
            epochs += Json::parse(line.toStdString())["event"] == "epoch";
        QCOMPARE(epochs, 3);

        const Result e = cli({"eval", path("run/best.ncmodel"), "--dataset", "shapes:900", "--json"});
        QVERIFY2(e.code == 0, qPrintable(e.err));
        const Json metrics = e.lastJson();
        QCOMPARE(metrics["accuracy"].get<double>(), summary["test_accuracy"].get<double>());
        std::int64_t total = 0;
        for (const auto& row : metrics["confusion"])
            for (const auto& v : row)
                total += v.get<std::int64_t>();
        QCOMPARE(total, metrics["count"].get<std::int64_t>());
        QCOMPARE(metrics["classes"].size(), std::size_t(3));

        // The run is recorded in the project, and the project still loads.
        const Project p = loadProject(path("s.ncproj").toStdString());
        QCOMPARE(p.runs.size(), std::size_t(1));
        QCOMPARE(p.runs[0]["dir"].get<std::string>(), path("run").toStdString());

        const Result human = cli({"eval", path("run/best.ncmodel"), "--dataset", "shapes:900"});
        QVERIFY(human.out.contains("confusion matrix"));
        QVERIFY(human.out.contains("circle"));
    }

    void resumeContinuesFromCheckpoint() {
        QCOMPARE(cli({"new", "--template", "mlp", "--dataset", "shapes:300", "-o", path("m.ncproj")}).code, 0);
        QCOMPARE(cli({"train", path("m.ncproj"), "--epochs", "1", "--out", path("mrun"), "--json"}).code, 0);
        const Result r = cli({"train", path("m.ncproj"), "--epochs", "2", "--out", path("mrun"), "--resume",
                              path("mrun/last.ncckpt"), "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.lastJson()["epochs_done"].get<int>(), 2);
        QVERIFY(!r.out.contains("\"epoch\":1,"));
    }

    void benchPrintsThroughput() {
        QCOMPARE(cli({"new", "--template", "mlp", "-o", path("b.ncproj")}).code, 0);
        const Result r = cli({"bench", path("b.ncproj"), "--steps", "3", "--warmup", "1", "--batch", "16", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.lastJson()["images_per_second"].get<double>() > 0);
    }

    void errorsGoToStderrWithNonZeroExit() {
        Result r = cli({"validate", path("missing.ncproj")});
        QVERIFY(r.code != 0);
        QVERIFY(r.err.contains("project file not found"));
        r = cli({"train", path("k.ncproj"), "--dataset", "cifar10:/nonexistent"});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("/nonexistent"), qPrintable(r.err));
        r = cli({"train", path("k.ncproj"), "--epochs", "many"});
        QVERIFY(r.err.contains("--epochs must be a whole number"));
        r = cli({"frobnicate"});
        QCOMPARE(r.code, 2);
        r = cli({"eval", path("k.ncproj"), "--dataset", "shapes"}); // a project is not a model
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("k.ncproj"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
