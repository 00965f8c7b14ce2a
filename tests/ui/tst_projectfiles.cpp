// Save -> close -> open gives the same JSON; a corrupt file keeps the open project; the title's
// modified marker follows the undo stack's clean state.
#include "UiTestUtil.h"

#include "document/Document.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QUndoStack>

using namespace nc::ui;

class TestProjectFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QCoreApplication::setOrganizationName(QStringLiteral("NeuralCanvasTests")); }

    void saveCloseOpenRoundTrip() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("net.ncproj"));
        QByteArray saved;
        {
            MainWindow window;
            window.newFromTemplate(QStringLiteral("resnet-mini"), QStringLiteral("shapes"));
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(!window.isWindowModified());
            QVERIFY(window.document()->editor()->setParam(QStringLiteral("stem"), QStringLiteral("out_channels"), 24));
            window.document()->editor()->addLayer(QStringLiteral("Dropout"), QPointF(400, 400));
            QVERIFY(window.isWindowModified());
            QVERIFY(window.windowTitle().contains(QStringLiteral("[*]")));
            QVERIFY(window.saveFile(path));
            QVERIFY(!window.isWindowModified());
            QVERIFY(window.windowTitle().startsWith(QStringLiteral("net.ncproj")));
            saved = window.document()->projectJson();
            window.document()->undoStack()->undo();
            QVERIFY(window.isWindowModified());
            window.document()->undoStack()->redo();
            QVERIFY(!window.isWindowModified());
            QVERIFY(window.close()); // clean: closes without asking
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), saved);
        QVERIFY(QSettings().value(QStringLiteral("files/recent")).toStringList().contains(QFileInfo(path).absoluteFilePath()));

        MainWindow reopened;
        reopened.setAskBeforeDiscarding(false);
        reopened.newFromTemplate(QStringLiteral("mlp"));
        QString error;
        QVERIFY2(reopened.openFile(path, &error), qPrintable(error));
        QCOMPARE(reopened.document()->projectJson(), saved);
        QCOMPARE(reopened.document()->model()->datasetSpec(), QStringLiteral("shapes"));
        QVERIFY(!reopened.isWindowModified());
        QCOMPARE(reopened.document()->undoStack()->count(), 0);
    }

    void corruptFileKeepsOpenProject_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("truncated") << QByteArray("{\"format\": \"neuralcanvas-project\", \"version\": 1, \"graph\": {\"nodes\": [")
                                   << QString();
        QTest::newRow("not a project") << QByteArray("{\"hello\": 1}") << QString();
        QTest::newRow("newer version") << QByteArray("{\"format\": \"neuralcanvas-project\", \"version\": 99, \"graph\": {}}")
                                       << QStringLiteral("newer");
        QTest::newRow("bad edge") << QByteArray("{\"format\": \"neuralcanvas-project\", \"version\": 1, \"graph\": "
                                                "{\"nodes\": [{\"id\": \"a\", \"type\": \"ReLU\"}], \"edges\": "
                                                "[{\"from\": \"a:out\", \"to\": \"zz:in\"}]}}")
                                  << QStringLiteral("zz");
        QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff garbage", sizeof("\x00\x01\x02\xff garbage") - 1) << QString();
    }

    void corruptFileKeepsOpenProject() {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.ncproj"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();

        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("keras-cnn"));
        window.document()->editor()->addLayer(QStringLiteral("ReLU"), QPointF(300, 0)); // unsaved work
        const QByteArray before = window.document()->projectJson();
        const int steps = window.document()->undoStack()->count();
        const QString title = window.windowTitle();
        QString error;
        QVERIFY(!window.openFile(path, &error));
        QVERIFY(!error.isEmpty());
        if (!reason.isEmpty())
            QVERIFY2(error.contains(reason), qPrintable(error));
        QCOMPARE(window.document()->projectJson(), before);
        QCOMPARE(window.document()->undoStack()->count(), steps);
        QCOMPARE(window.windowTitle(), title);
        QVERIFY(window.isWindowModified());
        QCOMPARE(window.scene()->nodeItems().size(), int(window.document()->model()->graph().nodes().size()));
    }

    void missingFileKeepsOpenProject() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("lenet5"));
        const QByteArray before = window.document()->projectJson();
        QString error;
        QVERIFY(!window.openFile(QStringLiteral("/nonexistent/x.ncproj"), &error));
        QVERIFY(error.contains(QStringLiteral("x.ncproj")));
        QCOMPARE(window.document()->projectJson(), before);
    }
};

QTEST_MAIN(TestProjectFiles)
#include "tst_projectfiles.moc"
