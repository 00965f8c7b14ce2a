// The Sweep tab: a small sweep on `shapes` from the window. The table fills as trials run on the
// engine thread, ASHA stops a trial early, the charts follow (the top-k % filter thins the
// parallel coordinates), every trial joins the run history, and Apply Best sets the project's
// values in one undo step.
#include "app/MainWindow.h"
#include "document/Document.h"
#include "sweep/SweepCharts.h"
#include "sweep/SweepTab.h"
#include "UiTestUtil.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace nc::ui;

class TestSweepTab : public QObject {
    Q_OBJECT
  private:
    QTemporaryDir m_dir;

  private Q_SLOTS:
    void smallSweepFromTheWindow() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.resize(1400, 900);
        window.show();
        window.newFromTemplate(QStringLiteral("mlp"), QStringLiteral("shapes:300"));
        QVERIFY(window.document()->editor()->setParam(QStringLiteral("dense3"), QStringLiteral("out_features"), 3));
        QVERIFY(window.saveFile(m_dir.filePath(QStringLiteral("s.ncproj"))));
        SweepTab* tab = window.sweepTab();
        QVERIFY(tab);
        window.modeTabs()->setCurrentWidget(tab);

        nc::SweepSpec spec;
        spec.strategy = nc::SweepStrategy::Random;
        spec.seed = 1;
        spec.trials = 5;
        spec.prune = true;
        spec.minEpochs = 1;
        spec.space = nc::Space::fromJson(nc::Json::parse(R"([
            {"key": "training.learning_rate", "type": "float", "low": 1e-6, "high": 3e-2, "log": true},
            {"key": "dense1.out_features", "type": "int", "low": 16, "high": 128, "step": 16}])"));
        tab->setSpec(spec);
        tab->findChild<QSpinBox*>(QStringLiteral("sweepEpochs"))->setValue(3);
        auto* table = tab->findChild<QTableWidget*>(QStringLiteral("sweepTrialTable"));
        QSignalSpy done(tab, &SweepTab::sweepFinished);
        QTest::mouseClick(tab->findChild<QPushButton*>(QStringLiteral("sweepStart")), Qt::LeftButton);
        QVERIFY(tab->isRunning());
        // The window stays live while trials train: the first row appears before the sweep ends.
        QVERIFY(QTest::qWaitFor([&] { return table->rowCount() >= 1; }, 120000));
        QVERIFY(done.isEmpty());
        QVERIFY(done.wait(600000));
        QVERIFY(!tab->isRunning());

        QCOMPARE(table->rowCount(), 5);
        int stoppedEarly = 0;
        const int last = table->columnCount() - 1;
        for (int r = 0; r < table->rowCount(); ++r)
            stoppedEarly += table->item(r, last)->text() == QLatin1String("yes");
        QVERIFY2(stoppedEarly >= 1, "no trial was stopped early");
        QCOMPARE(int(window.document()->model()->project().runs.size()), 5);
        // The sweep's space is stored in the project.
        QCOMPARE(window.document()->model()->project().sweeps.size(), std::size_t(1));

        auto* parallel = tab->findChild<ParallelCoordinatesView*>();
        QCOMPARE(parallel->shownTrials(), 5);
        tab->findChild<QSpinBox*>(QStringLiteral("sweepTopPercent"))->setValue(40);
        QCOMPARE(parallel->shownTrials(), 2);
        uitest::screenshot(window, QStringLiteral("sweep-tab"));
        tab->findChild<QSpinBox*>(QStringLiteral("sweepTopPercent"))->setValue(100);

        // Apply Best: the best trial's values land in the project, in one undo step.
        const nc::TrialRecord* best = nullptr;
        for (const nc::TrialRecord& t : tab->trials())
            if ((t.state == nc::TrialState::Completed || t.state == nc::TrialState::Pruned) &&
                (!best || t.bestValidationAccuracy > best->bestValidationAccuracy))
                best = &t;
        QVERIFY(best);
        QUndoStack* stack = window.document()->undoStack();
        const int steps = stack->count();
        const double lrBefore = window.document()->model()->project().training.learningRate;
        auto* apply = tab->findChild<QPushButton*>(QStringLiteral("sweepApplyBest"));
        QVERIFY(apply->isEnabled());
        QTest::mouseClick(apply, Qt::LeftButton);
        const nc::Project& p = window.document()->model()->project();
        QCOMPARE(p.training.learningRate, best->params["training.learning_rate"].get<double>());
        QCOMPARE(p.graph.node("dense1")->params["out_features"].get<int>(),
                 best->params["dense1.out_features"].get<int>());
        QCOMPARE(stack->count(), steps + 1);
        stack->undo();
        QCOMPARE(window.document()->model()->project().training.learningRate, lrBefore);
        QCOMPARE(window.document()->model()->project().graph.node("dense1")->params["out_features"].get<int>(), 256);
    }
};

QTEST_MAIN(TestSweepTab)
#include "tst_sweeptab.moc"
