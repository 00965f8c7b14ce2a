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
#include "UiTestUtil.h"
#include "data/Dataset.h"
#include "graph/Project.h"
#include "nn/Generative.h"
#include "nn/Model.h"
#include "train/Trainer.h"
#include "inspect/InspectTab.h"
#include "inspect/LatentView.h"

#include <QDir>
#include <QFile>
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
// Mean absolute difference of two uint8 images of the same size.
double difference(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i)
        sum += std::abs(int(a[i]) - int(b[i]));
    return sum / double(n);
}

// The first test image of class `label` written as a PNG.
QString writeTestImage(const nc::Dataset& test, std::int64_t label, const QString& path) {
    for (std::int64_t i = 0; i < test.size(); ++i)
        if (test.labels[std::size_t(i)] == label) {
            std::vector<std::uint8_t> scratch;
            const std::uint8_t* px = test.imagesAt(i, 1, scratch);
            QImage(px, int(test.width), int(test.height), int(test.width), QImage::Format_Grayscale8).save(path);
            return path;
        }
    return {};
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
        uitest::screenshot(window, QStringLiteral("vae-training"));
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
        // Inspect shows what the generator makes between two random latents; it has no encoder.
        window.modeTabs()->setCurrentWidget(window.inspectTab());
        LatentView* view = window.inspectTab()->latentView();
        QVERIFY2(waitFor([&] { return view->pathSteps() == 8 && !view->busy(); }, 60000), qPrintable(view->statusText()));
        QVERIFY2(view->mapCaption().contains(QStringLiteral("no encoder")), qPrintable(view->mapCaption()));
        QCOMPARE(view->mapPoints(), 0);
        const std::vector<std::uint8_t> before = view->lastResult()->path;
        view->newPair();
        QVERIFY(waitFor([&] { return !view->busy() && view->lastResult()->path != before; }, 60000));
        QCOMPARE(view->lastResult()->path.size(), before.size());
        window.modeTabs()->setCurrentWidget(window.trainTab());
        if (qEnvironmentVariable("NC_GAN_PROJECT").isEmpty())
            uitest::screenshot(window, QStringLiteral("gan-training"));
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

    // Inspect for a VAE: its latent space instead of class scores. The map of 2,000 test images
    // comes first; two images dropped on the window are encoded and the path between them decoded,
    // from one image's look to the other's, with both ends marked on the map.
    void vaeInspectWalksBetweenTwoDroppedImages() {
        MainWindow window;
        window.resize(1500, 950);
        window.show();
        const QString trained = qEnvironmentVariable("NC_VAE_MODEL"); // a README screenshot of a trained VAE
        if (trained.isEmpty()) {
            prepare(window, QStringLiteral("conv-vae"), m_dir.filePath(QStringLiteral("walk.ncproj")), 3000, 64);
            window.trainTab()->start();
            QVERIFY2(waitFor([&] { return !window.trainTab()->isTraining(); }, 180000),
                     qPrintable(window.trainTab()->progressText()));
            QVERIFY2(window.trainTab()->message().isEmpty(), qPrintable(window.trainTab()->message()));
        } else {
            window.setAskBeforeDiscarding(false);
            window.newFromTemplate(QStringLiteral("conv-vae"), QStringLiteral("fashion-mnist"));
            window.engine()->openModel(trained, QStringLiteral("conv-vae, 10 epochs"));
        }
        LatentView* view = window.inspectTab()->latentView();
        window.modeTabs()->setCurrentWidget(window.inspectTab());
        QVERIFY2(waitFor([&] { return view->mapPoints() == LatentView::kMapImages && !view->busy(); }, 120000),
                 qPrintable(view->statusText()));
        QVERIFY(view->isVisible());
        QVERIFY2(view->mapCaption().contains(QStringLiteral("principal components")), qPrintable(view->mapCaption()));
        QVERIFY(!view->samplesImage().isNull());
        // The classes do not lie on top of each other: trousers and ankle boots have their own places.
        const LatentResult& mapped = *view->lastResult();
        auto centre = [&](std::int64_t label) {
            double x = 0, y = 0;
            int k = 0;
            for (std::size_t i = 0; i < mapped.mapLabels.size(); ++i)
                if (mapped.mapLabels[i] == label) {
                    x += mapped.map.xy[2 * i];
                    y += mapped.map.xy[2 * i + 1];
                    ++k;
                }
            return QPointF(x / k, y / k);
        };
        double spread = 0;
        for (float v : mapped.map.xy)
            spread += double(v) * v;
        spread = std::sqrt(spread / double(mapped.mapLabels.size()));
        const QPointF apart = centre(1) - centre(9);
        QVERIFY2(std::hypot(apart.x(), apart.y()) > 0.5 * spread,
                 qPrintable(QString("%1 vs spread %2").arg(std::hypot(apart.x(), apart.y())).arg(spread)));

        const nc::DatasetPair data = nc::loadDataset("fashion-mnist", 10, 200);
        const QString trouser = writeTestImage(data.test, 1, m_dir.filePath(QStringLiteral("trouser.png")));
        const QString boot = writeTestImage(data.test, 9, m_dir.filePath(QStringLiteral("boot.png")));
        window.modeTabs()->setCurrentIndex(0); // dropped while designing: the window shows Inspect
        uitest::dropFile(&window, trouser);
        QVERIFY(waitFor([&] { return !view->busy() && view->lastResult()->whatA == QStringLiteral("trouser.png"); }, 30000));
        QCOMPARE(window.modeTabs()->currentWidget(), static_cast<QWidget*>(window.inspectTab()));
        QVERIFY2(view->statusText().contains(QStringLiteral("second image")), qPrintable(view->statusText()));
        uitest::dropFile(&window, boot);
        QVERIFY(waitFor([&] { return !view->busy() && view->pathSteps() == 8; }, 30000));
        const LatentResult& r = *view->lastResult();
        QCOMPARE(r.whatB, QStringLiteral("boot.png"));
        const std::size_t per = std::size_t(r.channels * r.height * r.width);
        QCOMPARE(r.path.size(), 8 * per);
        const std::uint8_t* first = r.path.data();
        const std::uint8_t* last = r.path.data() + 7 * per;
        // The walk starts like the trouser and ends like the boot, and changes on the way.
        QVERIFY(difference(first, r.imageA.data(), per) < difference(first, r.imageB.data(), per));
        QVERIFY(difference(last, r.imageB.data(), per) < difference(last, r.imageA.data(), per));
        const double d3 = difference(r.path.data() + 3 * per, first, per), d7 = difference(last, first, per);
        QVERIFY2(d3 > 1 && d7 > d3, qPrintable(QString("%1 %2").arg(d3).arg(d7)));
        // One row: the trouser, 8 decoded steps, the boot.
        const int tile = (view->pathImage().width() - 11 * 3) / 10; // 3-pixel gaps
        QCOMPARE(view->pathImage().width(), 10 * tile + 33);
        QVERIFY(tile % 28 == 0 && tile >= 56);
        QCOMPARE(r.latentA.size(), std::size_t(r.latentWidth));
        // A third image replaces the older end (A); the walk now starts there.
        const QString bag = writeTestImage(data.test, 8, m_dir.filePath(QStringLiteral("bag.png")));
        uitest::dropFile(&window, bag);
        QVERIFY(waitFor([&] { return !view->busy() && view->lastResult()->whatA == QStringLiteral("bag.png"); }, 30000));
        QCOMPARE(view->lastResult()->whatB, QStringLiteral("boot.png"));
        view->swapEnds();
        view->setSteps(12);
        QVERIFY(waitFor([&] { return !view->busy() && view->pathSteps() == 12; }, 30000));
        QCOMPARE(view->lastResult()->whatA, QStringLiteral("boot.png"));
        // A file that is no image is named, and the walk shown stays.
        const QString bad = m_dir.filePath(QStringLiteral("notes.png"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write("not a picture") > 0);
        f.close();
        uitest::dropFile(&window, bad);
        QVERIFY(waitFor([&] { return !view->busy() && view->statusText().contains(QStringLiteral("notes.png")); }, 30000));
        QCOMPARE(view->pathSteps(), 12);
        uitest::dropFile(&window, trouser); // the next drop replaces the bad one
        QVERIFY(waitFor([&] { return !view->busy() && view->lastResult()->whatA == QStringLiteral("boot.png") &&
                                     view->lastResult()->whatB == QStringLiteral("trouser.png"); }, 30000));
        // Judged in the window as `generate --score` does on the command line: a classifier
        // trained here (mlp, one epoch on 3,000 images) looks at 500 samples.
        nc::Project cp = nc::makeFromTemplate("mlp");
        const nc::DatasetPair small = nc::loadDataset("fashion-mnist", 3000, 500);
        nc::Model classifier = nc::Model::compile(cp.graph, {1, 28, 28, small.train.classNames}, 1);
        nc::TrainConfig cfg = cp.training;
        cfg.epochs = 1;
        cfg.threads = 2;
        cfg.validationFraction = 0;
        nc::Trainer trainer(classifier, small.train, cfg);
        QCOMPARE(trainer.run().reason, nc::FinishReason::Completed);
        const QString judge = m_dir.filePath(QStringLiteral("judge.ncmodel"));
        classifier.save(judge.toStdString());
        // (NC_JUDGE_MODEL: a better classifier for the README's picture)
        view->scoreWith(qEnvironmentVariable("NC_JUDGE_MODEL", judge), 500);
        QVERIFY(waitFor([&] { return !view->busy() && view->scoreText().contains(QStringLiteral("on 500 samples")); }, 120000));
        const nc::SampleScores& sc = *view->lastResult()->scores;
        double total = 0;
        for (const auto& [name, share] : sc.classShares)
            total += share;
        QVERIFY(std::abs(total - 1) < 1e-9);
        QCOMPARE(int(sc.classShares.size()), 10);
        QVERIFY(sc.classesAtFivePercent >= 1 && sc.meanConfidence > 0.1 && sc.meanConfidence <= 1);
        QCOMPARE(sc.fdImages, std::int64_t(500));
        QVERIFY2(sc.fd > sc.fdFloor && sc.fdFloor > 0, qPrintable(QString("%1 %2").arg(sc.fd).arg(sc.fdFloor)));
        QVERIFY(sc.nearestSample > 0 && sc.nearestReal > 0);
        QVERIFY2(view->scoreText().contains(QStringLiteral("FD-FMNIST")), qPrintable(view->scoreText()));
        uitest::screenshot(window, QStringLiteral("vae-interpolation"));
        // A generative model is no judge: said in words.
        view->scoreWith(QString::fromStdString(window.document()->model()->project().runs.empty()
                                                   ? trained.toStdString()
                                                   : (RunHistoryPanel::modelPath(window.document()->model()->project().runs.back()))
                                                         .toStdString()),
                        200);
        QVERIFY(waitFor([&] { return !view->busy() && view->scoreText().contains(QStringLiteral("not a classifier")); }, 60000));
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
        uitest::screenshot(window, QStringLiteral("gan-training"));
        tab->stop();
        QVERIFY(waitFor([&] { return !tab->isTraining(); }, 60000));
    }
};

QTEST_MAIN(TestGenerativeTrain)
#include "tst_generativetrain.moc"
