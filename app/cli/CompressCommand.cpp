// `compress`: a smaller model from a trained one (issue 15): int8 post-training quantisation,
// calibrated on the training split and checked on the test split, or structured channel pruning
// followed by a short fine-tune, which also writes the smaller graph as a project.
#include "Commands.h"

#include "data/Dataset.h"
#include "graph/Project.h"
#include "nn/Model.h"
#include "nn/Prune.h"
#include "nn/Quantize.h"
#include "train/Compression.h"
#include "train/Evaluator.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Files.h"
#include "util/Threads.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace nc::cli {

namespace {
std::string joined(const std::vector<std::string>& items) {
    if (items.empty())
        return "none";
    std::string s;
    for (const std::string& i : items)
        s += (s.empty() ? "" : ", ") + i;
    return s;
}

bool sameFile(const std::string& a, const std::string& b) {
    std::error_code ec;
    return std::filesystem::exists(b, ec) && std::filesystem::equivalent(a, b, ec);
}
// Before any calibration or fine-tuning: a folder that is not there would otherwise be found
// only when the result is written, minutes later.
void requireOutputFolder(const std::string& output) {
    const std::filesystem::path parent = std::filesystem::path(output).parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
        throw Error("-o " + output + ": the folder " + parent.string() + " does not exist");
}

// What every kind of compress starts from: the model, the project it came from (--project; its
// training settings and import policy), and the dataset at the model's input size.
struct CompressInput {
    Model model;
    Project source;
    DatasetPair data;
};

// The fine-tune of pruning and sparsity: the given settings for `epochs` epochs, its progress on
// stderr unless the output is JSON.
FinetuneSettings finetuneSettings(const TrainConfig& config, int epochs, bool json) {
    FinetuneSettings fs;
    fs.config = config;
    fs.epochs = epochs;
    fs.onEpoch = [json](const EpochEvent& e) {
        if (json)
            std::cout << Json{{"event", "finetune_epoch"}, {"epoch", e.epoch}, {"epochs", e.epochs},
                              {"val_accuracy", e.validationAccuracy}, {"train_loss", e.trainLoss}}
                             .dump()
                      << std::endl;
        else
            std::fprintf(stderr, "fine-tune epoch %d/%d: train loss %.4f, validation accuracy %.4f\n", e.epoch, e.epochs,
                         e.trainLoss, e.validationAccuracy);
    };
    return fs;
}

CompressInput loadCompressInput(const Args& args, const std::string& input, bool json) {
    CompressInput c{Model::load(input), Project{}, DatasetPair{}};
    DatasetOptions options;
    if (args.has("project")) {
        c.source = loadProject(args.get("project"));
        options = datasetOptionsFor(c.source, args.get("project"));
    }
    applyImportOptions(args, options);
    const Shape in = c.model.inputShape();
    options.policy.channels = int(in[0]);
    options.policy.height = in[1];
    options.policy.width = in[2];
    options.progress = importProgressPrinter(json);
    c.data = loadDataset(args.get("dataset"), options, args.getInt("limit-train", 0), args.getInt("limit-test", 0));
    checkDatasetFits(c.model, c.data.train);
    return c;
}

std::string withExtension(const std::string& path, const char* ext) {
    return std::filesystem::path(path).replace_extension(ext).string();
}

// compress --prune-channels F: the smaller graph, its kept weights fine-tuned, as a model and a
// project beside it.
int pruneCommand(const Args& args) {
    if (args.positional().size() != 1 || !args.has("output") || !args.has("dataset"))
        throw Error("compress --prune-channels needs MODEL.ncmodel, --dataset SPEC (to fine-tune and test on) and "
                    "-o OUT.ncmodel (the project is written beside it as OUT.ncproj)");
    const std::string input = args.positional()[0], output = args.get("output");
    if (std::filesystem::path(output).extension() != ".ncmodel")
        throw Error("-o must name a .ncmodel file; the pruned project is written beside it as .ncproj");
    if (sameFile(input, output))
        throw Error("-o names the model being pruned; write the pruned model to a new file so the original is kept");
    requireOutputFolder(output);
    const double share = args.getDouble("prune-channels", 0.5);
    if (!(share > 0.0 && share < 1.0))
        throw Error("--prune-channels is the share of each convolution's channels to remove: above 0 and below 1");
    const int finetune = int(args.getInt("finetune-epochs", 3));
    if (finetune < 0 || finetune > 1000)
        throw Error("--finetune-epochs must be between 0 and 1000");
    const int threads = int(args.getInt("threads", 0));
    prepareTorchThread(threads);
    const bool json = args.has("json");

    const CompressInput loaded = loadCompressInput(args, input, json);
    const Model& model = loaded.model;
    const Project& source = loaded.source;
    const DatasetPair& data = loaded.data;

    const bool tested = data.test.size() > 0;
    const double before = tested ? evaluateModel(model, data.test).accuracy : 0.0;
    double cut = 0.0;

    TrainConfig config = source.training;
    const int projectEpochs = config.epochs;
    // The fine-tune's own learning rate and schedule, and the unpruned model as its teacher.
    Json keys = config.toJson();
    if (args.has("lr"))
        keys["learning_rate"] = args.getDouble("lr", config.learningRate);
    if (args.has("schedule"))
        keys["schedule"] = args.get("schedule");
    if (args.has("distill"))
        keys["teacher"] = std::filesystem::absolute(input).lexically_normal().string();
    try {
        config = TrainConfig::fromJson(keys);
    } catch (const Error& e) {
        throw Error(std::string("fine-tune settings (--lr, --schedule): ") + e.what());
    }
    config.threads = threads;
    if (args.has("seed"))
        config.seed = std::uint64_t(args.getInt("seed", 42));
    FinetuneSettings fs = finetuneSettings(config, finetune, json);
    fs.beforeFinetune = [&](const Model& m) { cut = tested ? evaluateModel(m, data.test).accuracy : 0.0; };
    PruneReport report;
    int recalibrated = 0;
    const bool residual = args.has("prune-residual");
    Model pruned = pruneAndFinetune(model, data.train, share, residual, fs, &report, &recalibrated);
    const double after = tested ? evaluateModel(pruned, data.test).accuracy : 0.0;

    Json summary = {{"event", "summary"},
                    {"model", input},
                    {"output", output},
                    {"project", withExtension(output, ".ncproj")},
                    {"method", "prune-channels"},
                    {"removed_share", share},
                    {"residual", residual},
                    {"pruned", report.pruned},
                    {"kept", report.kept},
                    {"parameters_before", report.parametersBefore},
                    {"parameters_after", report.parametersAfter},
                    {"flops_before", report.flopsBefore},
                    {"flops_after", report.flopsAfter},
                    {"finetune_epochs", finetune},
                    {"batchnorm_recalibration_images", recalibrated},
                    {"distilled", args.has("distill")}};
    if (tested) {
        summary["test_images"] = data.test.size();
        summary["accuracy_before"] = before;
        summary["accuracy_pruned"] = cut;
        summary["accuracy_after"] = after;
    }
    pruned.metadata()["compression"] = {{"method", "prune-channels"}, {"from", input},       {"removed_share", share},
                                        {"residual", residual}, {"finetune_epochs", finetune}, {"flops_before", report.flopsBefore},
                                        {"flops_after", report.flopsAfter}, {"dataset", args.get("dataset")}};
    if (tested)
        pruned.metadata()["compression"]["test_accuracy"] = after;
    pruned.save(output);
    Project out;
    out.name = std::filesystem::path(output).stem().string();
    out.description = "Pruned from " + input + ": " + std::to_string(int(std::lround(share * 100))) +
                      " % of each prunable convolution's channels removed, then fine-tuned " + std::to_string(finetune) +
                      " epochs.";
    out.dataset = args.has("project") ? source.dataset : args.get("dataset");
    out.graph = pruned.graph();
    out.training = config;
    out.training.epochs = projectEpochs;
    out.training.threads = source.training.threads;
    out.training.teacher = source.training.teacher;
    out.importPolicy = source.importPolicy;
    saveProject(out, withExtension(output, ".ncproj"));
    summary["model_bytes"] = fileSize(output);
    if (json) {
        std::cout << summary.dump() << "\n";
        return 0;
    }
    std::printf("pruned %s: %d %% of each prunable convolution's channels removed\n", input.c_str(),
                int(std::lround(share * 100)));
    std::printf("  pruned:      %s\n", joined(report.pruned).c_str());
    std::printf("  left whole:  %s\n", joined(report.kept).c_str());
    std::printf("  parameters:  %lld -> %lld (%.1f %% fewer)\n", static_cast<long long>(report.parametersBefore),
                static_cast<long long>(report.parametersAfter),
                100.0 * (1.0 - double(report.parametersAfter) / double(std::max<std::int64_t>(report.parametersBefore, 1))));
    std::printf("  MFLOPs:      %.2f -> %.2f per image (%.1f %% fewer)\n", double(report.flopsBefore) / 1e6,
                double(report.flopsAfter) / 1e6,
                100.0 * (1.0 - double(report.flopsAfter) / double(std::max<std::int64_t>(report.flopsBefore, 1))));
    if (tested)
        std::printf("  test accuracy: %.4f before, %.4f pruned, %.4f after fine-tuning %d epochs (%+.2f points; %lld images)\n",
                    before, cut, after, finetune, 100.0 * (after - before), static_cast<long long>(data.test.size()));
    std::printf("wrote %s and %s\n", output.c_str(), withExtension(output, ".ncproj").c_str());
    return 0;
}
// compress --sparsity S: the smallest weights of every convolution and Linear set to zero and
// kept there through a short fine-tune; the same graph, a file that compresses smaller.
int sparsityCommand(const Args& args) {
    if (args.positional().size() != 1 || !args.has("output") || !args.has("dataset"))
        throw Error("compress --sparsity needs MODEL.ncmodel, --dataset SPEC (to fine-tune and test on) and -o OUT.ncmodel");
    const std::string input = args.positional()[0], output = args.get("output");
    if (sameFile(input, output))
        throw Error("-o names the model being pruned; write the pruned model to a new file so the original is kept");
    requireOutputFolder(output);
    const double sparsity = args.getDouble("sparsity", 0.5);
    if (!(sparsity > 0.0 && sparsity < 1.0))
        throw Error("--sparsity is the share of weights set to zero: above 0 and below 1");
    const int finetune = int(args.getInt("finetune-epochs", 3));
    if (finetune < 0 || finetune > 1000)
        throw Error("--finetune-epochs must be between 0 and 1000");
    const int threads = int(args.getInt("threads", 0));
    prepareTorchThread(threads);
    const bool json = args.has("json");

    CompressInput loaded = loadCompressInput(args, input, json);
    Model& model = loaded.model;
    const Project& source = loaded.source;
    const DatasetPair& data = loaded.data;
    const bool tested = data.test.size() > 0;
    const double before = tested ? evaluateModel(model, data.test).accuracy : 0.0;
    TrainConfig config = source.training;
    config.threads = threads;
    if (args.has("seed"))
        config.seed = std::uint64_t(args.getInt("seed", 42));
    if (args.has("lr"))
        config.learningRate = args.getDouble("lr", config.learningRate);
    double cut = 0.0;
    FinetuneSettings fs = finetuneSettings(config, finetune, json);
    fs.beforeFinetune = [&](const Model& m) { cut = tested ? evaluateModel(m, data.test).accuracy : 0.0; };
    const SparsityReport pruner = sparsifyAndFinetune(model, data.train, sparsity, fs);
    const double after = tested ? evaluateModel(model, data.test).accuracy : 0.0;
    model.metadata()["compression"] = {{"method", "sparsity"}, {"from", input}, {"sparsity", pruner.sparsity},
                                       {"finetune_epochs", finetune}, {"dataset", args.get("dataset")}};
    if (tested)
        model.metadata()["compression"]["test_accuracy"] = after;
    model.save(output);
    const std::uint64_t rawBefore = fileSize(input), rawAfter = fileSize(output);
    const std::uint64_t zBefore = compressedFileSize(input), zAfter = compressedFileSize(output);
    Json summary = {{"event", "summary"},       {"model", input},         {"output", output},
                    {"method", "sparsity"},      {"sparsity", pruner.sparsity}, {"pruned_weights", pruner.prunedEntries},
                    {"layers", pruner.layers}, {"finetune_epochs", finetune}, {"bytes_before", rawBefore},
                    {"bytes_after", rawAfter},   {"compressed_bytes_before", zBefore}, {"compressed_bytes_after", zAfter}};
    if (tested) {
        summary["test_images"] = data.test.size();
        summary["accuracy_before"] = before;
        summary["accuracy_pruned"] = cut;
        summary["accuracy_after"] = after;
    }
    if (json) {
        std::cout << summary.dump() << "\n";
        return 0;
    }
    std::printf("pruned %s: %.1f %% of the convolution and Linear weights set to zero (%lld weights)\n", input.c_str(),
                100.0 * pruner.sparsity, static_cast<long long>(pruner.prunedEntries));
    std::printf("  file:        %llu -> %llu bytes; compressed (zlib -9) %llu -> %llu bytes (%.2fx smaller)\n",
                static_cast<unsigned long long>(rawBefore), static_cast<unsigned long long>(rawAfter),
                static_cast<unsigned long long>(zBefore), static_cast<unsigned long long>(zAfter),
                double(zBefore) / double(std::max<std::uint64_t>(zAfter, 1)));
    if (tested)
        std::printf("  test accuracy: %.4f before, %.4f pruned, %.4f after fine-tuning %d epochs (%+.2f points; %lld images)\n",
                    before, cut, after, finetune, 100.0 * (after - before), static_cast<long long>(data.test.size()));
    std::printf("wrote %s\n", output.c_str());
    return 0;
}
} // namespace

int compressCommand(const Args& args) {
    std::vector<std::string> allowed = importOptionNames();
    allowed.insert(allowed.end(), {"quantize", "dataset", "output", "calibration", "observer", "percentile",
                                   "limit-test", "project", "json", "no-timing", "threads", "prune-channels", "prune-residual",
                                   "finetune-epochs", "limit-train", "seed", "lr", "schedule", "distill",
                                   "sparsity"});
    args.allowOnly(allowed);
    if (int(args.has("quantize")) + int(args.has("prune-channels")) + int(args.has("sparsity")) > 1)
        throw Error("--quantize, --prune-channels and --sparsity are separate steps: prune (and fine-tune) first, then "
                    "quantise the pruned model");
    if (args.has("sparsity"))
        return sparsityCommand(args);
    if (args.has("prune-channels"))
        return pruneCommand(args);
    if (args.positional().size() != 1 || !args.has("output") || !args.has("dataset"))
        throw Error("compress needs MODEL.ncmodel, --quantize int8, --dataset SPEC (its training images calibrate "
                    "the int8 ranges) and -o OUT.ncmodel");
    if (args.get("quantize") != "int8")
        throw Error(args.has("quantize") ? "--quantize must be int8" : "compress needs --quantize int8");
    const std::string input = args.positional()[0], output = args.get("output");
    if (sameFile(input, output))
        throw Error("-o names the model being compressed; write the int8 model to a new file so the float one is kept");
    requireOutputFolder(output);
    QuantizeOptions q;
    q.calibrationImages = int(args.getInt("calibration", 512));
    if (q.calibrationImages < 1 || q.calibrationImages > 1000000)
        throw Error("--calibration must be between 1 and 1,000,000 images");
    const std::string observer = args.get("observer", "minmax");
    if (observer == "percentile")
        q.observer = CalibrationObserver::Percentile;
    else if (observer != "minmax")
        throw Error("--observer must be minmax or percentile");
    q.percentile = args.getDouble("percentile", 99.99);
    if (!(q.percentile > 50 && q.percentile <= 100))
        throw Error("--percentile must be above 50 and at most 100");

    // The threads every forward here uses: calibration, evaluation and the timings.
    prepareTorchThread(int(args.getInt("threads", 0)));
    const bool json = args.has("json");
    const CompressInput loaded = loadCompressInput(args, input, json);
    const Model& model = loaded.model;
    const DatasetPair& data = loaded.data;

    QuantizeReport report;
    Model int8 = quantizeInt8(model, data.train, q, &report);
    Json summary = {{"event", "summary"},
                    {"model", input},
                    {"output", output},
                    {"method", "int8"},
                    {"engine", report.engine},
                    {"calibration_images", report.calibrationImages},
                    {"observer", observer},
                    {"int8_layers", report.int8Nodes},
                    {"float_layers", report.floatNodes},
                    {"folded", report.foldedNodes}};
    if (data.test.size() > 0) {
        const double before = evaluateModel(model, data.test).accuracy;
        const double after = evaluateModel(int8, data.test).accuracy;
        summary["test_images"] = data.test.size();
        summary["float_accuracy"] = before;
        summary["int8_accuracy"] = after;
        int8.metadata()["compression"] = {{"method", "int8"},        {"from", input},
                                          {"float_accuracy", before}, {"int8_accuracy", after},
                                          {"test_images", data.test.size()}, {"dataset", args.get("dataset")}};
    }
    // Forward time in this process, float and int8 side by side, at batch 1 and 64.
    Json timing = Json::array();
    if (!args.has("no-timing"))
        for (int batch : {1, 64}) {
            const ForwardTiming f = timeForward(model, data.train, batch, 1.0);
            const ForwardTiming i = timeForward(int8, data.train, batch, 1.0);
            timing.push_back({{"batch", batch}, {"float_ms", f.medianMs}, {"int8_ms", i.medianMs},
                              {"speedup", f.medianMs / i.medianMs}});
        }
    summary["timing"] = timing;
    int8.save(output);
    const std::uint64_t floatBytes = fileSize(input), int8Bytes = fileSize(output);
    summary["float_bytes"] = floatBytes;
    summary["int8_bytes"] = int8Bytes;
    if (json) {
        std::cout << summary.dump() << "\n";
        return 0;
    }
    std::printf("quantised %s to int8 (%s engine, %d calibration images, %s observer)\n", input.c_str(),
                report.engine.c_str(), report.calibrationImages, observer.c_str());
    std::printf("  int8 layers:   %s\n", joined(report.int8Nodes).c_str());
    std::printf("  float layers:  %s\n", joined(report.floatNodes).c_str());
    std::printf("  folded/fused:  %s\n", joined(report.foldedNodes).c_str());
    std::printf("  file:          %llu -> %llu bytes (%.2fx smaller)\n", static_cast<unsigned long long>(floatBytes),
                static_cast<unsigned long long>(int8Bytes), double(floatBytes) / double(std::max<std::uint64_t>(int8Bytes, 1)));
    if (summary.contains("int8_accuracy"))
        std::printf("  test accuracy: float %.4f, int8 %.4f (%+.2f points) on %lld images\n",
                    summary["float_accuracy"].get<double>(), summary["int8_accuracy"].get<double>(),
                    100.0 * (summary["int8_accuracy"].get<double>() - summary["float_accuracy"].get<double>()),
                    static_cast<long long>(data.test.size()));
    for (const Json& t : timing)
        std::printf("  forward, batch %2d: float %.3f ms, int8 %.3f ms (%.2fx faster; medians in this process)\n",
                    t["batch"].get<int>(), t["float_ms"].get<double>(), t["int8_ms"].get<double>(),
                    t["speedup"].get<double>());
    std::printf("wrote %s\n", output.c_str());
    return 0;
}

} // namespace nc::cli
