// neuralcanvas-cli end to end, as a script or a user runs it: real processes, real files.
#include "graph/Project.h"
#include "io/Safetensors.h"
#include "util/Json.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QPainter>

#include <cstring>
#include <limits>

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
    // SIGTERM (what a scheduler or `kill` sends) stops `train` like Ctrl+C: after the current
    // batch, with a checkpoint of exactly that point and the run recorded as stopped.
    void trainStopsOnSigtermWithACheckpoint() {
        QCOMPARE(cli({"new", "--template", "mlp", "-o", path("term.ncproj"), "--dataset", "shapes:3000"}).code, 0);
        QProcess p;
        p.start(NC_CLI_PATH, {"train", path("term.ncproj"), "--epochs", "50", "--threads", "1", "--out",
                              path("term-run"), "--json"});
        QVERIFY(p.waitForStarted());
        QString out;
        QElapsedTimer t;
        t.start();
        while (!out.contains("\"event\":\"batch\"") && t.elapsed() < 60000) {
            p.waitForReadyRead(200);
            out += QString::fromUtf8(p.readAllStandardOutput());
        }
        QVERIFY2(out.contains("\"event\":\"batch\""), qPrintable(out.right(500)));
        p.terminate();
        QVERIFY2(p.waitForFinished(30000), "train did not stop on SIGTERM");
        out += QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        const QStringList lines = out.trimmed().split('\n');
        const Json summary = Json::parse(lines.last().toStdString());
        QCOMPARE(summary["reason"].get<std::string>(), std::string("stopped"));
        QVERIFY(QFileInfo::exists(path("term-run/last.ncckpt")));
    }

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

    // train --teacher: the run trains against the teacher (recorded, with T and alpha, in the run's
    // config), and bad options or a file that is not a model are named.
    void trainWithATeacher() {
        QCOMPARE(cli({"new", "--template", "keras-cnn", "--dataset", "shapes:300", "-o", path("kd.ncproj")}).code, 0);
        QCOMPARE(cli({"train", path("kd.ncproj"), "--epochs", "1", "--out", path("kdteacher"), "--json"}).code, 0);
        const Result r = cli({"train", path("kd.ncproj"), "--epochs", "1", "--out", path("kdstudent"), "--teacher",
                              path("kdteacher/best.ncmodel"), "--distill-temperature", "2", "--distill-alpha", "0.7",
                              "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const Project p = loadProject(path("kd.ncproj").toStdString());
        QCOMPARE(p.runs.size(), std::size_t(2));
        const Json& config = p.runs[1]["config"];
        QCOMPARE(config["teacher"].get<std::string>(), path("kdteacher/best.ncmodel").toStdString());
        QCOMPARE(config["distill_temperature"].get<double>(), 2.0);
        QCOMPARE(config["distill_alpha"].get<double>(), 0.7);

        Result bad = cli({"train", path("kd.ncproj"), "--distill-alpha", "0.5"});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains("need --teacher"), qPrintable(bad.err));
        bad = cli({"train", path("kd.ncproj"), "--teacher", path("kdteacher/best.ncmodel"), "--distill-alpha", "3"});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains("--distill-alpha"), qPrintable(bad.err));
        bad = cli({"train", path("kd.ncproj"), "--epochs", "1", "--teacher", path("kd.ncproj")}); // not a model
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains("teacher") && bad.err.contains("kd.ncproj"), qPrintable(bad.err));
    }

    // The Keras-style augmentation flags and --clean-epochs land in the run's config; bad values
    // are named by their option.
    void augmentationFlagsAreRecordedInTheRun() {
        QCOMPARE(cli({"new", "--template", "mlp", "--dataset", "shapes:300", "-o", path("aug.ncproj")}).code, 0);
        const Result r = cli({"train", path("aug.ncproj"), "--epochs", "2", "--out", path("augrun"), "--rotation",
                              "15", "--width-shift", "0.1", "--height-shift", "0.1", "--hflip", "--clean-epochs", "1",
                              "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const Project p = loadProject(path("aug.ncproj").toStdString());
        QCOMPARE(p.runs.size(), std::size_t(1));
        const Json& config = p.runs[0]["config"];
        QCOMPARE(config["augment_rotation"].get<double>(), 15.0);
        QCOMPARE(config["augment_width_shift"].get<double>(), 0.1);
        QCOMPARE(config["augment_height_shift"].get<double>(), 0.1);
        QCOMPARE(config["augment_flip"].get<bool>(), true);
        QCOMPARE(config["augment_clean_epochs"].get<int>(), 1);

        Result bad = cli({"train", path("aug.ncproj"), "--clean-epochs", "-2"});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains("--clean-epochs"), qPrintable(bad.err));
        bad = cli({"train", path("aug.ncproj"), "--rotation", "400"});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains("--rotation"), qPrintable(bad.err));
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

    // Issue: hostile model files and runs. A model whose weights hold NaN or infinity is refused
    // when loaded, naming the tensor, by every command that loads it.
    void modelWithNonFiniteWeightsIsRefused() {
        QCOMPARE(cli({"new", "--template", "mlp", "--dataset", "shapes:300", "-o", path("nan.ncproj")}).code, 0);
        QCOMPARE(cli({"train", path("nan.ncproj"), "--epochs", "1", "--out", path("nanrun"), "--json"}).code, 0);
        for (const char* poison : {"nan", "inf"}) {
            const QString bad = path(QStringLiteral("poisoned-%1.ncmodel").arg(poison));
            SafetensorsFile f = readSafetensors(path("nanrun/best.ncmodel").toStdString());
            std::string poisoned;
            for (TensorRecord& r : f.tensors)
                if (r.dtype == DType::F32 && r.name.find(".weight") != std::string::npos && poisoned.empty()) {
                    float v = std::strcmp(poison, "nan") == 0 ? std::numeric_limits<float>::quiet_NaN()
                                                              : std::numeric_limits<float>::infinity();
                    std::memcpy(r.data.data() + 4 * 3, &v, 4); // the fourth value
                    poisoned = r.name;
                }
            QVERIFY(!poisoned.empty());
            writeSafetensors(bad.toStdString(), f);

            QImage img(32, 32, QImage::Format_RGB32);
            img.fill(Qt::white);
            QVERIFY(img.save(path("white.png")));
            const Result predict = cli({"predict", bad, path("white.png"), "--json"});
            QVERIFY2(predict.code != 0, qPrintable(predict.out));
            QVERIFY2(predict.err.contains(QString::fromStdString(poisoned)), qPrintable(predict.err));
            QVERIFY2(predict.err.contains("NaN or infinite"), qPrintable(predict.err));
            QVERIFY(!predict.out.contains("null"));
            const Result eval = cli({"eval", bad, "--dataset", "shapes:300", "--json"});
            QVERIFY(eval.code != 0);
            QVERIFY2(eval.err.contains(QString::fromStdString(poisoned)), qPrintable(eval.err));
            QVERIFY(!eval.out.contains("nan"));

            // export --verify: a clear message and no file left behind.
            const QString out = path(QStringLiteral("poisoned-%1.pt").arg(poison));
            const Result exported = cli({"export", bad, "--format", "torchscript", "-o", out, "--verify"});
            QVERIFY(exported.code != 0);
            QVERIFY2(!exported.err.contains("json.exception"), qPrintable(exported.err));
            QVERIFY2(exported.err.contains(QString::fromStdString(poisoned)), qPrintable(exported.err));
            QVERIFY2(!QFileInfo::exists(out), qPrintable(out));
        }
    }

    void aFolderWhereAFileBelongsIsNamedAsAFolder() {
        QDir(m_dir.path()).mkpath("afolder.ncmodel");
        QDir(m_dir.path()).mkpath("afolder.ncproj");
        for (const QStringList& args : {QStringList{"eval", path("afolder.ncmodel"), "--dataset", "shapes:300"},
                                        QStringList{"predict", path("afolder.ncmodel"), path("white.png")},
                                        QStringList{"export", path("afolder.ncmodel"), "--format", "onnx", "-o",
                                                    path("x.onnx")},
                                        QStringList{"validate", path("afolder.ncproj")},
                                        QStringList{"train", path("afolder.ncproj")}}) {
            const Result r = cli(args);
            QVERIFY(r.code != 0);
            QVERIFY2(r.err.contains("is a folder, not a file"), qPrintable(args.join(' ') + ": " + r.err));
            QVERIFY2(!r.err.contains("not found"), qPrintable(r.err));
        }
    }

    void divergingRunStopsNamingTheLayerAndKeepsNoBadModel() {
        QCOMPARE(cli({"new", "--template", "mlp", "-o", path("div.ncproj")}).code, 0);
        const Result r = cli({"train", path("div.ncproj"), "--epochs", "1", "--lr", "1e6", "--limit-train", "4000",
                              "--out", path("divrun"), "--json"});
        QCOMPARE(r.code, 1);
        const Json summary = r.lastJson();
        QCOMPARE(summary["reason"].get<std::string>(), std::string("failed"));
        QVERIFY(summary.value("diverged", false));
        const std::string message = summary["message"].get<std::string>();
        QVERIFY2(message.find("diverged") != std::string::npos || message.find("NaN") != std::string::npos,
                 message.c_str());
        const std::string node = summary["node"].get<std::string>();
        const Project p = loadProject(path("div.ncproj").toStdString());
        QVERIFY2(p.graph.node(node) != nullptr, node.c_str());
        QVERIFY(message.find("blew up is " + node) != std::string::npos);
        QVERIFY2(message.find("try 0.001") != std::string::npos, message.c_str()); // a learning rate to use
        QVERIFY(!QFileInfo::exists(path("divrun/best.ncmodel")));             // no model of a diverged run
        QVERIFY(!QFileInfo::exists(path("divrun/last.ncckpt")));
        // The loss never reached absurd values in what was logged: it stopped at the first bad batch.
        const Result human = cli({"train", path("div.ncproj"), "--epochs", "1", "--lr", "1e6", "--limit-train",
                                  "4000", "--out", path("divrun2")});
        QCOMPARE(human.code, 1);
        QVERIFY2(human.err.contains("Lower the learning rate"), qPrintable(human.err));
    }

    void predictInvertFlipsADarkOnLightDrawing() {
        // Shapes are light objects on a darker background. The same circle drawn dark on white is
        // named as the opposite polarity, and --invert classifies exactly the light-on-dark one.
        QCOMPARE(cli({"new", "--template", "mlp", "--dataset", "shapes:300", "-o", path("pol.ncproj")}).code, 0);
        QCOMPARE(cli({"train", path("pol.ncproj"), "--epochs", "1", "--out", path("polrun"), "--json"}).code, 0);
        auto circle = [&](const QColor& paper, const QColor& ink, const QString& name) {
            QImage img(32, 32, QImage::Format_RGB32);
            img.fill(paper);
            QPainter painter(&img);
            painter.setBrush(ink);
            painter.setPen(Qt::NoPen);
            painter.drawEllipse(QRect(8, 8, 16, 16));
            painter.end();
            QVERIFY(img.save(path(name)));
        };
        circle(Qt::white, Qt::black, "drawing.png");   // as a user draws on paper
        circle(Qt::black, Qt::white, "likeshapes.png"); // as the training images look
        const QString model = path("polrun/best.ncmodel");
        const Result asTrained = cli({"predict", model, path("likeshapes.png"), "--json"});
        QCOMPARE(asTrained.code, 0);
        QVERIFY(!asTrained.lastJson()["looks_inverted"].get<bool>());
        const Result plain = cli({"predict", model, path("drawing.png"), "--json"});
        QCOMPARE(plain.code, 0);
        QVERIFY(plain.lastJson()["looks_inverted"].get<bool>());
        QVERIFY(!plain.lastJson()["inverted"].get<bool>());
        const Result text = cli({"predict", model, path("drawing.png")});
        QVERIFY2(text.out.contains("try --invert"), qPrintable(text.out));
        const Result flipped = cli({"predict", model, path("drawing.png"), "--invert", "--json"});
        QCOMPARE(flipped.code, 0);
        QVERIFY(flipped.lastJson()["inverted"].get<bool>());
        QCOMPARE(flipped.lastJson()["top"].dump(), asTrained.lastJson()["top"].dump());
    }
};

QTEST_MAIN(TestCli)
#include "tst_cli.moc"
