#include "serve/InferenceService.h"

#include "nn/Generative.h"

#include "inspect/Inspect.h"
#include "nn/Model.h"
#include "serve/Batcher.h"
#include "serve/Protocols.h"
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

HttpResponse error(int status, const std::string& message) { return errorResponse(status, message); }
HttpResponse json(const Json& j, int status = 200) { return jsonResponse(j, status); }

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

} // namespace

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
        std::shared_ptr<const ModelSignature> signature; // what the protocol parsers need to know
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
        if (isGenerative(*model))
            throw Error(path + " is a generative model (it ends in loss nodes, not an Output): it gives no class "
                               "scores to serve");
        served->model = model;
        auto signature = std::make_shared<ModelSignature>();
        signature->name = name;
        signature->version = version;
        const Shape& input = model->inputShape();
        signature->channels = input[0];
        signature->height = input[1];
        signature->width = input[2];
        signature->classNames = model->classNames();
        served->signature = std::move(signature);
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
    std::map<std::string, Histogram> latency, queueTime, computeTime, batchSize;
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
            computeTime.try_emplace(model, latencyBounds()).first->second.add(batch->computeSeconds);
            batchSize.try_emplace(model, batchBounds()).first->second.add(double(batch->batchImages));
        }
    }

    // Image bytes to floats in [0, 1] of the model's input, with the installed decoder.
    ImageBytesDecoder imageDecoder(const Served& m) const {
        if (!decoder)
            return {};
        return [this, sig = m.signature](const std::string& bytes) {
            std::vector<std::uint8_t> pixels;
            try {
                pixels = decoder(bytes, sig->channels, sig->height, sig->width);
            } catch (const std::exception& e) {
                throw Refusal{400, std::string("the image could not be read: ") + e.what()};
            }
            std::vector<float> out(pixels.size());
            for (std::size_t i = 0; i < pixels.size(); ++i)
                out[i] = float(pixels[i]) / 255.0f;
            return out;
        };
    }

    void run(const std::shared_ptr<Served>& m, TensorRequest request, std::function<void(HttpResponse)> done,
             Clock::time_point start) {
        ++inflight;
        m->batcher->submit(std::move(request.images), request.n,
                           [this, m, format = std::move(request.format), done = std::move(done), start](BatchResult r) {
            HttpResponse response;
            if (r.ok) {
                response = format(r);
            } else {
                response = error(r.status, r.error);
                if (r.status == 503)
                    response.headers.emplace_back("Retry-After", "1");
            }
            record(m->name, response.status, std::chrono::duration<double>(Clock::now() - start).count(), &r);
            done(std::move(response));
            --inflight; // after the answer is handed on: a draining server waits for it
        });
    }

    void explain(const std::shared_ptr<Served>& m, const HttpRequest& req, bool v1,
                 std::function<void(HttpResponse)> done, Clock::time_point start);
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

void InferenceService::swapModel(const std::string& name, const std::string& path, const std::string& version) {
    auto served = d->load(name, path, version); // outside the lock: the old one serves meanwhile
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        auto& models = d->models;
        for (auto it = models.begin(); it != models.end();) {
            if ((*it)->name == name) {
                d->retired.push_back(std::move(*it));
                it = models.erase(it);
            } else {
                ++it;
            }
        }
        models.push_back(std::move(served));
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
        case Route::Kind::ModelMeta: needs(get, "GET"); return reply(json(modelMetadata(*m->signature)));
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
        case Route::Kind::Infer:
            needs(post, "POST");
            return d->run(m, parseInferRequest(req, m->signature, d->limits), done, start);
        case Route::Kind::V1Predict:
            needs(post, "POST");
            return d->run(m, parsePredictRequest(req, m->signature, d->limits, d->imageDecoder(*m)), done, start);
        case Route::Kind::V1Classify:
            needs(post, "POST");
            return d->run(m, parseClassifyRequest(req, m->signature, d->imageDecoder(*m)), done, start);
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

void InferenceService::Impl::explain(const std::shared_ptr<Served>& m, const HttpRequest& req, bool v1,
                                     std::function<void(HttpResponse)> done, Clock::time_point start) {
    ExplainRequest request = parseExplainRequest(req, v1, *m->signature, limits, imageDecoder(*m));
    SaliencyOptions options;
    if (!parseSaliencyMethod(request.method, options.method))
        throw Refusal{400, "method must be gradient, smoothgrad, integrated-gradients or grad-cam, not " +
                               request.method};
    options.targetClass = request.targetClass;
    ++inflight;
    m->batcher->runJob([this, m, pixels = std::move(request.pixels), options, done, start,
                        method = request.method](const Model& model) {
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
        record(m->name, response.status, std::chrono::duration<double>(Clock::now() - start).count(), nullptr);
        done(std::move(response));
        --inflight;
    });
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
    out << "# HELP nc_compute_duration_seconds The forward pass of the batch that served a request.\n"
           "# TYPE nc_compute_duration_seconds histogram\n";
    for (const auto& [model, h] : d->computeTime)
        h.write(out, "nc_compute_duration_seconds", "model=\"" + escapeLabel(model) + "\"");
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
