#pragma once
// Classifying many image files at once (predict DIR_OR_CSV, Inspect's folder drop): decoded in
// parallel, run through the model in batches, written as one CSV both the CLI and the window use.
#include "imaging/ImageFolder.h"
#include "imaging/Imaging.h"
#include "train/Metrics.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nc {

class Model;

struct BatchPrediction {
    std::string path; // as listed (relative to the folder or CSV)
    bool ok = false;
    std::string error;            // why the file could not be classified
    int predicted = -1;
    float probability = 0;
    std::vector<std::pair<int, float>> top; // best first
    int label = -1;                         // the true class when the folder or CSV says it
    std::vector<std::uint8_t> pixels;       // as the model saw it [C,H,W], when asked for
};

struct BatchPredictOptions {
    FitMode fit = FitMode::Pad;
    bool invert = false;
    int topK = 3;
    int threads = 0;   // decoding threads; 0 = all cores
    int batchSize = 64;
    std::size_t keepPixels = 0; // the first this many rows keep their model-sized pixels (thumbnails)
    // done of total; return false to stop (the rows so far are returned).
    std::function<bool(std::int64_t done, std::int64_t total)> progress;
};

std::vector<BatchPrediction> predictImages(const Model& model, const PredictionListing& listing,
                                           const BatchPredictOptions& options);

// path,label,predicted,probability,top_k,correct,error — one row per image, in listing order.
// Probabilities with 6 decimals; top_k as "name:prob;name:prob".
std::string predictionsCsv(const std::vector<BatchPrediction>& rows, const std::vector<std::string>& classNames);

// Accuracy over the rows that have a label and were classified; -1 when none has.
double batchAccuracy(const std::vector<BatchPrediction>& rows);
// Per-class metrics and the confusion matrix over the labelled rows that were classified.
EvaluationResult batchMetrics(const std::vector<BatchPrediction>& rows, const std::vector<std::string>& classNames);

} // namespace nc
