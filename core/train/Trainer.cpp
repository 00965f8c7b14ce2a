#include "train/Trainer.h"

#include "io/Safetensors.h"
#include "nn/GraphNet.h"
#include "train/Optimizers.h"
#include "util/Error.h"
#include "util/Files.h"
#include "util/Threads.h"
#include "util/Version.h"

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/cuda.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

namespace nc {

namespace {
using Clock = std::chrono::steady_clock;

// A loss this many times the run's first one means the run diverged (DESIGN §6: a Failed event).
constexpr double kDivergenceFactor = 1e4;
// The layer to blame is the first whose largest activation grew this many times since batch one.
constexpr double kActivationBlowUp = 1e3;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Mixes the run seed with an epoch/batch so every epoch draws the same numbers on a resume.
std::uint64_t mix(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0) {
    std::uint64_t x = seed ^ (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full);
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
    return x;
}

std::vector<std::int64_t> permutation(std::int64_t n, std::uint64_t seed) {
    std::vector<std::int64_t> p(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        p[i] = i;
    std::mt19937_64 rng(seed);
    for (std::int64_t i = n - 1; i > 0; --i)
        std::swap(p[i], p[static_cast<std::int64_t>(rng() % std::uint64_t(i + 1))]);
    return p;
}

struct AutocastScope {
    explicit AutocastScope(bool on) : enabled(on) {
        if (enabled) {
            at::autocast::set_cpu_enabled(true);
            at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        }
    }
    ~AutocastScope() {
        if (enabled) {
            at::autocast::set_cpu_enabled(false);
            at::autocast::clear_cache();
        }
    }
    bool enabled;
};
} // namespace

void prepareTorchThread(int threads) {
    at::init_num_threads();
    torch::set_num_threads(threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency())));
}

int cudaDeviceCount() { return torch::cuda::is_available() ? int(torch::cuda::device_count()) : 0; }

const char* finishReasonName(FinishReason r) {
    switch (r) {
    case FinishReason::Completed: return "completed";
    case FinishReason::Stopped: return "stopped";
    case FinishReason::EarlyStopped: return "early-stopped";
    case FinishReason::Failed: return "failed";
    }
    return "?";
}

Json BatchEvent::toJson() const {
    return {{"event", "batch"}, {"epoch", epoch}, {"epochs", epochs}, {"batch", batch},
            {"batches", batchesPerEpoch}, {"step", step}, {"loss", loss}, {"accuracy", accuracy},
            {"lr", learningRate}, {"images_per_second", imagesPerSecond}};
}

Json EpochEvent::toJson() const {
    return {{"event", "epoch"}, {"epoch", epoch}, {"epochs", epochs}, {"train_loss", trainLoss},
            {"train_accuracy", trainAccuracy}, {"val_loss", validationLoss}, {"val_accuracy", validationAccuracy},
            {"lr", learningRate}, {"seconds", seconds}, {"images_per_second", imagesPerSecond}, {"improved", improved}};
}

Json FinishedEvent::toJson() const {
    Json j = {{"event", reason == FinishReason::Failed ? "failed" : "finished"}, {"reason", finishReasonName(reason)},
              {"epochs_done", epochsDone}, {"steps", steps}, {"best_val_accuracy", bestValidationAccuracy},
              {"best_epoch", bestEpoch}, {"seconds", seconds}};
    if (!message.empty())
        j["message"] = message;
    if (!nodeId.empty())
        j["node"] = nodeId;
    if (diverged)
        j["diverged"] = true;
    if (batchesIntoEpoch > 0) {
        j["batch_in_epoch"] = batchesIntoEpoch;
        j["batches_per_epoch"] = batchesPerEpoch;
    }
    if (stopValidationAccuracy >= 0)
        j["stop_val_accuracy"] = stopValidationAccuracy;
    return j;
}

struct Trainer::Impl {
    Impl(Model& m, const Dataset& data, const TrainConfig& c, std::string dir)
        : model(m), full(data), cfg(c), runDir(std::move(dir)) {}

    Model& model;
    const Dataset& full;
    TrainConfig cfg;
    std::string runDir;
    TrainerCallbacks cb;

    std::atomic<bool> stopFlag{false}, pauseFlag{false};
    mutable std::mutex mutex;
    std::condition_variable wake;

    // Progress that a checkpoint carries.
    int epochsDone = 0;
    std::int64_t steps = 0;
    double bestValAccuracy = -1;
    int bestEpoch = 0;
    int epochsWithoutImprovement = 0;
    Json history = Json::array();
    // A checkpoint written by Stop in the middle of an epoch: the batches of epoch epochsDone + 1
    // already trained and that epoch's running sums, so a resume continues it exactly.
    std::int64_t batchInEpoch = 0;
    double epochLossSum = 0;
    std::int64_t epochCorrect = 0, epochSeen = 0;
    double firstLoss = 0; // the run's first batch loss: divergence is measured against it
    NamedTensors resumedOptimizerState;
    bool resumed = false;

    std::ofstream log;
    Dataset train, val;
    Dataset givenValidation;
    torch::Device device{torch::kCPU};

    void emit(const Json& j) {
        if (log.is_open())
            log << j.dump() << '\n';
    }

    FinishedEvent run();
    void prepareData();
    void waitWhilePaused(double& pausedSeconds);
    // Time this run spent not training: paused, or inside onBatch (where the app answers other
    // requests and may hold the run). Epoch and run seconds and images/s leave it out.
    double idleSeconds = 0;
    double runSeconds(Clock::time_point runStart) const { return std::max(0.0, secondsSince(runStart) - idleSeconds); }
    std::pair<double, double> validate(GraphNet& net);
    void writeCheckpoint(const Optimizer& opt);
    double saveStoppedModel(GraphNet& net, std::int64_t batch, std::int64_t batches, double trainAccuracy);
    std::string divergenceMessage(int epoch, std::int64_t batch, double loss, double lr, const std::string& node) const;
    FinishedEvent fail(FinishedEvent ev, const std::string& message, const std::string& node = {});
};

Trainer::Trainer(Model& model, const Dataset& trainingSet, const TrainConfig& config, const std::string& runDir)
    : d(std::make_unique<Impl>(model, trainingSet, config, runDir)) {}
Trainer::~Trainer() = default;

void Trainer::setCallbacks(TrainerCallbacks callbacks) { d->cb = std::move(callbacks); }
const TrainConfig& Trainer::config() const { return d->cfg; }

void Trainer::pause() { d->pauseFlag = true; }
void Trainer::resume() {
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        d->pauseFlag = false;
    }
    d->wake.notify_all();
}
void Trainer::stop() {
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        d->stopFlag = true;
    }
    d->wake.notify_all();
}
bool Trainer::isPaused() const { return d->pauseFlag; }

void Trainer::setValidationSet(const Dataset& validation) { d->givenValidation = validation; }

void Trainer::resumeFrom(const std::string& path) {
    const SafetensorsFile f = readSafetensors(path);
    auto meta = [&](const char* key) -> Json {
        auto it = f.metadata.find(key);
        if (it == f.metadata.end())
            throw Error(path + " has no '" + key + "' in its metadata; it is not a NeuralCanvas checkpoint");
        try {
            return Json::parse(it->second);
        } catch (const Json::exception&) {
            throw Error(path + ": metadata '" + key + "' is not valid JSON");
        }
    };
    auto fmt = f.metadata.find("format");
    if (fmt == f.metadata.end() || fmt->second != "neuralcanvas-checkpoint")
        throw Error(path + " is not a NeuralCanvas checkpoint");
    checkFormatVersion(path, "checkpoint format", f.metadata, kCheckpointFormatVersion);
    const int epochs = d->cfg.epochs;
    try {
        d->cfg = TrainConfig::fromJson(meta("config"));
        d->epochsDone = meta("epoch").get<int>();
        d->steps = meta("step").get<std::int64_t>();
        d->bestValAccuracy = meta("best_val_accuracy").get<double>();
        d->bestEpoch = meta("best_epoch").get<int>();
        d->epochsWithoutImprovement = meta("epochs_without_improvement").get<int>();
        d->history = meta("history");
        // Absent from checkpoints written at the end of an epoch by older versions.
        auto optional = [&](const char* key) { return f.metadata.count(key) ? meta(key) : Json(); };
        const Json batch = optional("batch_in_epoch");
        d->batchInEpoch = batch.is_number_integer() ? batch.get<std::int64_t>() : 0;
        d->epochLossSum = optional("epoch_loss_sum").is_number() ? meta("epoch_loss_sum").get<double>() : 0.0;
        d->epochCorrect = optional("epoch_correct").is_number() ? meta("epoch_correct").get<std::int64_t>() : 0;
        d->epochSeen = optional("epoch_seen").is_number() ? meta("epoch_seen").get<std::int64_t>() : 0;
        d->firstLoss = optional("first_loss").is_number() ? meta("first_loss").get<double>() : 0.0;
        if (d->batchInEpoch < 0 || d->epochSeen < 0 || d->epochCorrect < 0 || d->epochCorrect > d->epochSeen)
            throw Error(path + ": its position in the epoch is not valid");
        const Json n = meta("normalization");
        d->model.setNormalization({n.at("mean").get<std::vector<float>>(), n.at("std").get<std::vector<float>>()});
    } catch (const Json::exception& e) {
        throw Error(path + ": metadata is malformed (" + std::string(e.what()) + ")");
    }
    d->cfg.epochs = epochs;
    NamedTensors weights;
    d->resumedOptimizerState.clear();
    for (const TensorRecord& r : f.tensors) {
        if (r.name.rfind("model/", 0) == 0)
            weights.emplace_back(r.name.substr(6), fromRecord(r));
        else if (r.name.rfind("optim/", 0) == 0)
            d->resumedOptimizerState.emplace_back(r.name.substr(6), fromRecord(r));
    }
    loadState(*d->model.impl().net, weights, path);
    d->resumed = true;
}

FinishedEvent Trainer::run() { return d->run(); }

void Trainer::Impl::prepareData() {
    if (full.size() == 0)
        throw Error("the training set is empty");
    Dataset limited;
    if (cfg.limitTrain > 0 && cfg.limitTrain < full.size()) {
        std::vector<std::int64_t> first(static_cast<std::size_t>(cfg.limitTrain));
        for (std::int64_t i = 0; i < cfg.limitTrain; ++i)
            first[i] = i;
        limited = full.subset(first);
    }
    const Dataset& src = limited.size() ? limited : full;
    if (givenValidation.size() > 0) { // the data came with its own validation part
        train = src;
        val = givenValidation;
    } else if (cfg.validationFraction > 0) {
        auto [trainIdx, valIdx] = stratifiedSplit(src.labels, src.numClasses(), cfg.validationFraction, cfg.seed);
        train = src.subset(trainIdx);
        val = src.subset(valIdx);
    } else {
        train = src;
        val = Dataset();
    }
    if (!resumed)
        model.setNormalization(computeNormalization(train));
    model.setInputAppearance(measureAppearance(train)); // for Inspect's polarity hint

}

void Trainer::Impl::waitWhilePaused(double& pausedSeconds) {
    if (!pauseFlag)
        return;
    const auto t0 = Clock::now();
    std::unique_lock<std::mutex> lock(mutex);
    wake.wait(lock, [&] { return !pauseFlag || stopFlag; });
    const double held = secondsSince(t0);
    pausedSeconds += held;
    idleSeconds += held;
}

std::pair<double, double> Trainer::Impl::validate(GraphNet& net) {
    torch::NoGradGuard noGrad;
    net->eval();
    double lossSum = 0;
    std::int64_t correct = 0;
    const std::int64_t n = val.size(), bs = 512;
    std::vector<std::uint8_t> valScratch;
    for (std::int64_t s = 0; s < n; s += bs) {
        const std::int64_t b = std::min(bs, n - s);
        auto u8 = torch::from_blob(const_cast<std::uint8_t*>(val.imagesAt(s, b, valScratch)),
                                   {b, val.channels, val.height, val.width},
                                   torch::kUInt8)
                      .to(device);
        auto y = torch::from_blob(const_cast<std::int64_t*>(val.labels.data() + s), {b}, torch::kInt64).to(device);
        AutocastScope autocast(cfg.precision == Precision::BF16 && device.is_cpu());
        auto logits = net->forward(normalizeBatch(u8, model.normalization())).to(torch::kFloat32);
        lossSum += torch::nn::functional::cross_entropy(logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)).item<double>();
        correct += logits.argmax(1).eq(y).sum().item<std::int64_t>();
    }
    net->train();
    return {n ? lossSum / double(n) : 0.0, n ? double(correct) / double(n) : 0.0};
}

void Trainer::Impl::writeCheckpoint(const Optimizer& opt) {
    SafetensorsFile f;
    auto& net = *model.impl().net;
    for (const auto& p : net.named_parameters())
        f.tensors.push_back(toRecord("model/" + p.key(), p.value()));
    for (const auto& b : net.named_buffers())
        f.tensors.push_back(toRecord("model/" + b.key(), b.value()));
    for (const auto& [name, t] : opt.state())
        f.tensors.push_back(toRecord("optim/" + name, t));
    f.metadata = {{"format", "neuralcanvas-checkpoint"},
                  {"version", std::to_string(kCheckpointFormatVersion)},
                  {"writer", writerName()},
                  {"epoch", std::to_string(epochsDone)},
                  {"step", std::to_string(steps)},
                  {"config", cfg.toJson().dump()},
                  {"seed", std::to_string(cfg.seed)},
                  {"graph", model.graph().toJson().dump()},
                  {"best_val_accuracy", Json(bestValAccuracy).dump()},
                  {"best_epoch", std::to_string(bestEpoch)},
                  {"epochs_without_improvement", std::to_string(epochsWithoutImprovement)},
                  {"history", history.dump()},
                  {"batch_in_epoch", std::to_string(batchInEpoch)},
                  {"epoch_loss_sum", Json(epochLossSum).dump()},
                  {"epoch_correct", std::to_string(epochCorrect)},
                  {"epoch_seen", std::to_string(epochSeen)},
                  {"first_loss", Json(firstLoss).dump()},
                  {"normalization", Json{{"mean", model.normalization().mean}, {"std", model.normalization().std}}.dump()}};
    writeSafetensors(runDir + "/last.ncckpt", f);
}

// The weights of a stopped run, as a model Evaluate, Inspect and Export can open. Returns the
// validation accuracy they reach (the training accuracy so far without a validation split).
double Trainer::Impl::saveStoppedModel(GraphNet& net, std::int64_t batch, std::int64_t batches, double trainAccuracy) {
    double valLoss = 0, valAccuracy = trainAccuracy;
    if (val.size() > 0)
        std::tie(valLoss, valAccuracy) = validate(net);
    const Json saved = model.metadata();
    model.metadata() = {{"epoch", epochsDone}, {"batch_in_epoch", batch}, {"batches_per_epoch", batches},
                        {"val_accuracy", valAccuracy}, {"stopped", true}};
    if (val.size() > 0)
        model.metadata()["val_loss"] = valLoss;
    model.save(runDir + "/last.ncmodel");
    model.metadata() = saved;
    return valAccuracy;
}

std::string Trainer::Impl::divergenceMessage(int epoch, std::int64_t batch, double loss, double lr,
                                             const std::string& node) const {
    auto number = [](double v) {
        char text[32];
        std::snprintf(text, sizeof text, "%.3g", v);
        return std::string(text);
    };
    // A tenth of the current rate, and no more than the rate this optimizer usually starts with.
    const bool sgd = cfg.optimizer == OptimizerKind::SGD || cfg.optimizer == OptimizerKind::Nesterov;
    const double suggested = std::min(lr / 10, sgd ? 0.01 : 0.001);
    std::string msg = "training stopped at epoch " + std::to_string(epoch + 1) + ", batch " + std::to_string(batch + 1) +
                      ": the loss ";
    if (!std::isfinite(loss))
        msg += std::string("became ") + (std::isnan(loss) ? "NaN" : "infinite") + ".";
    else
        msg += "diverged: it grew from " + number(firstLoss) + " to " + number(loss) + ", more than " +
               number(kDivergenceFactor) + " times its first value.";
    msg += node.empty() ? " No layer's output blew up; the targets or the loss settings may be wrong."
                        : " The first layer whose activations blew up is " + node + ".";
    msg += " Lower the learning rate (it is " + number(lr) + "; try " + number(suggested) +
           "), or add BatchNorm or gradient clipping.";
    msg += epochsDone > 0 ? " The checkpoint of epoch " + std::to_string(epochsDone) +
                                " (the last good one) is kept; nothing of the diverged epoch was saved."
                          : " Nothing was saved: the run diverged before its first epoch ended.";
    return msg;
}

FinishedEvent Trainer::Impl::fail(FinishedEvent ev, const std::string& message, const std::string& node) {
    ev.reason = FinishReason::Failed;
    ev.message = message;
    ev.nodeId = node;
    emit(ev.toJson());
    if (log.is_open())
        log.flush();
    if (cb.onFinished)
        cb.onFinished(ev);
    return ev;
}

FinishedEvent Trainer::Impl::run() {
    const auto runStart = Clock::now();
    idleSeconds = 0;
    FinishedEvent done;
    try {
        // This thread may be new: give it torch's thread pool settings of its own.
        prepareTorchThread(cfg.threads);

        if (cfg.device.rfind("cuda", 0) == 0) {
            if (!torch::cuda::is_available())
                return fail(done, "no CUDA device: this LibTorch build sees no GPU; train with device \"cpu\"");
            device = torch::Device(cfg.device);
        } else if (cfg.device != "cpu") {
            return fail(done, "unknown device \"" + cfg.device + "\"; use \"cpu\", \"cuda\" or \"cuda:N\"");
        }
        if (!runDir.empty()) {
            makeDirectories(runDir);
            log.open(runDir + "/metrics.jsonl", resumed ? std::ios::app : std::ios::trunc);
            if (!log)
                return fail(done, "cannot write " + runDir + "/metrics.jsonl");
        }
        prepareData();
        if (train.numClasses() != int(model.classNames().size()))
            return fail(done, "the model has " + std::to_string(model.classNames().size()) +
                                  " outputs but the dataset has " + std::to_string(train.numClasses()) + " classes");
        emit({{"event", "start"}, {"config", cfg.toJson()}, {"train_images", train.size()},
              {"val_images", val.size()}, {"resumed_from_epoch", epochsDone}});

        GraphNet& net = model.impl().net;
        net->to(device);
        net->train();
        NamedTensors params;
        for (auto& p : net->named_parameters())
            params.emplace_back(p.key(), p.value());
        Optimizer opt(cfg, params);
        if (resumed)
            opt.loadState(resumedOptimizerState, steps, "checkpoint");

        // Label smoothing and loss come from the Output layer unless the settings override them.
        Json outParams = Json::object();
        for (const Node& n : model.graph().nodes())
            if (n.type == "Output")
                LayerRegistry::instance().normalizeParams(*LayerRegistry::instance().find("Output"), n.params, outParams);
        const bool mse = outParams.value("loss", "cross_entropy") == "mse";
        const double smoothing = cfg.labelSmoothing >= 0 ? cfg.labelSmoothing : outParams.value("label_smoothing", 0.0);

        const std::int64_t n = train.size(), bs = cfg.batchSize;
        // A last batch of one sample cannot train BatchNorm; it is dropped.
        std::int64_t batches = n / bs + ((n % bs) >= 2 ? 1 : 0);
        if (batches == 0)
            return fail(done, "the training set has " + std::to_string(n) + " images, too few for one batch");
        const std::int64_t totalSteps = batches * cfg.epochs;
        const std::int64_t per = train.imageBytes();
        std::vector<std::uint8_t> buffer(static_cast<std::size_t>(bs * per));
        std::vector<std::int64_t> labels(static_cast<std::size_t>(bs));
        // Each layer's largest activation on the run's first batch (eval mode: no BatchNorm update,
        // no dropout draw), so a diverging run can name the layer that blew up first.
        std::vector<std::pair<std::string, double>> firstMagnitudes;
        const auto magnitudes = [&](const torch::Tensor& x) {
            net->eval();
            auto m = net->activationMagnitudes(x);
            net->train();
            return m;
        };
        const auto blownUpNode = [&](const torch::Tensor& x) {
            const auto now = magnitudes(x);
            std::string worst;
            double worstRatio = 0;
            for (std::size_t i = 0; i < now.size(); ++i) {
                double before = 1e-6;
                for (const auto& [id, m] : firstMagnitudes)
                    if (id == now[i].first)
                        before = std::max(before, m);
                const double ratio = now[i].second / before;
                if (!std::isfinite(now[i].second) || ratio > kActivationBlowUp)
                    return now[i].first;
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = now[i].first;
                }
            }
            if (worstRatio > 1)
                return worst;
            return net->firstNonFiniteNode(x); // the input was fine: blames broken weights, if any
        };

        done.epochsDone = epochsDone;
        for (int epoch = epochsDone; epoch < cfg.epochs; ++epoch) {
            const auto epochStart = Clock::now();
            double pausedSeconds = 0;
            const auto order = permutation(n, mix(cfg.seed, 2000 + epoch));
            double lossSum = 0, lr = cfg.learningRate;
            std::int64_t correctSum = 0, seen = 0, firstBatch = 0;
            if (epoch == epochsDone && batchInEpoch > 0) { // resuming a run stopped mid-epoch
                if (batchInEpoch >= batches)
                    return fail(done, "the checkpoint stopped at batch " + std::to_string(batchInEpoch) +
                                          " of an epoch, but this dataset and batch size give " +
                                          std::to_string(batches) + " batches an epoch");
                firstBatch = batchInEpoch;
                lossSum = epochLossSum;
                correctSum = epochCorrect;
                seen = epochSeen;
            }
            batchInEpoch = 0;
            epochLossSum = 0;
            epochCorrect = epochSeen = 0;
            for (std::int64_t b = firstBatch; b < batches; ++b) {
                waitWhilePaused(pausedSeconds);
                if (stopFlag) {
                    done.reason = FinishReason::Stopped;
                    if (b > 0) { // the middle of an epoch: keep exactly this point
                        batchInEpoch = b;
                        epochLossSum = lossSum;
                        epochCorrect = correctSum;
                        epochSeen = seen;
                        done.batchesIntoEpoch = b;
                        done.batchesPerEpoch = batches;
                    }
                    if (!runDir.empty() && (b > 0 || epochsDone > 0)) {
                        if (b > 0)
                            writeCheckpoint(opt);
                        done.stopValidationAccuracy = saveStoppedModel(
                            net, b, batches, seen ? double(correctSum) / double(seen) : 0.0);
                        log.flush();
                    }
                    break;
                }
                // Seeded per batch (dropout draws), so a run resumed mid-epoch draws the same.
                torch::manual_seed(mix(cfg.seed, 1000 + epoch, b + 1));
                const std::int64_t start = b * bs, count = std::min(bs, n - start);
                train.gather(order.data() + start, count, buffer.data());
                for (std::int64_t i = 0; i < count; ++i)
                    labels[i] = train.labels[order[start + i]];
                if (cfg.augmentation.enabled())
                    augmentBatch(buffer.data(), count, train.channels, train.height, train.width, cfg.augmentation,
                                 mix(cfg.seed, 3000 + epoch, b));
                auto u8 = torch::from_blob(buffer.data(), {count, train.channels, train.height, train.width}, torch::kUInt8);
                auto y = torch::from_blob(labels.data(), {count}, torch::kInt64).to(device, false, true);
                auto x = normalizeBatch(u8.to(device), model.normalization());

                lr = scheduledLearningRate(cfg, steps, totalSteps, batches);
                opt.zeroGrad();
                torch::Tensor logits, loss;
                {
                    AutocastScope autocast(cfg.precision == Precision::BF16 && device.is_cpu());
                    logits = net->forward(x);
                }
                logits = logits.to(torch::kFloat32);
                if (mse)
                    loss = torch::mse_loss(logits, torch::one_hot(y, logits.size(1)).to(torch::kFloat32));
                else
                    loss = torch::nn::functional::cross_entropy(
                        logits, y, torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(smoothing));
                const double lossValue = loss.item<double>();
                if (firstMagnitudes.empty())
                    firstMagnitudes = magnitudes(x);
                if (firstLoss <= 0 && std::isfinite(lossValue))
                    firstLoss = lossValue;
                const bool diverged = std::isfinite(lossValue) && firstLoss > 0 &&
                                      lossValue > kDivergenceFactor * std::max(firstLoss, 1e-2);
                if (!std::isfinite(lossValue) || diverged) {
                    const std::string node = blownUpNode(x);
                    done.epochsDone = epochsDone;
                    done.steps = steps;
                    done.seconds = runSeconds(runStart);
                    done.diverged = true;
                    return fail(done, divergenceMessage(epoch, b, lossValue, lr, node), node);
                }
                loss.backward();
                if (cfg.gradClipNorm > 0)
                    torch::nn::utils::clip_grad_norm_(net->parameters(), cfg.gradClipNorm);
                opt.step(lr);
                ++steps;

                const std::int64_t correct = logits.argmax(1).eq(y).sum().item<std::int64_t>();
                lossSum += lossValue * double(count);
                correctSum += correct;
                seen += count;
                BatchEvent ev;
                ev.epoch = epoch + 1;
                ev.epochs = cfg.epochs;
                ev.batch = b + 1;
                ev.batchesPerEpoch = batches;
                ev.step = steps;
                ev.loss = lossValue;
                ev.accuracy = double(correct) / double(count);
                ev.learningRate = lr;
                const double active = secondsSince(epochStart) - pausedSeconds;
                ev.imagesPerSecond = active > 0 ? double(seen) / active : 0.0;
                emit(ev.toJson());
                if (cb.onBatch) {
                    const auto t0 = Clock::now();
                    cb.onBatch(ev);
                    const double spent = secondsSince(t0);
                    pausedSeconds += spent;
                    idleSeconds += spent;
                }
            }
            if (done.reason == FinishReason::Stopped)
                break;

            EpochEvent ev;
            ev.epoch = epoch + 1;
            ev.epochs = cfg.epochs;
            ev.trainLoss = seen ? lossSum / double(seen) : 0.0;
            ev.trainAccuracy = seen ? double(correctSum) / double(seen) : 0.0;
            const double trainSeconds = secondsSince(epochStart) - pausedSeconds;
            ev.imagesPerSecond = trainSeconds > 0 ? double(seen) / trainSeconds : 0.0;
            if (val.size() > 0) {
                std::tie(ev.validationLoss, ev.validationAccuracy) = validate(net);
            } else {
                ev.validationLoss = ev.trainLoss;
                ev.validationAccuracy = ev.trainAccuracy;
            }
            ev.learningRate = lr;
            ev.seconds = secondsSince(epochStart) - pausedSeconds;
            ev.improved = ev.validationAccuracy > bestValAccuracy;
            epochsDone = epoch + 1;
            if (ev.improved) {
                bestValAccuracy = ev.validationAccuracy;
                bestEpoch = epochsDone;
                epochsWithoutImprovement = 0;
            } else {
                ++epochsWithoutImprovement;
            }
            history.push_back(ev.toJson());
            emit(ev.toJson());
            if (!runDir.empty()) {
                if (ev.improved) {
                    model.metadata() = {{"epoch", epochsDone}, {"val_accuracy", ev.validationAccuracy},
                                        {"val_loss", ev.validationLoss}, {"train_accuracy", ev.trainAccuracy},
                                        {"train_loss", ev.trainLoss}};
                    model.save(runDir + "/best.ncmodel");
                }
                writeCheckpoint(opt);
                log.flush();
            }
            if (cb.onEpoch)
                cb.onEpoch(ev);
            if (cfg.earlyStoppingPatience > 0 && epochsWithoutImprovement >= cfg.earlyStoppingPatience &&
                epochsDone < cfg.epochs) {
                done.reason = FinishReason::EarlyStopped;
                break;
            }
        }
    } catch (const c10::Error& e) {
        std::string what = e.what_without_backtrace();
        if (what.find("out of memory") != std::string::npos || what.find("DefaultCPUAllocator") != std::string::npos)
            what = "out of memory (" + what.substr(0, 200) + "); lower the batch size";
        done.epochsDone = epochsDone;
        done.steps = steps;
        done.seconds = runSeconds(runStart);
        return fail(done, "training failed: " + what);
    } catch (const std::exception& e) {
        done.epochsDone = epochsDone;
        done.steps = steps;
        done.seconds = runSeconds(runStart);
        return fail(done, std::string("training failed: ") + e.what());
    }
    model.impl().net->to(torch::kCPU);
    done.epochsDone = epochsDone;
    done.steps = steps;
    done.bestValidationAccuracy = std::max(0.0, bestValAccuracy);
    done.bestEpoch = bestEpoch;
    done.seconds = runSeconds(runStart);
    emit(done.toJson());
    if (log.is_open())
        log.flush();
    if (cb.onFinished)
        cb.onFinished(done);
    return done;
}

} // namespace nc
