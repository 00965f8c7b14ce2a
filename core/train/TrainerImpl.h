#pragma once
// Internal to train/ (like Optimizers.h, it needs torch types): the Trainer's state, shared by
// Trainer.cpp (the training loop) and TrainerState.cpp (checkpoints, snapshots, controls).
#include "nn/GraphNet.h"
#include "train/Optimizers.h"
#include "train/Trainer.h"
#include "train/TrainerText.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>

namespace nc {

using TrainerClock = std::chrono::steady_clock;
inline double secondsSince(TrainerClock::time_point t) {
    return std::chrono::duration<double>(TrainerClock::now() - t).count();
}

// A loss this many times the run's first one means the run diverged (DESIGN §6: a Failed event).
constexpr double kDivergenceFactor = 1e4;

struct Trainer::Impl {
    Impl(Model& m, const Dataset& data, const TrainConfig& c, std::string dir)
        : model(m), full(data), cfg(c), runDir(std::move(dir)) {}

    Model& model;
    const Dataset& full;
    TrainConfig cfg;
    std::string runDir;
    TrainerCallbacks cb;

    std::atomic<bool> stopFlag{false}, pauseFlag{false};
    mutable std::mutex mutex;
    std::condition_variable wake;

    // Progress that a checkpoint carries.
    int epochsDone = 0;
    std::int64_t steps = 0;
    double bestValAccuracy = -1;
    int bestEpoch = 0;
    int epochsWithoutImprovement = 0;
    Json history = Json::array();
    // A checkpoint written by Stop in the middle of an epoch: the batches of epoch epochsDone + 1
    // already trained and that epoch's running sums, so a resume continues it exactly.
    std::int64_t batchInEpoch = 0;
    double epochLossSum = 0;
    std::int64_t epochCorrect = 0, epochSeen = 0;
    double firstLoss = 0; // the run's first batch loss: divergence is measured against it
    NamedTensors resumedOptimizerState;
    bool resumed = false;
    std::string resumedPrecision; // "fp32"/"bf16" a checkpoint was trained in; empty: older checkpoint
    PrecisionChoice precision;    // resolved when the run starts (or asked for before)
    bool precisionResolved = false;
    bool fellBackToFp32 = false;
    std::string fallbackMessage;
    bool autocast() const { return precision.precision == Precision::BF16 && device.is_cpu(); }
    const PrecisionChoice& resolvePrecision();

    // The state the last checkpoint holds (the start of the current epoch), in memory: a bf16
    // run that goes non-finite goes back to it and on in fp32, with or without a run folder.
    struct Snapshot {
        NamedTensors tensors, optimizer;
        std::int64_t optimizerSteps = 0, steps = 0, batchInEpoch = 0, epochCorrect = 0, epochSeen = 0;
        int epochsDone = 0, bestEpoch = 0, epochsWithoutImprovement = 0;
        double bestValAccuracy = -1, epochLossSum = 0, firstLoss = 0;
        Json history;
    };
    Snapshot snapshot(GraphNet& net, const Optimizer& opt) const;
    void restore(const Snapshot& s, GraphNet& net, Optimizer& opt);

    std::ofstream log;
    Dataset train, val;
    Dataset givenValidation;
    torch::Device device{torch::kCPU};

    void emit(const Json& j) {
        if (log.is_open())
            log << j.dump() << '\n';
    }

    FinishedEvent run();
    void prepareData();
    void waitWhilePaused(double& pausedSeconds);
    // Time this run spent not training: paused, or inside onBatch (where the app answers other
    // requests and may hold the run). Epoch and run seconds and images/s leave it out.
    double idleSeconds = 0;
    double runSeconds(TrainerClock::time_point runStart) const { return std::max(0.0, secondsSince(runStart) - idleSeconds); }
    // {loss, accuracy} on the validation split; for a generative network {the sum of its loss
    // nodes, 0}, with each node's value in validationTerms.
    std::pair<double, double> validate(GraphNet& net);
    // A network without an Output trains on the weighted sum of its loss nodes (DESIGN §10: one
    // implicit phase). β and the warm-up come from each node's parameters.
    struct LossTerm {
        std::string node;
        double beta = 1;
        int warmupEpochs = 0;
        int adversarial = 0; // a BCE AdversarialLoss: +1 target real, -1 target fake (its batch reports D's σ)
    };
    std::vector<LossTerm> lossTerms;
    bool hasOutput = true; // a classifier (its loss nodes, if any, add to its cross-entropy)
    bool generative() const { return !lossTerms.empty() && !hasOutput; }
    Json validationTerms = Json::object();
    void writeCheckpoint(const Optimizer& opt);
    double saveStoppedModel(GraphNet& net, std::int64_t batch, std::int64_t batches, double trainAccuracy);
    std::string divergenceMessage(int epoch, std::int64_t batch, double loss, double lr, const std::string& node) const {
        return nc::divergenceMessage({cfg.optimizer, epoch, batch, loss, lr, firstLoss, kDivergenceFactor, epochsDone,
                                      node, fellBackToFp32});
    }
    FinishedEvent fail(FinishedEvent ev, const std::string& message, const std::string& node = {});
};

} // namespace nc
