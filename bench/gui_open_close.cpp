// Resident memory over many project opens and closes: creates a MainWindow, opens a project
// file, shows it, closes and destroys the window, N times (default 100), and prints the resident
// set size (VmRSS from /proc/self/status) after each round, then a JSON summary line. Memory
// that grows round after round is a leak a long editing session would feel.
//
//   gui_open_close PROJECT.ncproj [--rounds N] [--pixmap-cache KIB]
//
// --pixmap-cache sets QPixmapCache's limit (Qt's default is 10,240 KiB): the style keeps each
// window's scaled icon pixmaps there, keyed by icon, until the limit evicts them, so the resident
// size climbs by the cache's growth until it is full. A small limit shows the level without it.
#include "app/MainWindow.h"

#include <QApplication>
#include <QFile>
#include <QPixmapCache>

#include <cstdio>
#include <malloc.h>
#include <string>
#include <vector>

namespace {
double residentMiB() {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}
} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: gui_open_close PROJECT.ncproj [--rounds N] [--pixmap-cache KIB]\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    int rounds = 100;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        if (option == "--rounds") {
            rounds = std::max(1, std::atoi(argv[i + 1]));
        } else if (option == "--pixmap-cache") {
            QPixmapCache::setCacheLimit(std::max(0, std::atoi(argv[i + 1])));
        } else {
            std::fprintf(stderr, "gui_open_close: unknown option %s\n", option.c_str());
            return 2;
        }
    }
    std::vector<double> rss;
    for (int i = 1; i <= rounds; ++i) {
        auto* window = new nc::ui::MainWindow;
        window->setAskBeforeDiscarding(false);
        QString error;
        if (!window->openFile(path, &error)) {
            std::fprintf(stderr, "gui_open_close: %s\n", qPrintable(error));
            return 1;
        }
        window->show();
        QApplication::processEvents();
        window->close();
        delete window;
        QApplication::processEvents();
        malloc_trim(0); // what the allocator keeps for reuse is not a leak
        rss.push_back(residentMiB());
        if (i == 1 || i % 10 == 0)
            std::printf("round %3d: resident %.1f MiB\n", i, rss.back());
    }
    const double first = rss.front(), tenth = rss[std::min<std::size_t>(9, rss.size() - 1)], last = rss.back();
    std::printf("{\"rounds\": %d, \"rss_round1_mib\": %.1f, \"rss_round10_mib\": %.1f, \"rss_last_mib\": %.1f, "
                "\"growth_after_round10_mib\": %.1f}\n",
                rounds, first, tenth, last, last - tenth);
    return 0;
}
