#pragma once
#include "graph/Graph.h"
#include "graph/LayerRegistry.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nc {

// What shape inference found for one node.
struct NodeInfo {
    std::string id;
    std::string type;
    bool ok = false;
    Shape outputShape;
    std::int64_t parameters = 0;
    std::int64_t flops = 0;
    std::string error; // "conv3: kernel 5×5 is larger than its 3×3 input; ..."
};

// A message for the problems panel / `validate`; nodeId is empty for graph-wide problems.
struct Problem {
    std::string nodeId;
    std::string message;
};

// The result of analysing a whole graph against a dataset's input shape and class count.
struct GraphAnalysis {
    std::vector<NodeInfo> nodes;      // in the graph's node order
    std::vector<std::string> order;   // a topological order (only when there is no cycle)
    std::vector<Problem> problems;    // empty when the graph can be compiled and trained
    std::string inputNode, outputNode;
    // Loss nodes (KLDivergence, ReconstructionLoss) in graph order. A network with these and no
    // Output is generative: it trains on the sum of their values (one implicit phase).
    std::vector<std::string> lossNodes;
    Shape inputShape;
    int numClasses = 0;
    std::int64_t totalParameters = 0;
    std::int64_t totalFlops = 0;      // per image, forward pass
    std::int64_t activationBytes = 0; // per image, fp32 outputs of every node

    bool valid() const { return problems.empty(); }
    bool generative() const { return outputNode.empty() && !lossNodes.empty(); }
    const NodeInfo* info(const std::string& id) const;
};

// Limits that keep a hostile or mistaken graph from allocating gigabytes when compiled.
constexpr std::int64_t kMaxParameters = 250'000'000;           // 1 GB of fp32 weights
constexpr std::int64_t kMaxActivationBytesPerImage = 512LL << 20; // 512 MiB

// True for the layer types that are loss nodes (sinks the trainer sums).
bool isLossType(const std::string& type);
// True for a graph that trains on loss nodes and has no Output (a VAE, a GAN).
bool isGenerativeGraph(const Graph& graph);

// Runs on every edit; never throws. Each node gets a shape or a message that names it.
GraphAnalysis analyzeGraph(const Graph& graph, const Shape& inputShape, int numClasses) noexcept;

} // namespace nc
