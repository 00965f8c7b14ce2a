// `compress`: a smaller model from a trained one (issue 15). Today: int8 post-training
// quantisation, calibrated on the training split and checked on the test split.
#include "Commands.h"

#include "data/Dataset.h"
#include "graph/Project.h"
#include "nn/Model.h"
#include "nn/Quantize.h"
#include "train/Evaluator.h"
#include "util/Error.h"
#include "util/Files.h"
#include "util/Threads.h"

#include <cstdio>
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
} // namespace

int compressCommand(const Args& args) {
    std::vector<std::string> allowed = importOptionNames();
    allowed.insert(allowed.end(), {"quantize", "dataset", "output", "calibration", "observer", "percentile",
                                   "limit-test", "project", "json", "no-timing", "threads"});
    args.allowOnly(allowed);
    if (args.positional().size() != 1 || !args.has("output") || !args.has("dataset"))
        throw Error("compress needs MODEL.ncmodel, --quantize int8, --dataset SPEC (its training images calibrate "
                    "the int8 ranges) and -o OUT.ncmodel");
    if (args.get("quantize") != "int8")
        throw Error(args.has("quantize") ? "--quantize must be int8" : "compress needs --quantize int8");
    const std::string input = args.positional()[0], output = args.get("output");
    if (sameFile(input, output))
        throw Error("-o names the model being compressed; write the int8 model to a new file so the float one is kept");
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
    const Model model = Model::load(input);
    DatasetOptions options;
    if (args.has("project"))
        options = datasetOptionsFor(loadProject(args.get("project")), args.get("project"));
    applyImportOptions(args, options);
    const Shape in = model.inputShape();
    options.policy.channels = int(in[0]);
    options.policy.height = in[1];
    options.policy.width = in[2];
    const bool json = args.has("json");
    options.progress = importProgressPrinter(json);
    const DatasetPair data = loadDataset(args.get("dataset"), options, 0, args.getInt("limit-test", 0));
    checkDatasetFits(model, data.train);

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
