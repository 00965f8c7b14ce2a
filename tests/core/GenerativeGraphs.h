// Small graphs with the generative layers, shared by the core tests.
#pragma once

#include "graph/Graph.h"

namespace nc::test {

// A classifier through a VAE's bottleneck: Flatten, μ and log σ² from two Linear layers,
// Reparameterize (node "z"), Detach ("stop"), then a Linear ("fc") to `classes` scores.
inline Graph vaeBottleneckClassifier(int muWidth, int logvarWidth, int classes) {
    Graph g;
    g.addNode({"input", "Input", Json::object()});
    g.addNode({"flat", "Flatten", Json::object()});
    g.addNode({"mu", "Linear", {{"out_features", muWidth}}});
    g.addNode({"logvar", "Linear", {{"out_features", logvarWidth}}});
    g.addNode({"z", "Reparameterize", Json::object()});
    g.addNode({"stop", "Detach", Json::object()});
    g.addNode({"fc", "Linear", {{"out_features", classes}}});
    g.addNode({"output", "Output", Json::object()});
    g.connect({"input", "out"}, {"flat", "in"});
    g.connect({"flat", "out"}, {"mu", "in"});
    g.connect({"flat", "out"}, {"logvar", "in"});
    g.connect({"mu", "out"}, {"z", "in0"});
    g.connect({"logvar", "out"}, {"z", "in1"});
    g.connect({"z", "out"}, {"stop", "in"});
    g.connect({"stop", "out"}, {"fc", "in"});
    g.connect({"fc", "out"}, {"output", "in"});
    return g;
}

} // namespace nc::test
