#include "engine/LatentWalk.h"

#include "data/Dataset.h"
#include "nn/Generative.h"
#include "nn/Model.h"
#include "util/Error.h"

#include <QCoreApplication>

#include <algorithm>
#include <chrono>

namespace nc::ui {

std::shared_ptr<LatentResult>
walkLatentSpace(const Model& model, const LatentRequest& request,
                const std::function<std::shared_ptr<const DatasetPair>(const std::string&)>& dataset) {
    const auto start = std::chrono::steady_clock::now();
    if (!isGenerative(model))
        throw Error("this model is a classifier (it has an Output layer): it has no latent space to walk through");
    auto r = std::make_shared<LatentResult>();
    const Shape& s = model.inputShape();
    const std::int64_t per = s[0] * s[1] * s[2];
    r->channels = int(s[0]);
    r->height = int(s[1]);
    r->width = int(s[2]);
    r->latentWidth = latentNode(model).second;
    r->fromNoise = generatesFromNoise(model);
    r->classNames = model.classNames();
    const std::int64_t steps = std::clamp(request.steps, 2, 64);

    // The ends: a GAN's two seeded latents, a VAE's images' latent means (μ).
    std::vector<float> ends;
    if (r->fromNoise) {
        const std::vector<float> a = randomLatents(model, 1, request.seedA), b = randomLatents(model, 1, request.seedB);
        ends = a;
        ends.insert(ends.end(), b.begin(), b.end());
        r->latentA = a;
        r->latentB = b;
        const std::vector<std::uint8_t> images = decodeLatents(model, ends, 2);
        r->imageA.assign(images.begin(), images.begin() + per);
        r->imageB.assign(images.begin() + per, images.end());
        r->whatA = QCoreApplication::translate("LatentView", "z from seed %1").arg(request.seedA);
        r->whatB = QCoreApplication::translate("LatentView", "z from seed %1").arg(request.seedB);
    } else {
        const auto encode = [&](const std::optional<InspectRequest>& source, std::vector<std::uint8_t>& image,
                                QString& what, std::vector<float>& latent) {
            if (!source)
                return;
            try {
                image = prepareRequestImage(*source, s).pixels;
            } catch (const std::exception& e) {
                throw Error(source->what.toStdString() + ": " + e.what());
            }
            what = source->what;
            latent = encodeImages(model, image.data(), 1);
            ends.insert(ends.end(), latent.begin(), latent.end());
        };
        encode(request.a, r->imageA, r->whatA, r->latentA);
        encode(request.b, r->imageB, r->whatB, r->latentB);
    }
    const std::int64_t w = r->latentWidth;
    if (std::int64_t(ends.size()) == 2 * w) {
        r->path = decodeLatents(model, lerpLatents(ends.data(), ends.data() + w, w, steps), steps);
        r->steps = int(steps);
    }

    if (request.mapImages > 0) {
        if (r->fromNoise) {
            r->mapError = QCoreApplication::translate(
                "LatentView", "A GAN has no encoder: its latent space cannot be mapped from images.");
        } else {
            try {
                const std::string spec = model.metadata().value("dataset", std::string("fashion-mnist"));
                const std::shared_ptr<const DatasetPair> data = dataset(spec);
                const Dataset& test = data->test.size() > 0 ? data->test : data->train;
                if (test.channels != s[0] || test.height != s[1] || test.width != s[2])
                    throw Error("its images are " + std::to_string(test.channels) + "×" + std::to_string(test.height) +
                                "×" + std::to_string(test.width) + ", not the model's " + shapeToString(s));
                const std::int64_t n = std::min<std::int64_t>(request.mapImages, test.size());
                if (n < 3)
                    throw Error("it has fewer than 3 test images");
                std::vector<std::uint8_t> scratch;
                const std::vector<float> mu = encodeImages(model, test.imagesAt(0, n, scratch), n);
                r->map = mapLatents(mu, n, w);
                r->mapLabels.assign(test.labels.begin(), test.labels.begin() + n);
                if (!test.classNames.empty())
                    r->classNames = test.classNames;
                r->mapDataset = spec;
                r->mapped = true;
            } catch (const std::exception& e) {
                r->mapError = QCoreApplication::translate("LatentView", "No latent map: the model's dataset %1 could "
                                                                        "not be read (%2).")
                                  .arg(QString::fromStdString(model.metadata().value("dataset", std::string())),
                                       QString::fromUtf8(e.what()));
            }
        }
    }
    if (request.samples > 0) {
        r->samples = sampleImages(model, request.samples, request.sampleSeed);
        r->sampleCount = request.samples;
    }
    if (!request.classifierPath.empty()) {
        r->classifierPath = request.classifierPath;
        try {
            const Model classifier = Model::load(request.classifierPath);
            if (isGenerative(classifier))
                throw Error("it is a generative model, not a classifier");
            if (classifier.inputShape() != s)
                throw Error("it takes " + shapeToString(classifier.inputShape()) + " images and the model makes " +
                            shapeToString(s));
            const std::int64_t n = std::clamp(request.scoreSamples, 10, 10000);
            const std::vector<std::uint8_t> images = sampleImages(model, n, request.sampleSeed + 1000);
            const std::string spec = model.metadata().value("dataset", std::string("fashion-mnist"));
            const std::shared_ptr<const DatasetPair> data = dataset(spec);
            r->scores = scoreSamples(classifier, images.data(), n, data->train, data->test);
        } catch (const std::exception& e) {
            r->scoreError = QCoreApplication::translate("LatentView", "The samples could not be judged by %1: %2")
                                .arg(QString::fromStdString(request.classifierPath), QString::fromUtf8(e.what()));
        }
    }
    r->milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return r;
}

} // namespace nc::ui
