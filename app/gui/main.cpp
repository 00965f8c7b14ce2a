// neuralcanvas: the desktop window. Opens the given project, or the keras-cnn template on
// Fashion-MNIST. --screenshot grabs the window once it is laid out and exits (docs, CI);
// with --train-epochs N it trains N epochs from the Train tab first and grabs it when the run ends;
// with --model, --evaluate and --inspect it evaluates / inspects first and grabs that tab.
// Unsaved work is autosaved; at start, projects a crashed session left unsaved are offered back.
#include "util/Allocator.h"
#include "util/Threads.h"
#include "app/Autosave.h"
#include "document/Document.h"
#include "app/MainWindow.h"
#include "style/Theme.h"
#include "engine/EngineController.h"
#include "evaluate/EvaluateTab.h"
#include "inspect/InspectTab.h"
#include "train/TrainTab.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QTabWidget>
#include <QTimer>
#include <QTranslator>

#include <algorithm>
#include <cstdio>

using namespace nc::ui;

namespace {
// --set node.param=value, applied through the editor like a user's edit (for screenshots).
bool applySetting(MainWindow& window, const QString& spec) {
    const int dot = spec.indexOf(QLatin1Char('.')), eq = spec.indexOf(QLatin1Char('='));
    if (dot <= 0 || eq <= dot)
        return false;
    const QString id = spec.left(dot), param = spec.mid(dot + 1, eq - dot - 1), text = spec.mid(eq + 1);
    nc::Json value;
    try {
        value = nc::Json::parse(text.toStdString());
    } catch (const std::exception&) {
        value = text.toStdString(); // a bare word is a string ("same", "mse")
    }
    return window.document()->editor()->setParam(id, param, value);
}
} // namespace

int main(int argc, char** argv) {
    nc::chooseOpenMpWaitPolicy(argv);
    nc::tuneAllocator(); // batches reuse their buffers instead of page-faulting them in anew
    QGuiApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("NeuralCanvas"));
    QApplication::setApplicationName(QStringLiteral("NeuralCanvas"));
    QApplication::setApplicationVersion(QStringLiteral(NC_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("neuralcanvas"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Design, train and understand convolutional networks."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"), QApplication::translate("main", "A .ncproj file to open."));
    const QCommandLineOption templateOpt(QStringLiteral("template"), QApplication::translate("main", "Start from template NAME."),
                                         QStringLiteral("NAME"), QStringLiteral("keras-cnn"));
    const QCommandLineOption datasetOpt(QStringLiteral("dataset"), QApplication::translate("main", "Dataset spec for a new project."),
                                        QStringLiteral("SPEC"), QStringLiteral("fashion-mnist"));
    const QCommandLineOption setOpt(QStringLiteral("set"), QApplication::translate("main", "Edit a parameter: node.param=value."),
                                    QStringLiteral("EDIT"));
    const QCommandLineOption selectOpt(QStringLiteral("select"), QApplication::translate("main", "Select a layer."),
                                       QStringLiteral("ID"));
    const QCommandLineOption themeOpt(QStringLiteral("theme"), QApplication::translate("main", "system, light or dark."),
                                      QStringLiteral("THEME"));
    const QCommandLineOption langOpt(QStringLiteral("lang"), QApplication::translate("main", "Interface language, e.g. zh_CN."),
                                     QStringLiteral("LOCALE"));
    const QCommandLineOption sizeOpt(QStringLiteral("size"), QApplication::translate("main", "Window size WxH."),
                                     QStringLiteral("WxH"));
    const QCommandLineOption shotOpt(QStringLiteral("screenshot"),
                                     QApplication::translate("main", "Save a picture of the window to FILE and exit."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption trainOpt(
        QStringLiteral("train-epochs"),
        QApplication::translate("main", "Train N epochs from the Train tab; with --screenshot, grab the window when done."),
        QStringLiteral("N"));
    const QCommandLineOption modelOpt(
        QStringLiteral("model"), QApplication::translate("main", "Open a trained model (.ncmodel) in the Evaluate and Inspect tabs."),
        QStringLiteral("FILE"));
    const QCommandLineOption evaluateOpt(
        QStringLiteral("evaluate"),
        QApplication::translate("main", "Evaluate the model (--model or the trained one) on the test set."));
    const QCommandLineOption inspectOpt(QStringLiteral("inspect"),
                                        QApplication::translate("main", "Inspect IMAGE as if it were dropped on the window."),
                                        QStringLiteral("IMAGE"));
    const QCommandLineOption saliencyOpt(
        QStringLiteral("saliency"),
        QApplication::translate("main", "Saliency method for --inspect: gradient, smoothgrad, integrated-gradients or grad-cam."),
        QStringLiteral("METHOD"));
    const QCommandLineOption noRecoveryOpt(
        QStringLiteral("no-recovery"),
        QApplication::translate("main", "Do not offer to restore projects a crashed session left unsaved."));
    parser.addOptions({templateOpt, datasetOpt, setOpt, selectOpt, themeOpt, langOpt, sizeOpt, shotOpt, trainOpt,
                       modelOpt, evaluateOpt, inspectOpt, saliencyOpt, noRecoveryOpt});
    parser.process(app);

    // Translations are compiled into the binary (qt_add_translations puts them under :/i18n).
    const QLocale locale = parser.isSet(langOpt) ? QLocale(parser.value(langOpt)) : QLocale();
    QLocale::setDefault(locale);
    QTranslator qtTranslator, appTranslator;
    if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    if (appTranslator.load(locale, QStringLiteral("neuralcanvas"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&appTranslator);

    const QString theme = parser.value(themeOpt);
    if (theme == QLatin1String("light"))
        Theme::instance().apply(ThemeMode::Light);
    else if (theme == QLatin1String("dark"))
        Theme::instance().apply(ThemeMode::Dark);
    else if (theme == QLatin1String("system"))
        Theme::instance().apply(ThemeMode::System);
    else
        Theme::instance().restore();

    // Before the window exists, so its first edit is protected (NC_AUTOSAVE_INTERVAL_MS=0 turns it off).
    Autosave::setEnabledByDefault(true);
    MainWindow window;
    if (parser.isSet(sizeOpt)) {
        const QStringList wh = parser.value(sizeOpt).split(QLatin1Char('x'));
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }
    const QStringList files = parser.positionalArguments();
    bool opened = false;
    if (!files.isEmpty())
        opened = window.openFile(QDir::current().absoluteFilePath(files.first()));
    if (!opened) {
        try {
            window.newFromTemplate(parser.value(templateOpt), parser.value(datasetOpt));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "neuralcanvas: %s\n", e.what());
            return 2;
        }
    }
    for (const QString& edit : parser.values(setOpt))
        if (!applySetting(window, edit))
            std::fprintf(stderr, "neuralcanvas: cannot apply --set %s\n", qPrintable(edit));
    window.show();
    // Screenshots show the window as asked, never a recovery offer.
    if (!parser.isSet(noRecoveryOpt) && !parser.isSet(shotOpt))
        QTimer::singleShot(0, &window, [&] { window.offerRecovery(); });
    if (parser.isSet(selectOpt))
        QTimer::singleShot(50, &window, [&] { window.scene()->selectNodes({parser.value(selectOpt)}); });

    // Grabs the window into --screenshot's file (if given) and ends the app.
    auto grabAndExit = [&] {
        if (!parser.isSet(shotOpt))
            return;
        QTimer::singleShot(500, &window, [&] {
            const QString out = parser.value(shotOpt);
            const bool ok = window.grab().save(out);
            std::fprintf(ok ? stdout : stderr, "%s %s\n", ok ? "wrote" : "cannot write", qPrintable(out));
            window.setAskBeforeDiscarding(false);
            QApplication::exit(ok ? 0 : 1);
        });
    };
    // Once a model is ready: evaluate, then inspect, then grab (each step as a user would).
    auto inspectStep = [&] {
        if (!parser.isSet(inspectOpt)) {
            grabAndExit();
            return;
        }
        if (parser.isSet(saliencyOpt)) {
            nc::SaliencyMethod method;
            if (nc::parseSaliencyMethod(parser.value(saliencyOpt).toStdString(), method))
                window.inspectTab()->setSaliencyMethod(method);
            else
                std::fprintf(stderr, "neuralcanvas: unknown saliency method %s\n", qPrintable(parser.value(saliencyOpt)));
        }
        QObject::connect(window.inspectTab(), &InspectTab::resultShown, &window, grabAndExit,
                         Qt::SingleShotConnection);
        window.modeTabs()->setCurrentWidget(window.inspectTab());
        window.inspectTab()->inspectFile(QDir::current().absoluteFilePath(parser.value(inspectOpt)));
    };
    auto modelReady = [&] {
        if (!parser.isSet(evaluateOpt)) {
            inspectStep();
            return;
        }
        QObject::connect(window.evaluateTab(), &EvaluateTab::evaluated, &window, [&] {
            if (!window.evaluateTab()->message().isEmpty())
                std::fprintf(stderr, "neuralcanvas: %s\n", qPrintable(window.evaluateTab()->message()));
            inspectStep();
        }, Qt::SingleShotConnection);
        window.modeTabs()->setCurrentWidget(window.evaluateTab());
        window.evaluateTab()->evaluate();
    };
    const bool afterModel = parser.isSet(evaluateOpt) || parser.isSet(inspectOpt);

    if (parser.isSet(trainOpt)) {
        // Train from the Train tab (docs screenshots); with --screenshot, grab it when the run ends.
        nc::Project project = window.document()->model()->project();
        project.training.epochs = std::max(1, parser.value(trainOpt).toInt());
        window.document()->setProject(project, window.document()->filePath());
        window.modeTabs()->setCurrentWidget(window.trainTab());
        QObject::connect(window.engine(), &EngineController::trainingFinished, &window, [&](const nc::FinishedEvent& f) {
            if (f.reason == nc::FinishReason::Failed)
                std::fprintf(stderr, "neuralcanvas: %s\n", f.message.c_str());
            if (afterModel)
                modelReady();
            else
                grabAndExit();
        });
        QTimer::singleShot(300, &window, [&] { window.trainTab()->start(); });
    } else if (parser.isSet(modelOpt)) {
        QObject::connect(window.engine(), &EngineController::modelChanged, &window, modelReady, Qt::SingleShotConnection);
        QObject::connect(window.engine(), &EngineController::modelFailed, &window, [](const QString& why) {
            std::fprintf(stderr, "neuralcanvas: %s\n", qPrintable(why));
        });
        const QString path = QDir::current().absoluteFilePath(parser.value(modelOpt));
        window.engine()->openModel(path, QFileInfo(path).fileName());
    } else if (parser.isSet(shotOpt)) {
        const QString out = parser.value(shotOpt);
        // Let the layout settle and fitAll run before grabbing.
        // `out` is captured by value: this block ends long before the timers fire.
        QTimer::singleShot(600, &window, [&, out] {
            window.view()->fitAll();
            if (parser.isSet(selectOpt))
                window.view()->centerOnNode(parser.value(selectOpt));
            QTimer::singleShot(200, &window, [&, out] {
                const bool ok = window.grab().save(out);
                std::fprintf(ok ? stdout : stderr, "%s %s\n", ok ? "wrote" : "cannot write", qPrintable(out));
                window.setAskBeforeDiscarding(false);
                QApplication::exit(ok ? 0 : 1);
            });
        });
    }
    return QApplication::exec();
}
