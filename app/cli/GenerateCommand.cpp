// `generate`: samples of a generative model's latent space, or its reconstructions of test
// images, as a PNG grid; with --score a frozen classifier judges them.
#include "Commands.h"

#include "inspect/Inspect.h"
#include "nn/Generative.h"
#include "nn/Model.h"
#include "util/Error.h"
#include "util/Files.h"
#include "util/Png.h"

#ifdef NC_HAVE_IMAGING
#include "imaging/Imaging.h"
#endif

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace nc::cli {

namespace {

// Each image's top class by the classifier.
std::vector<int> topClasses(const Model& classifier, const std::vector<std::uint8_t>& images, std::int64_t n) {
    std::vector<int> out;
    for (const Prediction& p : predict(classifier, images.data(), n, 1))
        out.push_back(p.predicted);
    return out;
}

Model loadClassifier(const std::string& path, const Model& generator) {
    Model c = Model::load(path);
    if (isGenerative(c))
        throw Error("--score needs a classifier, and " + path + " is a generative model");
    if (c.inputShape() != generator.inputShape())
        throw Error("the classifier " + path + " takes " + shapeToString(c.inputShape()) + " images but the model makes " +
                    shapeToString(generator.inputShape()));
    return c;
}

void writeGrid(const std::string& path, const std::vector<std::uint8_t>& images, std::int64_t n, const Shape& s,
               int columns) {
    const ImageGrid g = tileImages(images.data(), n, int(s[0]), int(s[1]), int(s[2]), columns, s[1] < 64 ? 2 : 1);
    writePng(path, g.pixels.data(), g.width, g.height, g.channels);
}

} // namespace

int generateCommand(const Args& args) {
    std::vector<std::string> allowed = importOptionNames();
    allowed.insert(allowed.end(), {"n", "output", "seed", "reconstruct", "interpolate", "latent-map", "dataset", "score",
                                   "score-images", "json"});
    // --dataset: the real images reconstructions and FD-FMNIST compare with (fashion-mnist).
    args.allowOnly(allowed);
    if (args.positional().empty())
        throw Error("generate needs MODEL.ncmodel (and -o GRID.png)");
    const Model model = Model::load(args.positional()[0]);
    if (!isGenerative(model))
        throw Error(args.positional()[0] + " is a classifier (it has an Output layer); generate needs a generative model, "
                                           "such as one trained from the conv-vae template");
    const std::int64_t n = args.getInt("n", 64);
    if (n < 1 || n > 100000)
        throw Error("-n must be 1 to 100000 images");
    const bool json = args.has("json");
    const Shape& s = model.inputShape();
    const std::int64_t per = s[0] * s[1] * s[2];
    Json out = {{"event", "summary"}, {"model", args.positional()[0]}};

    if (args.has("interpolate")) { // generate MODEL --interpolate A.png B.png [-n 8] -o ROW.png
#ifdef NC_HAVE_IMAGING
        if (args.positional().size() != 3 || !args.has("output"))
            throw Error("generate --interpolate needs MODEL.ncmodel, two image files and -o ROW.png");
        std::vector<std::uint8_t> ends;
        for (int k = 1; k <= 2; ++k) {
            const PreparedImage img = loadImageForModel(args.positional()[std::size_t(k)], s, FitMode::Pad);
            ends.insert(ends.end(), img.pixels.begin(), img.pixels.end());
        }
        const std::int64_t steps = args.has("n") ? n : 8;
        const std::vector<float> mu = encodeImages(model, ends.data(), 2);
        const std::int64_t width = std::int64_t(mu.size()) / 2;
        // From A's μ to B's, both ends included.
        const std::vector<std::uint8_t> decoded =
            decodeLatents(model, lerpLatents(mu.data(), mu.data() + width, width, steps), steps);
        std::vector<std::uint8_t> row(ends.begin(), ends.begin() + per); // A, the path, B
        row.insert(row.end(), decoded.begin(), decoded.end());
        row.insert(row.end(), ends.begin() + per, ends.end());
        writeGrid(args.get("output"), row, steps + 2, s, int(steps + 2));
        out["interpolation_steps"] = steps;
        out["grid"] = args.get("output");
        if (json)
            std::cout << out.dump() << std::endl;
        else
            std::printf("wrote %s, %lld steps from %s to %s through the latent space (the two images at the ends)\n",
                        args.get("output").c_str(), static_cast<long long>(steps), args.positional()[1].c_str(),
                        args.positional()[2].c_str());
        return 0;
#else
        throw Error("generate --interpolate reads image files, which needs a build with OpenCV");
#endif
    }
    if (args.positional().size() != 1)
        throw Error("generate takes one model (image files only with --interpolate)");
    // The real images reconstructions and maps are made of: --dataset, or the one the model trained on.
    const std::string spec = args.get("dataset", model.metadata().value("dataset", std::string("fashion-mnist")));
    DatasetOptions options;
    applyImportOptions(args, options);
    options.policy.channels = int(s[0]);
    options.policy.height = s[1];
    options.policy.width = s[2];
    if (args.has("latent-map")) { // generate MODEL --latent-map MAP.csv [--dataset D] [-n 2000]
        const std::int64_t wanted = args.has("n") ? n : 2000;
        const DatasetPair data = loadDataset(spec, options, 1, wanted);
        const Dataset& test = data.test;
        const std::int64_t m = std::min<std::int64_t>(wanted, test.size());
        if (m == 0)
            throw Error("the test split of " + spec + " is empty");
        std::vector<std::uint8_t> scratch;
        const std::vector<float> mu = encodeImages(model, test.imagesAt(0, m, scratch), m);
        const std::int64_t width = std::int64_t(mu.size()) / m;
        const LatentMap map = mapLatents(mu, m, width);
        const std::string path = args.get("latent-map");
        std::ofstream csv(path, std::ios::trunc);
        csv << "x,y,label,class\n";
        for (std::int64_t i = 0; i < m; ++i) {
            const std::int64_t label = test.labels[std::size_t(i)];
            const std::string name = label >= 0 && std::size_t(label) < test.classNames.size() ? test.classNames[std::size_t(label)] : "";
            csv << map.xy[std::size_t(2 * i)] << ',' << map.xy[std::size_t(2 * i + 1)] << ',' << label << ',' << csvField(name) << '\n';
        }
        csv.flush();
        if (!csv)
            throw Error("cannot write " + path);
        out["latent_map"] = path;
        out["images"] = m;
        out["latent_width"] = width;
        out["explained_variance"] = map.explained;
        if (json)
            std::cout << out.dump() << std::endl;
        else
            std::printf("wrote %s: %lld test images of %s, their latent means (%lld wide) on %s (%.1f %% of their variance)\n",
                        path.c_str(), static_cast<long long>(m), spec.c_str(), static_cast<long long>(width),
                        width > 2 ? "the first two principal components" : "the latent's own axes", 100 * map.explained);
        return 0;
    }
    if (args.has("reconstruct")) {
        const std::int64_t scoreImages = args.getInt("score-images", args.has("score") ? 10000 : n);
        const DatasetPair data = loadDataset(spec, options, 1, std::max(n, scoreImages));
        const Dataset& test = data.test;
        const std::int64_t m = std::min<std::int64_t>(std::max(n, scoreImages), test.size());
        if (m == 0)
            throw Error("the test split of " + spec + " is empty");
        std::vector<std::uint8_t> scratch;
        const std::uint8_t* originals = test.imagesAt(0, m, scratch);
        const std::vector<std::uint8_t> recon = reconstructImages(model, originals, m);
        const GenerativeScores scores = scoreGenerative(model, test, m);
        Json terms = Json::object();
        for (const auto& [id, v] : scores.terms)
            terms[id] = v;
        out["test_images"] = m;
        out["test_terms"] = terms;
        out["test_loss"] = scores.total;
        if (args.has("output")) { // pairs: original, reconstruction, side by side
            const std::int64_t shown = std::min(n, m);
            std::vector<std::uint8_t> pairs;
            for (std::int64_t i = 0; i < shown; ++i) {
                pairs.insert(pairs.end(), originals + i * per, originals + (i + 1) * per);
                pairs.insert(pairs.end(), recon.begin() + i * per, recon.begin() + (i + 1) * per);
            }
            const int columns = 2 * std::max(1, int(std::lround(std::sqrt(double(shown)))));
            writeGrid(args.get("output"), pairs, 2 * shown, s, columns);
            out["grid"] = args.get("output");
        }
        if (args.has("score")) {
            const Model classifier = loadClassifier(args.get("score"), model);
            const std::vector<std::uint8_t> orig(originals, originals + m * per);
            const std::vector<int> a = topClasses(classifier, orig, m), b = topClasses(classifier, recon, m);
            std::int64_t okOrig = 0, okRecon = 0;
            for (std::int64_t i = 0; i < m; ++i) {
                okOrig += a[std::size_t(i)] == test.labels[std::size_t(i)];
                okRecon += b[std::size_t(i)] == test.labels[std::size_t(i)];
            }
            const double accOrig = double(okOrig) / double(m), accRecon = double(okRecon) / double(m);
            out["classifier"] = args.get("score");
            out["accuracy_originals"] = accOrig;
            out["accuracy_reconstructions"] = accRecon;
            out["accuracy_ratio"] = accOrig > 0 ? accRecon / accOrig : 0.0;
        }
        if (json) {
            std::cout << out.dump() << std::endl;
            return 0;
        }
        std::printf("%s on %lld test images of %s: %.2f nats per image (", args.positional()[0].c_str(),
                    static_cast<long long>(m), spec.c_str(), scores.total);
        for (std::size_t i = 0; i < scores.terms.size(); ++i)
            std::printf("%s%s %.2f", i ? " + " : "", scores.terms[i].first.c_str(), scores.terms[i].second);
        std::printf(")\n");
        if (out.contains("grid"))
            std::printf("wrote originals and reconstructions side by side to %s\n", out["grid"].get<std::string>().c_str());
        if (out.contains("classifier"))
            std::printf("classifier %s: accuracy %.4f on the originals, %.4f on the reconstructions (%.1f %%)\n",
                        args.get("score").c_str(), out["accuracy_originals"].get<double>(),
                        out["accuracy_reconstructions"].get<double>(), 100 * out["accuracy_ratio"].get<double>());
        return 0;
    }

    if (!args.has("output") && !args.has("score"))
        throw Error("generate needs -o GRID.png (or --score CLASSIFIER)");
    const auto seed = static_cast<std::uint64_t>(args.getInt("seed", 1));
    const std::vector<std::uint8_t> images = sampleImages(model, n, seed);
    out["samples"] = n;
    out["seed"] = seed;
    out["latent"] = latentNode(model).first;
    if (args.has("output")) {
        writeGrid(args.get("output"), images, n, s, std::max(1, int(std::ceil(std::sqrt(double(n))))));
        out["grid"] = args.get("output");
    }
    if (args.has("score")) {
        const Model classifier = loadClassifier(args.get("score"), model);
        // One load: all training images (the nearest-image search) and the first n test images.
        const DatasetPair data = loadDataset(spec, options, 0, n);
        const SampleScores sc = scoreSamples(classifier, images.data(), n, data.train, data.test);
        Json shares = Json::object();
        for (const auto& [name, share] : sc.classShares)
            shares[name] = share;
        out["classifier"] = args.get("score");
        out["class_shares"] = shares;
        out["classes_at_5_percent"] = sc.classesAtFivePercent;
        out["kl_from_uniform"] = sc.klFromUniform;
        out["mean_confidence"] = sc.meanConfidence;
        if (sc.fdImages > 0) { // FD-FMNIST beside the floor of real against real
            out["fd_images"] = sc.fdImages;
            out["fd_fmnist"] = sc.fd;
            out["fd_floor_real_vs_real"] = sc.fdFloor;
            out["nearest_train_distance"] = sc.nearestSample;
            out["nearest_train_distance_real_test"] = sc.nearestReal;
            out["nearest_train_images"] = sc.nearestImages;
        }
    }
    if (json) {
        std::cout << out.dump() << std::endl;
        return 0;
    }
    if (out.contains("grid"))
        std::printf("wrote %lld samples of %s (seed %llu) to %s\n", static_cast<long long>(n),
                    args.positional()[0].c_str(), static_cast<unsigned long long>(seed),
                    out["grid"].get<std::string>().c_str());
    if (out.contains("classifier")) {
        std::printf("classifier %s: %d of %zu classes at >= 5 %%, KL from uniform %.3f, mean confidence %.3f\n",
                    args.get("score").c_str(), out["classes_at_5_percent"].get<int>(), out["class_shares"].size(),
                    out["kl_from_uniform"].get<double>(), out["mean_confidence"].get<double>());
        for (auto it = out["class_shares"].begin(); it != out["class_shares"].end(); ++it)
            std::printf("  %-14s %5.1f %%\n", it.key().c_str(), 100 * it.value().get<double>());
        if (out.contains("fd_fmnist"))
            std::printf("FD on the classifier's features, %lld images: %.3f to the test images (real training images "
                        "against them: %.3f)\n",
                        out["fd_images"].get<long long>(), out["fd_fmnist"].get<double>(),
                        out["fd_floor_real_vs_real"].get<double>());
        if (out.contains("nearest_train_distance"))
            std::printf("nearest of %lld training images, mean distance: %.3f from a sample, %.3f from a real test image\n",
                        out["nearest_train_images"].get<long long>(), out["nearest_train_distance"].get<double>(),
                        out["nearest_train_distance_real_test"].get<double>());
    }
    return 0;
}

} // namespace nc::cli
