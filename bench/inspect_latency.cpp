// How long one saliency map takes for one 28×28 image, per method (gradient, SmoothGrad,
// Integrated Gradients, Grad-CAM), on a trained keras-cnn for Fashion-MNIST-sized input.
// The model is trained here (1 epoch on the first --train images of --dataset) unless --model
// names a .ncmodel; random weights are never timed. Each method runs --warmup times, then --reps
// timed calls; the median and the 90th percentile are printed as a table and as one JSON line.
//
//   inspect_latency [--dataset fashion-mnist] [--train 4000] [--epochs 1] [--model FILE.ncmodel]
//                   [--reps 30] [--warmup 5] [--threads 2] [--steps 32] [--samples 25] [--image 0]
#include "data/Dataset.h"
#include "graph/Project.h"
#include "inspect/Inspect.h"
#include "nn/Model.h"
#include "train/Evaluator.h"
#include "train/Trainer.h"
#include "util/Error.h"
#include "util/Json.h"
#include "util/Threads.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

using namespace nc;
using Clock = std::chrono::steady_clock;

namespace {
std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string line;
    std::getline(in, line);
    return line;
}

double percentile(std::vector<double> v, double q) { // nearest rank
    std::sort(v.begin(), v.end());
    const std::size_t rank = static_cast<std::size_t>(std::max(1.0, std::ceil(q * double(v.size()))));
    return v[std::min(rank, v.size()) - 1];
}

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "inspect_latency: %s\nusage: inspect_latency [--dataset SPEC] [--train N] [--epochs N] "
                 "[--model FILE.ncmodel] [--reps N] [--warmup N] [--threads N] [--steps N] [--samples N] "
                 "[--image I]\n",
                 why);
    std::exit(2);
}
} // namespace

int main(int argc, char** argv) {
    std::string dataset = "fashion-mnist", modelPath;
    int trainCount = 4000, epochs = 1, reps = 30, warmup = 5, threads = 2, steps = 32, samples = 25,
        imageIndex = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc)
            usage(("missing value after " + a).c_str());
        const std::string v = argv[++i];
        auto number = [&] {
            char* end = nullptr;
            const long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end || n < 0 || n > 10'000'000)
                usage((a + " needs a number").c_str());
            return int(n);
        };
        if (a == "--dataset")
            dataset = v;
        else if (a == "--model")
            modelPath = v;
        else if (a == "--train")
            trainCount = number();
        else if (a == "--epochs")
            epochs = std::max(1, number());
        else if (a == "--reps")
            reps = std::max(1, number());
        else if (a == "--warmup")
            warmup = number();
        else if (a == "--threads")
            threads = number();
        else if (a == "--steps")
            steps = std::max(2, number());
        else if (a == "--samples")
            samples = std::max(1, number());
        else if (a == "--image")
            imageIndex = number();
        else
            usage(("unknown option " + a).c_str());
    }

    try {
        const std::string loadBefore = loadAverage();
        const DatasetPair data = loadDataset(dataset, modelPath.empty() ? trainCount : 1, 1000);
        if (imageIndex >= data.test.size())
            usage("--image is past the test split");

        double trainSeconds = 0, accuracy = 0;
        Model model = [&] {
            if (!modelPath.empty())
                return Model::load(modelPath);
            Project p = makeFromTemplate("keras-cnn");
            fitClassifierToClasses(p.graph, data.train.numClasses());
            Model m = Model::compile(
                p.graph, {data.train.channels, data.train.height, data.train.width, data.train.classNames},
                1);
            TrainConfig cfg; // the template's own settings: Adam 1e-3, batch 32, cosine
            cfg.epochs = epochs;
            cfg.batchSize = 32;
            cfg.learningRate = 1e-3;
            cfg.schedule = ScheduleKind::Cosine;
            cfg.threads = threads;
            Trainer trainer(m, data.train, cfg);
            const auto t0 = Clock::now();
            const FinishedEvent done = trainer.run();
            trainSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
            if (done.reason != FinishReason::Completed)
                throw Error("training did not complete: " + done.message);
            return m;
        }();
        accuracy = evaluateModel(model, data.test).accuracy;
        const Shape& in = model.inputShape();
        std::printf("model: %s, input %lldx%lldx%lld, %lld parameters; test accuracy %.3f on %lld images",
                    modelPath.empty() ? "keras-cnn trained here" : modelPath.c_str(), (long long)in[0],
                    (long long)in[1], (long long)in[2], (long long)model.parameterCount(), accuracy,
                    (long long)data.test.size());
        if (modelPath.empty())
            std::printf(" (%d epoch(s) on %lld images in %.1f s)", epochs, (long long)data.train.size(),
                        trainSeconds);
        std::printf("\nthreads %d, %d warm-up + %d timed calls per method, image %d of the test split\n\n",
                    threads, warmup, reps, imageIndex);

        prepareTorchThread(threads);
        const std::uint8_t* image = data.test.image(imageIndex);
        Json methods = Json::object();
        std::printf("%-22s %10s %10s %10s\n", "method", "median ms", "p90 ms", "min ms");
        for (SaliencyMethod m : kSaliencyMethods) {
            SaliencyOptions o;
            o.method = m;
            o.steps = steps;
            o.samples = samples;
            std::vector<double> ms;
            for (int r = 0; r < warmup + reps; ++r) {
                const auto t0 = Clock::now();
                const SaliencyMap map = saliency(model, image, o);
                const double t = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
                if (map.values.empty())
                    throw Error("empty saliency map");
                if (r >= warmup)
                    ms.push_back(t);
            }
            const double median = percentile(ms, 0.5), p90 = percentile(ms, 0.9),
                         best = *std::min_element(ms.begin(), ms.end());
            std::string name = saliencyMethodName(m);
            if (m == SaliencyMethod::IntegratedGradients)
                name += " (" + std::to_string(steps) + " steps)";
            else if (m == SaliencyMethod::SmoothGrad)
                name += " (" + std::to_string(samples) + ")";
            std::printf("%-22s %10.2f %10.2f %10.2f\n", name.c_str(), median, p90, best);
            methods[saliencyMethodName(m)] = {{"median_ms", median}, {"p90_ms", p90}, {"min_ms", best}};
        }
        methods["integrated-gradients"]["steps"] = steps;
        methods["smoothgrad"]["samples"] = samples;
        const std::string loadAfter = loadAverage();
        std::printf("\nloadavg before: %s\nloadavg after:  %s\n", loadBefore.c_str(), loadAfter.c_str());
        const Json out = {{"bench", "inspect_latency"},
                          {"model", modelPath.empty() ? "keras-cnn" : modelPath},
                          {"dataset", dataset},
                          {"input", in},
                          {"test_accuracy", accuracy},
                          {"threads", threads},
                          {"reps", reps},
                          {"warmup", warmup},
                          {"methods", methods},
                          {"loadavg_before", loadBefore},
                          {"loadavg_after", loadAfter}};
        std::printf("%s\n", out.dump().c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "inspect_latency: %s\n", e.what());
        return 1;
    }
}
