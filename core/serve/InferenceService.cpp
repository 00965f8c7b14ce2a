#include "serve/InferenceService.h"

#include "inspect/Inspect.h"
#include "nn/Model.h"
#include "serve/Batcher.h"
#include "util/Error.h"
#include "util/Json.h"
#include "util/Version.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <mutex>
#include <sstream>

namespace nc::serve {

namespace {
using Clock = std::chrono::steady_clock;

HttpResponse error(int status, const std::string& message) {
    HttpResponse r;
    r.status = status;
    r.body = Json{{"error", message}}.dump(-1, ' ', false, Json::error_handler_t::replace);
    return r;
}

HttpResponse json(const Json& j, int status = 200) {
    HttpResponse r;
    r.status = status;
    r.body = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    return r;
}

// A refusal thrown while reading a request: its status and message.
struct Refusal {
    int status;
    std::string message;
};

bool constantTimeEquals(const std::string& a, const std::string& b) {
    unsigned char diff = static_cast<unsigned char>(a.size() != b.size());
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

std::string base64Decode(const std::string& in) {
    static const std::array<int, 256> table = [] {
        std::array<int, 256> t{};
        t.fill(-1);
        const char* chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; ++i)
            t[static_cast<unsigned char>(chars[i])] = i;
        t['-'] = 62; // the URL-safe alphabet too
        t['_'] = 63;
        return t;
    }();
    std::string out;
    out.reserve(in.size() * 3 / 4);
    int bits = 0, value = 0;
    for (const char ch : in) {
        if (ch == '=' || ch == '\n' || ch == '\r' || ch == ' ')
            continue;
        const int v = table[static_cast<unsigned char>(ch)];
        if (v < 0)
            throw Refusal{400, "the \"b64\" value is not base64"};
        value = (value << 6) | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((value >> bits) & 0xFF));
        }
    }
    return out;
}

// Appends the numbers of a flat or nested JSON array, refusing more than `limit` of them.
void flatten(const Json& j, std::vector<float>& out, std::size_t limit, double scale) {
    if (j.is_array()) {
        for (const Json& v : j)
            flatten(v, out, limit, scale);
        return;
    }
    if (!j.is_number())
        throw Refusal{400, "tensor data must be numbers"};
    if (out.size() >= limit)
        throw Refusal{400, "the tensor holds more values than its shape"};
    const double v = j.get<double>() * scale;
    if (!std::isfinite(v))
        throw Refusal{400, "tensor data must be finite numbers"};
    out.push_back(static_cast<float>(v));
}

// Histogram with Prometheus' cumulative buckets.
struct Histogram {
    std::vector<double> bounds;
    std::vector<std::uint64_t> counts; // per bucket (not cumulative); the last is +Inf
    double sum = 0;
    std::uint64_t count = 0;
    explicit Histogram(std::vector<double> b) : bounds(std::move(b)), counts(bounds.size() + 1, 0) {}
    void add(double v) {
        std::size_t i = 0;
        while (i < bounds.size() && v > bounds[i])
            ++i;
        ++counts[i];
        sum += v;
        ++count;
    }
    void write(std::ostringstream& out, const std::string& name, const std::string& labels) const {
        std::uint64_t running = 0;
        for (std::size_t i = 0; i <= bounds.size(); ++i) {
            running += counts[i];
            out << name << "_bucket{" << labels << (labels.empty() ? "" : ",") << "le=\"";
            if (i < bounds.size())
                out << bounds[i];
            else
                out << "+Inf";
            out << "\"} " << running << "\n";
        }
        out << name << "_sum{" << labels << "} " << sum << "\n";
        out << name << "_count{" << labels << "} " << count << "\n";
    }
};

std::vector<double> latencyBounds() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}
std::vector<double> batchBounds() { return {1, 2, 4, 8, 16, 32, 64, 128, 256}; }

std::string escapeLabel(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

long long versionNumber(const std::string& v) {
    char* end = nullptr;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    return end && *end == '\0' && !v.empty() ? n : -1;
}

std::string fileStamp(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    const auto time = std::filesystem::last_write_time(path, ec);
    return std::to_string(size) + "@" + std::to_string(time.time_since_epoch().count());
}

struct Route {
    enum class Kind {
        Unknown, Live, Ready, Server, Metrics, ModelMeta, ModelReady, Infer, Explain, V1Status, V1Predict,
        V1Classify, V1Explain, RepositoryIndex, RepositoryLoad, RepositoryUnload
    };
    Kind kind = Kind::Unknown;
    std::string model, version;
};

// /v2/models/{m}[/versions/{v}][/ready|/infer], /v1/models/{m}[/versions/{v}][:predict|:classify]
Route parseRoute(const std::string& path) {
    Route r;
    if (path == "/v2/health/live")
        r.kind = Route::Kind::Live;
    else if (path == "/v2/health/ready")
        r.kind = Route::Kind::Ready;
    else if (path == "/v2" || path == "/v2/")
        r.kind = Route::Kind::Server;
    else if (path == "/metrics")
        r.kind = Route::Kind::Metrics;
    else if (path == "/v2/repository/index")
        r.kind = Route::Kind::RepositoryIndex;
    if (r.kind != Route::Kind::Unknown)
        return r;
    if (path.rfind("/v2/repository/models/", 0) == 0) {
        const std::string rest = path.substr(22);
        const auto slash = rest.find('/');
        if (slash == std::string::npos || slash == 0)
            return r;
        r.model = rest.substr(0, slash);
        const std::string action = rest.substr(slash + 1);
        r.kind = action == "load" ? Route::Kind::RepositoryLoad
                 : action == "unload" ? Route::Kind::RepositoryUnload
                                      : Route::Kind::Unknown;
        return r;
    }
    const bool v2 = path.rfind("/v2/models/", 0) == 0, v1 = path.rfind("/v1/models/", 0) == 0;
    if (!v2 && !v1)
        return r;
    std::string rest = path.substr(11);
    std::string verb;
    if (v1) {
        const auto colon = rest.rfind(':');
        if (colon != std::string::npos) {
            verb = rest.substr(colon + 1);
            rest = rest.substr(0, colon);
        }
    }
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= rest.size()) {
        const auto slash = rest.find('/', start);
        parts.push_back(rest.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    if (parts.empty() || parts[0].empty())
        return r;
    r.model = parts[0];
    std::size_t i = 1;
    if (parts.size() >= 3 && parts[1] == "versions" && !parts[2].empty()) {
        r.version = parts[2];
        i = 3;
    }
    const std::string tail = i < parts.size() ? parts[i] : std::string();
    if (i + 1 < parts.size() || (i < parts.size() && v1))
        return r; // more segments than any route has
    if (v2) {
        r.kind = tail.empty() ? Route::Kind::ModelMeta
                 : tail == "ready" ? Route::Kind::ModelReady
                 : tail == "infer" ? Route::Kind::Infer
                 : tail == "explain" ? Route::Kind::Explain
                                   : Route::Kind::Unknown;
    } else {
        r.kind = verb.empty() ? Route::Kind::V1Status
                 : verb == "predict" ? Route::Kind::V1Predict
                 : verb == "classify" ? Route::Kind::V1Classify
                 : verb == "explain" ? Route::Kind::V1Explain
                                      : Route::Kind::Unknown;
    }
    return r;
}
} // namespace

int jsonNestingDepth(const std::string& text, int limit) {
    int depth = 0, deepest = 0;
    bool inString = false, escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > limit)
                return deepest;
        } else if (c == ']' || c == '}')
            --depth;
    }
    return deepest;
}

struct InferenceService::Impl {
    ServeLimits limits;
    int torchThreads = 0;
    ImageDecoder decoder;
    std::string token;
    std::function<void(const std::string&)> requestLog;

    struct Served {
        std::string name, version, path;
        std::string stamp; // the file's size and time when loaded (repository rescans)
        std::shared_ptr<const Model> model;
        std::unique_ptr<Batcher> batcher;
    };
    mutable std::mutex mutex; // guards models, retired, repository and metrics
    std::vector<std::shared_ptr<Served>> models;
    // Swapped-out models, kept until no request holds them: the last reference must never be
    // dropped on a model's own thread (its Batcher would join itself).
    std::vector<std::shared_ptr<Served>> retired;
    std::string repository;
    std::set<std::string> unloaded; // unloaded through the repository API: rescans leave them out

    std::shared_ptr<Served> load(const std::string& name, const std::string& path, const std::string& version) {
        if (name.empty() || name.find_first_of("/:?# \"") != std::string::npos)
            throw Error("a model's name must not be empty or hold '/', ':', '?', '#', quotes or spaces: \"" + name +
                        "\"");
        auto served = std::make_shared<Served>();
        served->name = name;
        served->version = version;
        served->path = path;
        served->stamp = fileStamp(path);
        auto model = std::make_shared<Model>(Model::load(path));
        served->model = model;
        served->batcher = std::make_unique<Batcher>(model, limits, torchThreads);
        return served;
    }

    // Called off the models' threads: frees swapped-out models nobody uses any more.
    void collectRetired() {
        std::vector<std::shared_ptr<Served>> done;
        {
            std::lock_guard<std::mutex> lock(mutex);
            for (auto it = retired.begin(); it != retired.end();) {
                if (it->use_count() == 1 && (*it)->batcher->queued() == 0) {
                    done.push_back(std::move(*it));
                    it = retired.erase(it);
                } else {
                    ++it;
                }
            }
        }
        done.clear();
    }

    // Metrics (under mutex).
    std::map<std::pair<std::string, int>, std::uint64_t> requests; // (model or "", status)
    std::map<std::string, Histogram> latency, queueTime, batchSize;
    std::atomic<std::int64_t> inflight{0}, connections{0};

    std::vector<std::shared_ptr<Served>> snapshot() const {
        std::lock_guard<std::mutex> lock(mutex);
        return models;
    }

    // The given version, or without one the highest served.
    std::shared_ptr<Served> find(const std::string& name, const std::string& version) const {
        std::lock_guard<std::mutex> lock(mutex);
        std::shared_ptr<Served> best;
        for (const auto& m : models)
            if (m->name == name) {
                if (!version.empty()) {
                    if (m->version == version)
                        return m;
                } else if (!best || versionNumber(m->version) > versionNumber(best->version)) {
                    best = m;
                }
            }
        return best;
    }

    void record(const std::string& model, int status, double seconds, const BatchResult* batch) {
        std::lock_guard<std::mutex> lock(mutex);
        ++requests[{model, status}];
        if (model.empty())
            return;
        latency.try_emplace(model, latencyBounds()).first->second.add(seconds);
        if (batch && batch->ok) {
            queueTime.try_emplace(model, latencyBounds()).first->second.add(batch->queueSeconds);
            batchSize.try_emplace(model, batchBounds()).first->second.add(double(batch->batchImages));
        }
    }

    Json modelMetadata(const Served& m) const {
        const Shape& s = m.model->inputShape();
        const std::int64_t k = std::int64_t(m.model->classNames().size());
        return {{"name", m.name},
                {"versions", Json::array({m.version})},
                {"platform", "neuralcanvas"},
                {"inputs", Json::array({{{"name", "input"}, {"datatype", "FP32"}, {"shape", {-1, s[0], s[1], s[2]}}}})},
                {"outputs", Json::array({{{"name", "logits"}, {"datatype", "FP32"}, {"shape", {-1, k}}},
                                         {{"name", "probabilities"}, {"datatype", "FP32"}, {"shape", {-1, k}}}})},
                {"parameters", {{"class_names", m.model->classNames()}, {"input_range", "[0, 1]"}}}};
    }

    Json parseBody(const std::string& text) const {
        if (jsonNestingDepth(text, limits.jsonDepth) > limits.jsonDepth)
            throw Refusal{400, "the JSON is nested deeper than " + std::to_string(limits.jsonDepth) + " levels"};
        Json j = Json::parse(text, nullptr, false);
        if (j.is_discarded())
            throw Refusal{400, "the body is not valid JSON (or not valid UTF-8)"};
        if (!j.is_object())
            throw Refusal{400, "the body must be a JSON object"};
        return j;
    }

    std::vector<float> decodeImage(const Served& m, const std::string& bytes) const {
        if (!decoder)
            throw Refusal{415, "this build of NeuralCanvas cannot decode images (it was built without OpenCV); send "
                               "tensors instead"};
        const Shape& s = m.model->inputShape();
        std::vector<std::uint8_t> pixels;
        try {
            pixels = decoder(bytes, s[0], s[1], s[2]);
        } catch (const std::exception& e) {
            throw Refusal{400, std::string("the image could not be read: ") + e.what()};
        }
        std::vector<float> out(pixels.size());
        for (std::size_t i = 0; i < pixels.size(); ++i)
            out[i] = float(pixels[i]) / 255.0f;
        return out;
    }

    void run(const std::shared_ptr<Served>& m, std::vector<float> images, std::size_t n,
             std::function<HttpResponse(const BatchResult&)> format, std::function<void(HttpResponse)> done,
             Clock::time_point start) {
        ++inflight;
        m->batcher->submit(std::move(images), n, [this, m, format = std::move(format), done = std::move(done),
                                                   start](BatchResult r) {
            HttpResponse response;
            if (r.ok) {
                response = format(r);
            } else {
                response = error(r.status, r.error);
                if (r.status == 503)
                    response.headers.emplace_back("Retry-After", "1");
            }
            --inflight;
            record(m->name, response.status, std::chrono::duration<double>(Clock::now() - start).count(), &r);
            done(std::move(response));
        });
    }

    std::vector<float> readInputTensor(const Json& in, const std::string& binary, const Shape& s,
                                       std::size_t& n) const;
    void explain(const std::shared_ptr<Served>& m, const HttpRequest& req, bool v1,
                 std::function<void(HttpResponse)> done, Clock::time_point start);
    void infer(const std::shared_ptr<Served>& m, const HttpRequest& req, std::function<void(HttpResponse)> done,
               Clock::time_point start);
    void predict(const std::shared_ptr<Served>& m, const HttpRequest& req, std::function<void(HttpResponse)> done,
                 Clock::time_point start);
    void classify(const std::shared_ptr<Served>& m, const HttpRequest& req, std::function<void(HttpResponse)> done,
                  Clock::time_point start);
};

InferenceService::InferenceService(ServeLimits limits, int torchThreads) : d(std::make_unique<Impl>()) {
    d->limits = limits;
    d->torchThreads = torchThreads;
}

InferenceService::~InferenceService() {
    std::vector<std::shared_ptr<Impl::Served>> models;
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        models.swap(d->models);
    }
    models.clear(); // each Batcher finishes its queue, then stops
}

void InferenceService::addModel(const std::string& name, const std::string& path, const std::string& version) {
    auto served = d->load(name, path, version);
    std::lock_guard<std::mutex> lock(d->mutex);
    for (auto& m : d->models)
        if (m->name == name && m->version == version)
            throw Error("two models are named \"" + name + "\" (version " + version + ")");
    d->models.push_back(std::move(served));
}

void InferenceService::replaceModel(const std::string& name, const std::string& path, const std::string& version) {
    auto served = d->load(name, path, version); // outside the lock: the old one serves meanwhile
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        bool swapped = false;
        for (auto& m : d->models)
            if (m->name == name && m->version == version) {
                d->retired.push_back(std::move(m));
                m = std::move(served);
                swapped = true;
                break;
            }
        if (!swapped)
            d->models.push_back(std::move(served));
    }
    d->collectRetired();
}

bool InferenceService::removeModel(const std::string& name) {
    bool removed = false;
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        for (auto it = d->models.begin(); it != d->models.end();) {
            if ((*it)->name == name) {
                d->retired.push_back(std::move(*it));
                it = d->models.erase(it);
                removed = true;
            } else {
                ++it;
            }
        }
    }
    d->collectRetired();
    return removed;
}

namespace {
// What a repository folder holds: (name, version, file).
std::vector<std::array<std::string, 3>> scanRepository(const std::string& dir) {
    namespace fs = std::filesystem;
    std::vector<std::array<std::string, 3>> found;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path p = it->path();
        if (it->is_regular_file(ec) && p.extension() == ".ncmodel") {
            found.push_back({p.stem().string(), "1", p.string()});
        } else if (it->is_directory(ec)) {
            for (fs::directory_iterator v(p, ec); !ec && v != end; v.increment(ec)) {
                if (!v->is_directory(ec) || versionNumber(v->path().filename().string()) < 0)
                    continue;
                std::string file;
                for (fs::directory_iterator f(v->path(), ec); !ec && f != end; f.increment(ec))
                    if (f->path().extension() == ".ncmodel" && (file.empty() || f->path().filename() == "model.ncmodel"))
                        file = f->path().string();
                if (!file.empty())
                    found.push_back({p.filename().string(), v->path().filename().string(), file});
            }
        }
    }
    return found;
}
} // namespace

void InferenceService::loadRepository(const std::string& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw Error(dir + " is not a folder; a repository holds NAME.ncmodel files or NAME/VERSION/ folders");
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        d->repository = dir;
    }
    const auto found = scanRepository(dir);
    if (found.empty())
        throw Error(dir + " holds no models (NAME.ncmodel, or NAME/1/model.ncmodel)");
    for (const auto& [name, version, file] : found)
        addModel(name, file, version);
}

std::vector<std::string> InferenceService::rescanRepository() {
    std::string dir;
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        dir = d->repository;
    }
    std::vector<std::string> log;
    if (dir.empty())
        return log;
    for (const auto& [name, version, file] : scanRepository(dir)) {
        {
            std::lock_guard<std::mutex> lock(d->mutex);
            if (d->unloaded.count(name))
                continue;
        }
        const auto current = d->find(name, version);
        if (current && current->version == version && current->path == file && current->stamp == fileStamp(file))
            continue;
        try {
            replaceModel(name, file, version);
            log.push_back((current ? "reloaded " : "loaded ") + name + " version " + version + " from " + file);
        } catch (const std::exception& e) {
            log.push_back("kept what was served of " + name + ": " + e.what());
        }
    }
    d->collectRetired();
    return log;
}

std::vector<std::int64_t> InferenceService::inputShape(const std::string& name) const {
    const auto m = d->find(name, {});
    return m ? m->model->inputShape() : std::vector<std::int64_t>();
}

std::vector<std::string> InferenceService::modelNames() const {
    std::lock_guard<std::mutex> lock(d->mutex);
    std::vector<std::string> names;
    for (const auto& m : d->models)
        names.push_back(m->name);
    return names;
}

void InferenceService::setImageDecoder(ImageDecoder decoder) { d->decoder = std::move(decoder); }
void InferenceService::setToken(const std::string& token) { d->token = token; }
void InferenceService::setRequestLog(std::function<void(const std::string&)> log) { d->requestLog = std::move(log); }
const ServeLimits& InferenceService::limits() const { return d->limits; }

void InferenceService::countRefusal(int status) { d->record({}, status, 0, nullptr); }
void InferenceService::connectionOpened() { ++d->connections; }
void InferenceService::connectionClosed() { --d->connections; }
std::int64_t InferenceService::inFlight() const { return d->inflight.load(); }

InferenceService::LatencyBuckets InferenceService::latency() const {
    std::lock_guard<std::mutex> lock(d->mutex);
    LatencyBuckets out;
    out.bounds = latencyBounds();
    out.counts.assign(out.bounds.size() + 1, 0);
    for (const auto& [model, h] : d->latency)
        for (std::size_t i = 0; i < h.counts.size() && i < out.counts.size(); ++i)
            out.counts[i] += h.counts[i];
    for (const auto& [model, h] : d->batchSize) {
        out.batchImagesSum += h.sum;
        out.batches += h.count;
    }
    return out;
}

InferenceService::Counts InferenceService::counts() const {
    std::lock_guard<std::mutex> lock(d->mutex);
    Counts c;
    for (const auto& [key, n] : d->requests)
        (key.second >= 200 && key.second < 300 ? c.answered : c.refused) += n;
    return c;
}

void InferenceService::handle(const HttpRequest& req, std::function<void(HttpResponse)> done) {
    const auto start = Clock::now();
    if (d->requestLog) {
        const auto wall = std::chrono::system_clock::now();
        done = [log = d->requestLog, done = std::move(done), method = req.method,
                path = req.target.substr(0, std::min<std::size_t>(req.target.find('?'), 512)), start, wall,
                bytesIn = req.body.size()](HttpResponse r) {
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            const double unix = std::chrono::duration<double>(wall.time_since_epoch()).count();
            log(Json{{"event", "request"}, {"time", unix}, {"method", method}, {"path", path},
                     {"status", r.status}, {"ms", ms}, {"bytes_in", bytesIn}, {"bytes_out", r.body.size()}}
                    .dump(-1, ' ', false, Json::error_handler_t::replace));
            done(std::move(r));
        };
    }
    std::string modelName;
    auto reply = [&](HttpResponse r) {
        d->record(modelName, r.status, std::chrono::duration<double>(Clock::now() - start).count(), nullptr);
        done(std::move(r));
    };
    try {
        const std::string path = req.target.substr(0, req.target.find('?'));
        const Route route = parseRoute(path);
        if (!d->token.empty() && route.kind != Route::Kind::Live && route.kind != Route::Kind::Ready) {
            const std::string auth = req.header("authorization");
            const std::string prefix = "Bearer ";
            if (auth.rfind(prefix, 0) != 0 || !constantTimeEquals(auth.substr(prefix.size()), d->token))
                return reply(error(401, "this server needs \"Authorization: Bearer <token>\""));
        }
        const bool get = req.method == "GET" || req.method == "HEAD", post = req.method == "POST";
        auto needs = [&](bool ok, const char* method) {
            if (!ok)
                throw Refusal{405, path + " takes " + method + " requests"};
        };
        switch (route.kind) {
        case Route::Kind::Unknown: return reply(error(404, "no endpoint " + path + " (see docs/SERVING.md)"));
        case Route::Kind::Live: needs(get, "GET"); return reply(json(Json{{"live", true}}));
        case Route::Kind::Ready: {
            needs(get, "GET");
            const bool ready = !modelNames().empty();
            return reply(json(Json{{"ready", ready}}, ready ? 200 : 503));
        }
        case Route::Kind::Server:
            needs(get, "GET");
            return reply(json({{"name", "neuralcanvas"},
                               {"version", writerName()},
                               {"extensions", Json::array({"binary_tensor_data", "model_repository", "classify", "explain", "metrics"})}}));
        case Route::Kind::RepositoryIndex: {
            needs(get || post, "GET or POST");
            Json index = Json::array();
            for (const auto& m : d->snapshot())
                index.push_back({{"name", m->name}, {"version", m->version}, {"state", "READY"}});
            return reply(json(index));
        }
        case Route::Kind::RepositoryLoad:
        case Route::Kind::RepositoryUnload: {
            needs(post, "POST");
            if (route.kind == Route::Kind::RepositoryUnload) {
                if (!removeModel(route.model))
                    return reply(error(404, "no model \"" + route.model + "\" is loaded"));
                {
                    std::lock_guard<std::mutex> lock(d->mutex);
                    d->unloaded.insert(route.model);
                }
                return reply(json(Json::object()));
            }
            std::string repository;
            {
                std::lock_guard<std::mutex> lock(d->mutex);
                repository = d->repository;
                d->unloaded.erase(route.model);
            }
            if (repository.empty())
                return reply(error(404, "this server was started without --repository; nothing to load from"));
            bool loaded = false;
            for (const std::string& line : rescanRepository())
                loaded |= line.find(" " + route.model + " ") != std::string::npos;
            if (!loaded && !d->find(route.model, {}))
                return reply(error(404, "the repository has no model \"" + route.model + "\""));
            return reply(json(Json::object()));
        }
        case Route::Kind::Metrics: {
            needs(get, "GET");
            HttpResponse r;
            r.contentType = "text/plain; version=0.0.4; charset=utf-8";
            r.body = metricsText();
            return reply(std::move(r));
        }
        default: break;
        }
        modelName = route.model;
        const std::shared_ptr<Impl::Served> m = d->find(route.model, route.version);
        if (!m) {
            modelName.clear(); // unknown names do not become metric labels
            return reply(error(404, "no model \"" + route.model + "\"" +
                                        (route.version.empty() ? "" : " version " + route.version) + " is served"));
        }
        switch (route.kind) {
        case Route::Kind::ModelMeta: needs(get, "GET"); return reply(json(d->modelMetadata(*m)));
        case Route::Kind::ModelReady:
            needs(get, "GET");
            return reply(json(Json{{"name", m->name}, {"ready", true}}));
        case Route::Kind::V1Status:
            needs(get, "GET");
            return reply(json({{"model_version_status",
                                Json::array({{{"version", m->version},
                                              {"state", "AVAILABLE"},
                                              {"status", {{"error_code", "OK"}, {"error_message", ""}}}}})}}));
        // `done` is copied: a refusal thrown while reading the request still answers through it.
        case Route::Kind::Infer: needs(post, "POST"); return d->infer(m, req, done, start);
        case Route::Kind::V1Predict: needs(post, "POST"); return d->predict(m, req, done, start);
        case Route::Kind::V1Classify: needs(post, "POST"); return d->classify(m, req, done, start);
        case Route::Kind::Explain: needs(post, "POST"); return d->explain(m, req, false, done, start);
        case Route::Kind::V1Explain: needs(post, "POST"); return d->explain(m, req, true, done, start);
        default: return reply(error(404, "no endpoint " + path));
        }
    } catch (const Refusal& r) {
        return reply(error(r.status, r.message));
    } catch (const std::exception& e) {
        return reply(error(500, std::string("the request could not be served: ") + e.what()));
    }
}

// The one input tensor of a KServe v2 request ([N, C, H, W] or [C, H, W]; FP32/FP64 in [0, 1],
// or UINT8; JSON data or the binary extension's bytes), as float images in [0, 1].
std::vector<float> InferenceService::Impl::readInputTensor(const Json& in, const std::string& binary, const Shape& s,
                                                           std::size_t& nOut) const {
    if (!in.is_object() || !in.contains("shape") || !in["shape"].is_array())
        throw Refusal{400, "the input needs a \"shape\", e.g. [1, C, H, W]"};
    std::vector<std::int64_t> shape;
    for (const Json& v : in["shape"]) {
        if (!v.is_number_integer() || v.get<std::int64_t>() <= 0 || v.get<std::int64_t>() > (1 << 20))
            throw Refusal{400, "shape values must be positive whole numbers"};
        shape.push_back(v.get<std::int64_t>());
    }
    if (shape.size() == 3)
        shape.insert(shape.begin(), 1);
    auto shapeText = [](const std::vector<std::int64_t>& v) {
        std::string t = "[";
        for (std::size_t i = 0; i < v.size(); ++i)
            t += (i ? ", " : "") + std::to_string(v[i]);
        return t + "]";
    };
    if (shape.size() != 4 || shape[1] != s[0] || shape[2] != s[1] || shape[3] != s[2])
        throw Refusal{400, "the input's shape " + shapeText(shape) + " is not [N, " + std::to_string(s[0]) + ", " +
                               std::to_string(s[1]) + ", " + std::to_string(s[2]) + "] like the model's input"};
    const std::size_t n = std::size_t(shape[0]);
    if (n > limits.maxImagesPerRequest)
        throw Refusal{413, "a request may hold at most " + std::to_string(limits.maxImagesPerRequest) + " images"};
    const std::size_t count = n * std::size_t(s[0] * s[1] * s[2]);
    const std::string datatype = in.value("datatype", std::string("FP32"));
    if (datatype != "FP32" && datatype != "FP64" && datatype != "UINT8")
        throw Refusal{400, "datatype " + datatype + " is not supported; send FP32 in [0, 1] (or UINT8 0-255)"};
    std::vector<float> images;
    images.reserve(count);
    const Json params = in.value("parameters", Json::object());
    if (params.is_object() && params.contains("binary_data_size")) {
        if (datatype != "FP32" && datatype != "UINT8")
            throw Refusal{400, "binary input data must be FP32 or UINT8"};
        const std::size_t bytes = params["binary_data_size"].is_number_unsigned()
                                      ? params["binary_data_size"].get<std::size_t>()
                                      : std::size_t(-1);
        const std::size_t expected = count * (datatype == "FP32" ? 4 : 1);
        if (bytes != expected || binary.size() < bytes)
            throw Refusal{400, "binary_data_size must be " + std::to_string(expected) + " bytes for shape " +
                                   shapeText(shape) + " and the body must hold them"};
        if (datatype == "FP32") {
            images.resize(count);
            std::memcpy(images.data(), binary.data(), expected);
            for (float v : images)
                if (!std::isfinite(v))
                    throw Refusal{400, "tensor data must be finite numbers"};
        } else {
            for (std::size_t i = 0; i < count; ++i)
                images.push_back(float(static_cast<unsigned char>(binary[i])) / 255.0f);
        }
    } else {
        if (!in.contains("data"))
            throw Refusal{400, "the input needs \"data\" (or the binary extension's binary_data_size)"};
        flatten(in["data"], images, count, datatype == "UINT8" ? 1.0 / 255.0 : 1.0);
        if (images.size() != count)
            throw Refusal{400, "the input holds " + std::to_string(images.size()) + " values; shape " +
                                   shapeText(shape) + " needs " + std::to_string(count)};
    }
    nOut = n;
    return images;
}

void InferenceService::Impl::explain(const std::shared_ptr<Served>& m, const HttpRequest& req, bool v1,
                                     std::function<void(HttpResponse)> done, Clock::time_point start) {
    const Json body = parseBody(req.body);
    const Shape& s = m->model->inputShape();
    std::vector<float> image;
    std::size_t n = 0;
    if (v1) {
        const Json* list = body.contains("instances") ? &body["instances"] : nullptr;
        if (!list || !list->is_array() || list->size() != 1)
            throw Refusal{400, "explain takes \"instances\" with one image ([C][H][W] in [0, 1] or {\"b64\": …})"};
        const Json& instance = (*list)[0];
        if (instance.is_object() && instance.contains("b64") && instance["b64"].is_string()) {
            image = decodeImage(*m, base64Decode(instance["b64"].get<std::string>()));
        } else {
            const std::size_t per = std::size_t(s[0] * s[1] * s[2]);
            flatten(instance, image, per, 1.0);
            if (image.size() != per)
                throw Refusal{400, "the image must hold " + std::to_string(per) + " values"};
        }
        n = 1;
    } else {
        const Json* inputs = body.contains("inputs") ? &body["inputs"] : nullptr;
        if (!inputs || !inputs->is_array() || inputs->size() != 1)
            throw Refusal{400, "explain takes \"inputs\" with one tensor of one image"};
        image = readInputTensor((*inputs)[0], {}, s, n);
    }
    if (n != 1)
        throw Refusal{400, "explain takes one image at a time"};
    const Json params = body.value("parameters", Json::object());
    SaliencyOptions options;
    const std::string method = params.is_object() ? params.value("method", std::string("gradient")) : "gradient";
    if (!parseSaliencyMethod(method, options.method))
        throw Refusal{400, "method must be gradient, smoothgrad, integrated-gradients or grad-cam, not " + method};
    if (params.is_object() && params.contains("target") && params["target"].is_number_integer())
        options.targetClass = params["target"].get<int>();
    if (options.targetClass >= int(m->model->classNames().size()))
        throw Refusal{400, "target must be a class index below " + std::to_string(m->model->classNames().size())};
    std::vector<std::uint8_t> pixels(image.size());
    for (std::size_t i = 0; i < image.size(); ++i)
        pixels[i] = static_cast<std::uint8_t>(std::lround(std::clamp(image[i], 0.0f, 1.0f) * 255.0f));
    ++inflight;
    m->batcher->runJob([this, m, pixels = std::move(pixels), options, done, start, method](const Model& model) {
        HttpResponse response;
        try {
            const SaliencyMap map = saliency(model, pixels.data(), options);
            Json j = {{"model_name", m->name},
                      {"model_version", m->version},
                      {"method", method},
                      {"target", map.targetClass},
                      {"label", model.classNames()[std::size_t(map.targetClass)]},
                      {"outputs", Json::array({{{"name", "saliency"},
                                                {"datatype", "FP32"},
                                                {"shape", {1, map.height, map.width}},
                                                {"data", map.values}}})}};
            if (!map.layer.empty())
                j["layer"] = map.layer;
            response = json(j);
        } catch (const std::exception& e) {
            response = error(400, std::string("no explanation: ") + e.what());
        }
        --inflight;
        record(m->name, response.status, std::chrono::duration<double>(Clock::now() - start).count(), nullptr);
        done(std::move(response));
    });
}

void InferenceService::Impl::infer(const std::shared_ptr<Served>& m, const HttpRequest& req,
                                   std::function<void(HttpResponse)> done, Clock::time_point start) {
    // The binary tensor extension: a JSON header of the given length, then raw tensor bytes.
    std::string header = req.body, binary;
    const std::string lengthText = req.header("inference-header-content-length");
    if (!lengthText.empty()) {
        char* end = nullptr;
        const unsigned long long length = std::strtoull(lengthText.c_str(), &end, 10);
        if (end == lengthText.c_str() || *end != '\0' || length > req.body.size())
            throw Refusal{400, "Inference-Header-Content-Length is not a length within the body"};
        header = req.body.substr(0, std::size_t(length));
        binary = req.body.substr(std::size_t(length));
    }
    const Json body = parseBody(header);
    const Json* inputs = body.contains("inputs") ? &body["inputs"] : nullptr;
    if (!inputs || !inputs->is_array() || inputs->empty())
        throw Refusal{400, "the request needs \"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}]"};
    if (inputs->size() != 1)
        throw Refusal{400, "this model takes one input tensor, \"input\""};
    std::size_t n = 0;
    std::vector<float> images = readInputTensor((*inputs)[0], binary, m->model->inputShape(), n);
    // Which outputs, and which of them as binary data.
    std::vector<std::pair<std::string, bool>> wanted;
    if (body.contains("outputs") && body["outputs"].is_array() && !body["outputs"].empty()) {
        for (const Json& o : body["outputs"]) {
            const std::string name = o.is_object() ? o.value("name", std::string()) : std::string();
            if (name != "logits" && name != "probabilities")
                throw Refusal{400, "outputs are \"logits\" and \"probabilities\", not \"" + name + "\""};
            const Json p = o.value("parameters", Json::object());
            wanted.emplace_back(name, p.is_object() && p.value("binary_data", false));
        }
    } else {
        const bool binaryAll = body.value("parameters", Json::object()).is_object() &&
                               body.value("parameters", Json::object()).value("binary_data_output", false);
        wanted = {{"logits", binaryAll}, {"probabilities", binaryAll}};
    }
    const std::string id = body.contains("id") && body["id"].is_string() ? body["id"].get<std::string>() : "";
    const std::int64_t classes = std::int64_t(m->model->classNames().size());
    auto format = [m, wanted, id, n, classes](const BatchResult& r) {
        Json outputs = Json::array();
        std::string tail;
        for (const auto& [name, asBinary] : wanted) {
            const std::vector<float>& v = name == "logits" ? r.logits : r.probabilities;
            Json o = {{"name", name}, {"datatype", "FP32"}, {"shape", {std::int64_t(n), classes}}};
            if (asBinary) {
                o["parameters"] = {{"binary_data_size", v.size() * sizeof(float)}};
                tail.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
            } else {
                o["data"] = v;
            }
            outputs.push_back(std::move(o));
        }
        Json j = {{"model_name", m->name}, {"model_version", m->version}, {"outputs", outputs}};
        if (!id.empty())
            j["id"] = id;
        HttpResponse resp = json(j);
        if (!tail.empty()) {
            resp.headers.emplace_back("Inference-Header-Content-Length", std::to_string(resp.body.size()));
            resp.contentType = "application/octet-stream";
            resp.body += tail;
        }
        return resp;
    };
    run(m, std::move(images), n, std::move(format), std::move(done), start);
}

void InferenceService::Impl::predict(const std::shared_ptr<Served>& m, const HttpRequest& req,
                                     std::function<void(HttpResponse)> done, Clock::time_point start) {
    const Json body = parseBody(req.body);
    const bool rows = body.contains("instances");
    const Json* list = rows ? &body["instances"] : body.contains("inputs") ? &body["inputs"] : nullptr;
    if (!list || !list->is_array() || list->empty())
        throw Refusal{400, "the request needs \"instances\": [image, …] (or \"inputs\"), each image [C][H][W] in "
                           "[0, 1] or {\"b64\": \"<PNG or JPEG, base64>\"}"};
    if (list->size() > limits.maxImagesPerRequest)
        throw Refusal{413, "a request may hold at most " + std::to_string(limits.maxImagesPerRequest) + " images"};
    const Shape& s = m->model->inputShape();
    const std::size_t per = std::size_t(s[0] * s[1] * s[2]);
    std::vector<float> images;
    images.reserve(list->size() * per);
    for (const Json& instance : *list) {
        if (instance.is_object() && instance.contains("b64") && instance["b64"].is_string()) {
            const std::vector<float> image = decodeImage(*m, base64Decode(instance["b64"].get<std::string>()));
            images.insert(images.end(), image.begin(), image.end());
            continue;
        }
        const std::size_t before = images.size();
        flatten(instance, images, before + per, 1.0);
        if (images.size() - before != per)
            throw Refusal{400, "each instance must hold " + std::to_string(per) + " values ([" + std::to_string(s[0]) +
                                   "][" + std::to_string(s[1]) + "][" + std::to_string(s[2]) + "] in [0, 1])"};
    }
    const std::size_t n = list->size();
    const std::size_t classes = m->model->classNames().size();
    auto format = [m, rows, n, classes](const BatchResult& r) {
        const auto& names = m->model->classNames();
        if (rows) {
            Json predictions = Json::array();
            for (std::size_t i = 0; i < n; ++i) {
                const auto first = r.probabilities.begin() + std::ptrdiff_t(i * classes);
                const std::size_t best = std::size_t(std::max_element(first, first + std::ptrdiff_t(classes)) - first);
                predictions.push_back(
                    {{"logits", std::vector<float>(r.logits.begin() + std::ptrdiff_t(i * classes),
                                                   r.logits.begin() + std::ptrdiff_t((i + 1) * classes))},
                     {"probabilities", std::vector<float>(first, first + std::ptrdiff_t(classes))},
                     {"class", best},
                     {"label", names[best]}});
            }
            return json({{"predictions", predictions}});
        }
        Json logits = Json::array(), probabilities = Json::array();
        for (std::size_t i = 0; i < n; ++i) {
            logits.push_back(std::vector<float>(r.logits.begin() + std::ptrdiff_t(i * classes),
                                                r.logits.begin() + std::ptrdiff_t((i + 1) * classes)));
            probabilities.push_back(std::vector<float>(r.probabilities.begin() + std::ptrdiff_t(i * classes),
                                                       r.probabilities.begin() + std::ptrdiff_t((i + 1) * classes)));
        }
        return json({{"outputs", {{"logits", logits}, {"probabilities", probabilities}}}});
    };
    run(m, std::move(images), n, std::move(format), std::move(done), start);
}

void InferenceService::Impl::classify(const std::shared_ptr<Served>& m, const HttpRequest& req,
                                      std::function<void(HttpResponse)> done, Clock::time_point start) {
    std::string bytes = req.body;
    const std::string type = req.header("content-type");
    if (type.rfind("multipart/form-data", 0) == 0) {
        // The first part of a form upload (curl -F image=@photo.png).
        const auto at = type.find("boundary=");
        if (at == std::string::npos)
            throw Refusal{400, "the multipart form has no boundary"};
        std::string boundary = type.substr(at + 9);
        if (!boundary.empty() && boundary.front() == '"')
            boundary = boundary.substr(1, boundary.find('"', 1) - 1);
        const std::string delimiter = "--" + boundary;
        const auto first = req.body.find(delimiter);
        const auto headersEnd = first == std::string::npos ? first : req.body.find("\r\n\r\n", first);
        const auto next = headersEnd == std::string::npos ? headersEnd : req.body.find("\r\n" + delimiter, headersEnd + 4);
        if (next == std::string::npos)
            throw Refusal{400, "the multipart form holds no complete part"};
        bytes = req.body.substr(headersEnd + 4, next - headersEnd - 4);
    } else if (!type.empty() && type.rfind("image/", 0) != 0 && type.rfind("application/octet-stream", 0) != 0) {
        throw Refusal{415, "send the image's bytes as image/png, image/jpeg, application/octet-stream or a "
                           "multipart form, not " + type};
    }
    if (bytes.empty())
        throw Refusal{400, "the body holds no image"};
    std::vector<float> image = decodeImage(*m, bytes);
    int top = 5;
    const auto q = req.target.find("top=");
    if (q != std::string::npos)
        top = std::clamp(std::atoi(req.target.c_str() + q + 4), 1, 100);
    auto format = [m, top](const BatchResult& r) {
        const auto& names = m->model->classNames();
        std::vector<std::size_t> order(names.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return r.probabilities[a] > r.probabilities[b]; });
        Json predictions = Json::array();
        for (std::size_t i = 0; i < order.size() && int(i) < top; ++i)
            predictions.push_back(
                {{"class", order[i]}, {"label", names[order[i]]}, {"probability", r.probabilities[order[i]]}});
        return json({{"model", m->name}, {"version", m->version}, {"predictions", predictions}});
    };
    run(m, std::move(image), 1, std::move(format), std::move(done), start);
}

std::string InferenceService::metricsText() const {
    std::ostringstream out;
    std::lock_guard<std::mutex> lock(d->mutex);
    out << "# HELP nc_requests_total HTTP requests answered, by model and status code.\n"
           "# TYPE nc_requests_total counter\n";
    for (const auto& [key, n] : d->requests)
        out << "nc_requests_total{model=\"" << escapeLabel(key.first) << "\",code=\"" << key.second << "\"} " << n
            << "\n";
    out << "# HELP nc_request_duration_seconds Time from a parsed request to its answer.\n"
           "# TYPE nc_request_duration_seconds histogram\n";
    for (const auto& [model, h] : d->latency)
        h.write(out, "nc_request_duration_seconds", "model=\"" + escapeLabel(model) + "\"");
    out << "# HELP nc_queue_duration_seconds Time a request waited for its batch.\n"
           "# TYPE nc_queue_duration_seconds histogram\n";
    for (const auto& [model, h] : d->queueTime)
        h.write(out, "nc_queue_duration_seconds", "model=\"" + escapeLabel(model) + "\"");
    out << "# HELP nc_batch_size Images in the forward pass that served a request.\n"
           "# TYPE nc_batch_size histogram\n";
    for (const auto& [model, h] : d->batchSize)
        h.write(out, "nc_batch_size", "model=\"" + escapeLabel(model) + "\"");
    out << "# HELP nc_requests_in_flight Requests waiting for or running in the model.\n"
           "# TYPE nc_requests_in_flight gauge\nnc_requests_in_flight " << d->inflight.load() << "\n";
    out << "# HELP nc_open_connections Open HTTP connections.\n"
           "# TYPE nc_open_connections gauge\nnc_open_connections " << d->connections.load() << "\n";
    out << "# HELP nc_model_info Served models.\n# TYPE nc_model_info gauge\n";
    for (const auto& m : d->models)
        out << "nc_model_info{model=\"" << escapeLabel(m->name) << "\",version=\"" << escapeLabel(m->version)
            << "\"} 1\n";
    return out.str();
}

} // namespace nc::serve
