// The Evaluate tab: a trained model on the shapes test split gives accuracy, a per-class table
// and a confusion matrix that add up and match `neuralcanvas-cli eval` for the same model;
// clicking a cell lists exactly its images, sorted by confidence, and an image opens in Inspect.
#include "app/MainWindow.h"
#include "engine/EngineController.h"
#include "evaluate/ConfusionMatrixView.h"
#include "evaluate/EvaluateTab.h"
#include "graph/Project.h"
#include "inspect/InspectTab.h"
#include "nn/Model.h"
#include "train/Trainer.h"
#include "SignalWait.h"

#include <QComboBox>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace nc::ui;

class TestEvaluateTab : public QObject {
    Q_OBJECT
  private:
    QTemporaryDir m_dir;
    QString m_modelPath;
    const QString m_dataset = QStringLiteral("shapes:1500");

  private Q_SLOTS:
    // A keras-cnn trained briefly on shapes, saved as a .ncmodel (as a run's best model is).
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const nc::DatasetPair data = nc::loadDataset(m_dataset.toStdString());
        nc::Project p = nc::makeFromTemplate("keras-cnn");
        nc::fitClassifierToClasses(p.graph, int(data.train.classNames.size()));
        nc::Model model = nc::Model::compile(
            p.graph, {data.train.channels, data.train.height, data.train.width, data.train.classNames}, 3);
        nc::TrainConfig cfg;
        cfg.epochs = 4;
        cfg.batchSize = 32;
        cfg.learningRate = 0.003;
        cfg.threads = 2;
        nc::Trainer trainer(model, data.train, cfg);
        QCOMPARE(trainer.run().reason, nc::FinishReason::Completed);
        m_modelPath = m_dir.filePath(QStringLiteral("shapes.ncmodel"));
        model.save(m_modelPath.toStdString());
    }

    void evaluatesLikeTheCommandLineAndOpensImages() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.resize(1400, 900);
        window.newFromTemplate(QStringLiteral("keras-cnn"), m_dataset);
        window.show();
        EvaluateTab* tab = window.evaluateTab();
        window.modeTabs()->setCurrentWidget(tab);
        auto* run = tab->findChild<QPushButton*>(QStringLiteral("evaluateRun"));
        QVERIFY(run);
        QVERIFY(!run->isEnabled()); // no model yet, and the tab says how to get one

        uitest::QueuedSignalCount changed(window.engine(), &EngineController::modelChanged);
        window.engine()->openModel(m_modelPath, QStringLiteral("the test model"));
        QVERIFY(changed.waitFor(1, 20000));
        QVERIFY(run->isEnabled());

        QSignalSpy evaluated(tab, &EvaluateTab::evaluated);
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(evaluated.wait(60000));
        QVERIFY2(tab->message().isEmpty(), qPrintable(tab->message()));
        const EvaluationReport* report = tab->report();
        QVERIFY(report);
        const nc::EvaluationResult& r = report->metrics;

        // The matrix adds up to the test set, row by row to each class's support.
        std::int64_t sum = 0, diagonal = 0;
        for (std::size_t t = 0; t < r.confusion.size(); ++t) {
            std::int64_t row = 0;
            for (std::size_t p = 0; p < r.confusion.size(); ++p) {
                row += r.confusion[t][p];
                if (t == p)
                    diagonal += r.confusion[t][p];
            }
            QCOMPARE(row, r.classes[t].support);
            sum += row;
        }
        QCOMPARE(sum, report->data->size());
        QCOMPARE(sum, r.count);
        QCOMPARE(double(diagonal) / double(sum), r.accuracy);
        QVERIFY2(r.accuracy > 0.6, qPrintable(QString::number(r.accuracy))); // it learned something

        // The same numbers from the command line, for the same model and dataset.
        QProcess cli;
        cli.start(QStringLiteral(NC_CLI_PATH),
                  {QStringLiteral("eval"), m_modelPath, QStringLiteral("--dataset"), m_dataset, QStringLiteral("--json")});
        QVERIFY(cli.waitForFinished(120000));
        QCOMPARE(cli.exitCode(), 0);
        const auto lines = cli.readAllStandardOutput().trimmed().split('\n');
        const nlohmann::json j = nlohmann::json::parse(lines.last().toStdString());
        QCOMPARE(j["count"].get<std::int64_t>(), r.count);
        QCOMPARE(j["accuracy"].get<double>(), r.accuracy);
        QCOMPARE(j["confusion"].get<std::vector<std::vector<std::int64_t>>>(), r.confusion);
        QVERIFY(std::abs(j["loss"].get<double>() - r.loss) < 1e-9);

        // What the tab shows: the accuracy line and the table, against the CLI's figures.
        const QString accuracyText = QString::number(j["accuracy"].get<double>() * 100, 'f', 2) + QLatin1Char('%');
        QVERIFY2(tab->summaryText().contains(accuracyText), qPrintable(tab->summaryText() + " / " + accuracyText));
        QTableWidget* table = tab->classTable();
        QCOMPARE(table->rowCount(), int(j["classes"].size()));
        for (int row = 0; row < table->rowCount(); ++row) {
            const int c = table->item(row, 0)->data(Qt::UserRole).toInt();
            const auto& cls = j["classes"][std::size_t(c)];
            QCOMPARE(table->item(row, 0)->text(), QString::fromStdString(cls["name"].get<std::string>()));
            QCOMPARE(table->item(row, 1)->text(), QString::number(cls["precision"].get<double>(), 'f', 4));
            QCOMPARE(table->item(row, 2)->text(), QString::number(cls["recall"].get<double>(), 'f', 4));
            QCOMPARE(table->item(row, 3)->text(), QString::number(cls["f1"].get<double>(), 'f', 4));
            QCOMPARE(table->item(row, 4)->text(), QString::number(cls["support"].get<std::int64_t>()));
        }

        // The heatmap: counts, then shares of the true class (the diagonal is the recall).
        ConfusionMatrixView* matrix = tab->matrix();
        QCOMPARE(matrix->cellText(0, 0), QString::number(r.confusion[0][0]));
        tab->findChild<QComboBox*>(QStringLiteral("evaluateNormalise"))->setCurrentIndex(1);
        QVERIFY(matrix->isNormalised());
        const double recall0 = r.classes[0].recall * 100;
        QCOMPARE(matrix->cellText(0, 0),
                 QString::number(recall0, 'f', recall0 >= 99.5 || recall0 == 0 ? 0 : 1) + QLatin1Char('%'));

        // A click on a diagonal cell lists exactly that cell's images, most confident first.
        QTest::mouseClick(matrix, Qt::LeftButton, {}, matrix->cellRect(1, 1).center());
        QListWidget* gallery = tab->gallery();
        QCOMPARE(std::int64_t(gallery->count()), std::min<std::int64_t>(r.confusion[1][1], 400));
        QVERIFY(gallery->count() > 1);
        double previous = 101;
        for (int i = 0; i < gallery->count(); ++i) {
            const double conf = gallery->item(i)->text().chopped(1).toDouble();
            QVERIFY2(conf <= previous, qPrintable(gallery->item(i)->text()));
            previous = conf;
        }
        // Least confident first reverses the order.
        tab->findChild<QComboBox*>(QStringLiteral("evaluateSort"))->setCurrentIndex(1);
        QVERIFY(gallery->item(0)->text().chopped(1).toDouble() <=
                gallery->item(gallery->count() - 1)->text().chopped(1).toDouble());

        // Every mistake, when asked for, is the off-diagonal total.
        QTest::mouseClick(tab->findChild<QPushButton*>(QStringLiteral("evaluateAllMistakes")), Qt::LeftButton);
        QCOMPARE(std::int64_t(gallery->count()), std::min<std::int64_t>(sum - diagonal, 400));

        // Clicking an image opens it in the Inspect tab, where the model's answer appears.
        QTest::mouseClick(matrix, Qt::LeftButton, {}, matrix->cellRect(1, 1).center());
        QSignalSpy shown(window.inspectTab(), &InspectTab::resultShown);
        const QRect itemRect = gallery->visualItemRect(gallery->item(0));
        QTest::mouseClick(gallery->viewport(), Qt::LeftButton, {}, itemRect.center());
        QCOMPARE(window.modeTabs()->currentWidget(), static_cast<QWidget*>(window.inspectTab()));
        QVERIFY(shown.wait(20000));
        const QString className = QString::fromStdString(r.classes[1].name);
        QVERIFY2(window.inspectTab()->predictionText().startsWith(className),
                 qPrintable(window.inspectTab()->predictionText()));

        if (qEnvironmentVariableIsSet("NC_SCREENSHOT_DIR")) {
            window.modeTabs()->setCurrentWidget(tab);
            window.grab().save(qEnvironmentVariable("NC_SCREENSHOT_DIR") + "/evaluatetab.png");
        }

        // Another model made current: the figures stay, labelled with the model they are for,
        // once, however often the model changes.
        const QString figures = tab->summaryText();
        for (const QString label : {QStringLiteral("a second model"), QStringLiteral("a third model")}) {
            uitest::QueuedSignalCount again(window.engine(), &EngineController::modelChanged);
            window.engine()->openModel(m_modelPath, label);
            QVERIFY(again.waitFor(1, 20000));
        }
        QCOMPARE(tab->summaryText(), figures + QStringLiteral(" (for the test model; evaluate again for the current model)"));
    }

    // A dataset the model does not fit (other image size) gives a message, not a crash.
    void aDatasetThatDoesNotFitIsExplained() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("keras-cnn"), QStringLiteral("fashion-mnist"));
        uitest::QueuedSignalCount changed(window.engine(), &EngineController::modelChanged);
        window.engine()->openModel(m_modelPath, QStringLiteral("the test model"));
        QVERIFY(changed.waitFor(1, 20000));
        QSignalSpy evaluated(window.evaluateTab(), &EvaluateTab::evaluated);
        window.evaluateTab()->evaluate();
        QVERIFY(evaluated.wait(60000));
        QVERIFY(!window.evaluateTab()->report());
        QVERIFY2(window.evaluateTab()->message().contains(QStringLiteral("3×32×32")) ||
                     window.evaluateTab()->message().contains(QStringLiteral("3x32x32")) ||
                     window.evaluateTab()->message().contains(QStringLiteral("classes")),
                 qPrintable(window.evaluateTab()->message()));
    }
};

QTEST_MAIN(TestEvaluateTab)
#include "tst_evaluatetab.moc"
