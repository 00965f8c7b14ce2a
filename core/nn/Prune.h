#pragma once
// Structured channel pruning (issue 15). Torch-free: the work is in nn/Prune.cpp.
//
// Every convolution's output channels are ranked by the L1 norm of their filters and the lowest
// are removed, with the matching inputs of whatever reads them: the next convolution's input
// channels, a BatchNorm's entries, a Linear's columns after Flatten or global average pooling.
// Convolutions whose outputs meet in an Add (a residual network's stream) are left whole by
// default, as Li et al. ("Pruning Filters for Efficient ConvNets") do: every block reads and writes
// that stream, so its channels carry the most. With `residual` they are pruned too, keeping the
// same channels (their ranks are summed), so every shape stays valid. A convolution is left whole when its channels reach something whose
// meaning would change: the Output, a Concat, a grouped convolution, a Softmax, a recurrent layer
// or any layer this pass does not know; the report says which and why.
#include "data/Dataset.h"
#include "nn/Model.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nc {

struct PruneOptions {
    double keepFraction = 0.5; // of each prunable convolution's output channels (at least one kept)
    bool residual = false;     // also prune the channels an Add joins
};

struct PruneReport {
    std::vector<std::string> pruned;   // "conv1: 32 -> 16 channels"
    std::vector<std::string> kept;     // "conv4 (its channels reach the Output)"
    std::int64_t parametersBefore = 0, parametersAfter = 0;
    std::int64_t flopsBefore = 0, flopsAfter = 0; // per image, forward pass (ShapeInference)
};

// A new float model with the smaller graph and the kept weights (not fine-tuned). Throws
// nc::Error for a quantised model, a fraction outside (0, 1], or a graph with nothing to prune.
Model pruneChannels(const Model& model, const PruneOptions& options, PruneReport* report = nullptr);

// Re-estimates every BatchNorm's running mean and variance of a (pruned) model from `images`
// training images spread across the split, as a cumulative average: pruning changes what each
// BatchNorm sees, and its old statistics then misjudge every channel. Returns the images used.
int recalibrateBatchNorm(Model& model, const Dataset& data, int images = 2048, int batchSize = 64);

// Unstructured magnitude pruning: in every convolution and Linear weight the `sparsity` share of
// entries smallest in magnitude are set to zero (per layer; biases and BatchNorm untouched). The
// graph and the speed stay as they were; the file compresses better. `reapply()` zeroes the
// same entries again, after each optimizer step of a fine-tune.
class MagnitudePruner {
public:
    MagnitudePruner(Model& model, double sparsity); // throws nc::Error: quantised model, sparsity outside [0, 1)
    ~MagnitudePruner();
    void reapply();
    double sparsity() const;                 // zeros / entries over the pruned weights
    std::int64_t prunedEntries() const;      // how many weights are pruned (and kept at zero)
    std::vector<std::string> layers() const; // the weights pruned
private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace nc
