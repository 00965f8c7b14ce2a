// The Compress tab: from the window, the run's model is measured, quantised to int8, pruned and
// sparsified; each variant is a file beside the model with a project, a row of figures that
// agree with the files and the library, and a point on the chart; a cancelled fine-tune leaves
// no file; Serve and Open as Project work on a row.
#include "app/MainWindow.h"
#include "deploy/CompressTab.h"
#include "deploy/DeployTab.h"
#include "document/Document.h"
#include "graph/Project.h"
#include "nn/Model.h"
#include "nn/Quantize.h"
#include "train/Trainer.h"

#include <QDir>
#include <QPushButton>
#include <QScreen>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace nc::ui;

namespace {
void screenshot(QWidget& window) {
    const QString dir = qEnvironmentVariable("NC_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(300);
    const QString path = QDir(dir).filePath(QStringLiteral("compress.png"));
    if (QGuiApplication::platformName() == QLatin1String("xcb"))
        window.screen()->grabWindow(window.winId()).save(path);
    else
        window.grab().save(path);
}
} // namespace

class TestCompressTab : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_project, m_model;

  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        nc::Project p = nc::makeFromTemplate("lenet5");
        p.dataset = "fashion-mnist";
        const nc::DatasetPair data = nc::loadDataset(p.dataset, 3000, 500);
        nc::TrainConfig cfg = p.training;
        cfg.epochs = 1;
        cfg.threads = 2;
        m_project = m_dir.filePath(QStringLiteral("compress.ncproj"));
        const QString runDir = m_project + QStringLiteral(".runs/run1");
        nc::Model model = nc::Model::compile(p.graph, {1, 28, 28, data.train.classNames}, cfg.seed);
        nc::Trainer trainer(model, data.train, cfg, runDir.toStdString());
        QCOMPARE(trainer.run().reason, nc::FinishReason::Completed);
        m_model = runDir + QStringLiteral("/best.ncmodel");
        p.runs.push_back({{"id", "run1"}, {"dir", runDir.toStdString()}, {"config", cfg.toJson()}});
        p.training.epochs = 1;
        p.training.threads = 2;
        nc::saveProject(p, m_project.toStdString());
    }

    void variantsFromTheWindow() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.resize(1400, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(m_project));
        CompressTab* tab = window.compressTab();
        window.modeTabs()->setCurrentWidget(tab);
        QCOMPARE(tab->modelPath(), m_model); // the run's model, offered
        tab->setTestImages(500);
        tab->setFinetuneEpochs(1);

        QSignalSpy added(tab, &CompressTab::variantAdded);
        QSignalSpy failed(tab, &CompressTab::failed);
        QTest::mouseClick(tab->findChild<QPushButton*>(QStringLiteral("compressMeasure")), Qt::LeftButton);
        QVERIFY2(added.wait(120000), qPrintable(tab->statusText()));
        QTest::mouseClick(tab->findChild<QPushButton*>(QStringLiteral("compressInt8")), Qt::LeftButton);
        QVERIFY2(added.wait(120000), qPrintable(tab->statusText()));
        QTest::mouseClick(tab->findChild<QPushButton*>(QStringLiteral("compressPrune")), Qt::LeftButton);
        QVERIFY2(added.wait(300000), qPrintable(tab->statusText()));
        tab->setSparsity(0.8);
        QTest::mouseClick(tab->findChild<QPushButton*>(QStringLiteral("compressSparse")), Qt::LeftButton);
        QVERIFY2(added.wait(300000), qPrintable(tab->statusText()));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(tab->rowCount(), 4);
        QCOMPARE(tab->chartPoints(), 4);

        // Every row is a real file beside the model, and its figures are that file's.
        const QString folder = QFileInfo(m_model).absolutePath();
        QCOMPARE(tab->variantPath(0), m_model);
        QCOMPARE(tab->variantPath(1), folder + QStringLiteral("/best-int8.ncmodel"));
        QCOMPARE(tab->variantPath(2), folder + QStringLiteral("/best-pruned50.ncmodel"));
        QCOMPARE(tab->variantPath(3), folder + QStringLiteral("/best-sparse80.ncmodel"));
        for (int r = 1; r < 4; ++r) {
            QVERIFY(QFileInfo(tab->variantPath(r)).isFile());
            QVERIFY(QFileInfo(tab->projectPath(r)).isFile());
        }
        const nc::Model original = nc::Model::load(m_model.toStdString());
        const nc::Model int8 = nc::Model::load(tab->variantPath(1).toStdString());
        const nc::Model pruned = nc::Model::load(tab->variantPath(2).toStdString());
        QVERIFY(nc::isQuantized(int8));
        QCOMPARE(tab->cellText(0, CompressTab::Parameters), QLocale().toString(qlonglong(original.parameterCount())));
        QCOMPARE(tab->cellText(2, CompressTab::Parameters), QLocale().toString(qlonglong(pruned.parameterCount())));
        QVERIFY(pruned.parameterCount() < original.parameterCount() * 0.6);
        QVERIFY(tab->cellText(2, CompressTab::Mflops).toDouble() < tab->cellText(0, CompressTab::Mflops).toDouble() * 0.6);
        // int8 is about 4x smaller on disk; 80 % sparsity compresses better than the original.
        auto kb = [&](int row, int column) { return tab->cellText(row, column).section(QLatin1Char(' '), 0, 0).toDouble(); };
        QVERIFY2(kb(1, CompressTab::FileSize) * 3 < kb(0, CompressTab::FileSize), qPrintable(tab->cellText(1, CompressTab::FileSize)));
        QVERIFY(kb(3, CompressTab::Compressed) * 2 < kb(0, CompressTab::Compressed));
        for (int r = 0; r < 4; ++r) {
            const double accuracy = tab->cellText(r, CompressTab::Accuracy).section(QLatin1Char(' '), 0, 0).toDouble();
            QVERIFY2(accuracy > 50 && accuracy <= 100, qPrintable(tab->cellText(r, CompressTab::Accuracy)));
            QVERIFY(tab->cellText(r, CompressTab::Batch1).toDouble() > 0);
            QVERIFY(tab->cellText(r, CompressTab::Batch64).toDouble() > tab->cellText(r, CompressTab::Batch1).toDouble());
        }
        screenshot(window);

        // A second int8 variant never replaces the first.
        QTest::mouseClick(tab->findChild<QPushButton*>(QStringLiteral("compressInt8")), Qt::LeftButton);
        QVERIFY2(added.wait(120000), qPrintable(tab->statusText()));
        QCOMPARE(tab->variantPath(4), folder + QStringLiteral("/best-int8-2.ncmodel"));

        // Cancel during a fine-tune: no file, a message that says so, the tab usable again.
        const QStringList before = QDir(folder).entryList(QDir::Files);
        tab->setFinetuneEpochs(50);
        tab->setPruneShare(0.25);
        QSignalSpy busy(tab, &CompressTab::busyChanged);
        tab->makePruned();
        QVERIFY(QTest::qWaitFor([&] { return tab->statusText().contains(QStringLiteral("epoch")); }, 180000));
        tab->cancel();
        QVERIFY(failed.wait(60000));
        QVERIFY2(failed.last().first().toString().contains(QStringLiteral("Cancelled")), qPrintable(failed.last().first().toString()));
        QCOMPARE(QDir(folder).entryList(QDir::Files), before);
        QVERIFY(!tab->isBusy());

        // Serve a row: the Deploy tab serves that file.
        tab->findChild<QTableWidget*>(QStringLiteral("compressTable"))->selectRow(1);
        DeployTab* deploy = window.deployTab();
        deploy->setPort(0);
        QSignalSpy serving(deploy, &DeployTab::servingChanged);
        QTest::mouseClick(tab->findChild<QPushButton*>(QStringLiteral("compressServe")), Qt::LeftButton);
        QVERIFY2(serving.wait(30000), qPrintable(deploy->statusText()));
        QCOMPARE(window.modeTabs()->currentWidget(), deploy);
        QCOMPARE(deploy->modelPath(), tab->variantPath(1));
        QVERIFY(deploy->isServing());
        deploy->stop();
        QVERIFY(serving.wait(10000));

        // Open the pruned row as a project: its smaller graph is the open document.
        tab->findChild<QTableWidget*>(QStringLiteral("compressTable"))->selectRow(2);
        QTest::mouseClick(tab->findChild<QPushButton*>(QStringLiteral("compressOpen")), Qt::LeftButton);
        QCOMPARE(window.document()->filePath(), tab->projectPath(2));
        QCOMPARE(window.document()->model()->graph().nodes().size(), pruned.graph().nodes().size());
        QCOMPARE(window.document()->model()->project().graph.node("conv1")->params["out_channels"],
                 pruned.graph().node("conv1")->params["out_channels"]);
    }
};

QTEST_MAIN(TestCompressTab)
#include "tst_compresstab.moc"
