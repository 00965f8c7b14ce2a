#include "train/Evaluator.h"

#include "util/Error.h"

#include <algorithm>
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

} // namespace nc
