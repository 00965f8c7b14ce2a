// Generative networks in the Train tab (issue 16): a VAE and a GAN train from their templates on
// real Fashion-MNIST images while the window shows what they make — a VAE's test images above
// their reconstructions and samples, a GAN's fixed-noise sample grid — with the losses in nats
// and the discriminator's verdicts in the progress line.
#include "app/MainWindow.h"
#include "document/Document.h"
#include "engine/EngineController.h"
#include "model/GraphModel.h"
#include "train/RunHistoryPanel.h"
#include "train/TrainTab.h"
#include "train/TrainingCharts.h"
#include "SignalWait.h"

#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QLabel>
#include <QScreen>
#include <QTabWidget>
#include <QXYSeries>
#include <QTemporaryDir>
#include <QtTest>

using namespace nc::ui;

namespace {
bool waitFor(const std::function<bool()>& condition, int ms) {
    QElapsedTimer t;
    t.start();
    while (!condition()) {
        if (t.elapsed() > ms)
            return false;
        QTest::qWait(20);
    }
    return true;
}

void screenshot(QWidget& window, const QString& name) {
    const QString dir = qEnvironmentVariable("NC_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(300);
    const QString path = QDir(dir).filePath(name);
    if (QGuiApplication::platformName() == QLatin1String("xcb"))
        window.screen()->grabWindow(window.winId()).save(path);
    else
        window.grab().save(path);
}

// A template on Fashion-MNIST, trained on its first `images` for one epoch, saved in `dir`.
void prepare(MainWindow& window, const QString& templ, const QString& file, int images, int batch) {
    window.setAskBeforeDiscarding(false);
    window.newFromTemplate(templ, QStringLiteral("fashion-mnist"));
    QVERIFY2(window.document()->model()->analysis().valid(), qPrintable(templ));
    nc::TrainConfig cfg = window.document()->model()->project().training;
    cfg.epochs = 1;
    cfg.batchSize = batch;
    cfg.limitTrain = images;
    cfg.threads = 2;
    window.document()->model()->setTraining(cfg);
    QVERIFY(window.saveFile(file));
    window.modeTabs()->setCurrentWidget(window.trainTab());
}
} // namespace

class TestGenerativeTrain : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

  private Q_SLOTS:
    void vaeShowsReconstructionsAndNats() {
        MainWindow window;
        window.resize(1500, 950);
        window.show();
        prepare(window, QStringLiteral("conv-vae"), m_dir.filePath(QStringLiteral("vae.ncproj")), 640, 64);
        TrainTab* tab = window.trainTab();
        auto* box = tab->findChild<QWidget*>(QStringLiteral("generatedSamplesBox"));
        QVERIFY(box && box->isHidden());
        tab->start();
        QVERIFY(tab->isTraining());
        QVERIFY2(waitFor([&] { return !tab->isTraining(); }, 120000), qPrintable(tab->progressText()));
        QVERIFY2(tab->message().isEmpty(), qPrintable(tab->message()));
        // The first batch and the epoch's end each drew the pictures.
        QVERIFY(tab->samplesShown() >= 2);
        QVERIFY(!box->isHidden());
        const QImage grid = tab->samplesImage();
        // 8 columns of 28-pixel images at 2x with 2-pixel gaps; 8 originals, 8 reconstructions and
        // 16 samples: 4 rows.
        QCOMPARE(grid.width(), 8 * 56 + 9 * 2);
        QCOMPARE(grid.height(), 4 * 56 + 5 * 2);
        QVERIFY2(tab->samplesCaption().contains(QStringLiteral("reconstructions")), qPrintable(tab->samplesCaption()));
        QVERIFY2(tab->samplesCaption().contains(QStringLiteral("after epoch 1")), qPrintable(tab->samplesCaption()));
        // Not a blank picture: the originals row has dark background and bright garments.
        int bright = 0, dark = 0;
        for (int x = 0; x < grid.width(); ++x) {
            const int v = qGray(grid.pixel(x, 2 + 28 * 2 / 2));
            bright += v > 150;
            dark += v < 40;
        }
        QVERIFY2(bright > 20 && dark > 20, qPrintable(QString("%1 bright, %2 dark").arg(bright).arg(dark)));
        QVERIFY2(tab->progressText().contains(QStringLiteral("nats per image")), qPrintable(tab->progressText()));
        QVERIFY(!tab->charts()->accuracyShown()); // a VAE has no accuracy to chart
        // Its reconstruction and KL terms are charted in nats per image, each with its validation
        // value; a VAE has no discriminator, so no D(x) vs D(G(z)) panel.
        TrainingCharts* charts = tab->charts();
        QVERIFY(charts->termsShown());
        QVERIFY(!charts->verdictsShown());
        QCOMPARE(charts->termKeys(), (QStringList{QStringLiteral("kl"), QStringLiteral("recon")}));
        QVERIFY(charts->pointCount(QStringLiteral("term:recon")) >= 5);
        QVERIFY(charts->pointCount(QStringLiteral("term:kl")) >= 5);
        QCOMPARE(charts->curves().validationTerms.value(QStringLiteral("recon")).size(), 1);
        // Reconstruction costs far more nats than the KL term early on (about 250 vs 10-20).
        const double recon = charts->liveSeries(QStringLiteral("term:recon"))->points().last().y();
        const double kl = charts->liveSeries(QStringLiteral("term:kl"))->points().last().y();
        QVERIFY2(recon > 100 && recon < 600 && kl > 0 && kl < recon, qPrintable(QString("%1 %2").arg(recon).arg(kl)));
        // The run history shows the same curves from the run's metrics.jsonl.
        const nc::ui::RunCurves recorded = nc::ui::RunCurves::fromMetricsFile(
            RunHistoryPanel::runDir(window.document()->model()->project().runs.back()) +
            QStringLiteral("/metrics.jsonl"));
        QCOMPARE(recorded.batchTerms.value(QStringLiteral("kl")).size(), charts->curves().batchTerms.value(QStringLiteral("kl")).size());
        screenshot(window, QStringLiteral("vae-training.png"));
    }

    void ganShowsItsSampleGridAndVerdicts() {
        MainWindow window;
        window.resize(1500, 950);
        window.show();
        prepare(window, QStringLiteral("dcgan"), m_dir.filePath(QStringLiteral("gan.ncproj")), 256, 32);
        TrainTab* tab = window.trainTab();
        QString during;
        uitest::QueuedSignalCount batches(window.engine(), &EngineController::trainingBatches);
        tab->start();
        QVERIFY(tab->isTraining());
        QVERIFY(waitFor([&] {
            if (tab->lastBatch().terms.contains("p:d_real"))
                during = tab->progressText();
            return !during.isEmpty() || !tab->isTraining();
        }, 120000));
        QVERIFY2(during.contains(QStringLiteral("D at d_real")) && during.contains(QStringLiteral("g_loss")),
                 qPrintable(during));
        QVERIFY2(waitFor([&] { return !tab->isTraining(); }, 120000), qPrintable(tab->progressText()));
        QVERIFY2(tab->message().isEmpty(), qPrintable(tab->message()));
        const QImage grid = tab->samplesImage();
        QCOMPARE(grid.width(), 8 * 56 + 9 * 2);
        QCOMPARE(grid.height(), 8 * 56 + 9 * 2);
        QVERIFY2(tab->samplesCaption().startsWith(QStringLiteral("64 samples of the same latent noise")),
                 qPrintable(tab->samplesCaption()));
        // Both players' losses, and D(x) beside D(G(z)): the discriminator's mean probability of
        // "real" for real images (d_real) and for generated ones (d_fake, g_loss), each in [0, 1].
        TrainingCharts* charts = tab->charts();
        QVERIFY(charts->termsShown() && charts->verdictsShown());
        for (const char* key : {"d_real", "d_fake", "g_loss", "p:d_real", "p:d_fake", "p:g_loss"})
            QVERIFY2(charts->termKeys().contains(QLatin1String(key)), key);
        for (const char* key : {"p:d_real", "p:d_fake"}) {
            const auto* line = charts->liveSeries(QStringLiteral("term:") + QLatin1String(key));
            QVERIFY(line && line->count() >= 3);
            for (const QPointF& p : line->points())
                QVERIFY2(p.y() >= 0 && p.y() <= 1, key);
        }
        if (qEnvironmentVariable("NC_GAN_PROJECT").isEmpty())
            screenshot(window, QStringLiteral("gan-training.png"));
        else
            screenshotOfATrainedGan(qEnvironmentVariable("NC_GAN_PROJECT"));
    }

    // A phase problem is on the problems list as the editor's graph changes: the Detach before
    // the discriminator removed, the discriminator phase would train into the generator.
    void phaseProblemsShowWhileEditing() {
        MainWindow window;
        window.show();
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("dcgan"), QStringLiteral("fashion-mnist"));
        GraphModel* model = window.document()->model();
        QVERIFY(model->analysis().valid());
        model->removeNode(QStringLiteral("stop"));
        model->connectPorts({"g_out", "out"}, {"d1_fake", "in"});
        QVERIFY(waitFor([&] { return !model->analysis().valid(); }, 10000));
        const std::string m = model->analysis().problems.front().message;
        QVERIFY2(m.find("phase discriminator back-propagates") == 0 && m.find("put a Detach") != std::string::npos,
                 m.c_str());
    }

  private:
    // For the README (NC_SCREENSHOT_DIR and NC_GAN_PROJECT set): a GAN trained from the CLI, its
    // newest run continued for one more epoch in the window, so the grid shows what the trained
    // generator makes.
    void screenshotOfATrainedGan(const QString& project) {
        MainWindow window;
        window.resize(1500, 950);
        window.show();
        window.setAskBeforeDiscarding(false);
        QVERIFY(window.openFile(project));
        window.modeTabs()->setCurrentWidget(window.trainTab());
        TrainTab* tab = window.trainTab();
        const int runs = int(window.document()->model()->project().runs.size());
        QVERIFY(runs > 0);
        nc::TrainConfig cfg = window.document()->model()->project().training;
        cfg.epochs += 1;
        window.document()->model()->setTraining(cfg);
        tab->resumeRun(runs - 1);
        QVERIFY(waitFor([&] { return tab->samplesShown() >= 1 && tab->lastBatch().batch > 20; }, 300000));
        screenshot(window, QStringLiteral("gan-training.png"));
        tab->stop();
        QVERIFY(waitFor([&] { return !tab->isTraining(); }, 60000));
    }
};

QTEST_MAIN(TestGenerativeTrain)
#include "tst_generativetrain.moc"
