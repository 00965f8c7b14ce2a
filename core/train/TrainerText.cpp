#include "train/TrainerText.h"

#include "train/Trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nc {

namespace {
std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", v);
    return std::string(text);
}

std::string lossWent(double loss) {
    return std::isfinite(loss) ? "diverged (" + number(loss) + ")"
                               : std::string("became ") + (std::isnan(loss) ? "NaN" : "infinite");
}
} // namespace

const char* finishReasonName(FinishReason r) {
    switch (r) {
    case FinishReason::Completed: return "completed";
    case FinishReason::Stopped: return "stopped";
    case FinishReason::EarlyStopped: return "early-stopped";
    case FinishReason::Failed: return "failed";
    }
    return "?";
}

Json BatchEvent::toJson() const {
    Json j = {{"event", "batch"}, {"epoch", epoch}, {"epochs", epochs}, {"batch", batch},
              {"batches", batchesPerEpoch}, {"step", step}, {"loss", loss}, {"accuracy", accuracy},
              {"lr", learningRate}, {"images_per_second", imagesPerSecond}};
    if (!terms.empty())
        j["terms"] = terms;
    return j;
}

Json EpochEvent::toJson() const {
    Json j = {{"event", "epoch"}, {"epoch", epoch}, {"epochs", epochs}, {"train_loss", trainLoss},
            {"train_accuracy", trainAccuracy}, {"val_loss", validationLoss}, {"val_accuracy", validationAccuracy},
            {"lr", learningRate}, {"seconds", seconds}, {"images_per_second", imagesPerSecond}, {"improved", improved}};
    if (!validationTerms.empty())
        j["val_terms"] = validationTerms;
    return j;
}

Json FinishedEvent::toJson() const {
    Json j = {{"event", reason == FinishReason::Failed ? "failed" : "finished"}, {"reason", finishReasonName(reason)},
              {"epochs_done", epochsDone}, {"steps", steps}, {"best_val_accuracy", bestValidationAccuracy},
              {"best_epoch", bestEpoch}, {"seconds", seconds}};
    if (generative)
        j["best_val_loss"] = bestValidationLoss;
    if (!message.empty())
        j["message"] = message;
    if (!nodeId.empty())
        j["node"] = nodeId;
    if (diverged)
        j["diverged"] = true;
    if (batchesIntoEpoch > 0) {
        j["batch_in_epoch"] = batchesIntoEpoch;
        j["batches_per_epoch"] = batchesPerEpoch;
    }
    if (stopValidationAccuracy >= 0)
        j["stop_val_accuracy"] = stopValidationAccuracy;
    j["precision"] = precisionName(precision);
    if (!precisionFallback.empty())
        j["precision_fallback"] = precisionFallback;
    return j;
}

std::string divergenceMessage(const DivergenceFacts& f) {
    // A tenth of the current rate, and no more than the rate this optimizer usually starts with.
    const bool sgd = f.optimizer == OptimizerKind::SGD || f.optimizer == OptimizerKind::Nesterov;
    const double suggested = std::min(f.learningRate / 10, sgd ? 0.01 : 0.001);
    std::string msg = "training stopped at epoch " + std::to_string(f.epoch + 1) + ", batch " +
                      std::to_string(f.batch + 1) + ": the loss ";
    if (!std::isfinite(f.loss))
        msg += std::string("became ") + (std::isnan(f.loss) ? "NaN" : "infinite") + ".";
    else
        msg += "diverged: it grew from " + number(f.firstLoss) + " to " + number(f.loss) + ", more than " +
               number(f.divergenceFactor) + " times its first value.";
    if (f.retriedInFp32)
        msg += " It did so in fp32 too, after the bf16 run had been retried in fp32.";
    msg += f.node.empty() ? " No layer's output blew up; the targets or the loss settings may be wrong."
                          : " The first layer whose activations blew up is " + f.node + ".";
    msg += " Lower the learning rate (it is " + number(f.learningRate) + "; try " + number(suggested) +
           "), or add BatchNorm or gradient clipping.";
    msg += f.epochsDone > 0 ? " The checkpoint of epoch " + std::to_string(f.epochsDone) +
                                  " (the last good one) is kept; nothing of the diverged epoch was saved."
                            : " Nothing was saved: the run diverged before its first epoch ended.";
    return msg;
}

std::string precisionFallbackMessage(int epoch, std::int64_t batch, double loss, int epochsDone) {
    return "the bf16 loss " + lossWent(loss) + " at epoch " + std::to_string(epoch + 1) + ", batch " +
           std::to_string(batch + 1) + "; training goes on in fp32 from " +
           (epochsDone > 0 ? "the checkpoint of epoch " + std::to_string(epochsDone)
                           : std::string("the start of the run")) +
           " (set the precision to fp32 to skip the bf16 attempt)";
}

} // namespace nc
