// How responsive the window stays while it trains, and how fast it trains: opens the MainWindow
// with a template (default keras-cnn on Fashion-MNIST), starts a run from the Train tab and, on
// the GUI thread, fires a 10 ms probe timer whose lateness (actual interval - 10 ms) is the
// event-loop delay a user would feel. Prints p50/p99/max delay and the training images/s seen
// through the window (batch events received by the GUI, after a warm-up), one JSON line last.
//
//   gui_train_responsiveness [--template NAME] [--dataset SPEC] [--batch N] [--steps N]
//                            [--warmup N] [--threads N]
// Training settings: Adam, lr 1e-3, no weight decay, constant rate, no augmentation, no label
// smoothing, no validation split (as `neuralcanvas-cli bench`), one epoch over the first
// (steps + warmup) * batch training images.
#include "document/Document.h"
#include "app/MainWindow.h"
#include "engine/EngineController.h"
#include "train/TrainTab.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace nc::ui;

namespace {
double percentile(std::vector<double> v, double p) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const std::size_t i = std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5));
    return v[i];
}
// CPU seconds (user + system) this process's GUI (main) thread has used so far, from
// /proc/self/task/<pid>/stat; -1 where that file cannot be read.
double guiThreadCpuSeconds() {
    std::ifstream in("/proc/self/task/" + std::to_string(QCoreApplication::applicationPid()) + "/stat");
    std::string line;
    if (!std::getline(in, line))
        return -1;
    const auto close = line.rfind(')'); // the command name may hold spaces
    if (close == std::string::npos)
        return -1;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) { // fields 14 and 15: utime, stime
        if (i == 14) utime = std::stoull(field);
        if (i == 15) stime = std::stoull(field);
    }
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}
} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    std::string templ = "keras-cnn", dataset = "fashion-mnist";
    int batch = 128, steps = 200, warmup = 10, threads = int(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--template") templ = v;
        else if (k == "--dataset") dataset = v;
        else if (k == "--batch") batch = std::stoi(v);
        else if (k == "--steps") steps = std::stoi(v);
        else if (k == "--warmup") warmup = std::stoi(v);
        else if (k == "--threads") threads = std::stoi(v);
        else {
            std::fprintf(stderr, "gui_train_responsiveness: unknown option %s\n", k.c_str());
            return 2;
        }
    }

    MainWindow window;
    window.setAskBeforeDiscarding(false);
    window.resize(1600, 1000);
    window.newFromTemplate(QString::fromStdString(templ), QString::fromStdString(dataset));
    nc::Project project = window.document()->model()->project();
    nc::TrainConfig& cfg = project.training;
    cfg.epochs = 1;
    cfg.batchSize = batch;
    cfg.optimizer = nc::OptimizerKind::Adam;
    cfg.learningRate = 1e-3;
    cfg.weightDecay = 0;
    cfg.schedule = nc::ScheduleKind::None;
    cfg.labelSmoothing = 0;
    cfg.gradClipNorm = 0;
    cfg.earlyStoppingPatience = 0;
    cfg.augmentation = nc::Augmentation();
    cfg.validationFraction = 0;
    cfg.threads = threads;
    cfg.limitTrain = std::int64_t(steps + warmup) * batch;
    QTemporaryDir tmp; // the run's folder (metrics, checkpoints) goes next to this unsaved path
    window.document()->setProject(project, tmp.filePath(QStringLiteral("bench.ncproj")));
    window.show();
    window.modeTabs()->setCurrentWidget(window.trainTab());
    QApplication::processEvents();

    TrainTab* tab = window.trainTab();
    EngineController* engine = window.engine();

    // Probe: a 10 ms precise timer on the GUI thread; its lateness is the event-loop delay.
    std::vector<double> delays;
    QElapsedTimer clock;
    clock.start();
    qint64 lastProbe = -1;
    bool measuring = false;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (measuring && lastProbe >= 0)
            delays.push_back(std::max(0.0, (now - lastProbe) / 1e6 - 10.0));
        lastProbe = now;
    });

    // Throughput through the window: batch events as the GUI receives them.
    qint64 firstNs = -1, lastNs = -1;
    double firstCpu = -1, lastCpu = -1; // the GUI thread's CPU time over the same stretch
    std::int64_t firstStep = 0, lastStep = 0;
    double engineIps = 0;
    int batchSignals = 0;
    QObject::connect(engine, &EngineController::trainingBatches, &window, [&](const QList<nc::BatchEvent>& b) {
        ++batchSignals;
        const qint64 now = clock.nsecsElapsed();
        const nc::BatchEvent& e = b.back();
        if (e.step >= warmup && firstNs < 0) {
            firstNs = now;
            firstStep = e.step;
            firstCpu = guiThreadCpuSeconds();
        }
        lastCpu = guiThreadCpuSeconds();
        measuring = e.step >= 1;
        lastNs = now;
        lastStep = e.step;
        engineIps = e.imagesPerSecond;
    });
    nc::FinishedEvent finished;
    QObject::connect(engine, &EngineController::trainingFinished, &window, [&](const nc::FinishedEvent& f) {
        finished = f;
        measuring = false;
        QTimer::singleShot(200, &app, [] { QApplication::exit(0); });
    });

    probe.start();
    QTimer::singleShot(100, &window, [&] { tab->findChild<QPushButton*>(QStringLiteral("trainStart"))->click(); });
    QApplication::exec();

    const double seconds = (lastNs - firstNs) / 1e9;
    const double ips = seconds > 0 ? double(lastStep - firstStep) * batch / seconds : 0;
    const double guiCpuShare = seconds > 0 && firstCpu >= 0 ? (lastCpu - firstCpu) / seconds : -1;
    const double p50 = percentile(delays, 0.5), p99 = percentile(delays, 0.99);
    const double mx = delays.empty() ? 0 : *std::max_element(delays.begin(), delays.end());
    const bool ok = finished.reason == nc::FinishReason::Completed && lastStep > firstStep;
    std::printf("gui_train_responsiveness: %s on %s, batch %d, adam, %d threads, %lld steps (%d signals)%s\n",
                templ.c_str(), dataset.c_str(), batch, threads, (long long)lastStep, batchSignals,
                ok ? "" : ", RUN DID NOT COMPLETE");
    if (!ok && !finished.message.empty())
        std::printf("  %s\n", finished.message.c_str());
    std::printf("  event-loop delay over %zu probes of 10 ms: p50 %.2f ms, p99 %.2f ms, max %.2f ms (goal p99 < 50 ms)\n",
                delays.size(), p50, p99, mx);
    std::printf("  training through the window: %.0f images/s (steps %lld..%lld, %.1f s; engine's own figure %.0f)\n",
                ips, (long long)firstStep, (long long)lastStep, seconds, engineIps);
    std::printf("  GUI thread CPU over that stretch: %.1f %% of one core\n", guiCpuShare * 100);
    std::printf("{\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"probes\": %zu, \"images_per_second\": %.1f, "
                "\"engine_images_per_second\": %.1f, \"gui_cpu_share\": %.4f, \"steps\": %lld, \"threads\": %d, \"batch\": %d}\n",
                p50, p99, mx, delays.size(), ips, engineIps, guiCpuShare, (long long)lastStep, threads, batch);
    return ok ? 0 : 1;
}
