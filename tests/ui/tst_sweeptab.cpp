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
        spec.trials = 6;
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

        QCOMPARE(table->rowCount(), 6);
        // Every trial's values come from the space as set, its integer step included (the editor
        // once dropped the step, so widths like 27 were tried).
        QCOMPARE(int(tab->trials().size()), 6);
        for (const nc::TrialRecord& t : tab->trials())
            for (const nc::SpaceParam& sp : spec.space.params)
                QVERIFY2(sp.contains(t.params[sp.key]), (sp.key + " = " + t.params[sp.key].dump()).c_str());
        QCOMPARE(tab->spec().space.toJson(), spec.space.toJson());
        // ASHA stopped at least one trial, and the table says so on exactly the pruned ones.
        int stoppedEarly = 0;
        for (int r = 0; r < table->rowCount(); ++r) {
            const int number = table->item(r, 0)->text().toInt();
            const auto t = std::find_if(tab->trials().begin(), tab->trials().end(),
                                        [&](const nc::TrialRecord& x) { return x.number == number; });
            QVERIFY(t != tab->trials().end());
            const bool shown = table->item(r, 1)->text() == QLatin1String("stopped early");
            QCOMPARE(shown, t->state == nc::TrialState::Pruned);
            QCOMPARE(table->item(r, table->columnCount() - 2)->text(),
                     QStringLiteral("%1 / 3").arg(t->epochs)); // the epochs it trained, of 3
            stoppedEarly += shown;
            if (shown)
                QVERIFY(t->epochs < 3);
        }
        QVERIFY2(stoppedEarly >= 1, "no trial was stopped early");
        QCOMPARE(int(window.document()->model()->project().runs.size()), 6);
        // The sweep's space is stored in the project.
        QCOMPARE(window.document()->model()->project().sweeps.size(), std::size_t(1));

        auto* parallel = tab->findChild<ParallelCoordinatesView*>();
        QCOMPARE(parallel->shownTrials(), 6);
        uitest::screenshot(window, QStringLiteral("sweep-tab"));
        tab->findChild<QSpinBox*>(QStringLiteral("sweepTopPercent"))->setValue(40);
        QCOMPARE(parallel->shownTrials(), 3); // the top 40 % of 6, rounded up
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
