#pragma once
// The compressions of issue 15 as library calls, shared by `neuralcanvas-cli compress` and the
// window's Compress tab: channel pruning and unstructured sparsity, each followed by a short
// fine-tune, and the figures the Compress tab shows of any variant. Torch-free.
#include "data/Dataset.h"
#include "nn/Model.h"
#include "nn/Prune.h"
#include "train/TrainConfig.h"
#include "train/Trainer.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nc {

struct FinetuneSettings {
    TrainConfig config; // the project's settings; its epochs are replaced by `epochs`
    int epochs = 3;
    std::function<void(const EpochEvent&)> onEpoch;
    // Called with the model just before its fine-tune starts (pruned or sparse, not yet tuned).
    std::function<void(const Model&)> beforeFinetune;
    // Polled after every batch: true stops the fine-tune and the call throws nc::Error
    // ("cancelled"); the model passed in is left as it was.
    std::function<bool()> cancelled;
};

// Removes `share` of each prunable convolution's channels (nn/Prune.h; with `residual`, of the
// Add-joined ones too), re-estimates the BatchNorm statistics on the training images and
// fine-tunes. Throws nc::Error.
Model pruneAndFinetune(const Model& model, const Dataset& train, double share, bool residual, const FinetuneSettings& settings,
                       PruneReport* report = nullptr, int* recalibrationImages = nullptr);

struct SparsityReport {
    double sparsity = 0;            // zeros / entries of the pruned weights, after the fine-tune
    std::int64_t prunedEntries = 0;
    std::vector<std::string> layers;
};
// Sets the `sparsity` share of the smallest weights of every convolution and Linear of `model`
// to zero and fine-tunes it with them held at zero (in place). Throws nc::Error.
SparsityReport sparsifyAndFinetune(Model& model, const Dataset& train, double sparsity, const FinetuneSettings& settings);

// What a user compares variants by.
struct VariantFigures {
    std::int64_t parameters = 0;
    std::uint64_t bytes = 0, compressedBytes = 0; // the .ncmodel file, raw and after zlib -9
    double mflops = 0;                           // per image, forward (the graph's multiply-adds ×2)
    double accuracy = -1;                        // on `test`; -1 without test images
    double batch1Ms = 0, batch64Ms = 0;          // median forward time in this process
};
VariantFigures measureVariant(const Model& model, const std::string& file, const Dataset& test,
                              const Dataset& timing, double timingSeconds = 0.5);

// The file's size after zlib at its best compression: what a download or a zip archive costs.
std::uint64_t compressedFileSize(const std::string& path);

} // namespace nc
