#include "train/Phases.h"

#include <map>
#include <set>

namespace nc {

namespace {
std::string listText(const std::vector<std::string>& ids) {
    std::string s;
    for (const std::string& id : ids)
        s += (s.empty() ? "" : ", ") + id;
    return s;
}

// Nodes from which `from` can be reached along edges, not crossing a Detach (gradients stop there).
std::set<std::string> upstreamWithGradient(const Graph& g, const std::vector<std::string>& from) {
    std::set<std::string> seen(from.begin(), from.end());
    std::vector<std::string> todo(from.begin(), from.end());
    while (!todo.empty()) {
        const std::string id = todo.back();
        todo.pop_back();
        const Node* n = g.node(id);
        if (n && n->type == "Detach")
            continue;
        for (const Edge* e : g.incoming(id))
            if (seen.insert(e->from.node).second)
                todo.push_back(e->from.node);
    }
    return seen;
}

// Nodes reachable from `from` along edges (forward), not passing a Detach.
std::set<std::string> downstreamWithGradient(const Graph& g, const std::set<std::string>& from) {
    std::set<std::string> seen = from;
    std::vector<std::string> todo(from.begin(), from.end());
    while (!todo.empty()) {
        const std::string id = todo.back();
        todo.pop_back();
        for (const Edge* e : g.outgoing(id)) {
            const Node* n = g.node(e->to.node);
            if (n && n->type == "Detach")
                continue;
            if (seen.insert(e->to.node).second)
                todo.push_back(e->to.node);
        }
    }
    return seen;
}
} // namespace

std::string weightOwner(const Graph& graph, const std::string& nodeId) {
    const Node* n = graph.node(nodeId);
    if (n && n->params.is_object() && n->params.contains("shares") && n->params["shares"].is_string())
        return n->params["shares"].get<std::string>();
    return nodeId;
}

std::vector<Problem> validatePhases(const Graph& graph, const GraphAnalysis& analysis,
                                    const std::vector<TrainPhase>& phases) {
    std::vector<Problem> out;
    const std::set<std::string> losses(analysis.lossNodes.begin(), analysis.lossNodes.end());
    if (!phases.empty() && !analysis.outputNode.empty()) {
        out.push_back({analysis.outputNode, analysis.outputNode + ": training phases train loss nodes (a GAN); a network with "
                                            "an Output trains its cross-entropy and any loss nodes together, in one "
                                            "phase: remove the phases, or the Output"});
        return out;
    }
    if (phases.empty()) {
        for (const Node& n : graph.nodes())
            if (n.type == "AdversarialLoss") {
                out.push_back({n.id, n.id + ": an AdversarialLoss needs training phases (a discriminator phase and a "
                                            "generator phase, each with its own optimizer); the dcgan template has them"});
                break;
            }
        return out;
    }
    if (!analysis.outputNode.empty()) {
        out.push_back({"", "training phases train loss nodes, but this network has an Output (" + analysis.outputNode +
                               "); remove the phases or build the network from loss nodes"});
        return out;
    }
    std::map<std::string, std::string> phaseOf;  // weight owner -> the phase that trains it
    std::map<std::string, std::string> lossPhase; // loss node -> its phase
    for (const TrainPhase& p : phases) {
        for (const std::string& id : p.losses) {
            if (!losses.count(id)) {
                out.push_back({graph.node(id) ? id : "", "phase " + p.name + ": " + id +
                                                             " is not a loss node of this network (KLDivergence, "
                                                             "ReconstructionLoss or AdversarialLoss)"});
                continue;
            }
            if (lossPhase.count(id) && lossPhase[id] != p.name)
                out.push_back({id, id + " is minimised by two phases, " + lossPhase[id] + " and " + p.name +
                                       "; a loss belongs to one phase"});
            lossPhase[id] = p.name;
        }
        for (const std::string& id : p.trains) {
            const Node* n = graph.node(id);
            if (!n) {
                out.push_back({"", "phase " + p.name + " trains " + id + ", which is not a layer of this network"});
                continue;
            }
            if (!layerHasParameters(n->type)) {
                out.push_back({id, "phase " + p.name + " trains " + id + ", a " + n->type + ", which has no parameters"});
                continue;
            }
            if (weightOwner(graph, id) != id) {
                out.push_back({id, "phase " + p.name + " trains " + id + ", which shares " + weightOwner(graph, id) +
                                       "'s weights; list " + weightOwner(graph, id) + " instead"});
                continue;
            }
            if (phaseOf.count(id) && phaseOf[id] != p.name) {
                out.push_back({id, id + " is trained by two phases, " + phaseOf[id] + " and " + p.name +
                                       "; a layer's parameters belong to one phase"});
                continue;
            }
            phaseOf[id] = p.name;
        }
    }
    for (const std::string& id : analysis.lossNodes)
        if (!lossPhase.count(id))
            out.push_back({id, id + " is in no training phase, so nothing minimises it; add it to a phase's losses "
                                    "or delete it"});
    if (!out.empty())
        return out;

    for (const TrainPhase& p : phases) {
        const std::set<std::string> up = upstreamWithGradient(graph, p.losses);
        // The layers this phase trains, and every layer using their weights.
        std::set<std::string> own(p.trains.begin(), p.trains.end());
        for (const Node& n : graph.nodes())
            if (own.count(weightOwner(graph, n.id)))
                own.insert(n.id);
        bool reachesAny = false;
        for (const std::string& id : own)
            reachesAny |= up.count(id) > 0;
        for (const std::string& id : p.trains) {
            bool reaches = false;
            for (const Node& n : graph.nodes())
                if (weightOwner(graph, n.id) == id && up.count(n.id))
                    reaches = true;
            if (!reaches)
                out.push_back({id, "phase " + p.name + " trains " + id + ", but " + id + " does not lead to its losses (" +
                                       listText(p.losses) + ") except through a Detach, so its parameters would never " +
                                       "change" + (reachesAny ? "" : "; the phase reaches none of its losses")});
        }
        // Gradients of this phase that flow into another phase's layers must be on their way to
        // this phase's own layers (a generator phase through the discriminator); flowing beyond
        // them (a discriminator phase into the generator) is work for nothing and needs a Detach.
        const std::set<std::string> down = downstreamWithGradient(graph, own);
        for (const std::string& id : up) {
            const Node* n = graph.node(id);
            if (!n || !layerHasParameters(n->type) || down.count(id))
                continue;
            auto it = phaseOf.find(weightOwner(graph, id));
            if (it == phaseOf.end() || it->second == p.name)
                continue;
            out.push_back({id, "phase " + p.name + " back-propagates from " + listText(p.losses) + " into " + id +
                                   ", which phase " + it->second + " trains; put a Detach between " + id +
                                   "'s part of the network and this phase's layers"});
            break; // one message names the missing Detach; the layers behind it would repeat it
        }
    }
    return out;
}

} // namespace nc
