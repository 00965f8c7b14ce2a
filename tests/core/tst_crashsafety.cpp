// Never lose work: writers killed with SIGKILL at random moments leave every file loadable, as
// the version before or after the interrupted save; a save that runs out of space (the file-size
// limit of `ulimit -f`) reports the error and leaves the previous file intact. Versioned format
// fixtures (tests/data/formats) load, and files from a newer app are refused with its name.
#include "graph/Project.h"
#include "nn/Model.h"
#include "train/Trainer.h"
#include "util/Error.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <csignal>
#include <random>
#include <sys/resource.h>

using namespace nc;

namespace {
const QString kFormats = QStringLiteral(NC_TEST_DATA_DIR "/formats/");

// The last "<what> N" line a writer printed, or `fallback`.
long lastReported(const QByteArray& out, const char* what, long fallback) {
    long last = fallback;
    const QRegularExpression re(QStringLiteral("^%1 (\\d+)$").arg(QLatin1String(what)), QRegularExpression::MultilineOption);
    for (auto it = re.globalMatch(QString::fromUtf8(out)); it.hasNext();)
        last = it.next().captured(1).toLong();
    return last;
}

long iterationOf(const Project& p) { return p.name.rfind("iteration ", 0) == 0 ? std::stol(p.name.substr(10)) : -1; }

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

int strayTempFiles(const QString& dir) {
    return int(QDir(dir).entryList({QStringLiteral(".*.tmp*")}, QDir::Files | QDir::Hidden).size());
}
} // namespace

class TestCrashSafety : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // At least 30 rounds (and 60 completed saves) of: start the save loop, SIGKILL it after
    // 0–120 ms of saving. After each kill the
    // project and the model on disk load, and each is the last version the loop reported or the
    // one it was writing when killed.
    void killedSavesLeaveLoadableFiles() {
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        std::mt19937 rng(20261123);
        long onDiskProject = 0, onDiskModel = 0, saves = 0;
        int rounds = 0, killedMidRun = 0;
        for (; rounds < 100 && (saves < 60 || rounds < 30); ++rounds) {
            // Each iteration i saves project i, then model i, numbered on from what is on disk.
            const long from = std::max(onDiskProject, onDiskModel) + 1;
            QProcess loop;
            loop.start(QStringLiteral(NC_SAVE_LOOP_PATH), {dir.path(), QString::number(from)});
            QVERIFY(loop.waitForStarted());
            // Wait for the first save, then a random while.
            QVERIFY(loop.waitForReadyRead(30000));
            QThread::msleep(std::uniform_int_distribution<int>(0, 120)(rng));
            loop.kill();
            QVERIFY(loop.waitForFinished(10000));
            killedMidRun += loop.exitStatus() == QProcess::CrashExit ? 1 : 0;
            const QByteArray out = loop.readAllStandardOutput();
            const long project = lastReported(out, "project", -1), model = lastReported(out, "model", -1);
            saves += (project < 0 ? 0 : project - from + 1) + (model < 0 ? 0 : model - from + 1);

            // On disk: the last version reported, or the one being written when the kill came.
            const Project p = loadProject(d + "/p.ncproj"); // throws, failing the test, if torn
            const long pi = iterationOf(p);
            const bool projectOk = project < 0 ? (pi == onDiskProject || pi == from) : (pi == project || pi == project + 1);
            QVERIFY2(projectOk, qPrintable(QString("round %1: project on disk is iteration %2, last reported %3 (from %4)")
                                               .arg(rounds).arg(pi).arg(project).arg(from)));
            onDiskProject = pi;
            if (model >= 0 || QFileInfo::exists(dir.filePath("m.ncmodel"))) {
                const Model m = Model::load(d + "/m.ncmodel");
                const long mi = m.metadata().value("iteration", -1L);
                const bool modelOk = model < 0 ? (mi == onDiskModel || mi == from) : (mi == model || mi == model + 1);
                QVERIFY2(modelOk, qPrintable(QString("round %1: model on disk is iteration %2, last reported %3 (from %4)")
                                                 .arg(rounds).arg(mi).arg(model).arg(from)));
                onDiskModel = mi;
            }
        }
        const int stray = strayTempFiles(dir.path());
        qInfo("%d kills, %ld completed saves, %d stray temporary files", rounds, saves, stray);
        QCOMPARE(killedMidRun, rounds);
        // A killed save's temporary file is removed by the next save of that file: at most the
        // last kill's (one for the project, one for the model) can be left.
        QVERIFY2(stray <= 2, qPrintable(QString::number(stray)));
        QVERIFY2(saves >= 60, qPrintable(QString::number(saves)));
    }

    // Training killed at random moments: last.ncckpt always resumes and best.ncmodel always
    // loads, across at least 50 checkpoint writes.
    void killedTrainingLeavesAResumableCheckpoint() {
        QTemporaryDir dir;
        Project project = makeFromTemplate("mlp"); // ~9 MB checkpoints (weights + Adam state)
        fitClassifierToClasses(project.graph, 3);
        project.dataset = "shapes:60";
        saveProject(project, dir.filePath("p.ncproj").toStdString());
        const DatasetPair data = loadDataset("shapes:60");
        std::mt19937 rng(7);
        int checkpoints = 0, rounds = 0;
        const QString run = dir.filePath(QStringLiteral("run"));
        while (rounds < 40 && (checkpoints < 50 || rounds < 6)) {
            ++rounds;
            QProcess train;
            train.start(QStringLiteral(NC_CLI_PATH), {QStringLiteral("train"), dir.filePath("p.ncproj"), QStringLiteral("--epochs"),
                                                      QStringLiteral("100000"), QStringLiteral("--threads"), QStringLiteral("1"),
                                                      QStringLiteral("--out"), run});
            QVERIFY(train.waitForStarted());
            // Kill at a random moment once this round's first epoch has been reported.
            QByteArray out;
            QElapsedTimer t;
            t.start();
            while (!out.contains("epoch ") && t.elapsed() < 60000 && train.state() == QProcess::Running) {
                train.waitForReadyRead(50);
                out += train.readAllStandardOutput();
            }
            QVERIFY2(out.contains("epoch "), out.constData());
            QThread::msleep(std::uniform_int_distribution<int>(0, 1500)(rng));
            train.kill();
            QVERIFY(train.waitForFinished(10000));
            out += train.readAllStandardOutput();
            checkpoints += int(QString::fromUtf8(out).count(QRegularExpression(QStringLiteral("(?m)^epoch \\d+/"))));

            TrainConfig cfg = project.training;
            cfg.threads = 1;
            Model model = Model::compile(project.graph, {3, 32, 32, data.train.classNames}, 1);
            Trainer trainer(model, data.train, cfg);
            const std::string resumeError = errorOf([&] { trainer.resumeFrom((run + "/last.ncckpt").toStdString()); });
            QVERIFY2(resumeError.empty(), resumeError.c_str());
            if (QFileInfo::exists(run + "/best.ncmodel")) {
                const std::string loadError = errorOf([&] { Model::load((run + "/best.ncmodel").toStdString()); });
                QVERIFY2(loadError.empty(), loadError.c_str());
            }
        }
        qInfo("%d kills during training, %d checkpoint writes reported, %d stray temporary files", rounds, checkpoints,
              strayTempFiles(run));
        QVERIFY2(checkpoints >= 50, qPrintable(QString::number(checkpoints)));
    }

    // `ulimit -f`: a save that cannot be written completely fails with a message naming the file,
    // and the file from the save before still loads, unchanged.
    void aSaveIntoAFullDiskKeepsThePreviousFile() {
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        QProcess first;
        first.start(QStringLiteral(NC_SAVE_LOOP_PATH), {dir.path(), QStringLiteral("1"), QStringLiteral("--once")});
        QVERIFY(first.waitForFinished(60000));
        QCOMPARE(first.exitCode(), 0);

        auto limitedSave = [&](rlim_t bytes, long iteration) {
            QProcess save;
            save.setChildProcessModifier([bytes] {
                std::signal(SIGXFSZ, SIG_IGN); // write() then fails with EFBIG instead of killing
                const rlimit limit{bytes, bytes};
                setrlimit(RLIMIT_FSIZE, &limit);
            });
            save.start(QStringLiteral(NC_SAVE_LOOP_PATH), {dir.path(), QString::number(iteration), QStringLiteral("--once")});
            save.waitForFinished(60000);
            return std::make_pair(save.exitCode(), QString::fromUtf8(save.readAllStandardError()));
        };
        // Room for the project (a few KB) but not the model (~3 MB).
        auto [code, err] = limitedSave(256 * 1024, 2);
        QCOMPARE(code, 1);
        QVERIFY2(err.contains(QStringLiteral("m.ncmodel")) && err.contains(QStringLiteral("File too large")) &&
                     err.contains(QStringLiteral("previous file is unchanged")),
                 qPrintable(err));
        QCOMPARE(iterationOf(loadProject(d + "/p.ncproj")), 2L);
        QCOMPARE(Model::load(d + "/m.ncmodel").metadata().value("iteration", -1L), 1L);
        // Not even room for the project.
        std::tie(code, err) = limitedSave(1024, 3);
        QCOMPARE(code, 1);
        QVERIFY2(err.contains(QStringLiteral("p.ncproj")) && err.contains(QStringLiteral("File too large")), qPrintable(err));
        QCOMPARE(iterationOf(loadProject(d + "/p.ncproj")), 2L);
        QCOMPARE(strayTempFiles(dir.path()), 0); // a failed save cleans up after itself
    }

    // One fixture per past format version loads; a file from a newer app is refused with a
    // message naming the app that wrote it.
    void everyPastFormatLoadsAndANewerOneIsNamed() {
        const Project v0 = loadProject((kFormats + "project-v0.ncproj").toStdString());
        const Project v1 = loadProject((kFormats + "project-v1.ncproj").toStdString());
        QCOMPARE(v0.graph.nodes().size(), v1.graph.nodes().size());
        QCOMPARE(v0.graph.toJson(), v1.graph.toJson()); // format 0's top-level layers migrate into "graph"
        const Model model = Model::load((kFormats + "model-v1.ncmodel").toStdString());
        QCOMPARE(model.classNames().size(), std::size_t(3));
        const DatasetPair data = loadDataset("shapes:60");
        Model fresh = Model::compile(v1.graph, {3, 32, 32, data.train.classNames}, 1);
        Trainer trainer(fresh, data.train, v1.training);
        const std::string resume = errorOf([&] { trainer.resumeFrom((kFormats + "checkpoint-v1.ncckpt").toStdString()); });
        QVERIFY2(resume.empty(), resume.c_str());

        // Model format 2 is this build's int8 format (tst_quantize loads it) and project format 2
        // its training phases, so the files from a newer app are format 3 ones.
        for (const auto& [newer, format] : {std::pair{"project-v3-from-newer-app.ncproj", "format 3"},
                                            std::pair{"model-v3-from-newer-app.ncmodel", "format 3"},
                                            std::pair{"checkpoint-v2-from-newer-app.ncckpt", "format 2"}}) {
            const std::string path = (kFormats + newer).toStdString();
            const std::string e = errorOf([&] {
                if (QString::fromLatin1(newer).endsWith(".ncproj"))
                    loadProject(path);
                else if (QString::fromLatin1(newer).endsWith(".ncmodel"))
                    Model::load(path);
                else
                    trainer.resumeFrom(path);
            });
            QVERIFY2(e.find("written by NeuralCanvas 0.4.0") != std::string::npos && e.find(format) != std::string::npos &&
                         e.find("Update NeuralCanvas") != std::string::npos,
                     e.c_str());
        }
        // What this build writes names it.
        QTemporaryDir dir;
        saveProject(v1, dir.filePath("p.ncproj").toStdString());
        QFile f(dir.filePath("p.ncproj"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("\"writer\": \"NeuralCanvas "));
    }
};

QTEST_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
