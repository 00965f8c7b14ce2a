#pragma once
// Internal to train/: what the Trainer writes for people (event JSON lives beside it in
// TrainerText.cpp), kept out of Trainer.cpp so that file holds the training loop alone.
#include "train/TrainConfig.h"

#include <cstdint>
#include <string>

namespace nc {

struct DivergenceFacts {
    OptimizerKind optimizer = OptimizerKind::Adam;
    int epoch = 0;             // 0-based
    std::int64_t batch = 0;    // 0-based
    double loss = 0, learningRate = 0, firstLoss = 0, divergenceFactor = 0;
    int epochsDone = 0;        // epochs whose checkpoint is kept
    std::string node;          // the first layer that blew up, if known
    bool retriedInFp32 = false; // this run already fell back from bf16
};

// "training stopped at epoch 2, batch 5: the loss became NaN. ... Lower the learning rate ..."
std::string divergenceMessage(const DivergenceFacts& facts);

// The message of a bf16 run retried in fp32 from the start of `epoch` (0-based).
std::string precisionFallbackMessage(int epoch, std::int64_t batch, double loss, int epochsDone);

} // namespace nc
