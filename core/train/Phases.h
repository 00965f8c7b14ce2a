#pragma once
// Checks a project's training phases (DESIGN §10) against its graph, in words a user can act on.
#include "graph/ShapeInference.h"
#include "train/TrainConfig.h"

#include <vector>

namespace nc {

// The node whose module holds a node's weights: itself, or the node it shares them with.
std::string weightOwner(const Graph& graph, const std::string& nodeId);

// Problems of `phases` for a graph that passed shape inference (none when they can train): a
// loss or node a phase names that is not in the graph, a layer trained by two phases, a loss in
// no phase, a trained layer that reaches none of its phase's losses, and a phase that
// back-propagates into another phase's layers without a Detach (a discriminator phase into the
// generator). Without phases, a network with an AdversarialLoss is told it needs them.
std::vector<Problem> validatePhases(const Graph& graph, const GraphAnalysis& analysis,
                                    const std::vector<TrainPhase>& phases);

} // namespace nc
