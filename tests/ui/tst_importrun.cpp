// Training elsewhere, from the window: File › Export Training Job… writes a torchrun job, and
// File › Import Run… brings a run folder into the run history, whose charts follow its growing
// metrics.jsonl and whose model opens like a local run's.
#include "app/MainWindow.h"
#include "document/Document.h"
#include "editor/GraphEditor.h"
#include "model/GraphModel.h"
#include "nn/Model.h"
#include "train/RunHistoryPanel.h"
#include "train/RunImport.h"
#include "train/TrainTab.h"
#include "train/TrainingCharts.h"
#include "util/Files.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace nc::ui;

namespace {
void append(const QString& path, const QList<nc::Json>& events) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::Append));
    for (const nc::Json& e : events)
        f.write(QByteArray::fromStdString(e.dump() + "\n"));
}
nc::Json batch(int epoch, int b) {
    nc::BatchEvent e;
    e.epoch = epoch;
    e.epochs = 2;
    e.batch = b;
    e.batchesPerEpoch = 3;
    e.step = (epoch - 1) * 3 + b;
    e.loss = 2.0 / e.step;
    e.accuracy = 0.3 + 0.05 * e.step;
    e.learningRate = 0.001;
    return e.toJson();
}
nc::Json epochEvent(int epoch) {
    nc::EpochEvent e;
    e.epoch = epoch;
    e.epochs = 2;
    e.trainLoss = 1.0 / epoch;
    e.trainAccuracy = e.validationAccuracy = 0.5 + 0.1 * epoch;
    e.validationLoss = 1.1 / epoch;
    e.improved = true;
    return e.toJson();
}
} // namespace

class TestImportRun : public QObject {
    Q_OBJECT
  private:
    QTemporaryDir m_dir;

  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void importedRunFollowsItsLogAndOffersItsModel() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.show();
        window.newFromTemplate(QStringLiteral("keras-cnn"), QStringLiteral("shapes:600"));
        QVERIFY(window.document()->editor()->setParam(QStringLiteral("dense2"), QStringLiteral("out_features"), 3));
        QVERIFY(window.saveFile(m_dir.filePath("p.ncproj")));
        QVERIFY(window.action("actionExportJob") && window.action("actionImportRun"));

        // A job still running elsewhere: its model so far and the first epoch of its log.
        const QString run = m_dir.filePath("cluster-run");
        QVERIFY(QDir().mkpath(run));
        const nc::Project& project = window.document()->model()->project();
        const nc::DatasetInfo info = nc::datasetInfo("shapes:600");
        nc::Model model = nc::Model::compile(project.graph, info, 7);
        model.metadata() = {{"epoch", 1}, {"val_accuracy", 0.6}};
        model.save((run + "/best.ncmodel").toStdString());
        append(run + "/metrics.jsonl", {{{"event", "start"}, {"config", project.training.toJson()}, {"world_size", 4}},
                                        batch(1, 1), batch(1, 2), batch(1, 3), epochEvent(1)});

        QString error;
        QVERIFY2(window.importRun(run, &error), qPrintable(error));
        TrainTab* tab = window.trainTab();
        QCOMPARE(window.modeTabs()->currentWidget(), tab);
        RunHistoryPanel* history = tab->history();
        QCOMPARE(history->rowCount(), 1);
        QCOMPARE(history->cellText(0, 0), QStringLiteral("cluster-run"));
        QCOMPARE(history->cellText(0, 1), QStringLiteral("training elsewhere"));
        QCOMPARE(tab->charts()->pointCount("lossRaw"), 3);
        QVERIFY(tab->importer()->following());

        // The job goes on: the charts follow without anyone asking.
        append(run + "/metrics.jsonl", {batch(2, 1), batch(2, 2), batch(2, 3), epochEvent(2)});
        QTRY_COMPARE_WITH_TIMEOUT(tab->charts()->pointCount("lossRaw"), 6, 5000);
        QCOMPARE(int(tab->charts()->curves().validationAccuracy.size()), 2);

        // It ends: the row says how, and following stops.
        append(run + "/metrics.jsonl", {{{"event", "finished"}, {"reason", "completed"}, {"epochs_done", 2},
                                         {"steps", 6}, {"best_val_accuracy", 0.7}, {"best_epoch", 2},
                                         {"seconds", 65.0}}});
        QTRY_COMPARE_WITH_TIMEOUT(history->cellText(0, 1), QStringLiteral("completed"), 5000);
        QCOMPARE(history->cellText(0, 3), QStringLiteral("70.00%"));
        QCOMPARE(history->cellText(0, 4), QStringLiteral("1:05"));
        QVERIFY(!tab->importer()->following());
        QVERIFY(window.document()->isModified()); // the history is part of the project

        // Its model is the run's model, for Evaluate, Inspect, Compress and Deploy.
        QCOMPARE(tab->runModelPath(), QFileInfo(run).absoluteFilePath() + "/best.ncmodel");
        auto* open = tab->findChild<QPushButton*>("openBestModel");
        QVERIFY(open && open->isEnabled());
        QSignalSpy opened(tab, &TrainTab::modelOpened);
        QTest::mouseClick(open, Qt::LeftButton);
        QCOMPARE(opened.count(), 1);

        // The history is saved with the project and reopens with it.
        QVERIFY(window.saveFile(m_dir.filePath("p.ncproj")));
        const nc::Project reloaded = nc::loadProject(m_dir.filePath("p.ncproj").toStdString());
        QCOMPARE(int(reloaded.runs.size()), 1);
        QVERIFY(reloaded.runs[0].value("imported", false));

        // A folder that is no run, and the same run twice, are refused with the reason.
        const QString empty = m_dir.filePath("empty");
        QVERIFY(QDir().mkpath(empty));
        QVERIFY(!window.importRun(empty, &error));
        QVERIFY2(error.contains(empty) && error.contains("metrics.jsonl"), qPrintable(error));
        QVERIFY(!window.importRun(run, &error));
        QVERIFY2(error.contains("already"), qPrintable(error));
        QCOMPARE(history->rowCount(), 1);
    }

    void exportsATrainingJob() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("keras-cnn"), QStringLiteral("fashion-mnist"));
        QSignalSpy done(&window, &MainWindow::trainingJobExported);
        const QString job = m_dir.filePath("job");
        window.exportTrainingJob(job);
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().at(1).toString(), QString());
        for (const char* f : {"train.py", "ncjob.py", "model.py", "job.json", "split.json", "init.ncmodel", "README.md",
                              "run-standalone.sh", "run-multinode.sh", "slurm.sbatch"})
            QVERIFY2(QFile::exists(job + "/" + f), f);

        // A dataset train.py cannot read is named, and nothing is claimed.
        window.newFromTemplate(QStringLiteral("keras-cnn"), QStringLiteral("shapes:600"));
        window.exportTrainingJob(m_dir.filePath("job2"));
        QVERIFY(done.wait(60000));
        const QString message = done.last().at(1).toString();
        QVERIFY2(message.contains("shapes:600"), qPrintable(message));
        QVERIFY(!QFile::exists(m_dir.filePath("job2/train.py")));
    }
};

QTEST_MAIN(TestImportRun)
#include "tst_importrun.moc"
