// The torchrun training job (export --format torchrun) run by Debian's own torchrun and
// python3, and its run folder read back by the app's side: metrics, model, checkpoint.
#include "data/Dataset.h"
#include "graph/Project.h"
#include "io/Safetensors.h"
#include "io/TorchrunJob.h"
#include "nn/Model.h"
#include "train/Evaluator.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Files.h"
#include "util/Json.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <unistd.h>

using namespace nc;

namespace {
const char* kTorchrun = "/usr/bin/torchrun";

struct Result {
    int code = -1;
    QString out, err;
};

// Runs a program with extra environment variables; OMP_NUM_THREADS=1 unless given (two ranks on
// two cores, and the same thread count for runs whose weights are compared).
Result runProcess(const QString& program, const QStringList& args, const QStringList& env = {},
                  int timeoutMs = 180000) {
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert("OMP_NUM_THREADS", "1");
    e.insert("TORCHRUN", kTorchrun);
    for (const QString& kv : env)
        e.insert(kv.section('=', 0, 0), kv.section('=', 1));
    p.setProcessEnvironment(e);
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs))
        p.kill();
    p.waitForFinished(5000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString describe(const Result& r) { return "exit " + QString::number(r.code) + "\n" + r.out.right(2000) + r.err.right(3000); }

std::vector<Json> readEvents(const std::string& path) {
    std::vector<Json> events;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            events.push_back(Json::parse(line)); // the app's reader skips bad lines; these must all parse
    return events;
}
std::vector<Json> ofKind(const std::vector<Json>& events, const std::string& kind) {
    std::vector<Json> out;
    for (const Json& e : events)
        if (e.value("event", "") == kind)
            out.push_back(e);
    return out;
}

// Largest |a - b| over the float tensors whose names start with `prefix` (the same names must exist).
double maxDifference(const std::string& a, const std::string& b, const std::string& prefix) {
    const SafetensorsFile fa = readSafetensors(a), fb = readSafetensors(b);
    double worst = 0;
    int compared = 0;
    for (const TensorRecord& ta : fa.tensors) {
        if (ta.name.rfind(prefix, 0) != 0 || ta.dtype != DType::F32)
            continue;
        const TensorRecord* tb = fb.find(ta.name);
        if (!tb || tb->shape != ta.shape)
            throw Error(b + " has no tensor " + ta.name + " of the same shape as in " + a);
        std::vector<float> va(std::size_t(ta.numel())), vb(va.size());
        std::memcpy(va.data(), ta.data.data(), ta.data.size());
        std::memcpy(vb.data(), tb->data.data(), tb->data.size());
        for (std::size_t i = 0; i < va.size(); ++i)
            worst = std::max(worst, double(std::fabs(va[i] - vb[i])));
        ++compared;
    }
    if (compared == 0)
        throw Error(a + " has no float tensors under " + prefix);
    return worst;
}
} // namespace

class TestTorchrun : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::string path(const std::string& name) const { return m_dir.filePath(QString::fromStdString(name)).toStdString(); }
    QString qpath(const std::string& name) const { return QString::fromStdString(path(name)); }

    // A project from a template with the given settings, saved, exported as a torchrun job.
    void exportJob(const std::string& name, const char* templ, const Json& training, const QStringList& extra = {}) {
        Project p = makeFromTemplate(templ);
        Json t = p.training.toJson();
        t.update(training);
        p.training = TrainConfig::fromJson(t);
        saveProject(p, path(name + ".ncproj"));
        const Result r = runProcess(NC_CLI_PATH, QStringList{"export", qpath(name + ".ncproj"), "--format", "torchrun",
                                                             "-o", qpath(name)} + extra);
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        for (const char* f : {"model.py", "train.py", "ncjob.py", "job.json", "split.json", "init.ncmodel", "README.md",
                              "run-standalone.sh", "run-multinode.sh", "slurm.sbatch"})
            QVERIFY2(fileExists(path(name + "/" + f)), f);
    }
    Result standalone(const std::string& job, int nproc, const QStringList& args) {
        return runProcess("/bin/sh", QStringList{qpath(job + "/run-standalone.sh")} + args,
                          {"NPROC=" + QString::number(nproc)});
    }
    // LeNet-5 (no BatchNorm, no dropout) with plain SGD: the job whose runs are compared weight for weight.
    static Json lenetTraining() {
        return {{"epochs", 1}, {"limit_train", 1024}, {"validation_fraction", 0.0}, {"batch_size", 32},
                {"optimizer", "sgd"}, {"learning_rate", 0.02}, {"momentum", 0.9}, {"schedule", "none"},
                {"precision", "fp32"}};
    }
    // Each test function runs on its own too (e.g. `tst_torchrun badInputIsNamed`).
    void needLenetJob() {
        if (!fileExists(path("lenet/job.json")))
            exportJob("lenet", "lenet5", lenetTraining());
    }
    Result python(const std::string& job, const QStringList& args) {
        return runProcess("/usr/bin/python3", QStringList{qpath(job + "/train.py")} + args);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        if (!QFile::exists(kTorchrun))
            QFAIL("/usr/bin/torchrun is missing: install python3-torch (scripts/install-deps.sh)");
        if (!fileExists(fashionMnistDir() + "/train-images-idx3-ubyte.gz"))
            QFAIL(qPrintable("Fashion-MNIST is missing from " + QString::fromStdString(fashionMnistDir()) +
                             ": install dataset-fashion-mnist"));
    }

    // Two ranks on a Fashion-MNIST subset; the app reads the run and compares it with its own.
    void twoRanksTrainLikeTheApp() {
        const Json training = {{"epochs", 2}, {"limit_train", 2000}, {"precision", "fp32"}};
        exportJob("cnn", "keras-cnn", training);
        const Result r = standalone("cnn", 2, {"--out", qpath("cnn-run")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains("[default0]:epoch 2/2"), qPrintable("rank 0's progress is teed to the console\n" + describe(r)));

        // The run folder as the app reads it: the app's event format, one line each.
        const auto events = readEvents(path("cnn-run/metrics.jsonl"));
        const auto start = ofKind(events, "start"), epochs = ofKind(events, "epoch"), batches = ofKind(events, "batch");
        QCOMPARE(int(start.size()), 1);
        QCOMPARE(start[0]["world_size"].get<int>(), 2);
        QCOMPARE(start[0]["global_batch"].get<int>(), 32); // the project's batch: 16 a rank
        QCOMPARE(int(epochs.size()), 2);
        const std::int64_t perEpoch = batches.back()["batches"].get<std::int64_t>();
        QCOMPARE(std::int64_t(batches.size()), 2 * perEpoch);
        QCOMPARE(ofKind(events, "finished").size(), std::size_t(1));
        QCOMPARE(ofKind(events, "finished")[0]["reason"].get<std::string>(), std::string("completed"));
        for (const Json& e : epochs)
            for (const char* k : {"train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"})
                QVERIFY2(e.contains(k) && e[k].is_number(), k);

        // The same settings trained in the app, from the same initial weights.
        const DatasetPair data = loadDataset("fashion-mnist", 0, 2000);
        const Project p = loadProject(path("cnn.ncproj"));
        const DatasetInfo info{1, 28, 28, data.train.classNames};
        Model appModel = Model::compile(p.graph, info, p.training.seed);
        Trainer appTrainer(appModel, data.train, p.training, path("cnn-app"));
        QCOMPARE(int(appTrainer.run().reason), int(FinishReason::Completed));

        const Model fromTorchrun = Model::load(path("cnn-run/best.ncmodel"));
        const Model fromApp = Model::load(path("cnn-app/best.ncmodel"));
        const double accTorchrun = evaluateModel(fromTorchrun, data.test).accuracy;
        const double accApp = evaluateModel(fromApp, data.test).accuracy;
        qInfo("test accuracy on 2000 images: torchrun (2 ranks) %.4f, app %.4f", accTorchrun, accApp);
        QVERIFY2(accApp > 0.5, "the app's own run learned something");
        QVERIFY2(std::fabs(accTorchrun - accApp) <= 0.01, "within 1 point of the app's run");
        QCOMPARE(fromTorchrun.classNames(), fromApp.classNames());
        QCOMPARE(fromTorchrun.normalization().mean, fromApp.normalization().mean);

        // The app continues the torchrun run from its checkpoint.
        Model resumed = Model::compile(p.graph, info, p.training.seed);
        TrainConfig three = p.training;
        three.epochs = 3;
        Trainer cont(resumed, data.train, three, path("cnn-continued"));
        cont.resumeFrom(path("cnn-run/last.ncckpt"));
        const FinishedEvent done = cont.run();
        QCOMPARE(int(done.reason), int(FinishReason::Completed));
        QCOMPARE(done.epochsDone, 3);
        QCOMPARE(done.steps, 3 * perEpoch);
    }

    // Without BatchNorm or dropout, data parallelism is exact: 2 ranks × 16 = 1 rank × 32.
    void ranksAndResumeGiveTheSameWeights() {
        exportJob("lenet", "lenet5", lenetTraining());
        Result r = standalone("lenet", 2, {"--out", qpath("lenet-2x16")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        r = python("lenet", {"--out", qpath("lenet-1x32")}); // one process, no launcher
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        const double ranks = maxDifference(path("lenet-2x16/last.ncckpt"), path("lenet-1x32/last.ncckpt"), "model/");
        qInfo("2 ranks x 16 vs 1 rank x 32 after one epoch: max |difference| %.3g", ranks);
        QVERIFY2(ranks < 1e-5, "the same weights");

        // Interrupted after epoch 1 and resumed equals two epochs straight.
        r = python("lenet", {"--out", qpath("lenet-straight"), "--epochs", "2"});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        r = python("lenet", {"--out", qpath("lenet-resumed"), "--epochs", "1"});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        r = python("lenet", {"--out", qpath("lenet-resumed"), "--epochs", "2", "--resume", qpath("lenet-resumed/last.ncckpt")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        const double resumed = maxDifference(path("lenet-straight/last.ncckpt"), path("lenet-resumed/last.ncckpt"), "");
        qInfo("resumed vs uninterrupted (weights and momentum): max |difference| %.3g", resumed);
        QCOMPARE(resumed, 0.0);
        const auto events = readEvents(path("lenet-resumed/metrics.jsonl"));
        QCOMPARE(ofKind(events, "epoch").size(), std::size_t(2)); // appended, as the app's resumed runs

        // The app's training and train.py's agree batch for batch (same order, init, optimizer).
        const Project p = loadProject(path("lenet.ncproj"));
        const DatasetPair data = loadDataset("fashion-mnist", 0, 1);
        Model app = Model::compile(p.graph, {1, 28, 28, data.train.classNames}, p.training.seed);
        Trainer appRun(app, data.train, p.training, path("lenet-app"));
        QCOMPARE(int(appRun.run().reason), int(FinishReason::Completed));
        const double vsApp = maxDifference(path("lenet-app/last.ncckpt"), path("lenet-1x32/last.ncckpt"), "");
        qInfo("train.py (1 rank) vs the app after one epoch: max |difference| %.3g", vsApp);
        QVERIFY2(vsApp < 1e-4, "train.py trains as the app does");

        // train.py continues the app's checkpoint (weights, momentum, step) as the app itself does.
        r = python("lenet", {"--out", qpath("lenet-from-app"), "--epochs", "2", "--resume", qpath("lenet-app/last.ncckpt")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        Model appCont = Model::compile(p.graph, {1, 28, 28, data.train.classNames}, p.training.seed);
        TrainConfig two = p.training;
        two.epochs = 2;
        Trainer appResume(appCont, data.train, two, path("lenet-app"));
        appResume.resumeFrom(path("lenet-app/last.ncckpt"));
        QCOMPARE(int(appResume.run().reason), int(FinishReason::Completed));
        const double fromApp = maxDifference(path("lenet-app/last.ncckpt"), path("lenet-from-app/last.ncckpt"), "");
        qInfo("epoch 2 resumed from the app's checkpoint, train.py vs the app: max |difference| %.3g", fromApp);
        QVERIFY2(fromApp < 1e-4, "the app's optimizer state carries over");
        const auto fromAppEvents = readEvents(path("lenet-from-app/metrics.jsonl"));
        QCOMPARE(ofKind(fromAppEvents, "start")[0]["resumed_from_epoch"].get<int>(), 1);
    }

    // The job honours "clean epochs at the end" as the app does: with its only epoch clean, a job
    // with rotations and shifts trains exactly as one without them; without it, it does not.
    void cleanEpochsAtTheEndAreHonoured() {
        needLenetJob();
        Json augmented = lenetTraining();
        augmented.update({{"augment_rotation", 20.0}, {"augment_width_shift", 0.1}});
        Json clean = augmented;
        clean["augment_clean_epochs"] = 1;
        exportJob("lenet-aug", "lenet5", augmented);
        exportJob("lenet-clean", "lenet5", clean);
        for (const char* job : {"lenet", "lenet-aug", "lenet-clean"}) {
            const Result r = python(job, {"--out", qpath(std::string(job) + "-plainrun")});
            QVERIFY2(r.code == 0, qPrintable(describe(r)));
        }
        const double cleanVsPlain =
            maxDifference(path("lenet-clean-plainrun/last.ncckpt"), path("lenet-plainrun/last.ncckpt"), "model/");
        const double augVsPlain =
            maxDifference(path("lenet-aug-plainrun/last.ncckpt"), path("lenet-plainrun/last.ncckpt"), "model/");
        qInfo("one clean epoch vs no augmentation %.3g; augmented vs none %.3g", cleanVsPlain, augVsPlain);
        QCOMPARE(cleanVsPlain, 0.0);
        QVERIFY2(augVsPlain > 1e-3, "rotations and shifts change what the job learns");
    }

    // Two "nodes" on this machine meet through c10d; Slurm's file runs the same command.
    void twoNodesThroughC10dAndSlurm() {
        const std::string job = "lenet";
        needLenetJob();
        if (!fileExists(path("lenet-2x16/last.ncckpt"))) {
            const Result r = standalone("lenet", 2, {"--out", qpath("lenet-2x16")});
            QVERIFY2(r.code == 0, qPrintable(describe(r)));
        }
        const QString endpoint = "127.0.0.1:" + QString::number(20000 + getpid() % 20000);
        const QStringList env = {"NNODES=2", "NPROC=1", "RDZV_ENDPOINT=" + endpoint, "RDZV_ID=tst"};
        QProcess first;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert("OMP_NUM_THREADS", "1");
        e.insert("TORCHRUN", kTorchrun);
        for (const QString& kv : env)
            e.insert(kv.section('=', 0, 0), kv.section('=', 1));
        first.setProcessEnvironment(e);
        first.start("/bin/sh", {qpath(job + "/run-multinode.sh"), "--out", qpath("nodes-run")});
        QVERIFY(first.waitForStarted());
        const Result second = runProcess("/bin/sh", {qpath(job + "/run-multinode.sh"), "--out", qpath("nodes-run")}, env);
        QVERIFY(first.waitForFinished(180000));
        QVERIFY2(second.code == 0, qPrintable(describe(second)));
        QVERIFY2(first.exitCode() == 0, qPrintable(QString::fromUtf8(first.readAllStandardError()).right(3000)));
        const auto events = readEvents(path("nodes-run/metrics.jsonl"));
        QCOMPARE(ofKind(events, "start")[0]["world_size"].get<int>(), 2);
        QCOMPARE(ofKind(events, "finished")[0]["reason"].get<std::string>(), std::string("completed"));
        // The same data and global batch as one node with two ranks: the same weights.
        QVERIFY(maxDifference(path("nodes-run/last.ncckpt"), path("lenet-2x16/last.ncckpt"), "model/") < 1e-5);

        const Result syntax = runProcess("/bin/bash", {"-n", qpath(job + "/slurm.sbatch")});
        QVERIFY2(syntax.code == 0, qPrintable(describe(syntax)));
        auto launchLine = [&](const std::string& file, const std::string& lead) {
            std::ifstream in(path(job + "/" + file));
            for (std::string line; std::getline(in, line);)
                if (line.rfind(lead, 0) == 0)
                    return line.substr(lead.size());
            return std::string("(no line starting with " + lead + ")");
        };
        QCOMPARE(launchLine("slurm.sbatch", "srun "), launchLine("run-multinode.sh", "exec "));
        QVERIFY(launchLine("slurm.sbatch", "srun ").find(torchrunLaunchCommand(1)) == 0);
    }

    // A folder of the user's own images: train.py reads the import cache the app decoded.
    void importedFolderTrainsFromItsCache() {
        const QString root = qpath("pictures");
        const char* names[] = {"red", "green", "blue"};
        for (int c = 0; c < 3; ++c) {
            QVERIFY(QDir().mkpath(root + "/" + names[c]));
            for (int i = 0; i < 24; ++i) {
                QImage img(20 + i % 5, 20, QImage::Format_RGB32); // sizes differ: the import policy resizes
                img.fill(QColor::fromHsv((c * 120 + i * 3) % 360, 200, 100 + 4 * i));
                QVERIFY(img.save(root + QString("/%1/%2.png").arg(names[c]).arg(i)));
            }
        }
        Project p = makeFromTemplate("mlp");
        p.dataset = "folder:" + root.toStdString();
        p.importPolicy.height = p.importPolicy.width = 16;
        QVERIFY(fitClassifierToClasses(p.graph, 3));
        p.training.epochs = 2;
        p.training.precision = Precision::FP32;
        saveProject(p, path("pictures.ncproj"));
        Result r = runProcess(NC_CLI_PATH, {"export", qpath("pictures.ncproj"), "--format", "torchrun", "-o", qpath("pictures-job")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        const Json job = Json::parse(readFileText(path("pictures-job/job.json"), 1 << 20));
        QCOMPARE(job["dataset"]["kind"].get<std::string>(), std::string("nccache"));
        r = python("pictures-job", {"--out", qpath("pictures-run")});
        QVERIFY2(r.code == 0, qPrintable(describe(r)));
        const auto events = readEvents(path("pictures-run/metrics.jsonl"));
        QCOMPARE(ofKind(events, "start")[0]["train_images"].get<std::int64_t>() +
                     ofKind(events, "start")[0]["val_images"].get<std::int64_t>(),
                 job["dataset"]["train_images"].get<std::int64_t>());
        const Model m = Model::load(path("pictures-run/best.ncmodel"));
        QCOMPARE(m.classNames(), (std::vector<std::string>{"blue", "green", "red"}));
        QCOMPARE(m.inputShape(), (Shape{3, 16, 16}));
    }

    // Bad input gets a message that names what is wrong.
    void badInputIsNamed() {
        needLenetJob();
        Result r = python("lenet", {"--out", qpath("bad"), "--data", qpath("no-such-folder")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no-such-folder") && r.err.contains("--data"), qPrintable(r.err));
        QFile broken(qpath("broken.ncckpt"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("not a checkpoint at all");
        broken.close();
        r = python("lenet", {"--out", qpath("bad"), "--resume", qpath("broken.ncckpt")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("broken.ncckpt"), qPrintable(r.err));
        r = runProcess("/bin/sh", {qpath("lenet/run-standalone.sh")}, {"TORCHRUN=/nonexistent/torchrun"});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("/nonexistent/torchrun: not found; install PyTorch"), qPrintable(r.err));

        r = runProcess(NC_CLI_PATH, {"export", qpath("cnn-run/best.ncmodel"), "--format", "torchrun", "-o", qpath("x")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("takes a project"), qPrintable(r.err));

        Project shapes = makeFromTemplate("keras-cnn");
        shapes.dataset = "shapes:200";
        saveProject(shapes, path("shapes.ncproj"));
        r = runProcess(NC_CLI_PATH, {"export", qpath("shapes.ncproj"), "--format", "torchrun", "-o", qpath("shapes-job")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("shapes:200") && r.err.contains("train.py cannot read it"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestTorchrun)
#include "tst_torchrun.moc"
