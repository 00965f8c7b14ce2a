// `train` and `bench`: both drive nc::Trainer; bench times steps on in-memory data.
#include "Commands.h"

#include "nn/Generative.h"

#include "data/Dataset.h"
#include "graph/Project.h"
#include "nn/Model.h"
#include "train/Evaluator.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Files.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>

#include <sys/resource.h>
#include <unistd.h>

namespace nc::cli {

namespace {

std::atomic<Trainer*> g_running{nullptr};

void onInterrupt(int) {
    // Ctrl+C stops after the current batch; checkpoints of finished epochs are kept.
    if (Trainer* t = g_running.load())
        t->stop();
}

// A flag given as --name, or --name=true / --name=false.
bool flagValue(const Args& args, const char* name) {
    const std::string v = args.get(name);
    if (v == "true")
        return true;
    if (v == "false")
        return false;
    throw Error(std::string("--") + name + " takes no value (it was given '" + v + "')");
}

// Sets one project-file key of the config from an option, range-checked by TrainConfig::fromJson;
// a bad value's message names the option.
void setTrainingKey(TrainConfig& cfg, const char* option, const char* key, Json value) {
    Json j = cfg.toJson();
    j[key] = std::move(value);
    try {
        cfg = TrainConfig::fromJson(j);
    } catch (const Error& e) {
        throw Error(std::string("--") + option + ": " + e.what());
    }
}

// --rotation, --width-shift, ... onto the config's augmentation.
void applyAugmentationOptions(const Args& args, TrainConfig& cfg) {
    const std::pair<const char*, const char*> numbers[] = {
        {"rotation", "augment_rotation"},         {"width-shift", "augment_width_shift"},
        {"height-shift", "augment_height_shift"}, {"zoom", "augment_zoom"},
        {"brightness", "augment_brightness"},     {"contrast", "augment_contrast"},
        {"erase", "augment_erase"}};
    const std::pair<const char*, const char*> flags[] = {{"hflip", "augment_flip"},
                                                         {"vflip", "augment_vertical_flip"}};
    for (const auto& [option, key] : numbers)
        if (args.has(option))
            setTrainingKey(cfg, option, key, args.getDouble(option, 0));
    for (const auto& [option, key] : flags)
        if (args.has(option))
            setTrainingKey(cfg, option, key, flagValue(args, option));
    if (args.has("clean-epochs"))
        setTrainingKey(cfg, "clean-epochs", "augment_clean_epochs", args.getInt("clean-epochs", 0));
}

// Applies the command-line overrides shared by train and bench to a config.
void applyOverrides(const Args& args, TrainConfig& cfg) {
    cfg.epochs = int(args.getInt("epochs", cfg.epochs));
    cfg.batchSize = int(args.getInt("batch", cfg.batchSize));
    cfg.learningRate = args.getDouble("lr", cfg.learningRate);
    cfg.weightDecay = args.getDouble("weight-decay", cfg.weightDecay);
    cfg.seed = std::uint64_t(args.getInt("seed", std::int64_t(cfg.seed)));
    cfg.threads = int(args.getInt("threads", cfg.threads));
    cfg.device = args.get("device", cfg.device);
    cfg.limitTrain = args.getInt("limit-train", cfg.limitTrain);
    if (args.has("optimizer") && !parseOptimizer(args.get("optimizer"), cfg.optimizer))
        throw Error("--optimizer must be one of sgd, nesterov, adam, adamw, rmsprop");
    if (args.has("schedule")) {
        Json j = cfg.toJson();
        j["schedule"] = args.get("schedule");
        cfg = TrainConfig::fromJson(j);
    }
    if (args.has("precision") && !parsePrecision(args.get("precision"), cfg.precision))
        throw Error("--precision must be auto, fp32 or bf16");
    if (args.has("augment")) {
        cfg.augmentation.horizontalFlip = true;
        cfg.augmentation.padCrop = std::max(cfg.augmentation.padCrop, 2);
    }
    applyAugmentationOptions(args, cfg);
    if (cfg.epochs < 1 || cfg.batchSize < 1 || !(cfg.learningRate > 0))
        throw Error("--epochs, --batch and --lr must be positive");
}

// --teacher MODEL [--distill-temperature T] [--distill-alpha A], range-checked like the project keys.
void applyDistillationOptions(const Args& args, TrainConfig& cfg) {
    if (!args.has("teacher")) {
        if (args.has("distill-temperature") || args.has("distill-alpha"))
            throw Error("--distill-temperature and --distill-alpha need --teacher MODEL.ncmodel");
        return;
    }
    setTrainingKey(cfg, "teacher", "teacher", std::filesystem::absolute(args.get("teacher")).lexically_normal().string());
    for (const auto& [option, key] : {std::pair{"distill-temperature", "distill_temperature"},
                                      std::pair{"distill-alpha", "distill_alpha"}})
        if (args.has(option))
            setTrainingKey(cfg, option, key, args.getDouble(option, 0));
}

// CPU seconds this process used so far (all threads, user + system).
double processCpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

std::string runId() {
    const std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::localtime(&now));
    return buf;
}

void progressBar(const BatchEvent& e, bool generative) {
    const int width = 24;
    const int filled = int(width * e.batch / std::max<std::int64_t>(1, e.batchesPerEpoch));
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    if (generative) // losses in nats per image; no accuracy
        std::fprintf(stderr, "\repoch %d/%d [%s] %lld/%lld loss %.3f %.0f img/s   ", e.epoch, e.epochs, bar.c_str(),
                     static_cast<long long>(e.batch), static_cast<long long>(e.batchesPerEpoch), e.loss,
                     e.imagesPerSecond);
    else
        std::fprintf(stderr, "\repoch %d/%d [%s] %lld/%lld loss %.4f acc %.3f %.0f img/s   ", e.epoch, e.epochs,
                     bar.c_str(), static_cast<long long>(e.batch), static_cast<long long>(e.batchesPerEpoch), e.loss,
                     e.accuracy, e.imagesPerSecond);
}

} // namespace

int trainCommand(const Args& args) {
    args.allowOnly({"dataset", "epochs", "batch", "lr", "optimizer", "schedule", "device", "precision", "threads",
                    "limit-train", "limit-test", "out", "resume", "seed", "json", "augment", "clean-epochs", "weight-decay", "size", "channels", "fit", "test-fraction", "cache-dir",
                    "rotation", "width-shift", "height-shift", "zoom", "hflip", "vflip", "brightness",
                    "contrast", "erase", "teacher", "distill-temperature", "distill-alpha"});
    if (args.positional().size() != 1)
        throw Error("train needs one project file");
    const std::string projectPath = args.positional()[0];
    Project project = loadProject(projectPath);
    const std::string spec = args.get("dataset", project.dataset);
    TrainConfig cfg = project.training;
    applyOverrides(args, cfg);
    if (!cfg.teacher.empty() && std::filesystem::path(cfg.teacher).is_relative()) // kept in the project: beside it
        cfg.teacher = (std::filesystem::absolute(projectPath).parent_path() / cfg.teacher).lexically_normal().string();
    applyDistillationOptions(args, cfg);
    const bool json = args.has("json");
    const bool interactive = isatty(STDERR_FILENO) == 1;

    // A folder or CSV of images is decoded once into a cache beside the project.
    DatasetOptions dataOptions = datasetOptionsFor(project, projectPath);
    applyImportOptions(args, dataOptions);
    ImportReport importReport;
    dataOptions.report = &importReport;
    dataOptions.progress = importProgressPrinter(json);
    const DatasetPair data = loadDataset(spec, dataOptions, 0, args.getInt("limit-test", 0));
    if (isImageImportSpec(spec)) {
        if (json) {
            Json j = importReport.toJson();
            j["event"] = "import";
            std::cout << j.dump() << "\n";
        } else {
            std::fputs(importReport.summary().c_str(), stderr);
        }
    }
    const DatasetInfo info{data.train.channels, data.train.height, data.train.width, data.train.classNames};
    Model model = Model::compile(project.graph, info, cfg.seed);

    const std::string id = runId();
    const std::string runDir = args.get("out", projectPath + ".runs/" + id);
    Trainer trainer(model, data.train, cfg, runDir);
    if (data.validation.size() > 0)
        trainer.setValidationSet(data.validation); // the folder's own val/ part
    if (args.has("resume"))
        trainer.resumeFrom(args.get("resume")); // the checkpoint's settings, with this --epochs

    const bool generative = isGenerative(model);
    TrainerCallbacks cb;
    cb.onBatch = [&](const BatchEvent& e) {
        if (json)
            std::cout << e.toJson().dump() << "\n";
        else if (interactive)
            progressBar(e, generative);
    };
    cb.onEpoch = [&](const EpochEvent& e) {
        // A generative network: its loss nodes on the test split too, every epoch (nats per image).
        GenerativeScores test;
        if (generative && data.test.size() > 0)
            test = scoreGenerative(model, data.test);
        if (json) {
            Json j = e.toJson();
            if (test.images > 0) {
                Json terms = Json::object();
                for (const auto& [id, v] : test.terms)
                    terms[id] = v;
                j["test_loss"] = test.total;
                j["test_terms"] = terms;
            }
            std::cout << j.dump() << std::endl;
            return;
        }
        if (interactive)
            std::fprintf(stderr, "\r%*s\r", 100, "");
        if (generative) {
            std::string terms;
            for (auto it = e.validationTerms.begin(); it != e.validationTerms.end(); ++it)
                {
                char v[32];
                std::snprintf(v, sizeof v, " %.2f", it.value().get<double>());
                terms += (terms.empty() ? "" : " + ") + it.key() + v;
            }
            std::printf("epoch %d/%d  loss %.3f  val %.3f (%s)", e.epoch, e.epochs, e.trainLoss, e.validationLoss,
                        terms.c_str());
            if (test.images > 0)
                std::printf("  test %.3f nats/image", test.total);
            std::printf("  %.1fs  %.0f img/s%s\n", e.seconds, e.imagesPerSecond, e.improved ? "  (best)" : "");
        } else {
            std::printf("epoch %d/%d  loss %.4f  acc %.4f  val_loss %.4f  val_acc %.4f  %.1fs  %.0f img/s%s\n", e.epoch,
                        e.epochs, e.trainLoss, e.trainAccuracy, e.validationLoss, e.validationAccuracy, e.seconds,
                        e.imagesPerSecond, e.improved ? "  (best)" : "");
        }
        std::fflush(stdout);
    };
    cb.onPrecisionChanged = [&](const PrecisionChoice& p) {
        if (json)
            std::cout << Json{{"event", "precision_fallback"}, {"precision", precisionName(p.precision)},
                              {"message", p.reason}}
                             .dump()
                      << std::endl;
        else
            std::fprintf(stderr, "%swarning: %s\n", interactive ? "\r" : "", p.reason.c_str());
    };
    trainer.setCallbacks(cb);
    const PrecisionChoice precision = trainer.precisionChoice(); // "auto" resolved for this CPU
    if (json)
        std::cout << Json{{"event", "precision"}, {"precision", precisionName(precision.precision)},
                          {"requested", precisionName(precision.requested)}, {"reason", precision.reason}}
                         .dump()
                  << std::endl;
    else
        std::printf("precision: %s\n", precision.reason.c_str());
    g_running = &trainer;
    // Ctrl+C or SIGTERM (a scheduler ending the job) stops after the current batch, keeping a
    // checkpoint of exactly that point; the import's handler (importProgressPrinter) is replaced.
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    const FinishedEvent done = trainer.run();
    g_running = nullptr;
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    Json summary = done.toJson();
    summary["event"] = "summary";
    summary["run_dir"] = runDir;
    summary["dataset"] = spec;
    const std::string best = runDir + "/best.ncmodel";
    if (generative && fileExists(best) && data.test.size() > 0) {
        const GenerativeScores r = scoreGenerative(Model::load(best), data.test);
        Json terms = Json::object();
        for (const auto& [tid, v] : r.terms)
            terms[tid] = v;
        summary["best_model"] = best;
        summary["test_loss"] = r.total;
        summary["test_terms"] = terms;
        summary["test_images"] = r.images;
    } else if (fileExists(best) && data.test.size() > 0) {
        const Model bestModel = Model::load(best);
        const EvaluationResult r = evaluateModel(bestModel, data.test);
        summary["best_model"] = best;
        summary["test_accuracy"] = r.accuracy;
        summary["test_loss"] = r.loss;
        summary["test_images"] = r.count;
    }
    // Record the run in the project (atomically; the graph and settings the user had are untouched).
    Json run = {{"id", id}, {"dir", runDir}, {"dataset", spec}, {"config", cfg.toJson()}, {"result", summary}};
    project.runs.push_back(run);
    try {
        saveProject(project, projectPath);
    } catch (const Error& e) {
        std::fprintf(stderr, "warning: the run was not recorded in the project: %s\n", e.what());
    }

    if (json) {
        std::cout << summary.dump() << std::endl;
    } else {
        if (interactive)
            std::fprintf(stderr, "\r%*s\r", 100, "");
        if (done.reason == FinishReason::Failed)
            std::fprintf(stderr, "%s\n", done.message.c_str());
        if (generative)
            std::printf("run %s: %s after %d epoch(s) in %.1fs; best validation loss %.3f nats per image (epoch %d)\n",
                        runDir.c_str(), finishReasonName(done.reason), done.epochsDone, done.seconds,
                        done.bestValidationLoss, done.bestEpoch);
        else
            std::printf("run %s: %s after %d epoch(s) in %.1fs; best validation accuracy %.4f (epoch %d)\n",
                        runDir.c_str(), finishReasonName(done.reason), done.epochsDone, done.seconds,
                        done.bestValidationAccuracy, done.bestEpoch);
        if (generative && summary.contains("test_loss"))
            std::printf("test loss of %s: %.3f nats per image on %lld images\n", best.c_str(),
                        summary["test_loss"].get<double>(), summary["test_images"].get<long long>());
        if (summary.contains("test_accuracy"))
            std::printf("test accuracy of %s: %.4f on %lld images\n", best.c_str(),
                        summary["test_accuracy"].get<double>(), summary["test_images"].get<long long>());
    }
    return done.reason == FinishReason::Failed ? 1 : 0;
}

int benchCommand(const Args& args) {
    args.allowOnly({"dataset", "steps", "warmup", "batch", "device", "precision", "threads", "optimizer", "lr",
                    "weight-decay", "schedule", "json"});
    if (args.positional().size() != 1)
        throw Error("bench needs one project file");
    const Project project = loadProject(args.positional()[0]);
    const std::string spec = args.get("dataset", project.dataset);
    TrainConfig cfg = project.training;
    applyOverrides(args, cfg);
    const std::int64_t steps = args.getInt("steps", 50), warmup = args.getInt("warmup", 5);
    if (steps < 1 || warmup < 0)
        throw Error("--steps must be positive and --warmup not negative");
    cfg.epochs = 1;
    cfg.validationFraction = 0;
    cfg.augmentation = Augmentation();
    cfg.limitTrain = (steps + warmup) * cfg.batchSize;

    const DatasetPair data =
        loadDataset(spec, datasetOptionsFor(project, args.positional()[0]), cfg.limitTrain, 1); // a folder's cache too
    if (data.train.size() < cfg.limitTrain)
        throw Error("the dataset has " + std::to_string(data.train.size()) + " training images; bench needs " +
                    std::to_string(cfg.limitTrain) + " (lower --steps or --batch)");
    const DatasetInfo info{data.train.channels, data.train.height, data.train.width, data.train.classNames};
    Model model = Model::compile(project.graph, info, cfg.seed);
    Trainer trainer(model, data.train, cfg);
    using Clock = std::chrono::steady_clock;
    Clock::time_point t0;
    double cpu0 = 0;
    TrainerCallbacks cb;
    cb.onBatch = [&](const BatchEvent& e) {
        if (e.batch == warmup) {
            t0 = Clock::now();
            cpu0 = processCpuSeconds();
        }
    };
    if (warmup == 0) {
        t0 = Clock::now();
        cpu0 = processCpuSeconds();
    }
    trainer.setCallbacks(cb);
    const PrecisionChoice precision = trainer.precisionChoice();
    const FinishedEvent done = trainer.run();
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const double cpuSeconds = processCpuSeconds() - cpu0;
    if (done.reason == FinishReason::Failed)
        throw Error(done.message);
    const double ips = double(steps * cfg.batchSize) / seconds;
    Json j = {{"event", "summary"}, {"project", args.positional()[0]}, {"dataset", spec},
              {"batch", cfg.batchSize}, {"steps", steps}, {"warmup", warmup},
              {"optimizer", optimizerName(cfg.optimizer)}, {"device", cfg.device},
              {"precision", precisionName(done.precision)}, {"precision_requested", precisionName(cfg.precision)},
              {"precision_reason", precision.reason}, {"threads", cfg.threads},
              {"seconds", seconds}, {"images_per_second", ips}, {"ms_per_step", 1000.0 * seconds / double(steps)},
              // CPU time of the timed steps: with OMP_WAIT_POLICY=PASSIVE (no spinning) it measures
              // the work itself, which a busy machine's wall clock cannot.
              {"cpu_ms_per_step", 1000.0 * cpuSeconds / double(steps)}};
    if (args.has("json"))
        std::cout << j.dump() << std::endl;
    else
        std::printf("%s: %.0f images/s (%.2f ms per step of %d, %s, %s)\n", args.positional()[0].c_str(), ips,
                    1000.0 * seconds / double(steps), cfg.batchSize, cfg.device.c_str(),
                    precision.reason.c_str());
    return 0;
}

} // namespace nc::cli
