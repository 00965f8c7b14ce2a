#include "train/Evaluator.h"

#include "util/Error.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace nc {

void checkDatasetFits(const Model& model, const Dataset& data) {
    const Shape& s = model.inputShape();
    const Shape d{data.channels, data.height, data.width};
    if (s != d)
        throw Error("the model takes " + shapeToString(s) + " images but dataset " + data.name + " has " +
                    shapeToString(d) + " images");
    if (model.classNames().size() != data.classNames.size())
        throw Error("the model knows " + std::to_string(model.classNames().size()) + " classes but dataset " +
                    data.name + " has " + std::to_string(data.classNames.size()));
}

EvaluationResult evaluateModel(const Model& model, const Dataset& data, int batchSize,
                               const std::function<void(std::int64_t, std::int64_t)>& progress,
                               ImageVerdicts* verdicts) {
    checkDatasetFits(model, data);
    const std::int64_t n = data.size(), k = data.numClasses();
    std::vector<std::int64_t> predicted(static_cast<std::size_t>(n));
    std::vector<float> confidence(verdicts ? static_cast<std::size_t>(n) : 0);
    double lossSum = 0;
    // Chunks keep memory flat and let a caller show progress.
    const std::int64_t chunk = std::max<std::int64_t>(batchSize, 1) * 8;
    std::vector<std::uint8_t> scratch; // a streamed dataset's images are read into it
    for (std::int64_t start = 0; start < n; start += chunk) {
        const std::int64_t b = std::min(chunk, n - start);
        const std::vector<float> logits = model.logits(data.imagesAt(start, b, scratch), b, batchSize);
        for (std::int64_t i = 0; i < b; ++i) {
            const float* row = logits.data() + i * k;
            const std::int64_t best = std::max_element(row, row + k) - row;
            predicted[start + i] = best;
            double sum = 0;
            for (std::int64_t c = 0; c < k; ++c)
                sum += std::exp(double(row[c]) - double(row[best]));
            lossSum += std::log(sum) + double(row[best]) - double(row[data.labels[start + i]]);
            if (verdicts)
                confidence[start + i] = float(1.0 / sum); // softmax of the best class
        }
        if (progress)
            progress(start + b, n);
    }
    EvaluationResult r = computeMetrics(data.labels, predicted, data.classNames);
    r.loss = n ? lossSum / double(n) : 0.0;
    if (verdicts) {
        verdicts->predicted = std::move(predicted);
        verdicts->confidence = std::move(confidence);
    }
    return r;
}

ForwardTiming timeForward(const Model& model, const Dataset& data, int batch, double seconds) {
    checkDatasetFits(model, data);
    if (batch < 1 || data.size() == 0)
        throw Error("timing needs a batch of at least one image");
    // The batch is the first images, repeated if the split is smaller than the batch.
    const std::int64_t per = data.channels * data.height * data.width;
    std::vector<std::uint8_t> images(static_cast<std::size_t>(batch * per)), scratch;
    for (int i = 0; i < batch; ++i)
        std::copy_n(data.imagesAt(i % data.size(), 1, scratch), per, images.data() + i * per);
    using Clock = std::chrono::steady_clock;
    for (int i = 0; i < 3; ++i)
        model.logits(images.data(), batch, batch);
    std::vector<double> ms;
    const Clock::time_point end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    while (ms.size() < 5 || (Clock::now() < end && ms.size() < 100000)) {
        const Clock::time_point t0 = Clock::now();
        model.logits(images.data(), batch, batch);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    ForwardTiming t;
    t.batch = batch;
    t.runs = int(ms.size());
    t.medianMs = ms[ms.size() / 2];
    t.minMs = ms.front();
    return t;
}

} // namespace nc
