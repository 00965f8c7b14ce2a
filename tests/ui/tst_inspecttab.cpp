// The Inspect tab: an image file dropped on the window is answered with the model's prediction,
// a saliency overlay and feature maps; bad files (text, empty, truncated, absurdly large) give a
// message and keep what was shown, without a crash or a memory spike; colour map and opacity
// repaint without asking the engine; the tab refreshes on the live weights while training.
#include "document/Document.h"
#include "app/MainWindow.h"
#include "style/Theme.h"
#include "SignalWait.h"
#include "UiTestUtil.h"
#include "editor/GraphScene.h"
#include "engine/EngineController.h"
#include "graph/Project.h"
#include "inspect/InspectTab.h"
#include "nn/Model.h"
#include "train/TrainTab.h"

#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMimeData>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>

using namespace nc::ui;
using uitest::dropFile;

namespace {

// Peak resident memory of this process (VmHWM), in bytes.
qint64 peakRss() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    return -1;
}

std::uint32_t crc32(const QByteArray& bytes) {
    std::uint32_t crc = 0xffffffffu;
    for (char ch : bytes) {
        crc ^= std::uint8_t(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray be32(std::uint32_t v) {
    const char bytes[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    return QByteArray(bytes, 4);
}

QByteArray pngChunk(const QByteArray& type, const QByteArray& data) {
    return be32(std::uint32_t(data.size())) + type + data + be32(crc32(type + data));
}

// A well-formed PNG header that claims 100000 × 100000 RGB pixels (30 GB decoded).
QByteArray hugePngHeader() {
    QByteArray ihdr = be32(100000) + be32(100000);
    ihdr += QByteArray("\x08\x02\x00\x00\x00", 5); // 8 bits, RGB, deflate, no filter, no interlace
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IEND", {});
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// NC_SCREENSHOT_DIR=folder keeps pictures of the window at the moments worth looking at.
void screenshot(QWidget& window, const QString& name) {
    const QString dir = qEnvironmentVariable("NC_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        window.grab().save(QDir(dir).filePath(name + QStringLiteral(".png")));
}

} // namespace

class TestInspectTab : public QObject {
    Q_OBJECT
  private:
    QTemporaryDir m_dir;
    QString m_modelPath, m_photo;
    QStringList m_classes;

    void prepare(MainWindow& window, bool withModel = true) {
        window.setAskBeforeDiscarding(false);
        window.newFromTemplate(QStringLiteral("keras-cnn"), QStringLiteral("shapes:600"));
        QVERIFY(window.document()->editor()->setParam(QStringLiteral("dense2"),
                                                      QStringLiteral("out_features"), 3));
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        if (!withModel)
            return;
        uitest::QueuedSignalCount changed(window.engine(), &EngineController::modelChanged);
        window.engine()->openModel(m_modelPath, QStringLiteral("test model"));
        QVERIFY(changed.waitFor(1, 20000));
        QVERIFY(window.engine()->modelInfo().available);
    }

    // Waits for the tab's next answer (a result or a message).
    static bool waitShown(QSignalSpy& shown, int ms = 20000) { return !shown.isEmpty() || shown.wait(ms); }

  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        if (qEnvironmentVariable("NC_SCREENSHOT_THEME") == QLatin1String("dark"))
            Theme::instance().apply(ThemeMode::Dark);
        // An untrained keras-cnn for the synthetic shapes (3×32×32, 3 classes): the tab only
        // needs a model that answers; its ids are the canvas's.
        nc::Project project = nc::makeFromTemplate("keras-cnn");
        const nc::DatasetInfo info = nc::datasetInfo("shapes:600");
        QVERIFY(nc::fitClassifierToClasses(project.graph, int(info.classNames.size())));
        m_modelPath = m_dir.filePath(QStringLiteral("shapes.ncmodel"));
        nc::Model::compile(project.graph, info, 7).save(m_modelPath.toStdString());
        for (const std::string& name : info.classNames)
            m_classes << QString::fromStdString(name);

        // A 40×30 colour photo: another size and aspect ratio than the model's input.
        QImage photo(40, 30, QImage::Format_RGB32);
        photo.fill(QColor(30, 60, 200));
        QPainter p(&photo);
        p.setBrush(QColor(250, 200, 20));
        p.setPen(Qt::NoPen);
        p.drawEllipse(QRect(10, 5, 20, 20));
        p.end();
        m_photo = m_dir.filePath(QStringLiteral("photo.png"));
        QVERIFY(photo.save(m_photo));
    }

    void dropImageThenBadFiles() {
        MainWindow window;
        prepare(window);
        InspectTab* tab = window.inspectTab();
        QVERIFY(tab);
        window.modeTabs()->setCurrentIndex(0); // dropped while designing
        QSignalSpy shown(tab, &InspectTab::resultShown);

        dropFile(&window, m_photo);
        QCOMPARE(window.modeTabs()->currentWidget(), tab);
        QVERIFY(waitShown(shown));
        QVERIFY2(tab->message().isEmpty(), qPrintable(tab->message()));
        const QString prediction = tab->predictionText();
        QVERIFY2(prediction.endsWith(QStringLiteral(" %")), qPrintable(prediction));
        QVERIFY2(m_classes.contains(prediction.section(QLatin1Char(' '), 0, -3)), qPrintable(prediction));
        const InspectResult* result = tab->lastResult();
        QCOMPARE(result->image.channels, 3);
        QCOMPARE(result->image.width, 32);
        QCOMPARE(result->image.originalWidth, 40);
        QCOMPARE(int(result->prediction.topK.size()), 3); // top 5 of 3 classes
        QVERIFY(!tab->overlayImage().isNull());
        QVERIFY2(tab->titleText().contains(QStringLiteral("photo.png")), qPrintable(tab->titleText()));
        QVERIFY2(tab->titleText().contains(QStringLiteral("test model")), qPrintable(tab->titleText()));
        screenshot(window, QStringLiteral("inspect-drop"));

        // Bad files: each gives a message naming the problem; the prediction stays.
        QByteArray png;
        {
            QFile f(m_photo);
            QVERIFY(f.open(QIODevice::ReadOnly));
            png = f.readAll();
        }
        struct Bad {
            QString name;
            QByteArray bytes;
            QString says; // a word the message must contain
        };
        const QList<Bad> bad = {
            // Named like an image but not one: the window hands it to Inspect, which says why.
            // (A file that is not named or shaped like an image is refused by the window itself:
            // tst_newuser.)
            {QStringLiteral("notes.png"), QByteArray("not an image\n"), QStringLiteral("notes.png")},
            {QStringLiteral("empty.png"), QByteArray(), QStringLiteral("empty.png")},
            {QStringLiteral("half.png"), png.left(png.size() / 2), QStringLiteral("half.png")},
            {QStringLiteral("huge.png"), hugePngHeader(), QStringLiteral("pixels")},
        };
        const qint64 peakBefore = peakRss();
        QVERIFY(peakBefore > 0);
        for (const Bad& b : bad) {
            const QString path = m_dir.filePath(b.name);
            QVERIFY(writeFile(path, b.bytes));
            shown.clear();
            dropFile(&window, path);
            QVERIFY2(waitShown(shown), qPrintable(b.name));
            const QString message = tab->message();
            QVERIFY2(message.contains(b.says), qPrintable(b.name + QStringLiteral(": ") + message));
            QVERIFY(tab->findChild<QLabel*>(QStringLiteral("inspectMessage"))->isVisible());
            QCOMPARE(tab->predictionText(), prediction);
            QCOMPARE(tab->lastResult(), result);
            QVERIFY(!tab->overlayImage().isNull());
        }
        screenshot(window, QStringLiteral("inspect-bad-file"));
        const qint64 grew = peakRss() - peakBefore;
        QVERIFY2(grew < 200ll << 20, qPrintable(QStringLiteral("peak RSS grew by %1 MB").arg(grew >> 20)));

        // A bad file is forgotten: changing a setting asks again about the photo, not about it.
        shown.clear();
        window.inspectTab()
            ->findChild<QComboBox*>(QStringLiteral("inspectFit"))
            ->setCurrentIndex(2); // stretch
        QVERIFY(waitShown(shown));
        QVERIFY2(tab->message().isEmpty(), qPrintable(tab->message()));
        QVERIFY(tab->lastResult() != result);
        QCOMPARE(tab->lastResult()->what, QStringLiteral("photo.png"));
    }

    void saliencyControlsAndFeatureMaps() {
        MainWindow window;
        prepare(window);
        InspectTab* tab = window.inspectTab();
        window.modeTabs()->setCurrentWidget(tab);
        QSignalSpy shown(tab, &InspectTab::resultShown);
        tab->inspectFile(m_photo);
        QVERIFY(waitShown(shown));

        // Grad-CAM on the last convolution by default; the layer list holds the model's convolutions.
        auto* layer = tab->findChild<QComboBox*>(QStringLiteral("inspectLayer"));
        QCOMPARE(layer->count(), 4); // last convolution, conv1, conv2, conv3
        shown.clear();
        auto* method = tab->findChild<QComboBox*>(QStringLiteral("inspectMethod"));
        method->setCurrentIndex(method->findText(QStringLiteral("Grad-CAM")));
        QVERIFY(waitShown(shown));
        QVERIFY2(tab->lastResult()->saliencyError.isEmpty(), qPrintable(tab->lastResult()->saliencyError));
        QCOMPARE(tab->lastResult()->saliency.layer, std::string("conv3"));
        shown.clear();
        layer->setCurrentIndex(layer->findText(QStringLiteral("conv1")));
        QVERIFY(waitShown(shown));
        QCOMPARE(tab->lastResult()->saliency.layer, std::string("conv1"));

        // Opacity and colour map repaint here; the engine is not asked.
        QSignalSpy answered(window.engine(), &EngineController::inspected);
        const int sent = tab->requestsSent();
        const QImage before = tab->overlayImage();
        QVERIFY(!before.isNull());
        tab->findChild<QSlider*>(QStringLiteral("inspectOpacity"))->setValue(90);
        const QImage opaque = tab->overlayImage();
        QVERIFY(opaque != before);
        auto* colours = tab->findChild<QComboBox*>(QStringLiteral("inspectColormap"));
        colours->setCurrentIndex(colours->findData(QStringLiteral("gray")));
        QVERIFY(tab->overlayImage() != opaque);
        QTest::qWait(200);
        QCOMPARE(answered.count(), 0);
        QCOMPARE(tab->requestsSent(), sent);

        // The node selected on the canvas: conv1's 32 channels as a grid.
        shown.clear();
        tab->showFeaturesOf(QStringLiteral("conv1"));
        QVERIFY(waitShown(shown));
        QCOMPARE(tab->lastResult()->features.shape, (nc::Shape{32, 30, 30}));
        QCOMPARE(tab->featureTileCount(), 32);
        // A dense layer's output is a strip of bars, not tiles.
        shown.clear();
        tab->showFeaturesOf(QStringLiteral("dense1"));
        QVERIFY(waitShown(shown));
        QCOMPARE(tab->lastResult()->features.shape, (nc::Shape{64}));
        QCOMPARE(tab->featureTileCount(), 0);

        // Selected on the Design canvas while the tab is hidden: asked for when it shows.
        window.modeTabs()->setCurrentIndex(0);
        shown.clear();
        window.scene()->selectNodes({QStringLiteral("conv2")});
        QTest::qWait(100);
        QCOMPARE(shown.count(), 0);
        window.modeTabs()->setCurrentWidget(tab);
        QVERIFY(waitShown(shown));
        QCOMPARE(tab->featureTileCount(), 64);
        screenshot(window, QStringLiteral("inspect-features"));

        // Ctrl+V inside the tab pastes an image from the clipboard.
        QImage square(20, 20, QImage::Format_RGB32);
        square.fill(Qt::red);
        QGuiApplication::clipboard()->setImage(square);
        tab->setFocus();
        shown.clear();
        QTest::keyClick(tab, Qt::Key_V, Qt::ControlModifier);
        QVERIFY(waitShown(shown));
        QVERIFY2(tab->message().isEmpty(), qPrintable(tab->message()));
        QCOMPARE(tab->lastResult()->what, QStringLiteral("pasted image"));
        QCOMPARE(tab->lastResult()->image.originalWidth, 20);
        // Text that is no image or file: a message, the pasted image stays.
        QGuiApplication::clipboard()->setText(QStringLiteral("just words"));
        shown.clear();
        tab->findChild<QPushButton*>(QStringLiteral("inspectPaste"))->click();
        QVERIFY(waitShown(shown));
        QVERIFY2(tab->message().contains(QStringLiteral("no image")), qPrintable(tab->message()));
        QCOMPARE(tab->lastResult()->what, QStringLiteral("pasted image"));

        // A test image from the Evaluate tab's gallery arrives as pixels at the model's size.
        std::vector<std::uint8_t> chw(3 * 32 * 32, 0);
        std::fill(chw.begin(), chw.begin() + 32 * 32, std::uint8_t(255)); // red
        shown.clear();
        tab->inspectPixels(chw, QStringLiteral("test image 7"));
        QVERIFY(waitShown(shown));
        QVERIFY2(tab->message().isEmpty(), qPrintable(tab->message()));
        QCOMPARE(tab->lastResult()->image.pixels, chw);
        QVERIFY(tab->titleText().startsWith(QStringLiteral("test image 7")));
    }

    void withoutModelThenModelArrives() {
        MainWindow window;
        prepare(window, false);
        InspectTab* tab = window.inspectTab();
        window.modeTabs()->setCurrentWidget(tab);
        const QString hint = tab->findChild<QLabel*>(QStringLiteral("inspectHint"))->text();
        QVERIFY2(hint.contains(QStringLiteral("Drop an image")), qPrintable(hint));
        QVERIFY2(hint.contains(QStringLiteral("model is needed")), qPrintable(hint));
        screenshot(window, QStringLiteral("inspect-empty"));

        QSignalSpy shown(tab, &InspectTab::resultShown);
        dropFile(&window, m_photo);
        QVERIFY(waitShown(shown));
        QVERIFY2(tab->message().contains(QStringLiteral("no model")), qPrintable(tab->message()));
        QVERIFY(tab->predictionText().isEmpty());

        // The photo is asked about again once a model is there.
        shown.clear();
        window.engine()->openModel(m_modelPath, QStringLiteral("test model"));
        QVERIFY(waitShown(shown));
        QVERIFY2(!tab->predictionText().isEmpty(), qPrintable(tab->message()));
        QVERIFY(tab->message().isEmpty());
    }

    void refreshesOnLiveWeightsWhileTraining() {
        MainWindow window;
        prepare(window, false);
        QVERIFY(window.saveFile(m_dir.filePath(QStringLiteral("live.ncproj"))));
        nc::Project project = window.document()->model()->project();
        project.training.epochs = 20;
        window.document()->setProject(project, window.document()->filePath());
        InspectTab* tab = window.inspectTab();

        window.trainTab()->start();
        QVERIFY(window.trainTab()->isTraining());
        QTRY_VERIFY_WITH_TIMEOUT(window.engine()->modelInfo().live, 20000);
        window.modeTabs()->setCurrentWidget(tab);
        QSignalSpy shown(tab, &InspectTab::resultShown);
        tab->inspectFile(m_photo);
        QVERIFY(waitShown(shown));
        QVERIFY2(tab->lastResult()->live, qPrintable(tab->titleText()));
        QVERIFY2(tab->titleText().contains(QStringLiteral("refreshed every 2 s")),
                 qPrintable(tab->titleText()));

        // Batches keep coming: the view is asked again about every 2 s, never more often.
        const int sentBefore = tab->requestsSent();
        QElapsedTimer clock;
        clock.start();
        QTest::qWait(5000);
        const int refreshes = tab->requestsSent() - sentBefore;
        const double maxRefreshes = double(clock.elapsed()) / InspectTab::kLiveRefreshMs + 1;
        QVERIFY2(refreshes >= 1 && refreshes <= maxRefreshes, qPrintable(QString::number(refreshes)));
        QVERIFY(tab->message().isEmpty());
        screenshot(window, QStringLiteral("inspect-live"));

        // Hidden, it does not ask.
        window.modeTabs()->setCurrentIndex(0);
        const int sentHidden = tab->requestsSent();
        QTest::qWait(2500);
        QCOMPARE(tab->requestsSent(), sentHidden);

        window.trainTab()->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!window.trainTab()->isTraining(), 20000);
    }
};

QTEST_MAIN(TestInspectTab)
#include "tst_inspecttab.moc"
