// What a new user hit (drop-anywhere, stopped runs, dialogs, export, reopening, names, polarity,
// layout faults): each case drives the window the way that user did and checks what they see.
#include "SignalWait.h"
#include "UiTestUtil.h"
#include "document/Document.h"
#include "app/MainWindow.h"
#include "dataset/ImportDialog.h"
#include "style/Theme.h"
#include "app/WindowDrop.h"
#include "engine/EngineController.h"
#include "evaluate/EvaluateTab.h"
#include "export/ExportDialog.h"
#include "graph/Project.h"
#include "inspect/Inspect.h"
#include "inspect/InspectTab.h"
#include "io/Safetensors.h"
#include "nn/Model.h"
#include "panels/PalettePanel.h"
#include "train/RunHistoryPanel.h"
#include "train/Trainer.h"
#include "train/TrainTab.h"
#include "train/TrainingCharts.h"

#include <QCheckBox>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QScreen>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QUndoStack>
#include <QValueAxis>
#include <QtTest>

#include <cstring>
#include <limits>

using namespace nc::ui;

namespace {

// A file manager's drag over `target` (any widget of the window), ending in a drop there.
using uitest::dropUrl;
using uitest::screenshot;

bool waitFor(const std::function<bool()>& condition, int ms) { return QTest::qWaitFor(condition, ms); }

// Runs `open` (which shows a modal file dialog) and returns the folder the dialog starts in.
QString dialogStartFolder(const std::function<void()>& open) {
    QString folder;
    QTimer::singleShot(0, [&] {
        std::function<void()> poll;
        poll = [&] {
            auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            if (!dialog) {
                QTimer::singleShot(20, poll);
                return;
            }
            folder = dialog->directory().absolutePath();
            dialog->reject();
        };
        poll();
    });
    open();
    return folder;
}

QImage chwImage(const std::vector<std::uint8_t>& chw, int c, int h, int w) {
    QImage img(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            auto at = [&](int ch) { return int(chw[std::size_t((ch * h + y) * w + x)]); };
            img.setPixel(x, y, c == 1 ? qRgb(at(0), at(0), at(0)) : qRgb(at(0), at(1), at(2)));
        }
    return img;
}

} // namespace

class TestNewUser : public QObject {
    Q_OBJECT
  private:
    QTemporaryDir m_dir;
    QString m_model, m_runDir, m_photo, m_project;
    nc::Project m_base;

    void prepare(MainWindow& window) {
        window.setAskBeforeDiscarding(false);
        window.resize(1500, 950);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
    }

    void openModel(MainWindow& window) {
        uitest::QueuedSignalCount changed(window.engine(), &EngineController::modelChanged);
        window.engine()->openModel(m_model, QStringLiteral("trained model"));
        QVERIFY(changed.waitFor(1, 20000));
    }

  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        Theme::instance().apply(ThemeMode::Light); // the app's style and canvas colours, as main() sets them
        // keras-cnn trained for real on the synthetic shapes (3 classes, light objects on darker
        // backgrounds), recorded as a run of a saved project.
        m_base = nc::makeFromTemplate("keras-cnn");
        m_base.dataset = "shapes:600";
        const nc::DatasetPair data = nc::loadDataset(m_base.dataset);
        QVERIFY(nc::fitClassifierToClasses(m_base.graph, 3));
        nc::TrainConfig cfg;
        cfg.epochs = 4;
        cfg.batchSize = 32;
        cfg.learningRate = 0.003;
        cfg.optimizer = nc::OptimizerKind::Adam;
        cfg.threads = 2;
        cfg.seed = 7;
        m_project = m_dir.filePath(QStringLiteral("shapes.ncproj"));
        m_runDir = m_project + QStringLiteral(".runs/run1");
        nc::Model model = nc::Model::compile(m_base.graph, {3, 32, 32, data.train.classNames}, cfg.seed);
        nc::Trainer trainer(model, data.train, cfg, m_runDir.toStdString());
        const nc::FinishedEvent done = trainer.run();
        QCOMPARE(done.reason, nc::FinishReason::Completed);
        m_model = m_runDir + QStringLiteral("/best.ncmodel");
        nc::Project p = m_base;
        p.name = "shapes";
        p.training = cfg;
        nc::Json result = done.toJson();
        result["best_model"] = m_model.toStdString();
        p.runs.push_back({{"id", "run1"},
                          {"dir", m_runDir.toStdString()},
                          {"dataset", p.dataset},
                          {"config", cfg.toJson()},
                          {"graph", p.graph.toJson()},
                          {"result", result}});
        nc::saveProject(p, m_project.toStdString());

        QImage photo(40, 30, QImage::Format_RGB32);
        photo.fill(QColor(30, 60, 200));
        QPainter painter(&photo);
        painter.setBrush(QColor(250, 200, 20));
        painter.drawEllipse(QRect(10, 5, 20, 20));
        painter.end();
        m_photo = m_dir.filePath(QStringLiteral("photo.png"));
        QVERIFY(photo.save(m_photo));
    }

    // 1. An image dropped on the canvas, the charts, the palette or any tab goes to Inspect; a
    // layer from the palette still lands on the canvas; a folder or another file is explained.
    void dropAnImageAnywhere() {
        MainWindow window;
        prepare(window);
        QVERIFY(window.openFile(m_project)); // a project on the canvas, as a user has one
        openModel(window);
        InspectTab* inspect = window.inspectTab();
        auto* charts = window.trainTab()->charts();
        QList<QPair<int, QWidget*>> targets = {
            {0, window.view()->viewport()},
            {1, charts->findChildren<QChartView*>().first()->viewport()},
            {0, window.palette()},
            {1, window.trainTab()},
            // By widget, not position: the Sweep tab sits between Train and Evaluate.
            {window.modeTabs()->indexOf(window.evaluateTab()), window.evaluateTab()},
            {window.modeTabs()->indexOf(inspect), inspect},
        };
        for (const auto& [tab, target] : targets) {
            window.modeTabs()->setCurrentIndex(tab);
            QVERIFY(target->isVisible());
            QSignalSpy shown(inspect, &InspectTab::resultShown);
            QString banner;
            QVERIFY2(dropUrl(target, m_photo, [&] { banner = window.windowDrop()->bannerText(); }),
                     target->metaObject()->className());
            QVERIFY2(banner.contains(QStringLiteral("photo.png")), qPrintable(banner));
            QCOMPARE(window.modeTabs()->currentWidget(), inspect);
            QVERIFY(shown.count() > 0 || shown.wait(20000));
            QVERIFY2(inspect->titleText().contains(QStringLiteral("photo.png")), qPrintable(inspect->titleText()));
            QVERIFY(window.windowDrop()->bannerText().isEmpty());
        }
        // The picture for the docs: the canvas with an image being dragged over it.
        window.modeTabs()->setCurrentIndex(0);
        dropUrl(window.view()->viewport(), m_photo, [&] { screenshot(window, QStringLiteral("drop-on-canvas")); });

        // A layer dragged from the palette still lands on the canvas.
        window.modeTabs()->setCurrentIndex(0);
        const int before = int(window.document()->model()->graph().nodes().size());
        const QString id = uitest::dropFromPalette(window.view(), QStringLiteral("ReLU"), QPointF(900, 900));
        QVERIFY(!id.isEmpty());
        QCOMPARE(int(window.document()->model()->graph().nodes().size()), before + 1);
        QCOMPARE(window.modeTabs()->currentIndex(), 0);

        // A folder opens the import view (tst_importview follows it further); one without class
        // folders says what a dataset folder needs. A text file: a message that names it, and
        // Inspect is not touched.
        QDir(m_dir.path()).mkpath(QStringLiteral("myimages"));
        QVERIFY(dropUrl(window.view()->viewport(), m_dir.filePath(QStringLiteral("myimages"))));
        ImportDialog* import = nullptr;
        QVERIFY(waitFor([&] { return (import = window.findChild<ImportDialog*>()) && !import->isImporting(); }, 20000));
        QVERIFY(!import->succeeded());
        QVERIFY2(import->findChild<QLabel*>(QStringLiteral("importSummary"))->text().contains(QStringLiteral("class folder")),
                 qPrintable(import->findChild<QLabel*>(QStringLiteral("importSummary"))->text()));
        import->close();
        QCOMPARE(window.modeTabs()->currentIndex(), 0);
        QFile notes(m_dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("not an image\n");
        notes.close();
        QVERIFY(dropUrl(window.trainTab(), notes.fileName()));
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("“notes.txt” is not an image")),
                 qPrintable(window.statusBar()->currentMessage()));
    }

    // 2. Stop during epoch 1: a checkpoint of that point, a model of the weights then, the runs
    // table shows how far it got, and resuming gives the weights of an uninterrupted run.
    void stoppedRunKeepsWhatItLearned() {
        MainWindow window;
        prepare(window);
        window.newFromTemplate(QStringLiteral("keras-cnn"), QStringLiteral("shapes:2400"));
        QVERIFY(window.document()->editor()->setParam(QStringLiteral("dense2"), QStringLiteral("out_features"), 3));
        QVERIFY(window.saveFile(m_dir.filePath(QStringLiteral("stop.ncproj"))));
        TrainTab* tab = window.trainTab();
        window.modeTabs()->setCurrentWidget(tab);
        tab->findChild<QSpinBox*>(QStringLiteral("trainEpochs"))->setValue(2);
        tab->findChild<QSpinBox*>(QStringLiteral("trainBatchSize"))->setValue(16);
        tab->start();
        QVERIFY(waitFor([&] { return tab->lastBatch().step >= 3; }, 60000));
        uitest::QueuedSignalCount paused(window.engine(), &EngineController::trainingPaused);
        tab->togglePause();
        QVERIFY(paused.waitFor(1, 20000));
        QVERIFY2(tab->lastBatch().epoch == 1, "the run should hold in its first epoch");
        tab->stop();
        QVERIFY(waitFor([&] { return !tab->isTraining(); }, 30000));
        const nc::Json run = window.document()->model()->project().runs[0];
        const QString dir = RunHistoryPanel::runDir(run);
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/last.ncckpt")));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/last.ncmodel")));
        QVERIFY2(tab->progressText().startsWith(QStringLiteral("Stopped in epoch 1 at batch")),
                 qPrintable(tab->progressText()));
        QVERIFY2(!tab->progressText().contains(QStringLiteral("0.00")), qPrintable(tab->progressText()));
        auto* progress = tab->findChild<QLabel*>(QStringLiteral("trainProgressText"));
        QTest::qWait(50);
        QVERIFY2(progress->height() >= progress->heightForWidth(progress->width()),
                 qPrintable(QStringLiteral("%1 px tall, needs %2").arg(progress->height()).arg(
                     progress->heightForWidth(progress->width())))); // all of the note is on screen
        RunHistoryPanel* history = tab->history();
        QCOMPARE(history->cellText(0, 1), QStringLiteral("stopped"));
        QVERIFY2(history->cellText(0, 2).startsWith(QStringLiteral("0.")) &&
                     history->cellText(0, 2).endsWith(QStringLiteral("/2")),
                 qPrintable(history->cellText(0, 2)));
        QVERIFY2(history->cellText(0, 3).contains(QStringLiteral("(at stop)")), qPrintable(history->cellText(0, 3)));
        QVERIFY2(!history->cellText(0, 3).startsWith(QStringLiteral("0.00")), qPrintable(history->cellText(0, 3)));
        history->selectRun(0);
        QVERIFY(history->findChild<QPushButton*>(QStringLiteral("resumeRun"))->isEnabled());
        QVERIFY(history->findChild<QPushButton*>(QStringLiteral("openBestModel"))->isEnabled());
        QCOMPARE(tab->runModelPath(), dir + QStringLiteral("/last.ncmodel"));
        screenshot(window, QStringLiteral("stopped-run"));

        // Resume, then compare with the same run trained without a stop.
        QTest::mouseClick(history->findChild<QPushButton*>(QStringLiteral("resumeRun")), Qt::LeftButton);
        QVERIFY(tab->isTraining());
        QVERIFY(waitFor([&] { return !tab->isTraining(); }, 120000));
        QCOMPARE(window.document()->model()->project().runs[0]["result"]["reason"].get<std::string>(),
                 std::string("completed"));
        const nc::TrainConfig cfg = nc::TrainConfig::fromJson(run["config"]);
        const nc::Graph graph = nc::Graph::fromJson(run["graph"]);
        const nc::DatasetPair data = nc::loadDataset("shapes:2400");
        const QString straight = m_dir.filePath(QStringLiteral("straight"));
        {
            nc::Model m = nc::Model::compile(graph, {3, 32, 32, data.train.classNames}, cfg.seed);
            nc::Trainer t(m, data.train, cfg, straight.toStdString());
            QCOMPARE(t.run().reason, nc::FinishReason::Completed);
        }
        const nc::SafetensorsFile a = nc::readSafetensors((straight + QStringLiteral("/last.ncckpt")).toStdString());
        const nc::SafetensorsFile b = nc::readSafetensors((dir + QStringLiteral("/last.ncckpt")).toStdString());
        QCOMPARE(a.tensors.size(), b.tensors.size());
        for (std::size_t i = 0; i < a.tensors.size(); ++i)
            QVERIFY2(a.tensors[i].name == b.tensors[i].name && a.tensors[i].data == b.tensors[i].data,
                     a.tensors[i].name.c_str());
    }

    // 3. Save, Open, Open Image and Export start where the user works, never in /.
    void dialogsStartInTheProjectFolder() {
        MainWindow window;
        prepare(window);
        window.newFromTemplate(QStringLiteral("mlp"));
        QCOMPARE(dialogStartFolder([&] { window.action(QStringLiteral("actionSaveAs"))->trigger(); }),
                 QDir::homePath());
        QCOMPARE(dialogStartFolder([&] { window.action(QStringLiteral("actionOpen"))->trigger(); }),
                 QDir::homePath());
        QVERIFY(window.openFile(m_project));
        const QString folder = QFileInfo(m_project).absolutePath();
        QCOMPARE(dialogStartFolder([&] { window.action(QStringLiteral("actionOpen"))->trigger(); }), folder);
        QCOMPARE(dialogStartFolder([&] { window.action(QStringLiteral("actionSaveAs"))->trigger(); }), folder);
        window.modeTabs()->setCurrentWidget(window.inspectTab());
        QCOMPARE(dialogStartFolder([&] {
                     QTest::mouseClick(window.inspectTab()->findChild<QPushButton*>(QStringLiteral("inspectOpen")),
                                       Qt::LeftButton);
                 }),
                 folder);
        ExportDialog* exportDialog = window.showExportDialog();
        exportDialog->setOutputPath({});
        const QList<QPushButton*> browse = exportDialog->findChildren<QPushButton*>();
        QPushButton* browseOutput = nullptr;
        for (QPushButton* b : browse)
            if (b->text() == ExportDialog::tr("Browse…"))
                browseOutput = b; // the second one: Save as
        QVERIFY(browseOutput);
        QCOMPARE(dialogStartFolder([&] { QTest::mouseClick(browseOutput, Qt::LeftButton); }), folder);
    }

    // 4. Export starts with the model in use; another format keeps the chosen folder.
    void exportStartsWithTheModelInUse() {
        MainWindow window;
        prepare(window);
        QVERIFY(window.openFile(m_project));
        window.action(QStringLiteral("actionExport"))->trigger();
        auto* dialog = window.findChild<ExportDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(dialog->modelPath(), m_model);
        const QString chosen = m_dir.filePath(QStringLiteral("deploy/shapes_model.pt"));
        dialog->setOutputPath(chosen);
        dialog->setFormat(QStringLiteral("onnx"));
        QCOMPARE(dialog->outputPath(), m_dir.filePath(QStringLiteral("deploy/shapes_model.onnx")));
        dialog->setFormat(QStringLiteral("python"));
        QCOMPARE(dialog->outputPath(), m_dir.filePath(QStringLiteral("deploy/shapes_model.py")));
    }

    // 5. Reopening shows the newest run's curves and offers its model; the button evaluates.
    void reopenedProjectShowsItsRunAndTheButtonEvaluates() {
        MainWindow window;
        prepare(window);
        uitest::QueuedSignalCount changed(window.engine(), &EngineController::modelChanged);
        QVERIFY(window.openFile(m_project));
        QVERIFY(window.trainTab()->charts()->pointCount(QStringLiteral("lossValidation")) == 4);
        QVERIFY(changed.waitFor(1, 20000));
        window.modeTabs()->setCurrentWidget(window.evaluateTab());
        auto* label = window.evaluateTab()->findChild<QLabel*>(QStringLiteral("evaluateModel"));
        QVERIFY2(label->text().contains(QStringLiteral("best model of run run1")), qPrintable(label->text()));
        QVERIFY(window.evaluateTab()->findChild<QPushButton*>(QStringLiteral("evaluateRun"))->isEnabled());

        window.modeTabs()->setCurrentWidget(window.trainTab());
        window.trainTab()->history()->selectRun(0);
        QSignalSpy evaluated(window.evaluateTab(), &EvaluateTab::evaluated);
        QTest::mouseClick(window.trainTab()->history()->findChild<QPushButton*>(QStringLiteral("openBestModel")),
                          Qt::LeftButton);
        QCOMPARE(window.modeTabs()->currentWidget(), window.evaluateTab());
        QVERIFY(evaluated.count() > 0 || evaluated.wait(30000));
        QVERIFY2(window.evaluateTab()->summaryText().startsWith(QStringLiteral("Accuracy")),
                 qPrintable(window.evaluateTab()->summaryText() + window.evaluateTab()->message()));
    }

    // 6. The name follows Save As and can be edited in the properties, with undo.
    void projectNameFollowsSaveAsAndEditsWithUndo() {
        MainWindow window;
        prepare(window);
        window.newFromTemplate(QString()); // an empty project: "Untitled"
        QCOMPARE(QString::fromStdString(window.document()->model()->project().name), QStringLiteral("Untitled"));
        QVERIFY(window.saveFile(m_dir.filePath(QStringLiteral("myshirts.ncproj"))));
        QCOMPARE(QString::fromStdString(window.document()->model()->project().name), QStringLiteral("myshirts"));
        QCOMPARE(QString::fromStdString(nc::loadProject(m_dir.filePath("myshirts.ncproj").toStdString()).name),
                 QStringLiteral("myshirts"));
        window.scene()->clearSelection(); // the project's properties
        auto* name = window.findChild<QLineEdit*>(QStringLiteral("projectName"));
        QVERIFY(name);
        QCOMPARE(name->text(), QStringLiteral("myshirts"));
        name->setText(QStringLiteral("Shirts and sneakers"));
        Q_EMIT name->editingFinished();
        QCOMPARE(QString::fromStdString(window.document()->model()->project().name),
                 QStringLiteral("Shirts and sneakers"));
        QVERIFY(window.document()->isModified());
        // A name the user gave stays through another Save As.
        QVERIFY(window.saveFile(m_dir.filePath(QStringLiteral("copy.ncproj"))));
        QCOMPARE(QString::fromStdString(window.document()->model()->project().name),
                 QStringLiteral("Shirts and sneakers"));
        window.document()->undoStack()->undo();
        QCOMPARE(QString::fromStdString(window.document()->model()->project().name), QStringLiteral("myshirts"));
        name = window.findChild<QLineEdit*>(QStringLiteral("projectName"));
        QCOMPARE(name->text(), QStringLiteral("myshirts"));
    }

    // 7. An image the other way round from the training images gets a hint and an Invert toggle
    // that gives back its class; the choice is remembered for the model.
    void invertedImageHintAndToggle() {
        const nc::Model model = nc::Model::load(m_model.toStdString());
        const nc::DatasetPair data = nc::loadDataset("shapes:600");
        const nc::Dataset& test = data.test;
        const std::int64_t size = test.imageBytes();
        std::int64_t chosen = -1;
        for (std::int64_t i = 0; i < test.size() && chosen < 0; ++i) {
            std::vector<std::uint8_t> original(test.image(i), test.image(i) + size), flipped = original;
            nc::invertPixels(flipped);
            const int truth = int(test.labels[std::size_t(i)]);
            if (nc::predict(model, original.data(), 1, 1).front().predicted == truth &&
                nc::predict(model, flipped.data(), 1, 1).front().predicted != truth)
                chosen = i;
        }
        QVERIFY2(chosen >= 0, "a test image the model knows but not inverted");
        std::vector<std::uint8_t> flipped(test.image(chosen), test.image(chosen) + size);
        nc::invertPixels(flipped);
        const QString path = m_dir.filePath(QStringLiteral("inverted.png"));
        QVERIFY(chwImage(flipped, 3, 32, 32).save(path));
        const QString truth = QString::fromStdString(test.classNames[std::size_t(test.labels[std::size_t(chosen)])]);

        {
            MainWindow window;
            prepare(window);
            openModel(window);
            InspectTab* tab = window.inspectTab();
            QSignalSpy shown(tab, &InspectTab::resultShown);
            QVERIFY(dropUrl(window.view()->viewport(), path));
            QVERIFY(shown.count() > 0 || shown.wait(20000));
            QVERIFY2(!tab->predictionText().startsWith(truth + QLatin1Char(' ')), qPrintable(tab->predictionText()));
            QVERIFY2(tab->polarityHint().contains(QStringLiteral("opposite of the training images")),
                     qPrintable(tab->polarityHint()));
            screenshot(window, QStringLiteral("inspect-invert-hint"));
            shown.clear();
            tab->invertBox()->setChecked(true);
            QVERIFY(shown.wait(20000));
            QVERIFY2(tab->predictionText().startsWith(truth + QLatin1Char(' ')), qPrintable(tab->predictionText()));
            QVERIFY(tab->lastResult()->inverted);
        }
        MainWindow again;
        prepare(again);
        openModel(again);
        QVERIFY(again.inspectTab()->invertBox()->isChecked()); // remembered for this model
        again.inspectTab()->invertBox()->setChecked(false);
    }

    // 8. Layout faults seen on screen.
    void layoutFaults() {
        MainWindow window;
        prepare(window);
        QVERIFY(window.openFile(m_project));
        // The lock banner's text has a glyph for every character.
        window.trainTab()->findChild<QSpinBox*>(QStringLiteral("trainEpochs"))->setValue(1);
        auto* banner = window.findChild<QLabel*>(QStringLiteral("trainingLockBanner"));
        QVERIFY(banner);
        const QFontMetrics metrics(banner->font());
        for (const uint ch : banner->text().toUcs4())
            QVERIFY2(metrics.inFontUcs4(ch), qPrintable(QString::number(ch, 16)));

        // A graph problem and the advice after it read as two sentences.
        window.document()->editor()->setParam(QStringLiteral("conv1"), QStringLiteral("kernel_size"), 40);
        window.trainTab()->start();
        const QString message = window.trainTab()->message();
        QVERIFY2(message.contains(QStringLiteral(". Fix it in the Design tab")), qPrintable(message));
        window.document()->undoStack()->undo();

        // No chart axis title is elided: the vertical ones were cut to "Accu…".
        window.modeTabs()->setCurrentWidget(window.trainTab());
        QTest::qWait(50);
        for (QValueAxis* axis : window.trainTab()->charts()->findChildren<QValueAxis*>()) {
            if (axis->orientation() != Qt::Vertical || axis->titleText().isEmpty())
                continue;
            auto* chart = qobject_cast<QChart*>(axis->parent());
            const int needed = QFontMetrics(axis->titleFont()).horizontalAdvance(axis->titleText());
            QVERIFY2(!chart || chart->plotArea().height() >= needed, qPrintable(axis->titleText()));
        }

        // Edit › Redo's shortcut is not cut off: blank space between "Ctrl+Shift+Z" and the border.
        QAction* redo = window.action(QStringLiteral("actionRedo"));
        QMenu* editMenu = nullptr;
        for (QAction* a : window.menuBar()->actions())
            if (a->menu() && a->menu()->actions().contains(redo))
                editMenu = a->menu();
        QVERIFY(editMenu);
        editMenu->popup(window.mapToGlobal(QPoint(60, 30)));
        QVERIFY(QTest::qWaitForWindowExposed(editMenu));
        const QRect item = editMenu->actionGeometry(redo);
        const QImage shot = editMenu->grab().toImage();
        // The rightmost ink of the Redo row (its shortcut) keeps clear of the menu's border.
        const QColor background = shot.pixelColor(item.center().x(), item.top() + 1);
        int inkRight = -1;
        for (int y = item.top() + 1; y < item.bottom(); ++y)
            for (int x = item.center().x(); x < shot.width() - 2; ++x)
                if (shot.pixelColor(x, y) != background)
                    inkRight = std::max(inkRight, x);
        const int clearance = shot.width() - 1 - inkRight;
        qInfo("Edit menu %d px wide, Redo's shortcut ends %d px before its right edge", shot.width(), clearance);
        // Fusion left about two characters here (the border, the frame and its padding), and on an
        // X11 screen the shortcut's last glyph touched the border; the margin is now three.
        QVERIFY2(clearance >= 3 * QFontMetrics(editMenu->font()).averageCharWidth(),
                 qPrintable(QString::number(clearance)));
        editMenu->hide();

        // The Evaluate gallery keeps its columns when a cell fills it.
        auto* gallery = window.evaluateTab()->gallery();
        QCOMPARE(gallery->verticalScrollBarPolicy(), Qt::ScrollBarAlwaysOn);
    }

    // 9. A model file whose weights hold NaN is refused by the window too, naming the tensor.
    void modelWithNonFiniteWeightsIsRefused() {
        nc::SafetensorsFile f = nc::readSafetensors(m_model.toStdString());
        std::string poisoned;
        for (nc::TensorRecord& r : f.tensors)
            if (r.dtype == nc::DType::F32 && r.name.find(".weight") != std::string::npos && poisoned.empty()) {
                const float nan = std::numeric_limits<float>::quiet_NaN();
                std::memcpy(r.data.data(), &nan, sizeof nan);
                poisoned = r.name;
            }
        const QString bad = m_dir.filePath(QStringLiteral("poisoned.ncmodel"));
        nc::writeSafetensors(bad.toStdString(), f);
        MainWindow window;
        prepare(window);
        QString message;
        connect(window.engine(), &EngineController::modelFailed, this, [&](const QString& m) { message = m; });
        window.engine()->openModel(bad, QStringLiteral("poisoned"));
        QVERIFY(QTest::qWaitFor([&] { return !message.isEmpty(); }, 20000));
        QVERIFY2(message.contains(QString::fromStdString(poisoned)) && message.contains(QStringLiteral("NaN")),
                 qPrintable(message));
        QVERIFY(!window.engine()->modelInfo().available); // nothing half-loaded is in use
    }

    // A layer dropped onto a connection makes room (one undo step) instead of overlapping.
    void insertingOnAnEdgeMakesRoom() {
        MainWindow window;
        prepare(window);
        window.newFromTemplate(QStringLiteral("keras-cnn"));
        window.modeTabs()->setCurrentIndex(0);
        GraphModel* model = window.document()->model();
        auto rects = [&] {
            QHash<QString, QRectF> r;
            for (const nc::Node& n : model->graph().nodes())
                r.insert(QString::fromStdString(n.id), QRectF(n.x, n.y, kNodeWidth, kNodeHeight));
            return r;
        };
        const QHash<QString, QRectF> before = rects();
        EdgeItem* edge = window.scene()->edgeItem(QStringLiteral("relu1:out"), QStringLiteral("pool1:in"));
        QVERIFY(edge);
        const QPointF mid = (edge->fromNode()->portScenePos("out") + edge->toNode()->portScenePos("in")) / 2;
        const int steps = window.document()->undoStack()->count();
        const QString id = uitest::dropFromPalette(window.view(), QStringLiteral("Dropout2d"), mid);
        QVERIFY(!id.isEmpty());
        QVERIFY(model->edgeIndex({"relu1", "out"}, {id.toStdString(), "in"}) >= 0);
        const QHash<QString, QRectF> after = rects();
        for (auto a = after.cbegin(); a != after.cend(); ++a)
            for (auto b = std::next(a); b != after.cend(); ++b)
                QVERIFY2(!a->intersects(*b), qPrintable(a.key() + QStringLiteral(" overlaps ") + b.key()));
        QCOMPARE(window.document()->undoStack()->count(), steps + 1);
        window.document()->undoStack()->undo();
        QCOMPARE(rects(), before);
        QVERIFY(model->edgeIndex({"relu1", "out"}, {"pool1", "in"}) >= 0);
    }

    // A refused connection says why inside the visible canvas, even at its right edge.
    void connectionRefusalStaysOnScreen() {
        MainWindow window;
        prepare(window);
        window.newFromTemplate(QStringLiteral("keras-cnn"));
        window.modeTabs()->setCurrentIndex(0);
        GraphView* view = window.view();
        GraphScene* scene = window.scene();
        NodeItem* source = scene->nodeItem(QStringLiteral("conv1"));
        // dense2's input is taken: dropping conv1's output there is refused. Put it to the right.
        const nc::Node* conv1 = window.document()->model()->node(QStringLiteral("conv1"));
        window.document()->editor()->moveNodes({{QStringLiteral("dense2"), QPointF(conv1->x + 560, conv1->y)}}, "move");
        NodeItem* target = scene->nodeItem(QStringLiteral("dense2"));
        const QPointF targetPort = target->portScenePos(QStringLiteral("in"));
        view->resetTransform();
        const QRectF visible = view->mapToScene(view->viewport()->rect()).boundingRect();
        view->centerOn(targetPort - QPointF(visible.width() / 2 - 40, 0)); // the port 40 px from the right edge
        const QPoint from = view->mapFromScene(source->portScenePos(QStringLiteral("out")));
        const QPoint to = view->mapFromScene(targetPort);
        QVERIFY(view->viewport()->rect().contains(from));
        QVERIFY(view->viewport()->rect().contains(to));
        QTest::mousePress(view->viewport(), Qt::LeftButton, Qt::NoModifier, from);
        uitest::mouseMoveWithButton(view->viewport(), (from + to) / 2);
        uitest::mouseMoveWithButton(view->viewport(), to);
        QVERIFY2(!scene->dragMessage().isEmpty(), "the connection should be refused");
        const QRectF shown = view->mapToScene(view->viewport()->rect()).boundingRect();
        QVERIFY2(shown.contains(scene->dragMessageRect()), qPrintable(scene->dragMessage()));
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, Qt::NoModifier, to);
    }
};

QTEST_MAIN(TestNewUser)
#include "tst_newuser.moc"
