// File > Export Model…: export and verification run on the engine thread while the window stays
// live; the dialog reports the largest difference found by an independent runtime.
#include "app/MainWindow.h"
#include "export/ExportDialog.h"
#include "graph/Project.h"
#include "nn/Model.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

using namespace nc;
using namespace nc::ui;

class TestExportDialog : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString saveModel(const std::string& name, const std::function<void(Graph&)>& edit = {}) {
        Project p = makeFromTemplate("mlp");
        if (edit)
            edit(p.graph);
        const Model m = Model::compile(p.graph, {1, 28, 28, std::vector<std::string>(10, "c")}, 4);
        const QString path = m_dir.filePath(QString::fromStdString(name) + ".ncmodel");
        m.save(path.toStdString());
        return path;
    }

private Q_SLOTS:
    void exportsAndReportsTheDifference_data() {
        QTest::addColumn<QString>("format");
        QTest::newRow("torchscript") << "torchscript";
        QTest::newRow("onnx") << "onnx";
        QTest::newRow("python") << "python";
        QTest::newRow("tflite") << "tflite";
    }

    void exportsAndReportsTheDifference() {
        QFETCH(QString, format);
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.show();
        window.action("actionExport")->trigger(); // the menu path a user takes
        auto* dialog = window.findChild<ExportDialog*>();
        QVERIFY(dialog && dialog->isVisible());
        dialog->setModelPath(saveModel("mlp"));
        dialog->setFormat(format);
        const QString out = window.findChild<QLineEdit*>("exportOutputPath")->text();
        QVERIFY2(out.startsWith(m_dir.path()), qPrintable(out)); // suggested beside the model
        bool done = false, ok = false;
        connect(dialog, &ExportDialog::exportFinished, this, [&](bool success, const QString&) {
            done = true;
            ok = success;
        });
        QTest::mouseClick(dialog->findChild<QPushButton*>("exportButton"), Qt::LeftButton);
        QVERIFY(dialog->isBusy());
        QVERIFY(!dialog->findChild<QPushButton*>("exportButton")->isEnabled());
        // The GUI thread keeps serving events while the engine thread works.
        QElapsedTimer sinceLastEvent;
        qint64 longestGap = 0;
        while (!done) {
            sinceLastEvent.restart();
            QTest::qWait(20);
            longestGap = std::max(longestGap, sinceLastEvent.elapsed());
            QVERIFY2(sinceLastEvent.elapsed() < 60000, "export never finished");
        }
        QVERIFY2(ok, qPrintable(dialog->resultText()));
        QVERIFY2(dialog->resultText().contains("largest difference"), qPrintable(dialog->resultText()));
        QVERIFY(QFileInfo(out).size() > 0);
        QVERIFY(dialog->findChild<QPushButton*>("exportButton")->isEnabled());
        qInfo("%s: %s (longest event-loop gap %lld ms)", qPrintable(format), qPrintable(dialog->resultText()), longestGap);
    }

    void aLayerTheFormatCannotExpressIsNamed() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        ExportDialog* dialog = window.showExportDialog();
        dialog->setModelPath(saveModel("gelu", [](Graph& g) { g.node("relu1")->type = "GELU"; }));
        dialog->setFormat("onnx");
        const QString out = m_dir.filePath("gelu.onnx");
        dialog->setOutputPath(out);
        QSignalSpy finished(dialog, &ExportDialog::exportFinished);
        dialog->startExport();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY2(dialog->resultText().contains("relu1: GELU cannot be exported to ONNX"), qPrintable(dialog->resultText()));
        QVERIFY(!QFileInfo::exists(out));
    }

    void aMissingModelIsAClearMessage() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        ExportDialog* dialog = window.showExportDialog();
        dialog->setModelPath(m_dir.filePath("nothing.ncmodel"));
        QSignalSpy finished(dialog, &ExportDialog::exportFinished);
        dialog->startExport();
        QVERIFY(finished.wait(30000));
        QVERIFY2(dialog->resultText().contains("nothing.ncmodel"), qPrintable(dialog->resultText()));
    }
};

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
