#pragma once
#include "serve/HttpTypes.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nc::serve {

// The serving protocols as one function of a parsed request (DESIGN §9): KServe v2 / Open
// Inference Protocol (JSON tensors and the binary tensor extension), TF Serving v1 REST
// (`:predict`), `:classify` for image bytes, health, metadata and Prometheus `/metrics`.
// Parsing and validation run on the caller's (HTTP) thread and never touch torch; inference
// goes to each model's Batcher, whose thread calls `done`. Every refusal is {"error": "..."}
// with its status. Thread-safe.
class InferenceService {
public:
    explicit InferenceService(ServeLimits limits = {}, int torchThreads = 0);
    ~InferenceService();
    InferenceService(const InferenceService&) = delete;
    InferenceService& operator=(const InferenceService&) = delete;

    // Loads a .ncmodel and serves it as `name` (version "1" unless given). Throws nc::Error.
    void addModel(const std::string& name, const std::string& ncmodelPath, const std::string& version = "1");
    // Loads the new file first, then swaps it in atomically: requests already queued finish on
    // the old weights, every later one gets the new. Adds the model when it is not served yet.
    void replaceModel(const std::string& name, const std::string& ncmodelPath, const std::string& version = "1");
    // Loads the file first, then atomically makes it the only served version of `name` (older
    // versions retire once their queued requests are answered). The Deploy tab's "follow training".
    void swapModel(const std::string& name, const std::string& ncmodelPath, const std::string& version);
    bool removeModel(const std::string& name); // all versions; false if none was served
    std::vector<std::string> modelNames() const;
    std::vector<std::int64_t> inputShape(const std::string& name) const; // [C, H, W]; empty if not served

    // A model repository (KServe/Triton layout): DIR/<name>.ncmodel (version 1) or
    // DIR/<name>/<version>/<any>.ncmodel with whole-number versions; requests without a version
    // get the highest. Loads every model found (throws nc::Error if none). rescan() loads new
    // versions and files that changed since (for --watch) and returns what it did, a line each.
    void loadRepository(const std::string& dir);
    std::vector<std::string> rescanRepository();

    // Decodes image bytes (PNG, JPEG, …) into uint8 [C, H, W] of the model's input shape; the
    // CLI installs OpenCV's when it has one. Without it, `:classify` and `{"b64": …}` are 415.
    using ImageDecoder = std::function<std::vector<std::uint8_t>(const std::string& bytes, std::int64_t channels,
                                                                 std::int64_t height, std::int64_t width)>;
    void setImageDecoder(ImageDecoder decoder);
    // With a token, every request but the health probes needs "Authorization: Bearer <token>".
    void setToken(const std::string& token);
    // Called once per answered request (any thread) with one JSON line: time, method, path,
    // status, milliseconds, bytes in and out (`serve --json`).
    void setRequestLog(std::function<void(const std::string& line)> log);

    void handle(const HttpRequest& request, std::function<void(HttpResponse)> done);
    std::string metricsText() const;
    const ServeLimits& limits() const;

    // Counted by the HTTP layer: refusals it answers itself (413, 431, 408) and open connections.
    void countRefusal(int status);
    void connectionOpened();
    void connectionClosed();
    std::int64_t inFlight() const; // requests waiting for or running in a model
    struct Counts {
        std::uint64_t answered = 0, refused = 0; // 2xx, and everything else
    };
    Counts counts() const;
    // Request latencies of all models so far, as Prometheus buckets: upper bounds (seconds) and
    // the count in each (not cumulative; the last is +Inf). For live charts.
    struct LatencyBuckets {
        std::vector<double> bounds;
        std::vector<std::uint64_t> counts;
        double batchImagesSum = 0;
        std::uint64_t batches = 0;
    };
    LatencyBuckets latency() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace nc::serve
