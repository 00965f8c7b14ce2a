// The training loop: batches, the loss, divergence and bf16 fallback, epochs and validation.
#include "train/TrainerImpl.h"

#include "train/Phases.h"

#include "util/Error.h"
#include "util/Files.h"
#include "util/Threads.h"

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/cuda.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <thread>

namespace nc {

namespace {
using Clock = TrainerClock;

// The layer to blame is the first whose largest activation grew this many times since batch one.
constexpr double kActivationBlowUp = 1e3;

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
bool useChannelsLast(const Graph& graph, bool lowPrecisionOrGpu) {
    if (const char* forced = std::getenv("NC_CHANNELS_LAST"))
        return forced[0] == '1';
    bool batchNorm = false, flatten = false;
    for (const Node& n : graph.nodes()) {
        batchNorm |= n.type == "BatchNorm2d";
        flatten |= n.type == "Flatten";
    }
    return !lowPrecisionOrGpu && batchNorm && !flatten;
}
// "a, b, c" for class names (the first six).
std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < 6; ++i)
        out += (i ? ", " : "") + names[i];
    return names.size() > 6 ? out + ", …" : out;
}
} // namespace

void prepareTorchThread(int threads) {
    at::init_num_threads();
    torch::set_num_threads(threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency())));
}

int cudaDeviceCount() { return torch::cuda::is_available() ? int(torch::cuda::device_count()) : 0; }

FinishedEvent Trainer::run() { return d->run(); }

std::pair<double, double> Trainer::Impl::validate(GraphNet& net) {
    torch::NoGradGuard noGrad;
    net->eval();
    if (generative()) {
        std::map<std::string, double> sums;
        const std::int64_t n = val.size(), bs = 512;
        std::vector<std::uint8_t> valScratch;
        for (std::int64_t s = 0; s < n; s += bs) {
            const std::int64_t b = std::min(bs, n - s);
            auto u8 = torch::from_blob(const_cast<std::uint8_t*>(val.imagesAt(s, b, valScratch)),
                                       {b, val.channels, val.height, val.width}, torch::kUInt8)
                          .to(device);
            AutocastScope autocast(this->autocast());
            for (const auto& [id, v] : net->lossValues(normalizeBatch(u8, model.normalization()), u8.to(torch::kFloat32) / 255.0))
                sums[id] += v.to(torch::kFloat32).sum().item<double>();
        }
        net->train();
        validationTerms = Json::object();
        double total = 0;
        for (const auto& [id, sum] : sums) {
            validationTerms[id] = n ? sum / double(n) : 0.0;
            total += n ? sum / double(n) : 0.0;
        }
        return {total, 0.0};
    }
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
        AutocastScope autocast(this->autocast());
        auto logits = net->forward(normalizeBatch(u8, model.normalization())).to(torch::kFloat32);
        lossSum += torch::nn::functional::cross_entropy(logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)).item<double>();
        correct += logits.argmax(1).eq(y).sum().item<std::int64_t>();
    }
    net->train();
    return {n ? lossSum / double(n) : 0.0, n ? double(correct) / double(n) : 0.0};
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
        resolvePrecision();
        emit({{"event", "start"}, {"config", cfg.toJson()}, {"train_images", train.size()},
              {"val_images", val.size()}, {"resumed_from_epoch", epochsDone},
              {"precision", precisionName(precision.precision)}, {"precision_reason", precision.reason}});

        GraphNet& net = model.impl().net;
        net->to(device);
        net->train();
        // Channels-last where oneDNN was measured faster with it (docs/DECISIONS.md, issue 20): fp32
        // networks with BatchNorm2d and no Flatten (resnet-mini +18%); not with MaxPool + Flatten
        // (keras-cnn -20%) nor under bf16 (resnet-mini -7%). NC_CHANNELS_LAST=0/1 overrides.
        const bool channelsLast = useChannelsLast(model.graph(), autocast() || !device.is_cpu());
        if (channelsLast) {
            torch::NoGradGuard noGrad;
            for (auto& p : net->parameters())
                if (p.dim() == 4)
                    p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
        }
        lossTerms.clear();
        std::string outputId; // a classifier's Output: its cross-entropy is a term beside any loss nodes
        for (const Node& node : model.graph().nodes())
            if (node.type == "Output")
                outputId = node.id;
        hasOutput = !outputId.empty();
        for (const Node& node : model.graph().nodes())
            if (isLossType(node.type)) {
                Json p;
                LayerRegistry::instance().normalizeParams(*LayerRegistry::instance().find(node.type), node.params, p);
                const int adversarial = node.type == "AdversarialLoss" && p.value("loss", "") == "bce"
                                            ? (p.value("target", "") == "real" ? 1 : -1)
                                            : 0;
                lossTerms.push_back({node.id, p.value("beta", 1.0), p.value("warmup_epochs", 0), adversarial});
            }
        if (generative() && !cfg.teacher.empty())
            return fail(done, "distillation needs a classifier (an Output layer); this network trains on its loss nodes");
        if (generative() && epochsDone == 0 && bestValAccuracy == -1)
            bestValAccuracy = std::numeric_limits<double>::lowest(); // the score is -loss: any first epoch improves

        // Training phases (DESIGN §10): checked against the graph; each has an optimizer group of
        // the parameters of the layers it trains, and the steps its losses need.
        if (generative() || !cfg.phases.empty()) {
            const GraphAnalysis analysis =
                analyzeGraph(model.graph(), model.inputShape(), int(model.classNames().size()));
            const std::vector<Problem> problems = validatePhases(model.graph(), analysis, cfg.phases);
            if (!problems.empty())
                return fail(done, problems.front().message, problems.front().nodeId);
        }
        const bool phased = !cfg.phases.empty();
        NamedTensors params;
        for (auto& p : net->named_parameters())
            params.emplace_back(p.key(), p.value());
        std::vector<OptimizerGroup> groups;
        std::vector<std::vector<bool>> phaseSteps;
        for (const TrainPhase& ph : cfg.phases) {
            OptimizerGroup g{ph.name, cfg, {}};
            g.config.optimizer = ph.optimizer;
            g.config.learningRate = ph.learningRate;
            g.config.beta1 = ph.beta1;
            g.config.beta2 = ph.beta2;
            for (const auto& [name, t] : params)
                if (std::find(ph.trains.begin(), ph.trains.end(), name.substr(0, name.find('.'))) != ph.trains.end())
                    g.parameters.push_back(name);
            groups.push_back(std::move(g));
            phaseSteps.push_back(net->stepsFor(ph.losses));
        }
        Optimizer opt = phased ? Optimizer(params, groups) : Optimizer(cfg, params);
        if (resumed)
            opt.loadState(resumedOptimizerState, steps, "checkpoint");

        // Label smoothing and loss come from the Output layer unless the settings override them.
        Json outParams = Json::object();
        for (const Node& n : model.graph().nodes())
            if (n.type == "Output")
                LayerRegistry::instance().normalizeParams(*LayerRegistry::instance().find("Output"), n.params, outParams);
        const bool mse = outParams.value("loss", "cross_entropy") == "mse";
        const double smoothing = cfg.labelSmoothing >= 0 ? cfg.labelSmoothing : outParams.value("label_smoothing", 0.0);

        // Knowledge distillation: the teacher runs in eval mode on the same (augmented) batch.
        std::optional<Model> teacher;
        if (!cfg.teacher.empty()) {
            try {
                teacher.emplace(Model::load(cfg.teacher));
            } catch (const std::exception& e) {
                return fail(done, std::string("the teacher model cannot be used: ") + e.what());
            }
            if (mse)
                return fail(done, "distillation needs a cross-entropy Output layer; this network's Output uses mse");
            const Shape& ts = teacher->inputShape();
            const Shape& ss = model.inputShape();
            if (ts != ss)
                return fail(done, "the teacher " + cfg.teacher + " takes " + shapeToString(ts) + " images but this network takes " +
                                      shapeToString(ss));
            if (teacher->classNames() != model.classNames())
                return fail(done, "the teacher " + cfg.teacher + " has " + std::to_string(teacher->classNames().size()) +
                                      " classes (" + joined(teacher->classNames()) + ") but this network has " +
                                      std::to_string(model.classNames().size()) + " (" + joined(model.classNames()) +
                                      "): a teacher must know the same classes, in the same order");
            teacher->impl().net->to(device);
            teacher->impl().net->eval();
        }
        const double temperature = cfg.distillTemperature, alpha = cfg.distillAlpha;

        const std::int64_t n = train.size(), bs = cfg.batchSize;
        // A last batch of one sample cannot train BatchNorm; it is dropped.
        std::int64_t batches = n / bs + ((n % bs) >= 2 ? 1 : 0);
        if (batches == 0)
            return fail(done, "the training set has " + std::to_string(n) + " images, too few for one batch");
        const std::int64_t totalSteps = batches * cfg.epochs;
        // A loss node's β ramps up linearly over its warm-up epochs (by step, so a resume is exact).
        const auto warmUp = [&](const LossTerm& term) {
            return term.warmupEpochs > 0 ? std::min(1.0, double(steps) / double(term.warmupEpochs * batches)) : 1.0;
        };
        // The β- and warm-up-weighted sum of the batch means of the loss nodes in `values` that
        // `wanted` names (all when null); `report` receives each one's mean and, for a BCE
        // AdversarialLoss, the discriminator's mean σ(score): -log σ(d) (real) or -log(1 - σ(d))
        // (fake) per image, turned back.
        const auto weightedLoss = [&](const std::vector<std::pair<std::string, torch::Tensor>>& values,
                                      const std::vector<std::string>* wanted, Json* report) {
            torch::Tensor sum = torch::zeros({}, torch::TensorOptions().device(device));
            for (const auto& [id, v] : values) {
                if (wanted && std::find(wanted->begin(), wanted->end(), id) == wanted->end())
                    continue;
                const torch::Tensor v32 = v.to(torch::kFloat32);
                for (const LossTerm& term : lossTerms) {
                    if (term.node != id)
                        continue;
                    sum = sum + term.beta * warmUp(term) * v32.mean();
                    if (report && term.adversarial != 0) {
                        torch::NoGradGuard noGrad;
                        const torch::Tensor e = torch::exp(-v32.detach());
                        (*report)["p:" + id] = (term.adversarial > 0 ? e : 1 - e).mean().item<double>();
                    }
                }
                if (report)
                    (*report)[id] = v32.mean().item<double>();
            }
            return sum;
        };
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
        Snapshot lastCheckpoint;
        for (int epoch = epochsDone; epoch < cfg.epochs; ++epoch) {
            if (autocast())
                lastCheckpoint = snapshot(net, opt);
            bool retryInFp32 = false;
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
                if (augmentsEpoch(cfg, epoch))
                    augmentBatch(buffer.data(), count, train.channels, train.height, train.width, cfg.augmentation,
                                 mix(cfg.seed, 3000 + epoch, b));
                auto u8 = torch::from_blob(buffer.data(), {count, train.channels, train.height, train.width}, torch::kUInt8);
                auto y = torch::from_blob(labels.data(), {count}, torch::kInt64).to(device, false, true);
                const auto pixels = u8.to(device);
                auto x = normalizeBatch(pixels, model.normalization());
                if (channelsLast)
                    x = x.contiguous(torch::MemoryFormat::ChannelsLast);

                lr = scheduledLearningRate(cfg, steps, totalSteps, batches);
                opt.zeroGrad();
                torch::Tensor logits, loss;
                Json batchTerms = Json::object();
                if (phased) {
                    // Each due phase in order: its losses from a fresh forward pass of what they
                    // need, back-propagated, and a step of its own optimizer group.
                    const torch::Tensor unit = pixels.to(torch::kFloat32) / 255.0;
                    double total = 0;
                    for (std::size_t k = 0; k < cfg.phases.size(); ++k) {
                        const TrainPhase& ph = cfg.phases[k];
                        if (steps % ph.every != 0)
                            continue;
                        opt.zeroGrad();
                        std::vector<std::pair<std::string, torch::Tensor>> values;
                        {
                            AutocastScope autocast(this->autocast());
                            values = net->lossValues(x, unit, &phaseSteps[k]);
                        }
                        const torch::Tensor phaseLoss = weightedLoss(values, &ph.losses, &batchTerms);
                        const double value = phaseLoss.item<double>();
                        total += value;
                        if (!std::isfinite(value))
                            break; // reported below, before anything else is stepped
                        phaseLoss.backward();
                        if (cfg.gradClipNorm > 0)
                            torch::nn::utils::clip_grad_norm_(net->parameters(), cfg.gradClipNorm);
                        opt.step(scheduledLearningRate(groups[k].config, steps, totalSteps, batches), k);
                    }
                    loss = torch::tensor(total);
                } else if (generative()) {
                    std::vector<std::pair<std::string, torch::Tensor>> values;
                    {
                        AutocastScope autocast(this->autocast());
                        values = net->lossValues(x, pixels.to(torch::kFloat32) / 255.0);
                    }
                    loss = weightedLoss(values, nullptr, &batchTerms);
                } else {
                    // A classifier's own loss nodes (a KL term on its bottleneck, say) come from the
                    // same forward pass and are added to its cross-entropy.
                    std::vector<std::pair<std::string, torch::Tensor>> extra;
                    {
                        AutocastScope autocast(this->autocast());
                        if (lossTerms.empty())
                            logits = net->forward(x);
                        else
                            logits = net->run(x, pixels.to(torch::kFloat32) / 255.0, std::string(), torch::Tensor(),
                                              [&](const std::string& id, const torch::Tensor& v) {
                                                  for (const LossTerm& t : lossTerms)
                                                      if (t.node == id)
                                                          extra.emplace_back(id, v);
                                              });
                    }
                    logits = logits.to(torch::kFloat32); // the loss is computed in fp32
                    if (mse)
                        loss = torch::mse_loss(logits, torch::one_hot(y, logits.size(1)).to(torch::kFloat32));
                    else
                        loss = torch::nn::functional::cross_entropy(
                            logits, y, torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(smoothing));
                    if (!lossTerms.empty()) {
                        batchTerms[outputId] = loss.item<double>();
                        loss = loss + weightedLoss(extra, nullptr, &batchTerms);
                    }
                }
                if (teacher) {
                    torch::Tensor soft;
                    {
                        torch::NoGradGuard noGrad;
                        const torch::Tensor t =
                            teacher->impl().net->forward(normalizeBatch(pixels, teacher->normalization()));
                        soft = torch::softmax(t.to(torch::kFloat32) / temperature, 1);
                    }
                    // KL(soft || student), summed over classes, averaged over the batch; × T² keeps its
                    // gradients the size of the hard loss's as T changes (Hinton et al.).
                    const torch::Tensor kd = torch::kl_div(torch::log_softmax(logits / temperature, 1), soft,
                                                           at::Reduction::Sum) /
                                             double(count) * (temperature * temperature);
                    loss = alpha * kd + (1.0 - alpha) * loss;
                }
                const double lossValue = loss.item<double>();
                if (firstMagnitudes.empty())
                    firstMagnitudes = magnitudes(x);
                if (firstLoss <= 0 && std::isfinite(lossValue))
                    firstLoss = lossValue;
                const bool diverged = std::isfinite(lossValue) && firstLoss > 0 &&
                                      lossValue > kDivergenceFactor * std::max(firstLoss, 1e-2);
                if ((!std::isfinite(lossValue) || diverged) && autocast()) {
                    fallbackMessage = precisionFallbackMessage(epoch, b, lossValue, epochsDone);
                    retryInFp32 = true;
                    break;
                }
                if (!std::isfinite(lossValue) || diverged) {
                    const std::string node = blownUpNode(x);
                    done.epochsDone = epochsDone;
                    done.steps = steps;
                    done.seconds = runSeconds(runStart);
                    done.diverged = true;
                    return fail(done, divergenceMessage(epoch, b, lossValue, lr, node), node);
                }
                if (!phased) {
                    loss.backward();
                    if (cfg.gradClipNorm > 0)
                        torch::nn::utils::clip_grad_norm_(net->parameters(), cfg.gradClipNorm);
                    opt.step(lr);
                }
                ++steps;

                const std::int64_t correct = generative() ? 0 : logits.argmax(1).eq(y).sum().item<std::int64_t>();
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
                ev.learningRate = phased ? scheduledLearningRate(groups[0].config, steps - 1, totalSteps, batches) : lr;
                ev.terms = batchTerms;
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
            if (retryInFp32) { // back to the last checkpoint, and this epoch again in fp32
                restore(lastCheckpoint, net, opt);
                precision.precision = Precision::FP32;
                precision.reason = "fp32 after bf16 failed: " + fallbackMessage;
                fellBackToFp32 = true;
                done.precisionFallback = fallbackMessage;
                emit({{"event", "precision_fallback"}, {"precision", "fp32"}, {"message", fallbackMessage},
                      {"resumed_from_epoch", epochsDone}});
                if (cb.onPrecisionChanged)
                    cb.onPrecisionChanged(precision);
                --epoch;
                continue;
            }

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
            if (generative() && val.size() > 0)
                ev.validationTerms = validationTerms;
            // The score kept as "best": accuracy, or for a generative network the negated loss.
            const double score = generative() ? -ev.validationLoss : ev.validationAccuracy;
            // A GAN's losses say nothing about which epoch's weights are best: the latest are kept.
            ev.improved = phased || score > bestValAccuracy;
            epochsDone = epoch + 1;
            if (ev.improved) {
                bestValAccuracy = score;
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
                    if (generative())
                        model.metadata()["val_terms"] = ev.validationTerms;
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
    done.precision = precision.precision;
    done.epochsDone = epochsDone;
    done.steps = steps;
    done.generative = generative();
    done.bestValidationAccuracy = generative() ? 0.0 : std::max(0.0, bestValAccuracy);
    done.bestValidationLoss = generative() && bestEpoch > 0 ? -bestValAccuracy : 0.0;
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
