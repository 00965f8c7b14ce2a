#pragma once
#include "data/Dataset.h"
#include "nn/Model.h"
#include "train/Metrics.h"

#include <functional>

namespace nc {

// Each image's answer in an evaluation: the predicted class and its softmax probability.
struct ImageVerdicts {
    std::vector<std::int64_t> predicted;
    std::vector<float> confidence;
};

// Runs `model` on every image of `data` (eval mode, no gradients) and scores it. `verdicts`, when
// given, receives every image's predicted class and confidence (for galleries of mistakes).
EvaluationResult evaluateModel(const Model& model, const Dataset& data, int batchSize = 256,
                               const std::function<void(std::int64_t done, std::int64_t total)>& progress = {},
                               ImageVerdicts* verdicts = nullptr);

// How long the model's forward pass takes in this process (Model::logits on `batch` images of
// `data`, normalised inside): the median of repeated runs after a warm-up, for about `seconds`.
struct ForwardTiming {
    int batch = 0;
    int runs = 0;
    double medianMs = 0, minMs = 0;
};
ForwardTiming timeForward(const Model& model, const Dataset& data, int batch, double seconds = 1.0);

// Checks that a dataset fits a model (shape and class count); throws nc::Error saying what differs.
void checkDatasetFits(const Model& model, const Dataset& data);

} // namespace nc
