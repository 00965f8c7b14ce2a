// A user's own folder of images, through the window: dropped on the canvas it opens the import
// view with the right counts and the skipped files; "Use This Dataset" sets it on the project (one
// undo step) and training works; dropped on the Inspect tab, every image is classified into a
// table whose CSV is the CLI's.
#include "SignalWait.h"
#include "UiTestUtil.h"

#include "app/MainWindow.h"
#include "app/WindowDrop.h"
#include "data/Dataset.h"
#include "dataset/ImportDialog.h"
#include "document/Document.h"
#include "editor/GraphView.h"
#include "engine/EngineController.h"
#include "inspect/FolderPredictView.h"
#include "inspect/InspectTab.h"
#include "model/GraphModel.h"
#include "style/Theme.h"
#include "train/TrainTab.h"

#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace nc::ui;

namespace {

using uitest::dropUrl;
using uitest::screenshot;

QImage toImage(const nc::Dataset& d, std::int64_t i) {
    QImage img(int(d.width), int(d.height), QImage::Format_RGB32);
    const std::uint8_t* p = d.image(i);
    const int plane = int(d.height * d.width);
    for (int y = 0; y < d.height; ++y)
        for (int x = 0; x < d.width; ++x) {
            const int k = y * int(d.width) + x;
            img.setPixel(x, y, qRgb(p[k], p[plane + k], p[2 * plane + k]));
        }
    return img;
}

} // namespace

class TestImportView : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_folder;
    int m_images = 0;

    ImportDialog* waitForDialog(MainWindow& window) {
        ImportDialog* d = nullptr;
        QTest::qWaitFor([&] { return (d = window.findChild<ImportDialog*>()) != nullptr; }, 5000);
        if (d)
            QTest::qWaitFor([&] { return !d->isImporting(); }, 60000);
        return d;
    }

  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        Theme::instance().apply(ThemeMode::Light);
        // The synthetic shapes as PNG and JPEG files in class folders, with two files that are not
        // pictures; the folder names are the classes.
        m_folder = m_dir.filePath(QStringLiteral("my shapes"));
        const nc::Dataset shapes = nc::makeShapes(600, 11);
        for (std::int64_t i = 0; i < shapes.size(); ++i) {
            const QString cls = QString::fromStdString(shapes.classNames[std::size_t(shapes.labels[std::size_t(i)])]);
            QDir(m_folder).mkpath(cls);
            const QString file = QStringLiteral("%1/%2/%3.%4").arg(m_folder, cls).arg(i).arg(i % 3 ? "png" : "jpg");
            QVERIFY(toImage(shapes, i).save(file, nullptr, 95));
            ++m_images;
        }
        QFile notes(m_folder + QStringLiteral("/circle/notes.jpg"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("not a picture");
        notes.close();
        QFile empty(m_folder + QStringLiteral("/square/empty.png"));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
    }

    void dropImportUseTrainInspect() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.resize(1500, 950);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.newFromTemplate(QStringLiteral("keras-cnn"), QStringLiteral("fashion-mnist"));
        QVERIFY(window.saveFile(m_dir.filePath(QStringLiteral("mine.ncproj"))));

        // 1. Dropped on the canvas: the import view, with the classes, counts and skipped files.
        QVERIFY(dropUrl(window.view()->viewport(), m_folder));
        ImportDialog* dialog = waitForDialog(window);
        QVERIFY(dialog);
        QVERIFY2(dialog->succeeded(), qPrintable(dialog->findChild<QLabel*>("importSummary")->text()));
        QCOMPARE(dialog->classCount(), 3);
        const nc::ImportReport& r = dialog->report();
        QCOMPARE(r.imported, std::int64_t(m_images));
        QCOMPARE(r.classNames, (std::vector<std::string>{"circle", "square", "triangle"}));
        QCOMPARE(r.trainCounts[0] + r.testCounts[0] + r.trainCounts[1] + r.testCounts[1] + r.trainCounts[2] +
                     r.testCounts[2],
                 std::int64_t(m_images));
        auto* problems = dialog->findChild<QTableWidget*>(QStringLiteral("importProblems"));
        QCOMPARE(problems->rowCount(), 2);
        QStringList skipped{problems->item(0, 0)->text(), problems->item(1, 0)->text()};
        skipped.sort();
        QCOMPARE(skipped, (QStringList{QStringLiteral("circle/notes.jpg"), QStringLiteral("square/empty.png")}));
        QCOMPARE(dialog->sampleCount(), 3 * 8);
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("importSummary"))->text().contains(QStringLiteral("3 classes")));
        QCOMPARE(r.channels, std::int64_t(3));
        QCOMPARE(r.height, std::int64_t(32));
        screenshot(*dialog, QStringLiteral("import-view"));

        // 2. Use it: the dataset, its policy and the classifier's width in one undo step.
        GraphModel* model = window.document()->model();
        const int undoBefore = window.document()->undoStack()->count();
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("importUse")), Qt::LeftButton);
        QTRY_VERIFY(!window.findChild<ImportDialog*>());
        const QString spec = QStringLiteral("folder:") + m_folder;
        QCOMPARE(model->datasetSpec(), spec);
        QCOMPARE(window.document()->undoStack()->count(), undoBefore + 1);
        QCOMPARE(model->datasetInfo().classNames.size(), std::size_t(3));
        // The project names the shape the import resolved (3×32×32), not "automatic".
        QCOMPARE(model->importPolicy().channels, 3);
        QCOMPARE(model->importPolicy().height, std::int64_t(32));
        QCOMPARE(model->datasetInfo().height, std::int64_t(32));
        QVERIFY2(model->analysis().valid(), "the classifier follows the three classes");
        window.document()->undoStack()->undo();
        QCOMPARE(model->datasetSpec(), QStringLiteral("fashion-mnist"));
        window.document()->undoStack()->redo();
        QCOMPARE(model->datasetSpec(), spec);

        // 3. Training on it works (from the cache the import view wrote beside the project).
        QVERIFY(window.saveFile(m_dir.filePath(QStringLiteral("mine.ncproj"))));
        QVERIFY(!QDir(m_dir.path()).entryList({QStringLiteral("mine-*.nccache")}, QDir::Files).isEmpty());
        TrainTab* tab = window.trainTab();
        window.modeTabs()->setCurrentWidget(tab);
        tab->findChild<QSpinBox*>(QStringLiteral("trainEpochs"))->setValue(10);
        tab->findChild<QSpinBox*>(QStringLiteral("trainBatchSize"))->setValue(32);
        auto* lr = tab->findChild<QLineEdit*>(QStringLiteral("trainLearningRate"));
        QVERIFY(lr);
        lr->setText(QStringLiteral("0.003"));
        Q_EMIT lr->editingFinished();
        tab->start();
        QVERIFY(tab->isTraining());
        QVERIFY(QTest::qWaitFor([&] { return !tab->isTraining(); }, 240000));
        const nc::Json run = model->project().runs.back();
        QCOMPARE(run["result"]["reason"].get<std::string>(), std::string("completed"));
        QVERIFY2(run["result"]["best_val_accuracy"].get<double>() > 0.5, run["result"].dump().c_str());
        const QString best = QString::fromStdString(run["result"]["best_model"].get<std::string>());
        QVERIFY(QFileInfo::exists(best));

        // 4. The folder dropped on Inspect with that model: a table of every image; its CSV is the CLI's.
        uitest::QueuedSignalCount changed(window.engine(), &EngineController::modelChanged);
        window.engine()->openModel(best, QStringLiteral("best"));
        QVERIFY(changed.waitFor(1, 20000));
        window.modeTabs()->setCurrentWidget(window.inspectTab());
        FolderPredictView* view = window.inspectTab()->folderView();
        uitest::QueuedSignalCount done(view, &FolderPredictView::finished);
        QVERIFY(dropUrl(window.inspectTab(), m_folder));
        QVERIFY(done.waitFor(1, 60000));
        QVERIFY(view->result());
        QCOMPARE(view->table()->rowCount(), m_images + 2); // the two bad files are rows that say so
        QVERIFY(view->result()->labelled);
        QVERIFY(view->result()->metrics.accuracy > 0.5);
        view->sortLeastConfidentFirst();
        // Least confident first: probabilities rise down the table; the unreadable files come last.
        for (int i = 1; i < m_images; ++i)
            QVERIFY(view->table()->item(i - 1, 3)->data(Qt::UserRole).toDouble() <=
                    view->table()->item(i, 3)->data(Qt::UserRole).toDouble());
        QVERIFY(view->table()->item(0, 3)->text().endsWith(QStringLiteral(" %")));
        QCOMPARE(view->table()->item(m_images + 1, 2)->text(), QStringLiteral("(unreadable)"));
        screenshot(window, QStringLiteral("inspect-folder"));
        const QString csv = m_dir.filePath(QStringLiteral("window.csv"));
        QVERIFY(view->exportCsv(csv));
        QProcess cli;
        cli.start(NC_CLI_PATH, {QStringLiteral("predict"), best, m_folder, QStringLiteral("--csv"),
                                m_dir.filePath(QStringLiteral("cli.csv"))});
        QVERIFY(cli.waitForFinished(120000));
        QCOMPARE(cli.exitCode(), 0);
        QFile a(csv), b(m_dir.filePath(QStringLiteral("cli.csv")));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QList<QByteArray> la = a.readAll().split('\n'), lb = b.readAll().split('\n');
        QCOMPARE(la.size(), lb.size());
        // Same rows, classes and verdicts; probabilities to 1e-5 (another process may sum in another order).
        for (int i = 0; i < la.size(); ++i) {
            const QList<QByteArray> fa = la[i].split(','), fb = lb[i].split(',');
            QCOMPARE(fa.size(), fb.size());
            for (int k = 0; k < fa.size(); ++k) {
                if (k == 3 && i > 0 && !fa[k].isEmpty())
                    QVERIFY(std::abs(fa[k].toDouble() - fb[k].toDouble()) < 1e-5);
                else if (k != 4) // top_k holds probabilities too
                    QVERIFY2(fa[k] == fb[k], (la[i] + " | " + lb[i]).constData());
            }
        }
    }
};

QTEST_MAIN(TestImportView)
#include "tst_importview.moc"
