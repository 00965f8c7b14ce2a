#include "nn/GraphNet.h"

#include <limits>

#include "util/Error.h"

#include <cstring>
#include <map>

namespace nc {

namespace {
using Tensors = std::vector<torch::Tensor>;
using Fn = std::function<torch::Tensor(const Tensors&)>;

std::int64_t geti(const Json& p, const char* key) { return p.at(key).get<std::int64_t>(); }
double getd(const Json& p, const char* key) { return p.at(key).get<double>(); }

// Max pooling. Without autograd (evaluation, Inspect's predictions, serving) a large input takes
// the maximum of k strided views along the width, then k along the height: exact, NaN-propagating
// like max_pool2d, and 3-40x faster than LibTorch 1.13's CPU max_pool2d, which always computes
// the indices and does not vectorise over NCHW (keras-cnn batch 32: 4.0 ms -> 0.36 ms for its first
// pool). Training keeps max_pool2d: its backward routes each window's gradient to one element.
torch::Tensor maxPool2d(const torch::Tensor& input, std::int64_t k, std::int64_t s, std::int64_t pad) {
    if ((torch::GradMode::is_enabled() && input.requires_grad()) || input.dim() != 4 || input.numel() < 8192 ||
        !input.is_floating_point())
        return torch::max_pool2d(input, {k, k}, {s, s}, {pad, pad});
    using torch::indexing::Slice;
    const torch::Tensor x =
        pad > 0 ? torch::constant_pad_nd(input, {pad, pad, pad, pad}, -std::numeric_limits<double>::infinity()) : input;
    const std::int64_t oh = (x.size(2) - k) / s + 1, ow = (x.size(3) - k) / s + 1;
    if (oh <= 0 || ow <= 0)
        return torch::max_pool2d(input, {k, k}, {s, s}, {pad, pad});  // its own message for a window too big
    torch::Tensor rows = x.index({Slice(), Slice(), Slice(), Slice(0, (ow - 1) * s + 1, s)});
    for (std::int64_t j = 1; j < k; ++j)
        rows = torch::maximum(rows, x.index({Slice(), Slice(), Slice(), Slice(j, j + (ow - 1) * s + 1, s)}));
    torch::Tensor out = rows.index({Slice(), Slice(), Slice(0, (oh - 1) * s + 1, s)});
    for (std::int64_t i = 1; i < k; ++i)
        out = torch::maximum(out, rows.index({Slice(), Slice(), Slice(i, i + (oh - 1) * s + 1, s)}));
    return out;
}

// The module registered under `name`, made by `make` the first time: a node that shares another's
// weights ("shares") gets the owner's module, whichever of the two is built first.
template <typename Holder, typename Make>
std::shared_ptr<typename Holder::Impl> moduleFor(GraphNetImpl& net, const std::string& name, Make make) {
    const auto children = net.named_children();
    if (const auto* existing = children.find(name))
        return std::dynamic_pointer_cast<typename Holder::Impl>(*existing);
    return net.register_module(name, make());
}

// Builds the function for one node, registering its trainable submodule under the node id (or
// the id of the node whose weights it shares).
Fn makeStep(GraphNetImpl& net, const Node& node, const Json& p, const Shape& in) {
    const std::string& t = node.type;
    const std::string owner = p.contains("shares") ? p.at("shares").get<std::string>() : node.id;
    if (t == "Input" || t == "Output" || t == "Flatten") {
        if (t == "Flatten")
            return [](const Tensors& x) { return x[0].flatten(1); };
        return [](const Tensors& x) { return x[0]; };
    }
    if (t == "Conv2d") {
        auto o = torch::nn::Conv2dOptions(in.at(0), geti(p, "out_channels"), geti(p, "kernel_size"))
                     .stride(geti(p, "stride"))
                     .dilation(geti(p, "dilation"))
                     .groups(geti(p, "groups"))
                     .bias(p.at("bias").get<bool>());
        if (p.at("padding").is_string())
            o.padding(torch::kSame);
        else
            o.padding(geti(p, "padding"));
        auto m = moduleFor<torch::nn::Conv2d>(net, owner, [&] { return torch::nn::Conv2d(o); });
        return [m](const Tensors& x) { return m->forward(x[0]); };
    }
    if (t == "ConvTranspose2d") {
        auto m = moduleFor<torch::nn::ConvTranspose2d>(net, owner, [&] { return torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(in.at(0), geti(p, "out_channels"), geti(p, "kernel_size"))
                                                    .stride(geti(p, "stride"))
                                                    .padding(geti(p, "padding"))
                                                    .output_padding(geti(p, "output_padding"))
                                                    .bias(p.at("bias").get<bool>())); });
        return [m](const Tensors& x) { return m->forward(x[0]); };
    }
    if (t == "Upsample") {
        const std::int64_t scale = geti(p, "scale");
        const bool bilinear = p.at("mode") == "bilinear";
        return [scale, bilinear](const Tensors& x) {
            const std::vector<std::int64_t> size{x[0].size(2) * scale, x[0].size(3) * scale};
            return bilinear ? torch::upsample_bilinear2d(x[0], size, false) : torch::upsample_nearest2d(x[0], size);
        };
    }
    if (t == "Unflatten") {
        const std::int64_t c = geti(p, "channels"), h = geti(p, "height"), w = geti(p, "width");
        return [=](const Tensors& x) { return x[0].reshape({x[0].size(0), c, h, w}); };
    }
    if (t == "MaxPool2d" || t == "AvgPool2d") {
        const std::int64_t k = geti(p, "kernel_size"), pad = geti(p, "padding");
        const std::int64_t s = geti(p, "stride") == 0 ? k : geti(p, "stride");
        if (t == "MaxPool2d")
            return [=](const Tensors& x) { return maxPool2d(x[0], k, s, pad); };
        return [=](const Tensors& x) { return torch::avg_pool2d(x[0], {k, k}, {s, s}, {pad, pad}); };
    }
    if (t == "GlobalAvgPool2d")
        return [](const Tensors& x) { return x[0].mean({2, 3}); };
    if (t == "BatchNorm2d") {
        auto m = moduleFor<torch::nn::BatchNorm2d>(net, owner, [&] { return torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(in.at(0)).momentum(getd(p, "momentum")).eps(getd(p, "eps"))); });
        return [m](const Tensors& x) { return m->forward(x[0]); };
    }
    if (t == "BatchNorm1d") {
        auto m = moduleFor<torch::nn::BatchNorm1d>(net, owner, [&] { return torch::nn::BatchNorm1d(torch::nn::BatchNorm1dOptions(in.at(0)).momentum(getd(p, "momentum")).eps(getd(p, "eps"))); });
        return [m](const Tensors& x) { return m->forward(x[0]); };
    }
    if (t == "Dropout" || t == "Dropout2d") {
        const double prob = getd(p, "p");
        const bool channels = t == "Dropout2d";
        return [&net, prob, channels](const Tensors& x) {
            return channels ? torch::feature_dropout(x[0], prob, net.is_training())
                            : torch::dropout(x[0], prob, net.is_training());
        };
    }
    if (t == "ReLU")
        return [](const Tensors& x) { return torch::relu(x[0]); };
    if (t == "LeakyReLU") {
        const double slope = getd(p, "negative_slope");
        return [slope](const Tensors& x) { return torch::leaky_relu(x[0], slope); };
    }
    if (t == "ELU") {
        const double alpha = getd(p, "alpha");
        return [alpha](const Tensors& x) { return torch::elu(x[0], alpha); };
    }
    if (t == "GELU")
        return [](const Tensors& x) { return torch::gelu(x[0]); };
    if (t == "SiLU")
        return [](const Tensors& x) { return torch::silu(x[0]); };
    if (t == "Sigmoid")
        return [](const Tensors& x) { return torch::sigmoid(x[0]); };
    if (t == "Tanh")
        return [](const Tensors& x) { return torch::tanh(x[0]); };
    if (t == "Softmax")
        // In fp32 under bf16 autocast too (issue 20: softmax, loss and optimizer state stay fp32).
        return [](const Tensors& x) { return torch::softmax(x[0], 1, torch::kFloat32); };
    if (t == "Linear") {
        auto m = moduleFor<torch::nn::Linear>(net, owner, [&] { return torch::nn::Linear(torch::nn::LinearOptions(in.at(0), geti(p, "out_features")).bias(p.at("bias").get<bool>())); });
        return [m](const Tensors& x) { return m->forward(x[0]); };
    }
    if (t == "RowsToSequence") // [N, C, H, W] -> [N, H, C·W]: one step per row
        return [](const Tensors& x) { return x[0].permute({0, 2, 1, 3}).flatten(2); };
    if (t == "LSTM" || t == "GRU") {
        const std::int64_t hidden = geti(p, "hidden_size"), layers = geti(p, "layers");
        const bool bidirectional = p.at("bidirectional").get<bool>(), all = p.at("output") == "all";
        const std::int64_t dirs = bidirectional ? 2 : 1;
        // "last" is the final hidden state of the top layer (both directions, forward first), not
        // the last step's output: for the backward direction that would have read one step only.
        auto last = [=](const torch::Tensor& h) {
            return h.slice(0, layers * dirs - dirs).permute({1, 0, 2}).reshape({h.size(1), dirs * hidden});
        };
        // Recurrent layers run in fp32 (their inputs are cast; autocast picks its own precision).
        if (t == "LSTM") {
            auto m = moduleFor<torch::nn::LSTM>(net, owner, [&] { return torch::nn::LSTM(torch::nn::LSTMOptions(in.at(1), hidden)
                                                                      .num_layers(layers)
                                                                      .bidirectional(bidirectional)
                                                                      .batch_first(true)); });
            return [m, all, last](const Tensors& x) {
                auto [out, state] = m->forward(x[0].to(torch::kFloat32));
                return all ? out : last(std::get<0>(state));
            };
        }
        auto m = moduleFor<torch::nn::GRU>(net, owner, [&] { return torch::nn::GRU(torch::nn::GRUOptions(in.at(1), hidden)
                                                                 .num_layers(layers)
                                                                 .bidirectional(bidirectional)
                                                                 .batch_first(true)); });
        return [m, all, last](const Tensors& x) {
            auto [out, h] = m->forward(x[0].to(torch::kFloat32));
            return all ? out : last(h);
        };
    }
    if (t == "Add")
        return [](const Tensors& x) {
            torch::Tensor sum = x[0] + x[1];
            for (std::size_t i = 2; i < x.size(); ++i)
                sum = sum + x[i];
            return sum;
        };
    if (t == "Concat")
        return [](const Tensors& x) { return torch::cat(x, 1); };
    if (t == "Reparameterize") {
        const GraphNetImpl* self = &net; // the module owns its steps, so it outlives them
        return [self](const Tensors& x) {
            if (!self->is_training())
                return x[0];
            return x[0] + torch::exp(0.5 * x[1]) * torch::randn_like(x[0]);
        };
    }
    if (t == "Detach")
        return [](const Tensors& x) { return x[0].detach(); };
    if (t == "LatentInput") { // x[0] is the network input: only its batch size is read
        const std::int64_t dim = geti(p, "dim");
        const bool normal = p.at("distribution") == "normal";
        return [dim, normal](const Tensors& x) {
            const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(x[0].device());
            return normal ? torch::randn({x[0].size(0), dim}, opts) : torch::rand({x[0].size(0), dim}, opts) * 2 - 1;
        };
    }
    if (t == "AdversarialLoss") {
        const bool real = p.at("target") == "real";
        const std::string loss = p.at("loss");
        return [real, loss](const Tensors& x) {
            const torch::Tensor d = x[0].to(torch::kFloat32).flatten(1).sum(1); // one score per image
            if (loss == "least_squares")
                return 0.5 * (real ? (d - 1).pow(2) : d.pow(2));
            if (loss == "hinge")
                return torch::relu(real ? 1 - d : 1 + d);
            return torch::softplus(real ? -d : d); // -log σ(d) or -log(1 - σ(d))
        };
    }
    // Loss nodes give one value per image [B], in fp32, unweighted (the trainer applies β).
    if (t == "KLDivergence")
        return [](const Tensors& x) {
            const torch::Tensor mu = x[0].to(torch::kFloat32), logvar = x[1].to(torch::kFloat32);
            return -0.5 * (1 + logvar - mu * mu - torch::exp(logvar)).sum(1);
        };
    if (t == "ReconstructionLoss") {
        const bool bce = p.at("loss") == "bce_logits";
        return [bce](const Tensors& x) { // x[1] is the target: the input image, pixels in [0, 1]
            const torch::Tensor y = x[0].to(torch::kFloat32);
            const torch::Tensor per = bce ? torch::binary_cross_entropy_with_logits(y, x[1], {}, {}, at::Reduction::None)
                                          : (y - x[1]).pow(2);
            return per.flatten(1).sum(1);
        };
    }
    throw Error(node.id + ": layer type " + t + " cannot be compiled yet");
}
} // namespace

bool graphCompilerSupports(const std::string& type) {
    static const char* const kTypes[] = {"Input", "Output", "Flatten", "Conv2d", "MaxPool2d", "AvgPool2d",
                                         "GlobalAvgPool2d", "BatchNorm2d", "BatchNorm1d", "Dropout", "Dropout2d",
                                         "ReLU", "LeakyReLU", "ELU", "GELU", "SiLU", "Sigmoid", "Tanh", "Softmax",
                                         "Linear", "Add", "Concat", "RowsToSequence", "LSTM", "GRU",
                                         "ConvTranspose2d", "Upsample", "Unflatten", "Reparameterize",
                                         "Detach", "KLDivergence", "ReconstructionLoss", "LatentInput",
                                         "AdversarialLoss"};
    for (const char* k : kTypes)
        if (type == k)
            return true;
    return false;
}

GraphNetImpl::GraphNetImpl(const Graph& graph, const GraphAnalysis& analysis) {
    const auto& reg = LayerRegistry::instance();
    std::map<std::string, int> stepOf;
    for (const std::string& id : analysis.order) {
        const Node& node = *graph.node(id);
        const LayerSpec& spec = *reg.find(node.type);
        Json params;
        reg.normalizeParams(spec, node.params, params);
        Step step;
        step.id = id;
        Shape inShape;
        if (spec.type == "Input" || spec.type == "LatentInput") {
            step.inputs.push_back(-1);
        } else {
            for (const std::string& port : spec.inputPorts(params))
                for (const Edge* e : graph.incoming(id))
                    if (e->to.port == port) {
                        step.inputs.push_back(stepOf.at(e->from.node));
                        if (inShape.empty())
                            inShape = analysis.info(e->from.node)->outputShape;
                    }
        }
        if (spec.type == "ReconstructionLoss")
            step.inputs.push_back(-2);
        step.loss = isLossType(spec.type);
        step.run = makeStep(*this, node, params, inShape);
        stepOf[id] = static_cast<int>(m_steps.size());
        m_steps.push_back(std::move(step));
    }
    m_uses.assign(m_steps.size(), 0);
    for (const Step& s : m_steps)
        for (int i : s.inputs)
            if (i >= 0)
                ++m_uses[static_cast<std::size_t>(i)];
    m_outputNode = analysis.outputNode;
}

torch::Tensor GraphNetImpl::run(const torch::Tensor& x, const torch::Tensor& target, const std::string& replaceId,
                                const torch::Tensor& replacement, const Visit& visit, const std::vector<bool>* mask) {
    std::vector<torch::Tensor> values(m_steps.size());
    std::vector<int> left = m_uses;
    Tensors args;
    torch::Tensor out;
    for (std::size_t i = 0; i < m_steps.size(); ++i) {
        const Step& step = m_steps[i];
        if (mask && !(*mask)[i])
            continue;
        args.clear();
        bool ready = true;
        for (int j : step.inputs) {
            args.push_back(j == -1 ? x : j == -2 ? target : values[static_cast<std::size_t>(j)]);
            ready = ready && args.back().defined();
        }
        if (!replaceId.empty() && step.id == replaceId)
            values[i] = replacement;
        else if (ready)
            values[i] = step.run(args);
        if (visit && values[i].defined())
            visit(step.id, values[i]);
        // Release inputs nobody else reads; autograd keeps what backward needs by itself.
        for (int j : step.inputs)
            if (j >= 0 && --left[static_cast<std::size_t>(j)] == 0)
                values[static_cast<std::size_t>(j)] = torch::Tensor();
        if (step.id == m_outputNode)
            out = values[i];
    }
    return out;
}

torch::Tensor GraphNetImpl::forwardVisiting(const torch::Tensor& x, const Visit& visit) {
    return run(x, torch::Tensor(), std::string(), torch::Tensor(), visit);
}

torch::Tensor GraphNetImpl::forward(const torch::Tensor& x) { return forwardVisiting(x, nullptr); }

std::vector<std::pair<std::string, torch::Tensor>> GraphNetImpl::lossValues(const torch::Tensor& x,
                                                                            const torch::Tensor& target,
                                                                            const std::vector<bool>* mask) {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    std::size_t k = 0;
    run(x, target, std::string(), torch::Tensor(), [&](const std::string& id, const torch::Tensor& v) {
        while (k < m_steps.size() && m_steps[k].id != id)
            ++k;
        if (k < m_steps.size() && m_steps[k].loss)
            out.emplace_back(id, v);
    }, mask);
    return out;
}

std::vector<bool> GraphNetImpl::stepsFor(const std::vector<std::string>& nodeIds) const {
    std::vector<bool> need(m_steps.size(), false);
    for (std::size_t i = 0; i < m_steps.size(); ++i)
        for (const std::string& id : nodeIds)
            if (m_steps[i].id == id)
                need[i] = true;
    for (std::size_t i = m_steps.size(); i-- > 0;) // inputs come before their consumers
        if (need[i])
            for (int j : m_steps[i].inputs)
                if (j >= 0)
                    need[static_cast<std::size_t>(j)] = true;
    return need;
}

std::string GraphNetImpl::firstNonFiniteNode(const torch::Tensor& x) {
    torch::NoGradGuard noGrad;
    std::string first;
    forwardVisiting(x, [&](const std::string& id, const torch::Tensor& v) {
        if (first.empty() && !torch::isfinite(v).all().item<bool>())
            first = id;
    });
    if (!first.empty())
        return first;
    // The input was fine all the way through: blame the first layer whose weights are broken.
    for (const auto& item : named_parameters())
        if (!torch::isfinite(item.value()).all().item<bool>())
            return item.key().substr(0, item.key().find('.'));
    return {};
}

std::vector<std::pair<std::string, double>> GraphNetImpl::activationMagnitudes(const torch::Tensor& x) {
    torch::NoGradGuard noGrad;
    std::vector<std::pair<std::string, double>> out;
    forwardVisiting(x, [&](const std::string& id, const torch::Tensor& v) {
        if (!v.is_floating_point() || v.numel() == 0)
            return;
        const torch::Tensor f = v.to(torch::kFloat32);
        const double m = torch::isfinite(f).all().item<bool>() ? f.abs().max().item<double>()
                                                                : std::numeric_limits<double>::infinity();
        out.emplace_back(id, m);
    });
    return out;
}

torch::Tensor normalizeBatch(const torch::Tensor& u8, const Normalization& n) {
    const std::int64_t c = u8.size(1);
    std::vector<float> scale(static_cast<std::size_t>(c)), shift(static_cast<std::size_t>(c));
    for (std::int64_t i = 0; i < c; ++i) {
        const float mean = i < std::int64_t(n.mean.size()) ? n.mean[i] : 0.f;
        const float sd = i < std::int64_t(n.std.size()) && n.std[i] > 0 ? n.std[i] : 1.f;
        scale[i] = 1.f / (255.f * sd);
        shift[i] = -mean / sd;
    }
    auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(u8.device());
    auto s = torch::from_blob(scale.data(), {1, c, 1, 1}, torch::kFloat32).to(opts.device(), false, true);
    auto b = torch::from_blob(shift.data(), {1, c, 1, 1}, torch::kFloat32).to(opts.device(), false, true);
    return torch::addcmul(b, u8.to(opts), s);
}

torch::Tensor spreadBatch(const Dataset& data, std::int64_t start, std::int64_t b, std::int64_t count,
                          const Normalization& n) {
    const std::int64_t per = data.channels * data.height * data.width;
    torch::Tensor u8 = torch::empty({b, data.channels, data.height, data.width}, torch::kUInt8);
    std::vector<std::uint8_t> scratch;
    for (std::int64_t j = 0; j < b; ++j) {
        const std::int64_t index = (start + j) * data.size() / count; // evenly across the split
        std::memcpy(u8.data_ptr<std::uint8_t>() + j * per, data.imagesAt(index, 1, scratch), static_cast<std::size_t>(per));
    }
    return normalizeBatch(u8, n);
}

// ---- Model ----

namespace {
void requireClassifier(const ModelImpl& m) {
    if (m.net->outputNode().empty())
        throw Error("this is a generative model (its network ends in loss nodes, not an Output layer): it gives "
                    "no class scores; use `neuralcanvas-cli generate` to sample or reconstruct images");
}
} // namespace

Model::Model(std::unique_ptr<ModelImpl> impl) : d(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

Model Model::compile(const Graph& graph, const DatasetInfo& info, std::uint64_t seed) {
    const Shape input{info.channels, info.height, info.width};
    const GraphAnalysis analysis = analyzeGraph(graph, input, static_cast<int>(info.classNames.size()));
    if (!analysis.valid()) {
        std::string msg = "the network cannot be built:";
        for (const Problem& p : analysis.problems)
            msg += "\n  " + p.message;
        throw Error(msg);
    }
    for (const Node& n : graph.nodes())
        if (!graphCompilerSupports(n.type))
            throw Error(n.id + ": layer type " + n.type + " cannot be compiled yet");
    auto impl = std::make_unique<ModelImpl>();
    impl->graph = graph;
    impl->inputShape = input;
    impl->classNames = info.classNames;
    impl->normalization.mean.assign(static_cast<std::size_t>(info.channels), 0.f);
    impl->normalization.std.assign(static_cast<std::size_t>(info.channels), 1.f);
    torch::manual_seed(seed);
    impl->net = GraphNet(graph, analysis);
    return Model(std::move(impl));
}

const Graph& Model::graph() const { return d->graph; }
const Shape& Model::inputShape() const { return d->inputShape; }
const std::vector<std::string>& Model::classNames() const { return d->classNames; }
const Normalization& Model::normalization() const { return d->normalization; }
void Model::setNormalization(const Normalization& n) { d->normalization = n; }
const InputAppearance& Model::inputAppearance() const { return d->appearance; }
void Model::setInputAppearance(const InputAppearance& a) { d->appearance = a; }
Json& Model::metadata() { return d->metadata; }
const Json& Model::metadata() const { return d->metadata; }

std::vector<std::string> Model::stateNames() const {
    std::vector<std::string> names;
    for (const auto& p : d->net->named_parameters())
        names.push_back(p.key());
    for (const auto& b : d->net->named_buffers())
        names.push_back(b.key());
    return names;
}

std::int64_t Model::parameterCount() const {
    std::int64_t n = 0;
    for (const auto& p : d->net->parameters())
        n += p.numel();
    return n;
}

std::vector<float> Model::logits(const std::uint8_t* images, std::int64_t n, int batchSize) const {
    requireClassifier(*d);
    torch::NoGradGuard noGrad;
    const bool wasTraining = d->net->is_training();
    d->net->eval();
    const Shape& s = d->inputShape;
    const std::int64_t per = s[0] * s[1] * s[2];
    const std::int64_t classes = static_cast<std::int64_t>(d->classNames.size());
    std::vector<float> out(static_cast<std::size_t>(n * classes));
    for (std::int64_t start = 0; start < n; start += batchSize) {
        const std::int64_t b = std::min<std::int64_t>(batchSize, n - start);
        auto u8 = torch::from_blob(const_cast<std::uint8_t*>(images + start * per), {b, s[0], s[1], s[2]}, torch::kUInt8);
        auto y = (d->quant ? quantizedForwardPixels(*d, u8) : d->net->forward(normalizeBatch(u8, d->normalization)))
                     .to(torch::kFloat32)
                     .contiguous();
        std::memcpy(out.data() + start * classes, y.data_ptr<float>(), sizeof(float) * b * classes);
    }
    d->net->train(wasTraining);
    return out;
}

std::vector<float> Model::logitsFromUnit(const float* images, std::int64_t n) const {
    requireClassifier(*d);
    torch::NoGradGuard noGrad;
    const bool wasTraining = d->net->is_training();
    d->net->eval();
    const Shape& s = d->inputShape;
    const std::int64_t c = s[0];
    std::vector<float> scale(static_cast<std::size_t>(c)), shift(static_cast<std::size_t>(c));
    for (std::int64_t i = 0; i < c; ++i) {
        const Normalization& norm = d->normalization;
        const float mean = i < std::int64_t(norm.mean.size()) ? norm.mean[i] : 0.f;
        const float sd = i < std::int64_t(norm.std.size()) && norm.std[i] > 0 ? norm.std[i] : 1.f;
        scale[i] = 1.f / sd;
        shift[i] = -mean / sd;
    }
    auto x = torch::from_blob(const_cast<float*>(images), {n, c, s[1], s[2]}, torch::kFloat32);
    auto sc = torch::from_blob(scale.data(), {1, c, 1, 1}, torch::kFloat32);
    auto sh = torch::from_blob(shift.data(), {1, c, 1, 1}, torch::kFloat32);
    const torch::Tensor xn = torch::addcmul(sh, x, sc);
    auto y = (d->quant ? quantizedForward(*d, xn) : d->net->forward(xn)).to(torch::kFloat32).contiguous();
    // The output's width (a decoder's pixels have no class names).
    std::vector<float> out(static_cast<std::size_t>(y.numel()));
    std::memcpy(out.data(), y.data_ptr<float>(), sizeof(float) * out.size());
    d->net->train(wasTraining);
    return out;
}

} // namespace nc
