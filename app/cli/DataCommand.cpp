// `import`: a folder or CSV of images decoded into its cache, with the report of what was skipped;
// and the import options and progress shared by train and eval.
#include "Commands.h"

#include "data/Dataset.h"
#include "graph/Project.h"
#include "util/Error.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace nc::cli {

const std::vector<std::string>& importOptionNames() {
    static const std::vector<std::string> names = {"size", "channels", "fit", "test-fraction", "cache-dir"};
    return names;
}

void applyImportOptions(const Args& args, DatasetOptions& options) {
    ImportPolicy& p = options.policy;
    if (args.has("size")) {
        const std::string s = args.get("size");
        long long h = 0, w = 0;
        char x = 0, rest = 0;
        if (s == "auto") {
            p.height = p.width = 0;
        } else if (std::sscanf(s.c_str(), "%lld%c%lld%c", &h, &x, &w, &rest) == 3 && (x == 'x' || x == 'X') && h >= 1 &&
                   h <= 1024 && w >= 1 && w <= 1024) {
            p.height = h;
            p.width = w;
        } else {
            throw Error("--size must be HEIGHTxWIDTH (e.g. 64x64, each 1 to 1024) or auto");
        }
    }
    if (args.has("channels")) {
        const std::string c = args.get("channels");
        if (c == "auto")
            p.channels = 0;
        else if (c == "grey" || c == "gray" || c == "1")
            p.channels = 1;
        else if (c == "rgb" || c == "3")
            p.channels = 3;
        else
            throw Error("--channels must be auto, grey or rgb");
    }
    if (args.has("fit")) {
        p.fit = args.get("fit");
        if (p.fit != "pad" && p.fit != "crop" && p.fit != "stretch")
            throw Error("--fit must be pad, crop or stretch");
    }
    if (args.has("test-fraction")) {
        p.testFraction = args.getDouble("test-fraction", p.testFraction);
        if (!(p.testFraction >= 0 && p.testFraction <= 0.9))
            throw Error("--test-fraction must be from 0 to 0.9");
    }
    if (args.has("cache-dir"))
        options.cacheDir = args.get("cache-dir");
}

namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void onImportInterrupt(int) { g_interrupted = true; }
} // namespace

ImportProgress importProgressPrinter(bool json) {
    // Ctrl+C (or SIGTERM) during an import cancels it: the temporary files are removed and no
    // half-written cache is left. A later handler (train's) takes over once the import is done.
    std::signal(SIGINT, onImportInterrupt);
    std::signal(SIGTERM, onImportInterrupt);
    const bool interactive = isatty(STDERR_FILENO) == 1;
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    auto lastTenth = std::make_shared<std::int64_t>(-1);
    return [=](std::int64_t done, std::int64_t total) {
        if (g_interrupted)
            throw Error("the import was interrupted; nothing was written, the next run starts it again");
        const auto now = std::chrono::steady_clock::now();
        const bool end = done >= total;
        if (json) {
            if (end || now - *last > std::chrono::milliseconds(500)) {
                *last = now;
                std::cout << Json{{"event", "import_progress"}, {"done", done}, {"total", total}}.dump() << std::endl;
            }
        } else if (interactive) {
            if (end || now - *last > std::chrono::milliseconds(100)) {
                *last = now;
                const int width = 30, filled = total ? int(width * done / total) : width;
                std::fprintf(stderr, "\rimporting images [%s%s] %lld/%lld%s", std::string(std::size_t(filled), '#').c_str(),
                             std::string(std::size_t(width - filled), ' ').c_str(), static_cast<long long>(done),
                             static_cast<long long>(total), end ? "\n" : "");
            }
        } else {
            const std::int64_t tenth = total ? done * 10 / total : 10;
            if (tenth != *lastTenth) {
                *lastTenth = tenth;
                std::fprintf(stderr, "importing images: %lld/%lld\n", static_cast<long long>(done),
                             static_cast<long long>(total));
            }
        }
        return true;
    };
}

int importCommand(const Args& args) {
    std::vector<std::string> allowed = importOptionNames();
    allowed.insert(allowed.end(), {"project", "json"});
    args.allowOnly(allowed);
    if (args.positional().size() != 1)
        throw Error("import needs one dataset spec: folder:DIR or csv:FILE");
    const std::string spec = args.positional()[0];
    if (!isImageImportSpec(spec))
        throw Error("import reads folder:DIR and csv:FILE datasets; \"" + spec + "\" is neither");
    DatasetOptions options;
    if (args.has("project"))
        options = datasetOptionsFor(loadProject(args.get("project")), args.get("project"));
    applyImportOptions(args, options);
    const bool json = args.has("json");
    ImportReport report;
    options.report = &report;
    options.progress = importProgressPrinter(json);
    const DatasetPair data = loadDataset(spec, options);
    if (json) {
        Json j = report.toJson();
        j["event"] = "import";
        std::cout << j.dump() << "\n";
    } else {
        std::fputs(report.summary().c_str(), stdout);
        std::printf("cache: %s%s\n", report.cachePath.c_str(),
                    report.fromCache ? " (reused: nothing changed)" : "");
    }
    return 0;
}

} // namespace nc::cli
