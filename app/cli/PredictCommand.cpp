// `predict`: top-k classes for image files, optionally with a saliency overlay PNG.
#include "Commands.h"

#include "inspect/Inspect.h"
#include "nn/Model.h"
#include "util/Error.h"

#ifdef NC_HAVE_IMAGING
#include "imaging/BatchPredict.h"
#include "imaging/Imaging.h"
#include "train/Metrics.h"
#include "util/Files.h"
#endif

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace nc::cli {

#ifdef NC_HAVE_IMAGING
namespace {

// predict MODEL DIR_OR_CSV --csv OUT: every image classified, one CSV row each.
int predictMany(const Args& args, const Model& model, FitMode fit, int k) {
    const std::string source = args.positional()[1];
    const PredictionListing listing = listImagesForPrediction(source, model.classNames());
    if (listing.items.empty())
        throw Error("no image files found in " + source);
    BatchPredictOptions options;
    options.fit = fit;
    options.invert = args.has("invert");
    options.topK = k;
    options.threads = int(args.getInt("threads", 0));
    const bool json = args.has("json");
    const ImportProgress bar = importProgressPrinter(json);
    options.progress = [&](std::int64_t done, std::int64_t total) { return bar(done, total); };
    const std::vector<BatchPrediction> rows = predictImages(model, listing, options);
    const std::string csv = predictionsCsv(rows, model.classNames());
    if (args.has("csv"))
        writeFileAtomic(args.get("csv"), csv);
    std::int64_t failed = 0;
    for (const BatchPrediction& r : rows)
        failed += !r.ok;
    const double accuracy = batchAccuracy(rows);
    Json summary = {{"event", "summary"},        {"images", rows.size()},
                    {"failed", failed},          {"labelled", listing.labelled},
                    {"skipped", listing.problems.size()}, {"csv", args.get("csv", "")}};
    if (accuracy >= 0)
        summary["accuracy"] = accuracy;
    if (listing.labelled) {
        const EvaluationResult e = batchMetrics(rows, model.classNames());
        summary["confusion"] = e.confusion;
        if (!json)
            std::printf("%s", formatMetrics(e).c_str());
    }
    if (json) {
        std::cout << summary.dump() << "\n";
    } else {
        if (!args.has("csv"))
            std::fputs(csv.c_str(), stdout);
        std::fprintf(stderr, "%zu image(s) classified%s, %lld could not be read%s\n", rows.size(),
                     accuracy >= 0 ? (", accuracy " + std::to_string(100.0 * accuracy).substr(0, 5) + " %").c_str() : "",
                     static_cast<long long>(failed),
                     args.has("csv") ? (", written to " + args.get("csv")).c_str() : "");
        for (const ImportProblem& p : listing.problems)
            std::fprintf(stderr, "  skipped %s: %s\n", p.path.c_str(), p.reason.c_str());
    }
    return 0;
}

} // namespace
#endif

int predictCommand(const Args& args) {
#ifndef NC_HAVE_IMAGING
    throw Error("this build has no image support (built with -DNC_WITH_OPENCV=OFF)");
#else
    args.allowOnly({"topk", "saliency", "output", "fit", "json", "target", "colormap", "invert", "csv", "threads"});
    if (args.positional().size() < 2)
        throw Error("predict needs MODEL.ncmodel and at least one image file, a folder or a CSV");
    const Model model = Model::load(args.positional()[0]);
    const int k = int(args.getInt("topk", 5));
    FitMode fit = FitMode::Pad;
    if (args.has("fit") && !parseFitMode(args.get("fit"), fit))
        throw Error("--fit must be pad, crop or stretch");
    {
        const std::string& second = args.positional()[1];
        std::error_code ec;
        const bool many = std::filesystem::is_directory(second, ec) ||
                          (second.size() > 4 && second.compare(second.size() - 4, 4, ".csv") == 0);
        if (many) {
            if (args.positional().size() != 2 || args.has("saliency"))
                throw Error("predict takes one folder or CSV at a time, without --saliency");
            return predictMany(args, model, fit, int(args.getInt("topk", 3)));
        }
    }
    SaliencyOptions saliencyOptions;
    const bool wantSaliency = args.has("saliency");
    if (wantSaliency) {
        if (!parseSaliencyMethod(args.get("saliency"), saliencyOptions.method))
            throw Error("--saliency must be gradient, smoothgrad, integrated-gradients or grad-cam");
        if (!args.has("output"))
            throw Error("--saliency needs -o FILE.png");
        if (args.positional().size() != 2)
            throw Error("--saliency takes one image at a time");
        saliencyOptions.targetClass = int(args.getInt("target", -1));
    }
    const bool json = args.has("json");
    for (std::size_t i = 1; i < args.positional().size(); ++i) {
        const std::string& path = args.positional()[i];
        PreparedImage image = loadImageForModel(path, model.inputShape(), fit);
        const bool invert = args.has("invert");
        // Judged on the image as given: does it look the other way round from the training images?
        const bool opposite =
            looksInverted(model.inputAppearance(),
                          measureAppearance(image.pixels.data(), image.channels, image.height, image.width));
        if (invert)
            invertPixels(image.pixels);
        const Prediction p = predict(model, image.pixels.data(), 1, k).front();
        Json top = Json::array();
        for (const auto& [cls, prob] : p.topK)
            top.push_back({{"class", cls}, {"name", model.classNames()[cls]}, {"probability", prob}});
        Json out = {{"image", path}, {"predicted", p.predicted}, {"name", model.classNames()[p.predicted]},
                    {"top", top}, {"inverted", invert}, {"looks_inverted", opposite}};
        if (wantSaliency) {
            const SaliencyMap map = saliency(model, image.pixels.data(), saliencyOptions);
            writeSaliencyOverlay(args.get("output"), image, map, args.get("colormap", "jet"));
            out["saliency"] = {{"method", saliencyMethodName(saliencyOptions.method)}, {"file", args.get("output")},
                               {"target", map.targetClass}};
            if (!map.layer.empty())
                out["saliency"]["layer"] = map.layer;
        }
        if (json) {
            std::cout << out.dump() << "\n";
            continue;
        }
        std::printf("%s%s\n", path.c_str(), invert ? " (inverted)" : "");
        if (opposite && !invert)
            std::printf("  note: this image looks like the opposite of the training images (%s objects on a %s "
                        "background); try --invert\n",
                        model.inputAppearance().object > model.inputAppearance().background ? "dark" : "light",
                        model.inputAppearance().object > model.inputAppearance().background ? "light" : "dark");
        for (const auto& [cls, prob] : p.topK)
            std::printf("  %6.2f%%  %s\n", 100.0 * prob, model.classNames()[cls].c_str());
        if (wantSaliency)
            std::printf("  saliency (%s) written to %s\n", saliencyMethodName(saliencyOptions.method),
                        args.get("output").c_str());
    }
    return 0;
#endif
}

} // namespace nc::cli
