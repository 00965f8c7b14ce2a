// The Deploy tab: serve the selected run's model from the window, a Python client's prediction
// over HTTP equals the Inspect tab's on the same image, Stop closes the port.
#include "SignalWait.h"
#include "app/MainWindow.h"
#include "deploy/DeployTab.h"
#include "engine/EngineController.h"
#include "graph/Project.h"
#include "inspect/InspectTab.h"
#include "nn/Model.h"
#include "train/TrainTab.h"
#include "train/Trainer.h"
#include "util/Json.h"

#include <QElapsedTimer>
#include <QDir>
#include <QPainter>
#include <QScreen>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace nc::ui;

namespace {
void screenshot(QWidget& window) {
    const QString dir = qEnvironmentVariable("NC_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(300);
    const QString path = QDir(dir).filePath(QStringLiteral("deploy.png"));
    if (QGuiApplication::platformName() == QLatin1String("xcb"))
        window.screen()->grabWindow(window.winId()).save(path);
    else
        window.grab().save(path);
}
} // namespace

class TestDeployTab : public QObject {
    Q_OBJECT
  private:
    QTemporaryDir m_dir;
    QString m_project, m_model;

  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        nc::Project p = nc::makeFromTemplate("keras-cnn");
        p.dataset = "shapes:300";
        QVERIFY(nc::fitClassifierToClasses(p.graph, 3));
        const nc::DatasetPair data = nc::loadDataset(p.dataset);
        nc::TrainConfig cfg;
        cfg.epochs = 1;
        cfg.threads = 2;
        m_project = m_dir.filePath(QStringLiteral("deploy.ncproj"));
        const QString runDir = m_project + QStringLiteral(".runs/run1");
        nc::Model model = nc::Model::compile(p.graph, {3, 32, 32, data.train.classNames}, cfg.seed);
        nc::Trainer trainer(model, data.train, cfg, runDir.toStdString());
        QCOMPARE(trainer.run().reason, nc::FinishReason::Completed);
        m_model = runDir + QStringLiteral("/best.ncmodel");
        p.runs.push_back({{"id", "run1"}, {"dir", runDir.toStdString()}, {"config", cfg.toJson()}});
        p.training.epochs = 3; // what a run from the window trains (following the training)
        nc::saveProject(p, m_project.toStdString());
    }

    void servesFromTheWindowLikeInspectAndStops() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(m_project));
        DeployTab* deploy = window.deployTab();
        window.modeTabs()->setCurrentWidget(deploy);
        QCOMPARE(deploy->modelPath(), m_model); // the run's model, offered
        deploy->setPort(0);
        QSignalSpy serving(deploy, &DeployTab::servingChanged);
        QTest::mouseClick(deploy->findChild<QPushButton*>(QStringLiteral("deployStart")), Qt::LeftButton);
        QVERIFY2(serving.wait(30000), qPrintable(deploy->statusText()));
        QVERIFY(serving.first().first().toBool());
        const QString url = deploy->url();
        QVERIFY2(url.startsWith(QStringLiteral("http://127.0.0.1:")), qPrintable(url));
        QVERIFY(deploy->snippets().contains(url + QStringLiteral("/v2/models/run1/infer")));

        // The same picture through Inspect and through HTTP (a Python client).
        QImage img(32, 32, QImage::Format_RGB32);
        img.fill(QColor(15, 30, 45));
        QPainter painter(&img);
        painter.setBrush(QColor(240, 220, 100));
        painter.setPen(Qt::NoPen);
        painter.drawRect(QRect(9, 7, 14, 14));
        painter.end();
        const QString png = m_dir.filePath(QStringLiteral("square.png"));
        QVERIFY(img.save(png));
        QByteArray chw(3 * 32 * 32, '\0');
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x) {
                const QRgb v = img.pixel(x, y);
                chw[0 * 1024 + y * 32 + x] = char(qRed(v));
                chw[1 * 1024 + y * 32 + x] = char(qGreen(v));
                chw[2 * 1024 + y * 32 + x] = char(qBlue(v));
            }
        const QString pixels = m_dir.filePath(QStringLiteral("square.u8"));
        QFile f(pixels);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(chw);
        f.close();

        InspectTab* inspect = window.inspectTab();
        uitest::QueuedSignalCount changed(window.engine(), &EngineController::modelChanged);
        window.engine()->openModel(m_model, QStringLiteral("served model"));
        QVERIFY(changed.waitFor(1, 20000));
        QSignalSpy shown(inspect, &InspectTab::resultShown);
        inspect->inspectFile(png);
        QVERIFY(shown.wait(20000));
        const auto& top = inspect->lastResult()->prediction.topK;
        QCOMPARE(int(top.size()), 3);

        QProcess client;
        client.start(NC_PYTHON, {QStringLiteral(NC_TEST_DATA_DIR "/serve_client.py"), "kserve-binary", url, "run1",
                                 pixels, "3", "32", "32"});
        QVERIFY(client.waitForFinished(30000));
        const nc::Json answer = nc::Json::parse(client.readAllStandardOutput().trimmed().toStdString(), nullptr, false);
        QVERIFY2(answer.is_object() && answer["status"] == 200, client.readAllStandardError().constData());
        for (const auto& [cls, probability] : top)
            QVERIFY2(std::abs(answer["probabilities"][std::size_t(cls)].get<double>() - double(probability)) < 1e-5,
                     qPrintable(QStringLiteral("class %1").arg(cls)));

        // Try it: the same picture through the HTTP API from the tab itself.
        QSignalSpy tried(deploy, &DeployTab::tried);
        deploy->tryImage(png);
        QVERIFY(tried.wait(20000));
        const QString best = inspect->predictionText().section(QLatin1Char(' '), 0, -3); // "square 97.3 %"
        QVERIFY2(tried.first().first().toString().contains(QStringLiteral("→ ") + best),
                 qPrintable(tried.first().first().toString() + QStringLiteral(" / ") + best));
        // Under load from four Python clients for 3 s: the live chart has a point a second.
        QProcess load;
        load.start(NC_PYTHON, {QStringLiteral(NC_TEST_DATA_DIR "/serve_client.py"), "load", url, "run1", pixels, "3",
                               "32", "32", "3"});
        QVERIFY(QTest::qWaitFor([&] { return load.state() == QProcess::NotRunning; }, 30000));
        const nc::Json stats = nc::Json::parse(load.readAllStandardOutput().trimmed().toStdString(), nullptr, false);
        QVERIFY2(stats.is_object() && stats["failed"] == 0 && stats["ok"].get<int>() > 10, stats.dump().c_str());
        QVERIFY(deploy->chartPoints() >= 3);
        screenshot(window);

        // Stop: the port is closed within a second.
        QElapsedTimer t;
        t.start();
        QTest::mouseClick(deploy->findChild<QPushButton*>(QStringLiteral("deployStop")), Qt::LeftButton);
        bool closed = false;
        while (!closed && t.elapsed() < 5000) {
            QProcess probe; // curl exits 7 when nothing listens on the port any more
            probe.start(QStringLiteral("curl"), {"-s", "-o", "/dev/null", "--max-time", "0.5", url + "/v2/health/live"});
            QVERIFY(probe.waitForFinished(5000));
            closed = probe.exitCode() == 7;
            if (!closed)
                QTest::qWait(20);
        }
        qInfo("port closed %lld ms after Stop", t.elapsed());
        QVERIFY(closed);
        QVERIFY(t.elapsed() < 1000 * 2); // the bound is 1 s; shared CI machines get slack
        QVERIFY(serving.wait(5000) || serving.count() == 2);
        QVERIFY(!deploy->isServing());
    }

    // Follow the running training: serving goes on while a run trains, each new best model the
    // run saves replaces the served one (the version counts up), and a client under load sees
    // no failed request across the swaps; afterwards the answers are the newest best model's.
    void followsTheRunningTrainingWithoutFailedRequests() {
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.openFile(m_project));
        DeployTab* deploy = window.deployTab();
        window.modeTabs()->setCurrentWidget(deploy);
        deploy->setPort(0);
        deploy->setFollowTraining(true);
        QSignalSpy serving(deploy, &DeployTab::servingChanged);
        deploy->start();
        QVERIFY2(serving.wait(30000), qPrintable(deploy->statusText()));
        QCOMPARE(deploy->servedVersion(), QStringLiteral("1"));
        const QString url = deploy->url();

        const QString pixels = m_dir.filePath(QStringLiteral("grey.u8"));
        QFile f(pixels);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray chw(3 * 32 * 32, '\0');
        for (int i = 0; i < chw.size(); ++i)
            chw[i] = char((i * 7) % 251);
        f.write(chw);
        f.close();

        QSignalSpy swapped(deploy, &DeployTab::modelSwapped);
        QSignalSpy epochs(window.engine(), &EngineController::trainingEpoch);
        QSignalSpy finished(window.engine(), &EngineController::trainingFinished);
        QProcess load; // four clients in a loop while the run trains and the model is swapped
        load.start(NC_PYTHON, {QStringLiteral(NC_TEST_DATA_DIR "/serve_client.py"), "load", url, "run1", pixels, "3",
                               "32", "32", "12"});
        QVERIFY(load.waitForStarted(10000));
        QTest::qWait(1000);
        window.trainTab()->start();
        QVERIFY(finished.wait(120000));
        int improved = 0;
        for (const QList<QVariant>& e : epochs)
            improved += e.first().value<nc::EpochEvent>().improved;
        QVERIFY(improved >= 1); // the first epoch is always the best so far
        QVERIFY2(QTest::qWaitFor([&] { return swapped.count() == improved; }, 30000),
                 qPrintable(QStringLiteral("%1 swaps for %2 improvements: %3")
                                .arg(swapped.count())
                                .arg(improved)
                                .arg(deploy->statusText())));
        const QString version = QString::number(1 + improved);
        QCOMPARE(deploy->servedVersion(), version);
        const QString best = swapped.last().first().toString();
        QVERIFY2(best.endsWith(QStringLiteral("/best.ncmodel")) && best != m_model, qPrintable(best));
        QVERIFY(deploy->statusText().contains(QStringLiteral("version ") + version));

        QVERIFY(QTest::qWaitFor([&] { return load.state() == QProcess::NotRunning; }, 60000));
        const nc::Json stats = nc::Json::parse(load.readAllStandardOutput().trimmed().toStdString(), nullptr, false);
        QVERIFY2(stats.is_object() && stats["failed"] == 0 && stats["ok"].get<int>() > 10,
                 (stats.dump() + load.readAllStandardError().toStdString()).c_str());
        QVERIFY2(stats["versions"].size() >= 2, stats.dump().c_str()); // answers switched version mid-load

        // Now: a real client gets the newest version, and the newest best model's predictions.
        QProcess meta;
        meta.start(QStringLiteral("curl"), {"-s", url + "/v2/models/run1"});
        QVERIFY(meta.waitForFinished(10000));
        const nc::Json info = nc::Json::parse(meta.readAllStandardOutput().toStdString(), nullptr, false);
        QVERIFY2(info.is_object() && info["versions"] == nc::Json::array({version.toStdString()}), info.dump().c_str());
        QProcess client;
        client.start(NC_PYTHON, {QStringLiteral(NC_TEST_DATA_DIR "/serve_client.py"), "kserve-binary", url, "run1",
                                 pixels, "3", "32", "32"});
        QVERIFY(client.waitForFinished(30000));
        const nc::Json answer = nc::Json::parse(client.readAllStandardOutput().trimmed().toStdString(), nullptr, false);
        QVERIFY2(answer.is_object() && answer["status"] == 200, client.readAllStandardError().constData());
        const nc::Model newest = nc::Model::load(best.toStdString());
        const std::vector<float> logits =
            newest.logits(reinterpret_cast<const std::uint8_t*>(chw.constData()), 1);
        double total = 0, top = *std::max_element(logits.begin(), logits.end());
        for (float l : logits)
            total += std::exp(double(l) - top);
        for (std::size_t c = 0; c < logits.size(); ++c)
            QVERIFY2(std::abs(answer["probabilities"][c].get<double>() - std::exp(double(logits[c]) - top) / total) < 1e-5,
                     qPrintable(QStringLiteral("class %1").arg(c)));
        deploy->stop();
        QVERIFY(serving.wait(5000) || !deploy->isServing());
    }
};

QTEST_MAIN(TestDeployTab)
#include "tst_deploytab.moc"
