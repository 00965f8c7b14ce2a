// The Train tab: a run trains on the engine thread while the window stays live; Pause holds,
// Resume continues, Stop ends it quickly; every run lands in the history with its metrics; a
// diverging run stops with an actionable message and points at the layer to blame.
#include "document/Document.h"
#include "app/MainWindow.h"
#include "editor/GraphScene.h"
#include "editor/NodeItem.h"
#include "engine/EngineController.h"
#include "panels/PalettePanel.h"
#include "train/AugmentPreview.h"
#include "train/RunHistoryPanel.h"
#include "train/TrainSettingsForm.h"
#include "train/TrainTab.h"
#include "train/TrainingCharts.h"
#include "app/TrainingLock.h"
#include "SignalWait.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUndoStack>
#include <QXYSeries>
#include <QCheckBox>
#include <QScrollArea>
#include <QScreen>
#include <QtTest>

using namespace nc::ui;

// Sanitizer builds run 2-15x slower: scripts/sanitize.sh sets NC_TIME_SCALE so that time limits
// stretch with them. Unset (the normal suite) it is 1 and the limits are what a user would notice.
inline double ncTimeScale() {
    bool ok = false;
    const double s = qEnvironmentVariable("NC_TIME_SCALE").toDouble(&ok);
    return ok && s >= 1 ? s : 1.0;
}

class TestTrainTab : public QObject {
    Q_OBJECT
  private:
    QTemporaryDir m_dir;

    // keras-cnn on the synthetic shapes (3 classes), saved so its runs go beside the file.
    void prepare(MainWindow& window, const QString& name) {
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("keras-cnn"), QStringLiteral("shapes:600"));
        QVERIFY(window.document()->editor()->setParam(QStringLiteral("dense2"),
                                                      QStringLiteral("out_features"), 3));
        QVERIFY2(window.document()->model()->analysis().valid(), "keras-cnn on shapes should be valid");
        QVERIFY(window.saveFile(m_dir.filePath(name)));
        window.modeTabs()->setCurrentWidget(window.trainTab());
    }

    static void setSpin(QWidget* root, const char* name, int value) {
        auto* spin = root->findChild<QSpinBox*>(QString::fromLatin1(name));
        QVERIFY(spin);
        spin->setValue(value);
    }

    static bool waitFor(const std::function<bool()>& condition, int ms) {
        QElapsedTimer t;
        t.start();
        while (!condition()) {
            if (t.elapsed() > ms)
                return false;
            QTest::qWait(10);
        }
        return true;
    }

  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void trainsPausesResumesStopsAndRecords() {
        MainWindow window;
        window.show();
        prepare(window, QStringLiteral("shapes.ncproj"));
        TrainTab* tab = window.trainTab();
        const nc::ui::GraphModel* model = window.document()->model();

        // Settings edits go through the undo stack and into the project.
        const int undoBefore = window.document()->undoStack()->count();
        setSpin(tab, "trainEpochs", 2);
        setSpin(tab, "trainBatchSize", 32);
        QCOMPARE(model->project().training.epochs, 2);
        QCOMPARE(model->project().training.batchSize, 32);
        QVERIFY(window.document()->undoStack()->count() > undoBefore);
        QVERIFY(window.document()->isModified());

        // Start from the button; the graph locks with a visible explanation.
        QTest::mouseClick(tab->findChild<QPushButton*>("trainStart"), Qt::LeftButton);
        QVERIFY(tab->isTraining());
        QVERIFY(tab->charts()->accuracyShown()); // a classifier's accuracy is charted
        QVERIFY(window.trainingLock()->isLocked());
        QVERIFY(!window.palette()->isEnabled());
        QVERIFY(!window.action("actionDelete")->isEnabled());
        QVERIFY(!window.action("actionUndo")->isEnabled());
        QVERIFY(!window.findChild<QLabel*>("trainingLockBanner")->isHidden());
        QVERIFY(!tab->settingsForm()->isEnabled());

        TrainingCharts* charts = tab->charts();
        QVERIFY2(waitFor([&] { return tab->lastBatch().step >= 3; }, 30000), qPrintable(tab->progressText()));
        const int pointsEarly = charts->pointCount("lossRaw");
        QVERIFY(pointsEarly >= 3);
        QVERIFY(charts->pointCount("lossSmoothed") == pointsEarly);
        QVERIFY(charts->pointCount("learningRate") == pointsEarly);
        QVERIFY2(tab->progressText().contains("images/s"), qPrintable(tab->progressText()));

        // Pause holds the batch counter still.
        QObject pausedReceiver; // the engine thread's signal arrives queued: no emission is missed
        QList<bool> paused;
        connect(window.engine(), &EngineController::trainingPaused, &pausedReceiver,
                [&](bool held) { paused.append(held); });
        QTest::mouseClick(tab->findChild<QPushButton*>("trainPause"), Qt::LeftButton);
        QVERIFY(waitFor([&] { return !paused.isEmpty(); }, 10000));
        QVERIFY(paused.first());
        QTest::qWait(50); // the last events before the hold arrive
        const qint64 heldAt = tab->lastBatch().step;
        QTest::qWait(400);
        QCOMPARE(tab->lastBatch().step, heldAt);
        QVERIFY2(tab->progressText().startsWith("Paused"), qPrintable(tab->progressText()));

        // Other engine work is still answered, on the engine thread, while the run holds.
        bool answered = false, onEngineThread = false;
        window.engine()->run<bool>([&] { return window.engine()->isEngineThread(); }, this,
                                   [&](bool engineThread) {
                                       answered = true;
                                       onEngineThread = engineThread;
                                   });
        QVERIFY(waitFor([&] { return answered; }, 2000));
        QVERIFY(onEngineThread);
        QVERIFY(tab->isTraining());
        QCOMPARE(tab->lastBatch().step, heldAt);

        // Resume continues it.
        QTest::mouseClick(tab->findChild<QPushButton*>("trainPause"), Qt::LeftButton);
        QVERIFY(waitFor([&] { return tab->lastBatch().step > heldAt; }, 10000));
        // ...and between batches of a running one.
        answered = false;
        window.engine()->run<bool>([&] { return window.engine()->isEngineThread(); }, this,
                                   [&](bool) { answered = true; });
        QVERIFY(waitFor([&] { return answered; }, 5000));

        // The run completes its two epochs; the series have grown.
        QVERIFY2(waitFor([&] { return !tab->isTraining(); }, 60000), qPrintable(tab->progressText()));
        QVERIFY2(tab->message().isEmpty(), qPrintable(tab->message()));
        QCOMPARE(charts->pointCount("lossValidation"), 2);
        QCOMPARE(charts->pointCount("accuracyValidation"), 2);
        QVERIFY(charts->pointCount("lossRaw") > pointsEarly);
        QCOMPARE(qint64(charts->pointCount("lossRaw")), tab->lastBatch().step);
        QVERIFY(!window.trainingLock()->isLocked());
        QVERIFY(window.palette()->isEnabled());
        QVERIFY(window.action("actionDelete")->isEnabled());
        QVERIFY(window.action("actionUndo")->isEnabled());

        // Recorded: in the project, in <project>.runs/<id>/ and in the history list.
        QCOMPARE(int(model->project().runs.size()), 1);
        const nc::Json run = model->project().runs[0];
        const QString dir = QString::fromStdString(run["dir"].get<std::string>());
        QVERIFY2(dir.startsWith(m_dir.filePath("shapes.ncproj.runs/")), qPrintable(dir));
        QVERIFY(QFileInfo::exists(dir + "/metrics.jsonl"));
        QVERIFY(QFileInfo::exists(dir + "/best.ncmodel"));
        QVERIFY(QFileInfo::exists(dir + "/last.ncckpt"));
        QCOMPARE(run["result"]["reason"].get<std::string>(), std::string("completed"));
        QVERIFY(run.contains("graph") && run.contains("config"));
        RunHistoryPanel* history = tab->history();
        QCOMPARE(history->rowCount(), 1);
        QCOMPARE(history->cellText(0, 1), QStringLiteral("completed"));
        QCOMPARE(history->cellText(0, 2), QStringLiteral("2/2"));
        QVERIFY2(history->cellText(0, 3).endsWith('%'), qPrintable(history->cellText(0, 3)));

        if (qEnvironmentVariableIsSet("NC_SCREENSHOT_DIR")) // to look at the tab by eye
            window.grab().save(qEnvironmentVariable("NC_SCREENSHOT_DIR") + "/traintab.png");

        // Charts save as PNG and CSV.
        QVERIFY(charts->saveImage(m_dir.filePath("charts.png")));
        QVERIFY(QFileInfo(m_dir.filePath("charts.png")).size() > 1000);
        QString why;
        QVERIFY2(charts->saveCsv(m_dir.filePath("charts.csv"), &why), qPrintable(why));
        QFile csv(m_dir.filePath("charts.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray text = csv.readAll();
        QVERIFY(text.startsWith("series,epoch,value\n"));
        QVERIFY(text.contains("\nval_loss,2,"));

        // A second run, stopped during its second epoch, ends within a second.
        uitest::QueuedSignalCount epochs(window.engine(), &EngineController::trainingEpoch);
        tab->start();
        QVERIFY(epochs.waitFor(1, 60000)); // the first epoch is done: the run is in its second
        QElapsedTimer stopTimer;
        stopTimer.start();
        QTest::mouseClick(tab->findChild<QPushButton*>("trainStop"), Qt::LeftButton);
        QVERIFY(waitFor([&] { return !tab->isTraining(); }, 5000));
        qInfo("stop took %lld ms", stopTimer.elapsed());
        QVERIFY2(stopTimer.elapsed() < 1000 * ncTimeScale(), qPrintable(QString::number(stopTimer.elapsed())));
        QCOMPARE(history->rowCount(), 2);
        QCOMPARE(history->cellText(0, 1), QStringLiteral("stopped")); // newest first

        // Both selected: their curves are overlaid.
        auto* list = history->findChild<QTreeWidget*>("runList");
        list->selectAll();
        QCOMPARE(history->selectedRuns().size(), 2);
        QVERIFY(charts->overlaySeriesCount() >= 2 * 5); // training, validation and rate curves of each

        // The stopped run resumes from its checkpoint and finishes.
        list->clearSelection();
        history->selectRun(1);
        QPushButton* resume = history->findChild<QPushButton*>("resumeRun");
        QVERIFY(resume->isEnabled());
        QTest::mouseClick(resume, Qt::LeftButton);
        QVERIFY(tab->isTraining());
        QVERIFY2(waitFor([&] { return !tab->isTraining(); }, 60000), qPrintable(tab->progressText()));
        QVERIFY2(tab->message().isEmpty(), qPrintable(tab->message()));
        QCOMPARE(int(model->project().runs.size()), 2);
        QCOMPARE(model->project().runs[1]["result"]["reason"].get<std::string>(), std::string("completed"));
        QCOMPARE(charts->pointCount("lossValidation"), 2);
    }

    // The Train tab says which precision training will use and why, from the CPU's flags.
    void precisionLineSaysWhatAutoChoosesAndWhy() {
        MainWindow window;
        window.show();
        prepare(window, QStringLiteral("precision.ncproj"));
        TrainTab* tab = window.trainTab();
        auto* line = tab->findChild<QLabel*>(QStringLiteral("trainPrecisionInfo"));
        QVERIFY(line && line->isVisibleTo(tab));
        QCOMPARE(window.document()->model()->project().training.precision, nc::Precision::Auto);
        auto* combo = tab->findChild<QComboBox*>(QStringLiteral("trainPrecision"));
        QCOMPARE(combo->currentData().toInt(), int(nc::Precision::Auto));
        auto choose = [&](nc::Precision p) {
            const int i = combo->findData(int(p));
            combo->setCurrentIndex(i);
            Q_EMIT combo->activated(i);
        };
        qputenv("NC_CPU_FLAGS", "fpu sse2 avx2 avx512f avx512_bf16");
        choose(nc::Precision::FP32);
        choose(nc::Precision::Auto);
        QVERIFY2(line->text().contains("bfloat16") && line->text().contains("natively (avx512_bf16)"),
                 qPrintable(line->text()));
        qputenv("NC_CPU_FLAGS", "fpu sse2 avx2 avx512f");
        choose(nc::Precision::FP32);
        choose(nc::Precision::Auto);
        QVERIFY2(line->text().contains("32-bit float") && line->text().contains("no native bfloat16"),
                 qPrintable(line->text()));
        // A run shows its own choice: this one trains in fp32 as auto decided.
        tab->start();
        QVERIFY2(waitFor([&] { return !tab->isTraining(); }, 60000), qPrintable(tab->progressText()));
        qunsetenv("NC_CPU_FLAGS");
        QVERIFY2(line->text().startsWith("Precision: 32-bit float"), qPrintable(line->text()));
        QCOMPARE(window.document()->model()->project().runs.back()["result"]["precision"].get<std::string>(),
                 std::string("fp32"));
    }

    void aDivergingRunNamesTheLayer() {
        MainWindow window;
        window.show();
        prepare(window, QStringLiteral("diverge.ncproj"));
        TrainTab* tab = window.trainTab();
        auto* optimizer = tab->findChild<QComboBox*>("trainOptimizer");
        const int sgd = optimizer->findData(int(nc::OptimizerKind::SGD));
        optimizer->setCurrentIndex(sgd);
        Q_EMIT optimizer->activated(sgd);
        auto* lr = tab->findChild<QLineEdit*>("trainLearningRate");
        lr->selectAll();
        QTest::keyClicks(lr, "1e6");
        QTest::keyClick(lr, Qt::Key_Return);
        QCOMPARE(window.document()->model()->project().training.learningRate, 1e6);
        QCOMPARE(window.document()->model()->project().training.optimizer, nc::OptimizerKind::SGD);

        QSignalSpy blamed(tab, &TrainTab::nodeBlamed);
        tab->start();
        QVERIFY2(waitFor([&] { return !tab->isTraining(); }, 30000), qPrintable(tab->progressText()));
        const QString message = tab->message();
        QVERIFY2(message.contains("the loss became") || message.contains("the loss diverged"), qPrintable(message));
        QVERIFY2(message.contains("Lower the learning rate"), qPrintable(message));
        QCOMPARE(blamed.count(), 1);
        const QString node = blamed.first().first().toString();
        NodeItem* item = window.scene()->nodeItem(node);
        QVERIFY2(item, qPrintable(node));
        QVERIFY(item->hasError());
        QVERIFY(item->isSelected());
        QVERIFY(window.findChild<QPushButton*>("trainShowNode")->isVisibleTo(tab));
        QCOMPARE(window.document()->model()->project().runs[0]["result"]["reason"].get<std::string>(),
                 std::string("failed"));
        QCOMPARE(tab->history()->cellText(0, 1), QStringLiteral("failed"));
    }

    void closingMidRunStopsAndKeepsTheCheckpoint() {
        auto* window = new MainWindow;
        prepare(*window, QStringLiteral("quit.ncproj"));
        setSpin(window->trainTab(), "trainEpochs", 20);
        uitest::QueuedSignalCount epochs(window->engine(), &EngineController::trainingEpoch);
        window->trainTab()->start();
        QVERIFY(epochs.waitFor(1, 60000));
        const QString dir =
            QString::fromStdString(window->document()->model()->project().runs[0]["dir"].get<std::string>());
        QElapsedTimer t;
        t.start();
        delete window; // the engine stops the run after its batch and waits for the thread
        qInfo("closing mid-run took %lld ms", t.elapsed());
        QVERIFY(t.elapsed() < 5000 * ncTimeScale());
        QVERIFY(QFileInfo::exists(dir + "/last.ncckpt"));
    }

    // A long run (20 epochs of 1,000 batches) keeps the chart light: at most kMaxShownPoints points
    // per line, the newest batch always on screen, and every batch still in the CSV.
    void longRunsAreThinnedOnScreenButNotInTheData() {
        TrainingCharts charts;
        charts.resize(900, 600);
        const int epochs = 20, perEpoch = 1000;
        QList<nc::BatchEvent> chunk;
        std::int64_t step = 0;
        for (int epoch = 1; epoch <= epochs; ++epoch)
            for (int batch = 1; batch <= perEpoch; ++batch) {
                nc::BatchEvent e;
                e.epoch = epoch;
                e.epochs = epochs;
                e.batch = batch;
                e.batchesPerEpoch = perEpoch;
                e.step = ++step;
                e.loss = 2.0 / (1.0 + 0.001 * double(step));
                e.accuracy = 0.5;
                e.learningRate = 1e-3;
                chunk.append(e);
                if (chunk.size() == 37 || step == std::int64_t(epochs) * perEpoch) {
                    charts.addBatches(chunk);
                    chunk.clear();
                    for (const char* line : {"lossRaw", "lossSmoothed", "accuracyTrain", "learningRate"})
                        QVERIFY2(charts.pointCount(QString::fromLatin1(line)) <= TrainingCharts::kMaxShownPoints + 1,
                                 line);
                }
            }
        QCOMPARE(charts.curves().batchLoss.size(), qsizetype(epochs) * perEpoch);
        const QXYSeries* raw = charts.liveSeries(QStringLiteral("lossRaw"));
        QVERIFY(raw);
        QVERIFY(raw->count() > TrainingCharts::kMaxShownPoints / 2); // thinned, not emptied
        QCOMPARE(raw->points().last().x(), double(epochs));           // the newest batch is drawn
        QCOMPARE(raw->points().last().y(), 2.0 / (1.0 + 0.001 * double(step)));
        QCOMPARE(raw->points().first().x(), 1.0 / perEpoch);
        for (int i = 1; i < raw->count(); ++i) // in order, no duplicate left by the moving tail
            QVERIFY(raw->at(i).x() > raw->at(i - 1).x());
        const QString csv = m_dir.filePath(QStringLiteral("long.csv"));
        QVERIFY(charts.saveCsv(csv, nullptr));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        int rawRows = 0;
        while (!f.atEnd())
            rawRows += f.readLine().startsWith("batch_loss,") ? 1 : 0;
        QCOMPARE(rawRows, epochs * perEpoch);
    }

    // The preview shows real training images as augmentation will: moving a setting changes the
    // pictures at once, Shuffle draws again, and undo puts the setting (and the pictures) back.
    void augmentationPreviewFollowsTheSettings() {
        MainWindow window;
        window.show();
        prepare(window, QStringLiteral("preview.ncproj"));
        TrainTab* tab = window.trainTab();
        auto* preview = tab->findChild<AugmentPreview*>(QStringLiteral("augmentPreview"));
        QVERIFY(preview);
        QVERIFY2(waitFor([&] { return preview->hasSamples(); }, 20000), qPrintable(preview->message()));
        const std::vector<std::uint8_t> original = preview->augmentedPixels(); // all off: as they are
        QCOMPARE(original.size(), std::size_t(AugmentPreview::kSamples * 3 * 32 * 32));
        QVERIFY(!preview->grab().isNull());

        const nc::ui::GraphModel* model = window.document()->model();
        QUndoStack* stack = window.document()->undoStack();
        const int undoBefore = stack->count();
        auto* rotation = tab->findChild<QDoubleSpinBox*>(QStringLiteral("trainRotation"));
        QVERIFY(rotation);
        QCOMPARE(rotation->text(), QStringLiteral("Off"));
        rotation->stepUp(); // as the arrow does: 5°
        rotation->stepUp();
        rotation->stepUp();
        QCOMPARE(model->project().training.augmentation.rotationDegrees, 15.0);
        QCOMPARE(stack->count(), undoBefore + 1); // the three steps are one undo step
        const std::vector<std::uint8_t> rotated = preview->augmentedPixels();
        QVERIFY(rotated != original);

        const std::uint64_t seed = preview->seed();
        QTest::mouseClick(tab->findChild<QPushButton*>(QStringLiteral("augmentShuffle")), Qt::LeftButton);
        QVERIFY(preview->seed() != seed);
        QVERIFY(preview->augmentedPixels() != rotated);

        stack->undo();
        QCOMPARE(model->project().training.augmentation.rotationDegrees, 0.0);
        QCOMPARE(rotation->value(), 0.0);
        QVERIFY(preview->augmentedPixels() == original);
        // "Clean epochs at the end" means something only while some augmentation is on.
        auto* clean = tab->findChild<QSpinBox*>(QStringLiteral("trainCleanEpochs"));
        QVERIFY(clean);
        QVERIFY(!clean->isEnabled());
        QCOMPARE(clean->text(), QStringLiteral("None"));

        // Percent boxes store fractions; erasing shows in the pictures too.
        auto* erase = tab->findChild<QDoubleSpinBox*>(QStringLiteral("trainErase"));
        QVERIFY(erase);
        erase->setValue(100);
        QCOMPARE(model->project().training.augmentation.eraseProbability, 1.0);
        QVERIFY(preview->augmentedPixels() != original);
        QVERIFY(clean->isEnabled());
        clean->setValue(2);
        QCOMPARE(model->project().training.augmentCleanEpochs, 2);
        stack->undo();
        QCOMPARE(model->project().training.augmentCleanEpochs, 0);
        QCOMPARE(clean->value(), 0);

        // The picture for the README (NC_SCREENSHOT_DIR): the source documents' augmentation,
        // rotation 15°, shifts of 10 % and horizontal flips, with erasing, on the real images.
        const QString shots = qEnvironmentVariable("NC_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            window.resize(1500, 950);
            rotation->setValue(15);
            tab->findChild<QDoubleSpinBox*>(QStringLiteral("trainWidthShift"))->setValue(10);
            tab->findChild<QDoubleSpinBox*>(QStringLiteral("trainHeightShift"))->setValue(10);
            tab->findChild<QCheckBox*>(QStringLiteral("trainFlip"))->setChecked(true);
            erase->setValue(50);
            if (auto* scroll = tab->findChild<QScrollArea*>())
                scroll->ensureWidgetVisible(preview);
            QTest::qWait(400);
            const QString path = QDir(shots).filePath(QStringLiteral("augment-preview.png"));
            if (QGuiApplication::platformName() == QLatin1String("xcb"))
                window.screen()->grabWindow(window.winId()).save(path);
            else
                window.grab().save(path);
        }
    }

    // Distillation from the Train settings: the first run's best model teaches the second; a
    // teacher file that is not there fails the run with a message naming it.
    void aTeacherFromTheSettingsTeachesTheNextRun() {
        MainWindow window;
        window.show();
        prepare(window, QStringLiteral("distill.ncproj"));
        TrainTab* tab = window.trainTab();
        setSpin(tab, "trainEpochs", 1);
        auto* teacher = tab->findChild<QLineEdit*>(QStringLiteral("trainTeacher"));
        auto* temperature = tab->findChild<QDoubleSpinBox*>(QStringLiteral("trainTemperature"));
        auto* share = tab->findChild<QDoubleSpinBox*>(QStringLiteral("trainTeacherShare"));
        QVERIFY(teacher && temperature && share);
        QVERIFY(!temperature->isEnabled()); // nothing to soften without a teacher
        tab->start();
        QVERIFY2(waitFor([&] { return !tab->isTraining(); }, 60000), qPrintable(tab->progressText()));
        const nc::ui::GraphModel* model = window.document()->model();
        QCOMPARE(model->project().runs.size(), std::size_t(1));
        const QString best = QString::fromStdString(model->project().runs[0]["dir"].get<std::string>()) +
                             QStringLiteral("/best.ncmodel");
        QVERIFY2(QFileInfo::exists(best), qPrintable(best));

        teacher->setFocus();
        QTest::keyClicks(teacher, best);
        QTest::keyClick(teacher, Qt::Key_Return);
        QCOMPARE(QString::fromStdString(model->project().training.teacher), best);
        QVERIFY(temperature->isEnabled());
        share->setValue(50);
        QCOMPARE(model->project().training.distillAlpha, 0.5);
        tab->start();
        QVERIFY2(waitFor([&] { return !tab->isTraining(); }, 60000), qPrintable(tab->progressText()));
        QCOMPARE(model->project().runs.size(), std::size_t(2));
        const nc::Json& taught = model->project().runs[1];
        QCOMPARE(taught["result"]["reason"].get<std::string>(), std::string("completed"));
        QCOMPARE(QString::fromStdString(taught["config"]["teacher"].get<std::string>()), best);
        QCOMPARE(taught["config"]["distill_alpha"].get<double>(), 0.5);

        const QString missing = m_dir.filePath(QStringLiteral("gone.ncmodel"));
        teacher->selectAll();
        QTest::keyClicks(teacher, missing);
        QTest::keyClick(teacher, Qt::Key_Return);
        tab->start();
        QVERIFY2(waitFor([&] { return !tab->isTraining(); }, 60000), qPrintable(tab->progressText()));
        QVERIFY2(tab->message().contains(QStringLiteral("gone.ncmodel")), qPrintable(tab->message()));

        window.document()->undoStack()->undo(); // back to the first teacher, then to none
        QCOMPARE(teacher->text(), best);
        window.document()->undoStack()->undo();
        window.document()->undoStack()->undo();
        QVERIFY(teacher->text().isEmpty());
        QVERIFY(!temperature->isEnabled());
    }

    void anInvalidGraphDoesNotStart() {
        MainWindow window;
        prepare(window, QStringLiteral("invalid.ncproj"));
        QVERIFY(window.document()->editor()->setParam(QStringLiteral("dense2"),
                                                      QStringLiteral("out_features"), 7));
        TrainTab* tab = window.trainTab();
        QSignalSpy blamed(tab, &TrainTab::nodeBlamed);
        tab->start();
        QVERIFY(!tab->isTraining());
        QVERIFY2(tab->message().contains("cannot be trained yet"), qPrintable(tab->message()));
        QCOMPARE(blamed.count(), 1);
    }
};

QTEST_MAIN(TestTrainTab)
#include "tst_traintab.moc"
