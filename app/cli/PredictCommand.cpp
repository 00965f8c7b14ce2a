// `predict`: top-k classes for image files, optionally with a saliency overlay PNG.
#include "Commands.h"

#include "inspect/Inspect.h"
#include "nn/Model.h"
#include "util/Error.h"

#ifdef NC_HAVE_IMAGING
#include "imaging/Imaging.h"
#endif

#include <cstdio>
#include <iostream>

namespace nc::cli {

int predictCommand(const Args& args) {
#ifndef NC_HAVE_IMAGING
    throw Error("this build has no image support (built with -DNC_WITH_OPENCV=OFF)");
#else
    args.allowOnly({"topk", "saliency", "output", "fit", "json", "target", "colormap", "invert"});
    if (args.positional().size() < 2)
        throw Error("predict needs MODEL.ncmodel and at least one image file");
    const Model model = Model::load(args.positional()[0]);
    const int k = int(args.getInt("topk", 5));
    FitMode fit = FitMode::Pad;
    if (args.has("fit") && !parseFitMode(args.get("fit"), fit))
        throw Error("--fit must be pad, crop or stretch");
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
