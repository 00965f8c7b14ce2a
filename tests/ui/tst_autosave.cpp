// Autosave and crash recovery with the real app: an edit is autosaved, the app is killed, the
// next start offers the project back and restores the edit (unsaved, saving to its file); a
// session whose app still runs is never offered; an unreadable autosave is reported and can be
// discarded; a clean exit leaves nothing behind.
#include "UiTestUtil.h"

#include "app/Autosave.h"
#include "document/Document.h"
#include "app/RecoveryDialog.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUndoStack>

using namespace nc::ui;

namespace {
// conv1's out_channels in a project file, or -1 when it cannot be read.
int conv1Channels(const QString& projectPath) {
    QFile f(projectPath);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    try {
        const nc::Project p = nc::parseProject(f.readAll().toStdString());
        const nc::Node* conv1 = p.graph.node("conv1");
        return conv1 ? conv1->params.value("out_channels", -1) : -1;
    } catch (const std::exception&) {
        return -1; // e.g. caught between the autosave's rename and our read: try again
    }
}

int conv1Channels(const MainWindow& window) {
    const nc::Node* conv1 = window.document()->model()->node(QStringLiteral("conv1"));
    return conv1 ? conv1->params.value("out_channels", -1) : -1;
}

// NC_SCREENSHOT_DIR=folder keeps a picture of the dialog to look at.
void keepPicture(QWidget* widget, const QString& name) {
    const QString dir = qEnvironmentVariable("NC_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        widget->grab().save(QDir(dir).filePath(name + QStringLiteral(".png")));
}
} // namespace

class TestAutosave : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

    static QStringList sessions() {
        const QDir root(Autosave::rootFolder());
        QStringList out;
        for (const QString& name : root.entryList({QStringLiteral("session-*")}, QDir::Dirs))
            out << root.filePath(name);
        return out;
    }

    // Starts neuralcanvas with `args`, the test's data folders and a short autosave interval.
    static void startApp(QProcess& app, const QStringList& args) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment(); // XDG_* set in initTestCase
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        app.setProcessEnvironment(env);
        app.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        app.start(QStringLiteral(NC_APP_PATH), args);
    }

    // Waits until a session folder holds an autosave with conv1.out_channels == channels.
    static QString waitForAutosave(QProcess& app, int channels, int timeoutMs = 15000) {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs && app.state() != QProcess::NotRunning) {
            for (const QString& folder : sessions())
                if (conv1Channels(folder + QStringLiteral("/project.ncproj")) == channels)
                    return folder;
            QTest::qWait(50);
        }
        return {};
    }

    static void killApp(QProcess& app) {
        app.kill(); // SIGKILL: no destructor, no clean-up, like a crash
        // Reaped, so QLockFile sees the PID gone (a zombie would still look alive).
        QVERIFY(app.waitForFinished(5000));
    }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("NC_AUTOSAVE_INTERVAL_MS", "300"); // for the app and for this process's windows
        // The app's names, so this process looks in the folder the app writes to.
        QCoreApplication::setOrganizationName(QStringLiteral("NeuralCanvas"));
        QCoreApplication::setApplicationName(QStringLiteral("NeuralCanvas"));
        QVERIFY(Autosave::rootFolder().startsWith(m_home.path()));
        Autosave::setEnabledByDefault(true);
        QVERIFY(QFileInfo(QStringLiteral(NC_APP_PATH)).isExecutable());
    }

    void cleanup() {
        for (QWidget* w : QApplication::topLevelWidgets())
            if (qobject_cast<MainWindow*>(w) && w->testAttribute(Qt::WA_DeleteOnClose))
                w->close();
        QTRY_VERIFY(sessions().isEmpty());
    }

    void crashedSessionIsRestored() {
        const QString path = m_home.filePath(QStringLiteral("net.ncproj"));
        {
            MainWindow saver;
            saver.newFromTemplate(QStringLiteral("keras-cnn"), QStringLiteral("shapes"));
            QVERIFY(saver.saveFile(path));
            QCOMPARE(conv1Channels(saver), 32);
        }
        QVERIFY(sessions().isEmpty()); // nothing unsaved, nothing written

        QProcess app;
        startApp(app, {path, QStringLiteral("--set"), QStringLiteral("conv1.out_channels=48")});
        const QString folder = waitForAutosave(app, 48);
        QVERIFY2(!folder.isEmpty(), "the app's edit was not autosaved");
        killApp(app);
        QVERIFY(QFileInfo::exists(folder + QStringLiteral("/project.ncproj")));
        QCOMPARE(conv1Channels(path), 32); // the saved file is untouched

        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("mlp"), QStringLiteral("shapes"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        RecoveryDialog* dialog = window.offerRecovery();
        QVERIFY(dialog);
        QCOMPARE(window.recoveryDialog(), dialog);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->isModal());
        QCOMPARE(dialog->count(), 1);
        const QString text = dialog->entryText(0);
        QVERIFY2(text.contains(QStringLiteral("net.ncproj")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Autosaved today")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("conv1 changed")), qPrintable(text));
        QCOMPARE(dialog->project(0)->originalPath, QFileInfo(path).absoluteFilePath());
        // While it is offered here, this process holds the session: no one else offers it.
        QVERIFY(Autosave::findRecoverable().empty());
        keepPicture(dialog, QStringLiteral("recovery"));

        QTest::mouseClick(dialog->restoreButton(0), Qt::LeftButton);
        QTRY_VERIFY(!window.recoveryDialog()); // all decided: it closes
        QCOMPARE(conv1Channels(window), 48);
        QVERIFY(window.document()->isModified());
        QVERIFY(window.isWindowModified());
        QCOMPARE(window.document()->filePath(), QFileInfo(path).absoluteFilePath());
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("net.ncproj")));
        // The recovered autosave stays until the user saves or discards.
        QCOMPARE(window.autosave()->sessionFolder(), folder);
        QVERIFY(QFileInfo::exists(folder + QStringLiteral("/project.ncproj")));

        QVERIFY(window.saveFile(window.document()->filePath()));
        QCOMPARE(conv1Channels(path), 48);
        QVERIFY(!QFileInfo::exists(folder + QStringLiteral("/project.ncproj")));
        QVERIFY(window.close());
        QVERIFY(sessions().isEmpty());
    }

    void runningInstanceIsNotOffered() {
        QProcess app;
        startApp(app, {QStringLiteral("--dataset"), QStringLiteral("shapes"), QStringLiteral("--set"),
                       QStringLiteral("conv1.out_channels=40")});
        const QString folder = waitForAutosave(app, 40);
        QVERIFY2(!folder.isEmpty(), "the app's edit was not autosaved");

        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("keras-cnn"), QStringLiteral("shapes"));
        window.show();
        QVERIFY(!window.offerRecovery()); // the app runs: its session is its own
        QVERIFY(!window.recoveryDialog());
        QCOMPARE(conv1Channels(folder + QStringLiteral("/project.ncproj")), 40); // and left alone
        killApp(app);

        // Now it is a crashed session. This window has unsaved work of its own, so the restored
        // project opens in a new window and this one keeps its edit.
        QVERIFY(window.document()->editor()->setParam(QStringLiteral("conv1"), QStringLiteral("out_channels"),
                                                      16));
        RecoveryDialog* dialog = window.offerRecovery();
        QVERIFY(dialog);
        QCOMPARE(dialog->count(), 1);
        QVERIFY2(dialog->entryText(0).contains(QStringLiteral("Never saved")),
                 qPrintable(dialog->entryText(0)));
        QTest::mouseClick(dialog->restoreButton(0), Qt::LeftButton);
        QTRY_VERIFY(!window.recoveryDialog());
        QCOMPARE(conv1Channels(window), 16);
        MainWindow* restored = nullptr;
        for (QWidget* w : QApplication::topLevelWidgets())
            if (auto* m = qobject_cast<MainWindow*>(w); m && m != &window)
                restored = m;
        QVERIFY(restored);
        QVERIFY(restored->isVisible());
        QCOMPARE(conv1Channels(*restored), 40);
        QVERIFY(restored->document()->isModified());
        QVERIFY(restored->document()->filePath().isEmpty());
        QCOMPARE(restored->autosave()->sessionFolder(), folder);

        // Closing without saving discards it (this test does not ask) and removes its folder.
        QVERIFY(restored->close());
        QTRY_VERIFY(!QFileInfo::exists(folder));
    }

    void unreadableAutosaveIsReported() {
        const QDir root(Autosave::rootFolder());
        QVERIFY(root.mkpath(QStringLiteral("session-1-broken")));
        QVERIFY(root.mkpath(QStringLiteral("session-2-empty"))); // ended before its first edit
        QVERIFY(root.mkpath(QStringLiteral("session-3-draft")));
        const auto write = [&](const QString& name, const QByteArray& bytes) {
            QFile f(root.filePath(name));
            return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
        };
        QVERIFY(write(QStringLiteral("session-1-broken/project.ncproj"),
                      "{\"format\": \"neuralcanvas-project\", \"version\": 1, \"graph\": {\"nodes\": ["));
        QVERIFY(write(QStringLiteral("session-1-broken/info.json"), QByteArray("\x00\xff not json", 11)));
        nc::Project draft = nc::makeFromTemplate("lenet5");
        draft.name = "draft";
        draft.dataset = "shapes";
        QVERIFY(write(QStringLiteral("session-3-draft/project.ncproj"),
                      QByteArray::fromStdString(draft.toText())));
        QVERIFY(write(QStringLiteral("session-3-draft/info.json"),
                      "{\"name\": \"draft\", \"path\": \"\", \"savedAt\": \"2020-01-02T03:04:05.000Z\"}"));

        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("mlp"), QStringLiteral("shapes"));
        RecoveryDialog* dialog = window.offerRecovery();
        QVERIFY(dialog);
        QCOMPARE(dialog->count(), 2); // newest first; the empty folder is cleaned away
        QVERIFY(!root.exists(QStringLiteral("session-2-empty")));
        QVERIFY2(dialog->entryText(0).contains(QStringLiteral("cannot be read")),
                 qPrintable(dialog->entryText(0)));
        QVERIFY(!dialog->restoreButton(0)->isEnabled());
        QVERIFY2(dialog->entryText(1).contains(QStringLiteral("Never saved")),
                 qPrintable(dialog->entryText(1)));
        QVERIFY2(dialog->entryText(1).contains(QStringLiteral("Layers: 14, connections: 13")),
                 qPrintable(dialog->entryText(1)));
        keepPicture(dialog, QStringLiteral("recovery-several"));

        // Restore All takes what can be read; the unreadable one waits for Discard.
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("restoreAllButton")),
                          Qt::LeftButton);
        QCOMPARE(window.document()->displayName(), QStringLiteral("draft"));
        QVERIFY(window.document()->isModified());
        QVERIFY(window.document()->model()->node(QStringLiteral("conv1")));
        QCOMPARE(window.recoveryDialog(), dialog);
        QVERIFY(!dialog->findChild<QPushButton*>(QStringLiteral("restoreAllButton"))->isEnabled());
        QTest::mouseClick(dialog->discardButton(0), Qt::LeftButton);
        QTRY_VERIFY(!window.recoveryDialog());
        QVERIFY(!root.exists(QStringLiteral("session-1-broken")));
        QVERIFY(root.exists(QStringLiteral("session-3-draft"))); // until saved or discarded
        QVERIFY(!window.offerRecovery());
        QVERIFY(window.close()); // discards it
        QVERIFY(!root.exists(QStringLiteral("session-3-draft")));
    }

    void cleanExitLeavesNothing() {
        {
            MainWindow window;
            window.setAskBeforeDiscarding(false);
            window.newFromTemplate(QStringLiteral("keras-cnn"), QStringLiteral("shapes"));
            QVERIFY(window.autosave()->isEnabled());
            QVERIFY(window.document()->editor()->setParam(QStringLiteral("conv1"),
                                                          QStringLiteral("out_channels"), 8));
            QTRY_VERIFY(!window.autosave()->projectFile().isEmpty());
            QCOMPARE(conv1Channels(window.autosave()->projectFile()), 8);
            const QString folder = window.autosave()->sessionFolder();
            window.document()->undoStack()->undo(); // back to the opened state: nothing unsaved
            QVERIFY(window.autosave()->projectFile().isEmpty());
            window.document()->undoStack()->redo();
            QTRY_VERIFY(!window.autosave()->projectFile().isEmpty());
            window.newFromTemplate(QStringLiteral("mlp"), QStringLiteral("shapes")); // replaced
            QVERIFY(window.autosave()->projectFile().isEmpty());
            QVERIFY(window.document()->editor()->setParam(QStringLiteral("dense1"),
                                                          QStringLiteral("out_features"), 64));
            QTRY_VERIFY(!window.autosave()->projectFile().isEmpty());
            QVERIFY(window.close());
            QVERIFY(!QFileInfo::exists(folder));
        }
        QVERIFY(sessions().isEmpty());

        // The app: autosaves while it runs, leaves nothing after exiting normally.
        QProcess app;
        startApp(app, {QStringLiteral("--dataset"), QStringLiteral("shapes"), QStringLiteral("--set"),
                       QStringLiteral("conv1.out_channels=24"), QStringLiteral("--screenshot"),
                       m_home.filePath(QStringLiteral("shot.png"))});
        QVERIFY2(!waitForAutosave(app, 24).isEmpty(), "the app's edit was not autosaved");
        QVERIFY(app.waitForFinished(15000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        QVERIFY(sessions().isEmpty());
        QVERIFY(!QFileInfo::exists(Autosave::rootFolder())); // not even the empty folder
    }
};

QTEST_MAIN(TestAutosave)
#include "tst_autosave.moc"
