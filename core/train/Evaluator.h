#pragma once
#include "data/Dataset.h"
#include "nn/Model.h"
#include "train/Metrics.h"

#include <functional>

namespace nc {

// Runs `model` on every image of `data` (eval mode, no gradients) and scores it.
EvaluationResult evaluateModel(const Model& model, const Dataset& data, int batchSize = 256,
                               const std::function<void(std::int64_t done, std::int64_t total)>& progress = {});

// Checks that a dataset fits a model (shape and class count); throws nc::Error saying what differs.
void checkDatasetFits(const Model& model, const Dataset& data);

} // namespace nc
