#pragma once
#include "data/Dataset.h"
#include "util/Json.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nc {

enum class OptimizerKind { SGD, Nesterov, Adam, AdamW, RMSprop };
enum class ScheduleKind { None, Step, Cosine, OneCycle };
// Auto: bf16 where the CPU runs it natively, else fp32 (train/PrecisionChoice.h decides).
enum class Precision { FP32, BF16, Auto };

// One training phase (DESIGN §10): the loss nodes it minimises, the nodes whose parameters it
// updates (with its own optimizer) and how often it runs (every N-th batch). A GAN has a
// discriminator and a generator phase; without phases a network trains as one default phase.
struct TrainPhase {
    std::string name;
    std::vector<std::string> losses, trains;
    OptimizerKind optimizer = OptimizerKind::Adam;
    double learningRate = 1e-3;
    double beta1 = 0.9, beta2 = 0.999;
    int every = 1;
};

// Everything that decides how a run trains (DESIGN §6); stored in the project and checkpoints.
struct TrainConfig {
    int epochs = 5;
    int batchSize = 64;
    OptimizerKind optimizer = OptimizerKind::Adam;
    double learningRate = 1e-3;
    double momentum = 0.9;       // SGD, Nesterov, RMSprop
    double weightDecay = 0.0;
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8; // Adam family
    ScheduleKind schedule = ScheduleKind::None;
    int stepSize = 5;            // epochs between Step decays
    double gamma = 0.1;          // Step decay factor
    double labelSmoothing = -1;  // < 0: take the Output layer's own setting
    double gradClipNorm = 0.0;   // 0 = off
    int earlyStoppingPatience = 0; // epochs without validation improvement; 0 = off
    Augmentation augmentation;
    // The last N epochs train on the images as they are, augmentation off ("clean epochs": the
    // network refits the undistorted images the test set holds; 0 = augment every epoch).
    int augmentCleanEpochs = 0;
    double validationFraction = 0.1;
    std::uint64_t seed = 42;
    std::string device = "cpu";
    // New projects train in "auto"; a stored setting without the key means fp32 (fromJson).
    Precision precision = Precision::Auto;
    int threads = 0;             // 0 = all cores
    std::int64_t limitTrain = 0; // use only the first N training images (quick runs)
    // Knowledge distillation (Hinton et al. 2015): with a teacher .ncmodel the loss is
    // alpha * T² * KL(softmax(teacher / T) || softmax(student / T)) + (1 - alpha) * the hard loss.
    std::string teacher;             // "" = no teacher
    double distillTemperature = 4.0; // T
    double distillAlpha = 0.9;       // the teacher's share of the loss
    // Empty: one phase (the Output's loss, or the sum of the loss nodes). Optimizer settings a
    // phase leaves out are the ones above.
    std::vector<TrainPhase> phases;

    Json toJson() const;
    static TrainConfig fromJson(const Json& j); // throws nc::Error naming the bad field
};

// Whether `epoch` (0-based) of a run of config.epochs trains on augmented images.
bool augmentsEpoch(const TrainConfig& config, int epoch);

const char* optimizerName(OptimizerKind k);
const char* scheduleName(ScheduleKind k);
bool parseOptimizer(const std::string& s, OptimizerKind& out);
const char* precisionName(Precision p); // "fp32", "bf16", "auto"
bool parsePrecision(const std::string& s, Precision& out);

// Learning rate at `step` (0-based) of `totalSteps` for the configured schedule.
double scheduledLearningRate(const TrainConfig& config, std::int64_t step, std::int64_t totalSteps,
                             std::int64_t stepsPerEpoch);

// GPUs LibTorch can use here (0 on CPU-only builds and machines).
int cudaDeviceCount();

} // namespace nc
