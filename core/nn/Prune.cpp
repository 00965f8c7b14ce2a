// Structured channel pruning (nn/Prune.h).
//
// Pass 1 follows each convolution's output channels through the graph in execution order: layers
// that keep channels one-to-one (BatchNorm2d, elementwise activations, pooling, dropout) carry
// them on, Add joins the channel sets of its inputs into one (union-find), Flatten and global
// average pooling turn them into a Linear's columns. Anything else that reads them freezes the
// set. Pass 2 ranks each free set by the L1 norms of its producers' filters, keeps the best, and
// slices every tensor that touches the set.
#include "nn/Prune.h"
#include "nn/GraphNet.h"
#include "nn/Quantize.h"

#include "graph/ShapeInference.h"
#include "util/Error.h"

#include <algorithm>
#include <cstring>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace nc {

namespace {

struct Sets {
    std::vector<int> parent;
    int make() {
        parent.push_back(int(parent.size()));
        return parent.back();
    }
    int find(int i) {
        while (parent[std::size_t(i)] != i)
            i = parent[std::size_t(i)] = parent[std::size_t(parent[std::size_t(i)])];
        return i;
    }
    void unite(int a, int b) {
        a = find(a);
        b = find(b);
        if (a != b)
            parent[std::size_t(std::max(a, b))] = std::min(a, b);
    }
};

// What a node's output holds, as far as pruning is concerned: the channels of set `set` (-1: none
// that can be pruned); `flat` when they have become a feature vector of `hw` columns per channel.
struct Value {
    int set = -1;
    bool flat = false;
    std::int64_t hw = 1;
};

bool elementwise(const std::string& t) {
    return t == "ReLU" || t == "LeakyReLU" || t == "ELU" || t == "GELU" || t == "SiLU" || t == "Sigmoid" || t == "Tanh";
}
bool keepsChannels(const std::string& t) {
    return elementwise(t) || t == "BatchNorm2d" || t == "MaxPool2d" || t == "AvgPool2d" || t == "Dropout" ||
           t == "Dropout2d";
}
bool keepsFeatures(const std::string& t) { return elementwise(t) || t == "Dropout" || t == "BatchNorm1d"; }

std::int64_t intParam(const Node& n, const char* key, std::int64_t fallback) {
    const auto it = n.params.find(key);
    return it != n.params.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}

} // namespace

Model pruneChannels(const Model& model, const PruneOptions& options, PruneReport* report) {
    if (isQuantized(model))
        throw Error("the model is quantised; prune the float model, then quantise the result");
    if (!(options.keepFraction > 0.0 && options.keepFraction <= 1.0))
        throw Error("the share of channels to keep must be above 0 and at most 1");
    const Graph& graph = model.graph();
    const Shape in = model.inputShape();
    const int classes = int(model.classNames().size());
    const GraphAnalysis before = analyzeGraph(graph, in, classes);
    if (!before.valid())
        throw Error("the model's graph does not validate: " + before.problems.front().message);

    // Pass 1: channel sets.
    Sets sets;
    std::map<std::string, Value> values;
    std::map<int, std::vector<std::string>> producers; // set -> the convolutions that make it
    std::map<std::string, int> ownSet;                  // convolution -> its output set
    std::map<int, std::string> frozen;                  // set -> why it stays whole
    auto inputsOf = [&](const std::string& id) {
        std::vector<Value> v;
        for (const Edge* e : graph.incoming(id))
            v.push_back(values[e->from.node]);
        return v;
    };
    auto freeze = [&](const Value& v, const Node& by) {
        if (v.set >= 0 && !frozen.count(v.set))
            frozen[v.set] = "its channels reach " + by.id + " (" + by.type + ")";
    };
    for (const std::string& id : before.order) {
        const Node& n = *graph.node(id);
        const std::string& t = n.type;
        const std::vector<Value> ins = inputsOf(id);
        Value out;
        if (t == "Conv2d") {
            const bool plain = intParam(n, "groups", 1) == 1;
            for (const Value& v : ins)
                if (!plain || v.flat)
                    freeze(v, n);
            if (plain) {
                out.set = sets.make();
                producers[out.set].push_back(id);
                ownSet[id] = out.set;
            }
        } else if (ins.size() == 1 && !ins[0].flat && keepsChannels(t)) {
            out = ins[0];
        } else if (ins.size() == 1 && ins[0].flat && keepsFeatures(t)) {
            out = ins[0];
        } else if ((t == "Flatten" || t == "GlobalAvgPool2d") && ins.size() == 1 && !ins[0].flat && ins[0].set >= 0) {
            const Shape& s = before.info(graph.incoming(id).front()->from.node)->outputShape;
            out = {ins[0].set, true, t == "Flatten" && s.size() == 3 ? s[1] * s[2] : 1};
        } else if (t == "Add" && !ins.empty()) {
            const bool joinable = std::all_of(ins.begin(), ins.end(), [](const Value& v) { return v.set >= 0 && !v.flat; });
            if (joinable) {
                for (const Value& v : ins)
                    sets.unite(ins[0].set, v.set);
                out = ins[0];
                if (!options.residual && !frozen.count(ins[0].set))
                    frozen[ins[0].set] = "a residual stream: its channels meet in " + id +
                                         "; kept whole unless residual streams are pruned too";
            } else {
                for (const Value& v : ins)
                    if (v.set >= 0 && !frozen.count(v.set))
                        frozen[v.set] = "it is added to something that cannot be pruned with it (" + id + ")";
            }
        } else if (t == "Linear" && ins.size() == 1 && ins[0].flat) {
            // reads the features as columns: sliced in pass 2
        } else {
            for (const Value& v : ins)
                freeze(v, n);
        }
        values[id] = out;
    }
    std::map<int, std::string> frozenRoots;
    for (const auto& [set, why] : frozen)
        frozenRoots.emplace(sets.find(set), why);

    // Pass 2: rank each free set and keep the best channels.
    torch::NoGradGuard noGrad;
    const ModelImpl& src = model.impl();
    const auto params = src.net->named_parameters(true);
    const auto buffers = src.net->named_buffers(true);
    std::map<int, std::vector<std::int64_t>> keep; // root set -> kept channels, ascending
    std::map<int, std::vector<std::string>> members;
    for (const auto& [set, convs] : producers)
        for (const std::string& c : convs)
            members[sets.find(set)].push_back(c);
    PruneReport r;
    for (const auto& [root, convs] : members) {
        if (frozenRoots.count(root)) {
            for (const std::string& c : convs)
                r.kept.push_back(c + " (" + frozenRoots[root] + ")");
            continue;
        }
        torch::Tensor score;
        for (const std::string& c : convs) {
            // L1 norm of each filter (Li et al., "Pruning Filters for Efficient ConvNets"). Weighting
            // it by a following BatchNorm's |gamma| / sigma was tried: resnet-mini fine-tuned to
            // 0.8808 against 0.8911 with the plain norm (docs/DECISIONS.md).
            const torch::Tensor l1 = params[c + ".weight"].detach().abs().sum({1, 2, 3}).to(torch::kDouble);
            const torch::Tensor part = l1 / l1.mean().clamp_min(1e-12); // each producer counts alike
            score = score.defined() ? score + part : part;
        }
        const std::int64_t channels = score.size(0);
        const std::int64_t n = std::max<std::int64_t>(1, std::llround(options.keepFraction * double(channels)));
        if (n >= channels) {
            for (const std::string& c : convs)
                r.kept.push_back(c + " (keeping " + std::to_string(n) + " of " + std::to_string(channels) + " is all of them)");
            continue;
        }
        const torch::Tensor best = std::get<0>(std::get<1>(score.topk(n)).sort()).contiguous();
        std::vector<std::int64_t> k(best.data_ptr<std::int64_t>(), best.data_ptr<std::int64_t>() + n);
        keep[root] = k;
        for (const std::string& c : convs)
            r.pruned.push_back(c + ": " + std::to_string(channels) + " -> " + std::to_string(n) + " channels");
    }
    if (keep.empty())
        throw Error("no convolution of this model can be pruned" +
                    (r.kept.empty() ? std::string(" (it has none)") : ": " + r.kept.front()));

    // The kept indices along a value's channel (or feature) axis; empty = all of them.
    auto keptOf = [&](const Value& v) -> std::vector<std::int64_t> {
        if (v.set < 0)
            return {};
        const auto it = keep.find(sets.find(v.set));
        if (it == keep.end())
            return {};
        if (!v.flat || v.hw == 1)
            return it->second;
        std::vector<std::int64_t> cols;
        for (std::int64_t c : it->second)
            for (std::int64_t j = 0; j < v.hw; ++j)
                cols.push_back(c * v.hw + j);
        return cols;
    };
    auto index = [](const std::vector<std::int64_t>& k) {
        return torch::tensor(k, torch::TensorOptions().dtype(torch::kLong));
    };
    Graph smaller = graph;
    std::map<std::string, torch::Tensor> sliced;
    for (const std::string& id : before.order) {
        const Node& n = *graph.node(id);
        const std::vector<Value> ins = inputsOf(id);
        const std::vector<std::int64_t> inKeep = ins.size() == 1 ? keptOf(ins[0]) : std::vector<std::int64_t>{};
        if (n.type == "Conv2d") {
            torch::Tensor w = params[id + ".weight"].detach();
            const auto own = ownSet.find(id);
            const std::vector<std::int64_t> outKeep = own != ownSet.end() ? keptOf(Value{own->second}) : std::vector<std::int64_t>{};
            if (!outKeep.empty()) {
                w = w.index_select(0, index(outKeep));
                if (params.contains(id + ".bias"))
                    sliced[id + ".bias"] = params[id + ".bias"].detach().index_select(0, index(outKeep));
                smaller.node(id)->params["out_channels"] = std::int64_t(outKeep.size());
            }
            if (!inKeep.empty())
                w = w.index_select(1, index(inKeep));
            if (!outKeep.empty() || !inKeep.empty())
                sliced[id + ".weight"] = w;
        } else if ((n.type == "BatchNorm2d" || n.type == "BatchNorm1d") && !inKeep.empty()) {
            for (const char* k : {".weight", ".bias"})
                if (params.contains(id + k))
                    sliced[id + k] = params[id + k].detach().index_select(0, index(inKeep));
            for (const char* k : {".running_mean", ".running_var"})
                if (buffers.contains(id + k))
                    sliced[id + k] = buffers[id + k].index_select(0, index(inKeep));
        } else if (n.type == "Linear" && !inKeep.empty()) {
            sliced[id + ".weight"] = params[id + ".weight"].detach().index_select(1, index(inKeep));
        }
    }

    const GraphAnalysis after = analyzeGraph(smaller, in, classes);
    if (!after.valid()) // a bug in the passes above, never the user's graph
        throw Error("pruning made a graph that does not validate: " + after.problems.front().message);
    DatasetInfo info;
    info.channels = in[0];
    info.height = in[1];
    info.width = in[2];
    info.classNames = model.classNames();
    Model out = Model::compile(smaller, info, 0);
    ModelImpl& m = out.impl();
    m.normalization = src.normalization;
    m.appearance = src.appearance;
    m.metadata = src.metadata;
    std::vector<std::pair<std::string, torch::Tensor>> state;
    for (const auto& p : src.net->named_parameters())
        state.emplace_back(p.key(), sliced.count(p.key()) ? sliced[p.key()] : p.value().detach());
    for (const auto& b : src.net->named_buffers())
        state.emplace_back(b.key(), sliced.count(b.key()) ? sliced[b.key()] : b.value());
    loadState(*m.net, state, "the pruned model");
    m.net->eval();

    r.parametersBefore = before.totalParameters;
    r.parametersAfter = after.totalParameters;
    r.flopsBefore = before.totalFlops;
    r.flopsAfter = after.totalFlops;
    if (report)
        *report = r;
    return out;
}

} // namespace nc

namespace nc {

int recalibrateBatchNorm(Model& model, const Dataset& data, int images, int batchSize) {
    GraphNetImpl& net = *model.impl().net;
    std::vector<torch::nn::Module*> norms;
    for (const auto& m : net.modules(false))
        if (dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get()) || dynamic_cast<torch::nn::BatchNorm1dImpl*>(m.get()))
            norms.push_back(m.get());
    if (norms.empty() || data.size() == 0)
        return 0;
    torch::NoGradGuard noGrad;
    // A cumulative average over the batches (momentum unset), from fresh statistics.
    std::vector<c10::optional<double>> momenta;
    for (torch::nn::Module* m : norms) {
        if (auto* b = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m)) {
            momenta.push_back(b->options.momentum());
            b->options.momentum(c10::nullopt);
            b->reset_running_stats();
        } else if (auto* b1 = dynamic_cast<torch::nn::BatchNorm1dImpl*>(m)) {
            momenta.push_back(b1->options.momentum());
            b1->options.momentum(c10::nullopt);
            b1->reset_running_stats();
        }
    }
    net.train();
    const std::int64_t count = std::min<std::int64_t>(images, data.size());
    for (std::int64_t start = 0; start < count; start += batchSize)
        net.forward(spreadBatch(data, start, std::min<std::int64_t>(batchSize, count - start), count,
                                model.impl().normalization));
    net.eval();
    std::size_t i = 0;
    for (torch::nn::Module* m : norms) {
        if (auto* b = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m))
            b->options.momentum(momenta[i]);
        else if (auto* b1 = dynamic_cast<torch::nn::BatchNorm1dImpl*>(m))
            b1->options.momentum(momenta[i]);
        ++i;
    }
    return int(count);
}

} // namespace nc

namespace nc {

struct MagnitudePruner::Impl {
    std::vector<std::pair<torch::Tensor, torch::Tensor>> weightsAndMasks; // mask: 1 keeps, 0 prunes
    std::vector<std::string> names;
    std::int64_t pruned = 0, total = 0;
};

MagnitudePruner::MagnitudePruner(Model& model, double sparsity) : d(std::make_unique<Impl>()) {
    if (isQuantized(model))
        throw Error("the model is quantised; prune the float model, then quantise the result");
    if (!(sparsity >= 0.0 && sparsity < 1.0))
        throw Error("the sparsity must be at least 0 and below 1");
    torch::NoGradGuard noGrad;
    const Graph& graph = model.graph();
    auto params = model.impl().net->named_parameters(true);
    for (const Node& n : graph.nodes()) {
        if (n.type != "Conv2d" && n.type != "Linear")
            continue;
        const std::string name = n.id + ".weight";
        if (!params.contains(name))
            continue;
        torch::Tensor w = params[name];
        const std::int64_t count = w.numel(), k = std::int64_t(std::floor(sparsity * double(count)));
        torch::Tensor mask = torch::ones_like(w);
        if (k > 0) {
            // the k smallest magnitudes (ties broken by position, so exactly k)
            const torch::Tensor order = w.detach().abs().flatten().argsort();
            mask.view({-1}).index_fill_(0, order.slice(0, 0, k), 0.0);
        }
        w.mul_(mask);
        d->weightsAndMasks.emplace_back(w, mask);
        d->names.push_back(name);
        d->pruned += k;
        d->total += count;
    }
    if (d->names.empty())
        throw Error("the model has no convolution or Linear weights to prune");
}

MagnitudePruner::~MagnitudePruner() = default;

void MagnitudePruner::reapply() {
    torch::NoGradGuard noGrad;
    for (auto& [w, mask] : d->weightsAndMasks)
        w.mul_(mask);
}

double MagnitudePruner::sparsity() const { return d->total ? double(d->pruned) / double(d->total) : 0.0; }
std::int64_t MagnitudePruner::prunedEntries() const { return d->pruned; }
std::vector<std::string> MagnitudePruner::layers() const { return d->names; }

} // namespace nc
