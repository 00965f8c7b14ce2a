#include "graph/ShapeInference.h"

#include <algorithm>
#include <map>
#include <set>

namespace nc {

const NodeInfo* GraphAnalysis::info(const std::string& id) const {
    for (const NodeInfo& n : nodes)
        if (n.id == id)
            return &n;
    return nullptr;
}

namespace {

std::string gb(std::int64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f GB", double(bytes) / 1e9);
    return buf;
}

class Analyzer {
public:
    Analyzer(const Graph& g, GraphAnalysis& out) : m_graph(g), m_out(out) {}

    void run(const Shape& inputShape, int numClasses) {
        m_out.inputShape = inputShape;
        m_out.numClasses = numClasses;
        const auto& nodes = m_graph.nodes();
        m_out.nodes.resize(nodes.size());
        m_params.resize(nodes.size());
        m_specs.resize(nodes.size(), nullptr);
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            m_out.nodes[i].id = nodes[i].id;
            m_out.nodes[i].type = nodes[i].type;
            m_index[nodes[i].id] = i;
        }
        checkTypesAndParams();
        checkInputsAndOutputs();
        checkEdges();
        if (!topologicalOrder())
            return;
        inferShapes();
        checkOutputWidth();
        checkReconstructionTargets();
        checkSharing();
        checkUnused();
        totals();
    }

private:
    void nodeError(std::size_t i, const std::string& message) {
        NodeInfo& n = m_out.nodes[i];
        if (!n.error.empty())
            return; // the first (root) cause is the one to fix
        n.ok = false;
        n.error = n.id + ": " + message;
        m_out.problems.push_back({n.id, n.error});
    }
    void graphError(const std::string& message) { m_out.problems.push_back({"", message}); }

    void checkTypesAndParams() {
        const auto& reg = LayerRegistry::instance();
        for (std::size_t i = 0; i < m_graph.nodes().size(); ++i) {
            const Node& node = m_graph.nodes()[i];
            m_specs[i] = reg.find(node.type);
            if (!m_specs[i]) {
                nodeError(i, "unknown layer type '" + node.type.substr(0, 40) + "'; replace it with a layer from the palette");
                continue;
            }
            const std::string err = reg.normalizeParams(*m_specs[i], node.params, m_params[i]);
            if (!err.empty())
                nodeError(i, err);
        }
    }

    void checkInputsAndOutputs() {
        std::vector<std::size_t> inputs, outputs;
        for (std::size_t i = 0; i < m_specs.size(); ++i) {
            if (!m_specs[i])
                continue;
            if (m_specs[i]->type == "Input")
                inputs.push_back(i);
            if (m_specs[i]->type == "Output")
                outputs.push_back(i);
        }
        if (inputs.empty())
            graphError("the network has no Input layer; add one from the palette");
        for (std::size_t i = 0; i < m_specs.size(); ++i)
            if (m_specs[i] && isLossType(m_specs[i]->type))
                m_out.lossNodes.push_back(m_out.nodes[i].id);
        if (outputs.empty() && m_out.lossNodes.empty())
            graphError("the network has no Output layer; add one after the last layer");
        // A classifier may add loss nodes to its Output's (a KL term on a bottleneck, a
        // reconstruction from its features): summed with its cross-entropy. Not a GAN's.
        if (!outputs.empty())
            for (const std::string& id : m_out.lossNodes)
                if (m_graph.node(id)->type == "AdversarialLoss") {
                    nodeError(m_index[id], "an AdversarialLoss trains a GAN in phases, and this network has an Output (" +
                                               m_out.nodes[outputs[0]].id + "); a classifier's extra losses can be "
                                               "KLDivergence or ReconstructionLoss");
                    break;
                }
        for (std::size_t k = 1; k < inputs.size(); ++k)
            nodeError(inputs[k], "a network has exactly one Input and " + m_out.nodes[inputs[0]].id +
                                     " is already one; remove this one");
        for (std::size_t k = 1; k < outputs.size(); ++k)
            nodeError(outputs[k], "a network has exactly one Output and " + m_out.nodes[outputs[0]].id +
                                      " is already one; remove this one");
        if (!inputs.empty())
            m_out.inputNode = m_out.nodes[inputs[0]].id;
        if (!outputs.empty())
            m_out.outputNode = m_out.nodes[outputs[0]].id;
    }

    void checkEdges() {
        std::set<std::pair<std::string, std::string>> taken;
        for (const Edge& e : m_graph.edges()) {
            auto fromIt = m_index.find(e.from.node), toIt = m_index.find(e.to.node);
            if (fromIt == m_index.end() || toIt == m_index.end()) {
                graphError("the connection " + e.from.str() + " → " + e.to.str() + " names a missing layer; delete it");
                continue;
            }
            const LayerSpec* from = m_specs[fromIt->second];
            const LayerSpec* to = m_specs[toIt->second];
            if (from && (!from->hasOutput || e.from.port != "out")) {
                nodeError(fromIt->second, from->hasOutput ? "has no output port '" + e.from.port + "'; use 'out'"
                                                          : "is the end of the network and has no output to connect");
                continue;
            }
            if (to) {
                const auto ports = to->inputPorts(m_params[toIt->second]);
                if (std::find(ports.begin(), ports.end(), e.to.port) == ports.end()) {
                    nodeError(toIt->second, ports.empty() ? "takes no input; remove the connection from " + e.from.node
                                                          : "has no input port '" + e.to.port + "'");
                    continue;
                }
            }
            if (e.from.node == e.to.node) {
                nodeError(toIt->second, "is connected to itself; remove that connection");
                continue;
            }
            if (!taken.insert({e.to.node, e.to.port}).second)
                nodeError(toIt->second, "input '" + e.to.port + "' has two connections; an input takes one, remove one");
        }
    }

    bool topologicalOrder() {
        const std::size_t n = m_graph.nodes().size();
        std::vector<int> indegree(n, 0);
        std::vector<std::vector<std::size_t>> next(n);
        for (const Edge& e : m_graph.edges()) {
            auto f = m_index.find(e.from.node), t = m_index.find(e.to.node);
            if (f == m_index.end() || t == m_index.end() || f->second == t->second)
                continue;
            next[f->second].push_back(t->second);
            ++indegree[t->second];
        }
        std::vector<std::size_t> ready;
        for (std::size_t i = 0; i < n; ++i)
            if (indegree[i] == 0)
                ready.push_back(i);
        std::vector<std::size_t> order;
        // Pop from the front of the remaining list in node order so the order is stable for users.
        while (!ready.empty()) {
            auto it = std::min_element(ready.begin(), ready.end());
            const std::size_t i = *it;
            ready.erase(it);
            order.push_back(i);
            for (std::size_t j : next[i])
                if (--indegree[j] == 0)
                    ready.push_back(j);
        }
        if (order.size() == n) {
            for (std::size_t i : order)
                m_out.order.push_back(m_out.nodes[i].id);
            return true;
        }
        std::vector<std::string> cycle;
        for (std::size_t i = 0; i < n; ++i)
            if (indegree[i] > 0)
                cycle.push_back(m_out.nodes[i].id);
        std::string list;
        for (const auto& id : cycle)
            list += (list.empty() ? "" : ", ") + id;
        for (std::size_t i = 0; i < n; ++i)
            if (indegree[i] > 0)
                nodeError(i, "is part of a cycle (" + list + "); a network must flow one way, remove one of those connections");
        return false;
    }

    void inferShapes() {
        for (const std::string& id : m_out.order) {
            const std::size_t i = m_index[id];
            NodeInfo& info = m_out.nodes[i];
            const LayerSpec* spec = m_specs[i];
            if (!info.error.empty() || !spec)
                continue;
            if (spec->type == "Input") {
                if (m_out.inputShape.empty()) {
                    nodeError(i, "no dataset is chosen, so the input shape is unknown; choose a dataset");
                    continue;
                }
                info.ok = true;
                info.outputShape = m_out.inputShape;
                continue;
            }
            std::vector<Shape> inputs;
            bool ready = true;
            for (const std::string& port : spec->inputPorts(m_params[i])) {
                const Edge* edge = nullptr;
                for (const Edge* e : m_graph.incoming(id))
                    if (e->to.port == port) {
                        edge = e;
                        break;
                    }
                if (!edge) {
                    nodeError(i, spec->maxInputs > 1 ? "input '" + port + "' is not connected; connect a layer to it or lower 'inputs'"
                                                     : "its input is not connected; connect a layer above it");
                    ready = false;
                    break;
                }
                const NodeInfo& src = m_out.nodes[m_index[edge->from.node]];
                if (!src.ok) {
                    info.error = id + ": waits for " + src.id + ", which has a problem";
                    ready = false;
                    break;
                }
                inputs.push_back(src.outputShape);
            }
            if (!ready)
                continue;
            ShapeResult r;
            try {
                r = spec->shapeRule(inputs, m_params[i]);
            } catch (const std::exception& e) {
                r.ok = false;
                r.error = std::string("internal error in shape rule: ") + e.what();
            }
            if (!r.ok) {
                nodeError(i, r.error);
                continue;
            }
            for (std::int64_t d : r.shape)
                if (d <= 0) {
                    r.ok = false;
                    break;
                }
            if (!r.ok) {
                nodeError(i, "its output would be empty (" + shapeToString(r.shape) +
                                 "); lower kernel_size or stride, or remove a pooling layer above it");
                continue;
            }
            info.ok = true;
            info.outputShape = r.shape;
            info.parameters = r.parameters;
            info.flops = r.flops;
        }
    }

    void checkOutputWidth() {
        if (m_out.outputNode.empty() || m_out.numClasses <= 0)
            return;
        const std::size_t i = m_index[m_out.outputNode];
        const NodeInfo& out = m_out.nodes[i];
        if (!out.ok || out.outputShape.size() != 1 || out.outputShape[0] == m_out.numClasses)
            return;
        std::string feeder;
        for (const Edge* e : m_graph.incoming(out.id))
            feeder = e->from.node;
        std::string fix = "set out_features of the last Linear layer to " + std::to_string(m_out.numClasses);
        if (const Node* f = m_graph.node(feeder); f && f->type == "Linear")
            fix = "set out_features of " + feeder + " to " + std::to_string(m_out.numClasses);
        nodeError(i, "gets " + std::to_string(out.outputShape[0]) + " scores but the dataset has " +
                         std::to_string(m_out.numClasses) + " classes; " + fix);
    }

    // A node that shares another's weights must be able to use them: same type, same settings, the
    // same input shape. Its parameters are the owner's, so they are counted once.
    void checkSharing() {
        for (std::size_t i = 0; i < m_out.nodes.size(); ++i) {
            if (!m_specs[i] || !m_params[i].is_object() || !m_params[i].contains("shares"))
                continue;
            const std::string owner = m_params[i]["shares"].get<std::string>();
            auto it = m_index.find(owner);
            if (it == m_index.end()) {
                nodeError(i, "shares the weights of '" + owner.substr(0, 40) + "', which is not a layer of this network");
                continue;
            }
            const std::size_t o = it->second;
            if (o == i) {
                nodeError(i, "cannot share its own weights; name another layer in 'shares' or remove it");
                continue;
            }
            if (!m_specs[o] || m_specs[o]->type != m_specs[i]->type) {
                nodeError(i, "shares the weights of " + owner + ", a " + m_out.nodes[o].type + ", but is a " +
                                 m_out.nodes[i].type + "; weights are shared between layers of one type");
                continue;
            }
            if (m_params[o].contains("shares")) {
                nodeError(i, "shares " + owner + ", which itself shares " + m_params[o]["shares"].get<std::string>() +
                                 "; share " + m_params[o]["shares"].get<std::string>() + " directly");
                continue;
            }
            std::string differs;
            for (auto p = m_params[o].begin(); p != m_params[o].end() && differs.empty(); ++p)
                if (m_params[i].contains(p.key()) && m_params[i][p.key()] != p.value())
                    differs = p.key();
            if (!differs.empty()) {
                nodeError(i, "shares the weights of " + owner + " but its " + differs + " is " +
                                 m_params[i][differs].dump() + " and " + owner + "'s is " + m_params[o][differs].dump() +
                                 "; give both the same settings");
                continue;
            }
            Shape mine, theirs;
            for (const Edge* e : m_graph.incoming(m_out.nodes[i].id))
                if (const NodeInfo* src = m_out.info(e->from.node); src && src->ok)
                    mine = src->outputShape;
            for (const Edge* e : m_graph.incoming(owner))
                if (const NodeInfo* src = m_out.info(e->from.node); src && src->ok)
                    theirs = src->outputShape;
            if (!mine.empty() && !theirs.empty() && mine != theirs) {
                nodeError(i, "gets " + shapeToString(mine) + " but " + owner + ", whose weights it shares, gets " +
                                 shapeToString(theirs) + "; shared weights need inputs of one shape");
                continue;
            }
            m_out.nodes[i].parameters = 0;
        }
    }

    // A ReconstructionLoss compares its input with the network's input image: same shape.
    void checkReconstructionTargets() {
        for (const std::string& id : m_out.lossNodes) {
            const std::size_t i = m_index[id];
            const NodeInfo& info = m_out.nodes[i];
            if (info.type != "ReconstructionLoss" || !info.ok || m_out.inputShape.empty())
                continue;
            Shape in;
            for (const Edge* e : m_graph.incoming(id))
                if (const NodeInfo* src = m_out.info(e->from.node); src && src->ok)
                    in = src->outputShape;
            if (in != m_out.inputShape) {
                m_out.nodes[i].ok = false;
                nodeError(i, "reconstructs " + shapeToString(in) + " but the images are " + shapeToString(m_out.inputShape) +
                                 "; make the decoder end in " + shapeToString(m_out.inputShape) +
                                 " (e.g. the last ConvTranspose2d's out_channels and stride)");
            }
        }
    }

    void checkUnused() {
        if (m_out.outputNode.empty() && m_out.lossNodes.empty())
            return;
        // Everything must lead to the Output (or a loss), or it is dead weight the user forgot.
        std::set<std::string> reaches(m_out.lossNodes.begin(), m_out.lossNodes.end());
        if (!m_out.outputNode.empty())
            reaches.insert(m_out.outputNode);
        for (auto it = m_out.order.rbegin(); it != m_out.order.rend(); ++it)
            for (const Edge* e : m_graph.outgoing(*it))
                if (reaches.count(e->to.node))
                    reaches.insert(*it);
        for (std::size_t i = 0; i < m_out.nodes.size(); ++i)
            if (!reaches.count(m_out.nodes[i].id) && m_out.nodes[i].error.empty())
                nodeError(i, m_out.outputNode.empty()   ? "its output does not reach a loss; connect it onward or delete it"
                             : m_out.lossNodes.empty() ? "its output does not reach the Output layer; connect it onward or delete it"
                                                       : "its output reaches neither the Output nor a loss; connect it onward or delete it");
    }

    void totals() {
        std::size_t biggest = 0;
        for (std::size_t i = 0; i < m_out.nodes.size(); ++i) {
            const NodeInfo& n = m_out.nodes[i];
            if (!n.ok)
                continue;
            m_out.totalParameters += n.parameters;
            m_out.totalFlops += n.flops;
            std::int64_t elems = 1;
            for (std::int64_t d : n.outputShape)
                elems *= d;
            m_out.activationBytes += 4 * elems;
            if (n.parameters > m_out.nodes[biggest].parameters)
                biggest = i;
        }
        if (m_out.totalParameters > kMaxParameters)
            nodeError(biggest, "the network would need " + gb(4 * m_out.totalParameters) + " of weights (" +
                                   std::to_string(m_out.totalParameters) + " parameters, most of them here); "
                                   "make this layer smaller or add pooling before it");
        if (m_out.activationBytes > kMaxActivationBytesPerImage)
            graphError("one image would need " + gb(m_out.activationBytes) +
                       " of activations; use fewer channels or more pooling");
    }

    const Graph& m_graph;
    GraphAnalysis& m_out;
    std::vector<Json> m_params;
    std::vector<const LayerSpec*> m_specs;
    std::map<std::string, std::size_t> m_index;
};

} // namespace

bool isLossType(const std::string& type) {
    return type == "KLDivergence" || type == "ReconstructionLoss" || type == "AdversarialLoss";
}

bool isGenerativeGraph(const Graph& graph) {
    bool output = false, loss = false;
    for (const Node& n : graph.nodes()) {
        output |= n.type == "Output";
        loss |= isLossType(n.type);
    }
    return loss && !output;
}

GraphAnalysis analyzeGraph(const Graph& graph, const Shape& inputShape, int numClasses) noexcept {
    GraphAnalysis out;
    try {
        Analyzer(graph, out).run(inputShape, numClasses);
    } catch (const std::exception& e) {
        out.problems.push_back({"", std::string("shape inference failed: ") + e.what()});
    }
    return out;
}

} // namespace nc
