#pragma once
#include "data/Dataset.h"
#include "nn/Model.h"
#include "train/PrecisionChoice.h"
#include "train/TrainConfig.h"
#include "util/Json.h"

#include <functional>
#include <memory>
#include <string>

namespace nc {

struct BatchEvent {
    int epoch = 0; // 1-based
    int epochs = 0;
    std::int64_t batch = 0; // 1-based within the epoch
    std::int64_t batchesPerEpoch = 0;
    std::int64_t step = 0; // batches since the run began (resumed runs continue the count)
    double loss = 0, accuracy = 0, learningRate = 0, imagesPerSecond = 0;
    Json terms = Json::object(); // a generative run's loss nodes this batch (mean per image)
    Json toJson() const;
};

struct EpochEvent {
    int epoch = 0;
    int epochs = 0;
    double trainLoss = 0, trainAccuracy = 0;
    double validationLoss = 0, validationAccuracy = 0;
    double learningRate = 0, seconds = 0, imagesPerSecond = 0;
    bool improved = false; // best validation accuracy so far (best.ncmodel was written)
    // A generative network's loss nodes on the validation split, unweighted nats per image
    // (validationLoss is their sum: the negative ELBO of a VAE; "improved" means it fell).
    Json validationTerms = Json::object();
    Json toJson() const;
};

enum class FinishReason { Completed, Stopped, EarlyStopped, Failed };

struct FinishedEvent {
    FinishReason reason = FinishReason::Completed;
    int epochsDone = 0;
    std::int64_t steps = 0;
    double bestValidationAccuracy = 0;
    int bestEpoch = 0;
    bool generative = false;       // trained on loss nodes: bestValidationLoss is the figure, not accuracy
    double bestValidationLoss = 0; // for generative runs: the lowest validation loss (nats per image)
    double seconds = 0;
    std::string message; // for Failed: what went wrong and what to change
    std::string nodeId;  // for Failed: the layer to blame, when known
    bool diverged = false; // for Failed: the loss grew without bound (or became non-finite)
    // For Stopped in the middle of an epoch: batches done of epoch epochsDone + 1 (last.ncckpt
    // resumes from there), and the validation accuracy of the weights at that point (last.ncmodel).
    std::int64_t batchesIntoEpoch = 0;
    std::int64_t batchesPerEpoch = 0;
    double stopValidationAccuracy = -1; // -1: not measured (no run folder, or nothing trained)
    Precision precision = Precision::FP32; // what the run trained in at the end ("auto" resolved)
    std::string precisionFallback; // set when a bf16 run went non-finite and went on in fp32: why
    Json toJson() const;
};

// Events arrive on the training thread; a GUI forwards them as queued signals.
struct TrainerCallbacks {
    std::function<void(const BatchEvent&)> onBatch;
    std::function<void(const EpochEvent&)> onEpoch;
    std::function<void(const FinishedEvent&)> onFinished; // also called for failures
    // A bf16 run whose loss went non-finite or diverged goes on in fp32 from its last
    // checkpoint: called then with the new choice (its reason says what happened).
    std::function<void(const PrecisionChoice&)> onPrecisionChanged;
};

// Trains a Model on a dataset with a TrainConfig (DESIGN §6). The training set is split into
// train/validation (seeded, stratified); normalisation is computed on the train part.
// With a run folder, it keeps metrics.jsonl, best.ncmodel and last.ncckpt there; a stopped run
// also leaves last.ncmodel (its weights when it stopped) and a checkpoint of exactly that point.
class Trainer {
public:
    Trainer(Model& model, const Dataset& trainingSet, const TrainConfig& config, const std::string& runDir = {});
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    void setCallbacks(TrainerCallbacks callbacks);
    // Validates on this set (a folder's val/ part) instead of a fraction of the training set.
    // It must outlive run().
    void setValidationSet(const Dataset& validation);
    // Continues a run from its last.ncckpt: weights, optimizer state, epoch and settings (the
    // caller's epoch count is kept so a run can be extended). Throws nc::Error.
    void resumeFrom(const std::string& checkpointPath);

    // Blocks until the run ends; never throws (failures come back with reason Failed).
    FinishedEvent run();

    // Thread-safe; take effect before the next batch starts.
    void pause();
    void resume();
    void stop();
    bool isPaused() const;

    const TrainConfig& config() const;
    // The precision this run trains in and why: "auto" resolved for this CPU, or the precision a
    // resumed checkpoint was trained in (so a resume stays bit-exact). Valid before run().
    PrecisionChoice precisionChoice() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

const char* finishReasonName(FinishReason r);

} // namespace nc
