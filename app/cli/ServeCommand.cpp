// neuralcanvas-cli serve: trained models over KServe v2 / TF Serving REST (core/serve).
#include "Commands.h"

#include "util/Blas.h"
#include "util/Error.h"
#include "util/Json.h"

#ifdef NC_HAVE_SERVE
#include "serve/HttpServer.h"
#include "serve/InferenceService.h"
#endif
#ifdef NC_HAVE_IMAGING
#include "imaging/Imaging.h"
#endif

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace nc::cli {

int serveCommand(const Args& args) {
#ifndef NC_HAVE_SERVE
    (void)args;
    throw Error("this build of NeuralCanvas cannot serve (it was built without Boost's headers, libboost-dev)");
#else
    args.allowOnly({"host", "port", "token", "max-batch", "max-delay-us", "threads", "io-threads", "body-limit",
                    "read-timeout-ms", "max-connections", "repository", "watch", "json"});
    if (args.positional().empty() && !args.has("repository"))
        throw Error("serve needs one or more models (serve MODEL.ncmodel [NAME=OTHER.ncmodel ...]) or --repository "
                    "DIR");
    serve::ServeLimits limits;
    limits.maxBatch = std::size_t(args.getInt("max-batch", 32));
    limits.maxDelayMicros = args.getInt("max-delay-us", 500);
    limits.bodyBytes = std::size_t(args.getInt("body-limit", 8ll << 20));
    limits.readTimeoutMs = args.getInt("read-timeout-ms", limits.readTimeoutMs);
    limits.maxConnections = std::size_t(args.getInt("max-connections", std::int64_t(limits.maxConnections)));
    if (limits.readTimeoutMs < 100 || limits.maxConnections < 1)
        throw Error("--read-timeout-ms must be at least 100 and --max-connections at least 1");
    if (limits.maxBatch < 1 || limits.maxBatch > 4096 || limits.maxDelayMicros < 0 || limits.bodyBytes < 1024)
        throw Error("--max-batch must be 1-4096, --max-delay-us not negative and --body-limit at least 1024");
    const long long port = args.getInt("port", 8080);
    if (port < 0 || port > 65535)
        throw Error("--port must be 0-65535 (0 picks a free port)");
    const std::string token = args.get("token");

    // Every connection is a file descriptor: allow as many as the system lets this process have.
    rlimit fileLimit{};
    if (getrlimit(RLIMIT_NOFILE, &fileLimit) == 0 && fileLimit.rlim_cur < fileLimit.rlim_max) {
        fileLimit.rlim_cur = fileLimit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &fileLimit);
    }
    const int torchThreads = int(args.getInt("threads", 0));
    // A dedicated server: OpenBLAS's pool (which torch's thread setting does not reach) gets the
    // same count, instead of one spinning thread per core between the model's matrix products.
    if (torchThreads > 0)
        setBlasThreads(torchThreads);
    serve::InferenceService service(limits, torchThreads);
    if (args.has("repository"))
        service.loadRepository(args.get("repository"));
    std::vector<std::pair<std::string, std::string>> files; // (name, path) given on the command line
    for (const std::string& spec : args.positional()) {
        // NAME=PATH names a model; otherwise its file's name does (a run's best.ncmodel takes
        // its run folder's name).
        const auto eq = spec.find('=');
        std::string path = eq == std::string::npos ? spec : spec.substr(eq + 1);
        std::string name = eq == std::string::npos ? std::string() : spec.substr(0, eq);
        if (name.empty()) {
            const std::filesystem::path p(path);
            name = p.stem().string();
            if ((name == "best" || name == "last") && p.has_parent_path())
                name = std::filesystem::absolute(p).parent_path().filename().string();
        }
        service.addModel(name, path);
        files.emplace_back(name, path);
    }
#ifdef NC_HAVE_IMAGING
    service.setImageDecoder([](const std::string& bytes, std::int64_t c, std::int64_t h, std::int64_t w) {
        return prepareImageForModel(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), "the image", {c, h, w})
            .pixels;
    });
#endif
    if (!token.empty())
        service.setToken(token);
    const bool json = args.has("json");
    std::mutex printing;
    auto say = [&](const std::string& line) {
        std::lock_guard<std::mutex> lock(printing);
        std::printf("%s\n", line.c_str());
        std::fflush(stdout);
    };
    if (json)
        service.setRequestLog(say);
    serve::HttpServer server(service, args.get("host", "127.0.0.1"), static_cast<unsigned short>(port),
                             int(args.getInt("io-threads", 1)), !token.empty());
    std::string names;
    for (const std::string& n : service.modelNames())
        names += (names.empty() ? "" : ", ") + n;
    if (json)
        say(Json{{"event", "start"}, {"url", server.url()}, {"models", service.modelNames()}}.dump());
    else
        say("serving " + names + " at " + server.url() + " (KServe v2: " + server.url() + "/v2/models/" +
            service.modelNames().front() + "/infer)");
    // --watch: a new version in the repository, or a model file rewritten (a training run's
    // best.ncmodel), is swapped in while the server answers; a file that cannot be read keeps
    // the served version.
    std::atomic<bool> running{true};
    std::thread watcher;
    if (args.has("watch"))
        watcher = std::thread([&] {
            std::map<std::string, std::string> stamps;
            auto stamp = [](const std::string& path) {
                std::error_code ec;
                const auto size = std::filesystem::file_size(path, ec);
                const auto time = std::filesystem::last_write_time(path, ec);
                return ec ? std::string() : std::to_string(size) + "@" + std::to_string(time.time_since_epoch().count());
            };
            for (const auto& [name, path] : files)
                stamps[name] = stamp(path);
            while (running) {
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
                for (const auto& [name, path] : files) {
                    const std::string now = stamp(path);
                    if (now.empty() || now == stamps[name])
                        continue;
                    stamps[name] = now;
                    try {
                        service.replaceModel(name, path);
                        say(json ? Json{{"event", "reload"}, {"model", name}, {"path", path}}.dump()
                                 : "reloaded " + name + " from " + path);
                    } catch (const std::exception& e) {
                        say(json ? Json{{"event", "reload-failed"}, {"model", name}, {"message", e.what()}}.dump()
                                 : "kept the served " + name + ": " + e.what());
                    }
                }
                for (const std::string& line : service.rescanRepository())
                    say(json ? Json{{"event", "repository"}, {"message", line}}.dump() : line);
            }
        });
    server.run(true);
    running = false;
    if (watcher.joinable())
        watcher.join();
    say(json ? Json{{"event", "stop"}}.dump() : std::string("stopped"));
    return 0;
#endif
}

} // namespace nc::cli
