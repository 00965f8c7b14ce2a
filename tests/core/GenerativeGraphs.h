// Small graphs with the generative layers, shared by the core tests.
#pragma once

#include "graph/Graph.h"

namespace nc::test {

// A classifier through a VAE's bottleneck: Flatten, μ and log σ² from two Linear layers,
// Reparameterize (node "z"), Detach ("stop", unless `detach` is false), then a Linear ("fc") to
// `classes` scores. `klBeta` >= 0 adds a KLDivergence ("kl") of μ and log σ² with that β: a loss
// node the classifier trains beside its Output.
inline Graph vaeBottleneckClassifier(int muWidth, int logvarWidth, int classes, bool detach = true,
                                     double klBeta = -1) {
    Graph g;
    g.addNode({"input", "Input", Json::object()});
    g.addNode({"flat", "Flatten", Json::object()});
    g.addNode({"mu", "Linear", {{"out_features", muWidth}}});
    g.addNode({"logvar", "Linear", {{"out_features", logvarWidth}}});
    g.addNode({"z", "Reparameterize", Json::object()});
    g.addNode({"fc", "Linear", {{"out_features", classes}}});
    g.addNode({"output", "Output", Json::object()});
    g.connect({"input", "out"}, {"flat", "in"});
    g.connect({"flat", "out"}, {"mu", "in"});
    g.connect({"flat", "out"}, {"logvar", "in"});
    g.connect({"mu", "out"}, {"z", "in0"});
    g.connect({"logvar", "out"}, {"z", "in1"});
    if (detach) {
        g.addNode({"stop", "Detach", Json::object()});
        g.connect({"z", "out"}, {"stop", "in"});
        g.connect({"stop", "out"}, {"fc", "in"});
    } else {
        g.connect({"z", "out"}, {"fc", "in"});
    }
    g.connect({"fc", "out"}, {"output", "in"});
    if (klBeta >= 0) {
        g.addNode({"kl", "KLDivergence", {{"beta", klBeta}}});
        g.connect({"mu", "out"}, {"kl", "in0"});
        g.connect({"logvar", "out"}, {"kl", "in1"});
    }
    return g;
}

} // namespace nc::test
