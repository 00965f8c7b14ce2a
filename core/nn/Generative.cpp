#include "nn/Generative.h"

#include "inspect/Inspect.h"
#include "nn/GraphNet.h"
#include "train/Phases.h"
#include "util/Error.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>

namespace nc {

namespace {

// Eval mode without autograd for the length of a call; restores the mode after.
struct EvalScope {
    explicit EvalScope(GraphNet& n) : net(n), wasTraining(n->is_training()) { net->eval(); }
    ~EvalScope() { net->train(wasTraining); }
    torch::NoGradGuard noGrad;
    GraphNet& net;
    bool wasTraining;
};

struct Decoder {
    std::string node;   // the layer whose output is the image
    enum Kind { Logits, Pixels, InputSpace } kind = Logits;
    // Logits: pixels are sigmoid(output) (a bce_logits ReconstructionLoss); Pixels: the output in
    // [0, 1] (mse); InputSpace: the output is in the network's input space (a GAN generator, whose
    // images the discriminator compares with normalised real ones): un-normalised.
};

Decoder decoderOf(const Model& model) {
    const Graph& g = model.graph();
    for (const Node& n : g.nodes())
        if (n.type == "ReconstructionLoss")
            for (const Edge* e : g.incoming(n.id)) {
                Json p;
                LayerRegistry::instance().normalizeParams(*LayerRegistry::instance().find(n.type), n.params, p);
                return {e->from.node, p.value("loss", "bce_logits") == "bce_logits" ? Decoder::Logits : Decoder::Pixels};
            }
    // A GAN: the generated images are what passes a Detach on its way to the discriminator.
    for (const Node& n : g.nodes())
        if (n.type == "Detach")
            for (const Edge* e : g.incoming(n.id))
                return {e->from.node, Decoder::InputSpace};
    throw Error("the network has neither a ReconstructionLoss nor a Detach after its generator, so no layer is "
                "known to give images; connect the decoder's last layer to a ReconstructionLoss (a VAE) or the "
                "generator's to a Detach before the discriminator (a GAN)");
}

std::vector<std::uint8_t> toPixels(const torch::Tensor& out, const Decoder& d, const Normalization& norm) {
    torch::Tensor unit;
    if (d.kind == Decoder::Logits) {
        unit = torch::sigmoid(out.to(torch::kFloat32));
    } else if (d.kind == Decoder::Pixels) {
        unit = out.to(torch::kFloat32).clamp(0, 1);
    } else {
        const std::int64_t c = out.size(1);
        std::vector<float> mean(std::size_t(c), 0.f), sd(std::size_t(c), 1.f);
        for (std::int64_t i = 0; i < c; ++i) {
            if (i < std::int64_t(norm.mean.size()))
                mean[std::size_t(i)] = norm.mean[std::size_t(i)];
            if (i < std::int64_t(norm.std.size()) && norm.std[std::size_t(i)] > 0)
                sd[std::size_t(i)] = norm.std[std::size_t(i)];
        }
        const torch::Tensor m = torch::tensor(mean).view({1, c, 1, 1}), s = torch::tensor(sd).view({1, c, 1, 1});
        unit = (out.to(torch::kFloat32) * s + m).clamp(0, 1);
    }
    const torch::Tensor u8 = (unit * 255.0).round().to(torch::kUInt8).contiguous();
    std::vector<std::uint8_t> v(static_cast<std::size_t>(u8.numel()));
    std::memcpy(v.data(), u8.data_ptr<std::uint8_t>(), v.size());
    return v;
}

void requireGenerative(const Model& model) {
    if (!isGenerative(model))
        throw Error("this model is a classifier (it has an Output layer); generating and reconstructing need a "
                    "generative network that ends in loss nodes, such as the conv-vae template");
}

constexpr std::int64_t kBatch = 256;

// Runs `n` uint8 images through the model's network in eval mode, kBatch at a time, and hands
// the output of node `id` for each batch to `take`.
template <typename Take>
void forEachBatchOutput(const Model& model, const std::uint8_t* images, std::int64_t n, const std::string& id,
                        Take take) {
    GraphNet& net = const_cast<ModelImpl&>(model.impl()).net;
    EvalScope scope(net);
    const Shape& s = model.inputShape();
    const std::int64_t per = s[0] * s[1] * s[2];
    for (std::int64_t start = 0; start < n; start += kBatch) {
        const std::int64_t b = std::min(kBatch, n - start);
        auto u8 = torch::from_blob(const_cast<std::uint8_t*>(images + start * per), {b, s[0], s[1], s[2]}, torch::kUInt8);
        torch::Tensor value;
        net->run(normalizeBatch(u8, model.normalization()), torch::Tensor(), std::string(), torch::Tensor(),
                 [&](const std::string& node, const torch::Tensor& v) {
                     if (node == id)
                         value = v;
                 });
        take(value);
    }
}

void append(std::vector<float>& out, const torch::Tensor& t) {
    const torch::Tensor c = t.to(torch::kFloat32).contiguous();
    out.insert(out.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}
} // namespace

bool isGenerative(const Model& model) { return isGenerativeGraph(model.graph()); }

Model decoderModel(const Model& model) {
    requireGenerative(model);
    const Graph& g = model.graph();
    const auto [latent, width] = latentNode(model);
    const Decoder dec = decoderOf(model);
    // The decoder: what follows from the latent and leads to the image.
    std::set<std::string> after, before, keep;
    std::vector<std::string> stack{latent};
    while (!stack.empty()) {
        const std::string id = stack.back();
        stack.pop_back();
        for (const Edge* e : g.outgoing(id))
            if (after.insert(e->to.node).second)
                stack.push_back(e->to.node);
    }
    stack = {dec.node};
    before.insert(dec.node);
    while (!stack.empty()) {
        const std::string id = stack.back();
        stack.pop_back();
        for (const Edge* e : g.incoming(id))
            if (before.insert(e->from.node).second)
                stack.push_back(e->from.node);
    }
    for (const std::string& id : after)
        if (before.count(id))
            keep.insert(id);
    if (!keep.count(dec.node))
        throw Error("the decoder's last layer " + dec.node + " does not follow from the latent " + latent);
    for (const std::string& id : keep)
        for (const Edge* e : g.incoming(id))
            if (e->from.node != latent && !keep.count(e->from.node))
                throw Error(id + " reads " + e->from.node + ", which does not follow from the latent " + latent +
                            ", so the decoder cannot run from a latent alone");

    const auto unique = [&](const std::string& base) {
        std::string id = base;
        for (int k = 2; g.node(id) || keep.count(id); ++k)
            id = base + "_" + std::to_string(k);
        return id;
    };
    Graph d;
    const std::string in = unique("z_input"), flat = unique("z");
    d.addNode({in, "Input", Json::object()});
    d.addNode({flat, "Flatten", Json::object()});
    d.connect({in, "out"}, {flat, "in"});
    std::map<std::string, std::string> owner; // new node -> whose weights it carries
    for (const Node& n : g.nodes()) // in the model's order, which the editor keeps
        if (keep.count(n.id)) {
            Node copy = n;
            if (copy.params.is_object())
                copy.params.erase("shares");
            owner[n.id] = weightOwner(g, n.id);
            d.addNode(copy);
        }
    for (const Edge& e : g.edges())
        if (keep.count(e.to.node))
            d.connect({e.from.node == latent ? flat : e.from.node, e.from.port}, e.to);
    const Shape& s = model.inputShape();
    std::string last = dec.node;
    const std::string pixels = unique("pixels"), flatPixels = unique("pixels_flat");
    const Normalization& norm = model.normalization();
    bool affine = false;
    if (dec.kind == Decoder::Logits) {
        d.addNode({pixels, "Sigmoid", Json::object()});
    } else if (dec.kind == Decoder::InputSpace) {
        for (std::int64_t c = 0; c < s[0]; ++c)
            affine |= (std::size_t(c) < norm.mean.size() && norm.mean[std::size_t(c)] != 0.f) ||
                      (std::size_t(c) < norm.std.size() && norm.std[std::size_t(c)] != 1.f);
        if (affine)
            d.addNode({pixels, "BatchNorm2d", Json::object()});
    }
    if (d.node(pixels)) {
        d.connect({last, "out"}, {pixels, "in"});
        last = pixels;
    }
    d.addNode({flatPixels, "Flatten", Json::object()});
    d.connect({last, "out"}, {flatPixels, "in"});
    const std::string output = unique("output");
    d.addNode({output, "Output", Json::object()});
    d.connect({flatPixels, "out"}, {output, "in"});

    DatasetInfo info;
    info.channels = width;
    info.height = info.width = 1;
    Model out = Model::compile(d, info, 0);
    ModelImpl& m = out.impl();
    const ModelImpl& src = model.impl();
    std::map<std::string, torch::Tensor> source;
    for (const auto& p : src.net->named_parameters())
        source.emplace(p.key(), p.value().detach());
    for (const auto& b : src.net->named_buffers())
        source.emplace(b.key(), b.value());
    // Each tensor of the decoder is its owner's in the model, except the un-normalisation layer's.
    std::vector<std::pair<std::string, torch::Tensor>> state;
    const auto take = [&](const std::string& name, const torch::Tensor& own) {
        const std::string node = name.substr(0, name.find('.')), rest = name.substr(name.find('.'));
        if (node == pixels) { // y = (x − 0) / √((1 − ε) + ε) · std + mean
            std::vector<float> v;
            for (std::int64_t c = 0; c < s[0]; ++c) {
                const float sd = std::size_t(c) < norm.std.size() ? norm.std[std::size_t(c)] : 1.f;
                const float mean = std::size_t(c) < norm.mean.size() ? norm.mean[std::size_t(c)] : 0.f;
                v.push_back(rest == ".weight" ? sd : rest == ".bias" ? mean : rest == ".running_var" ? float(1.0 - 1e-5) : 0.f);
            }
            state.emplace_back(name, rest == ".num_batches_tracked" ? own : torch::tensor(v));
            return;
        }
        const auto it = source.find(owner.at(node) + rest);
        if (it == source.end())
            throw Error("internal: the decoder's tensor " + name + " has no counterpart in the model");
        state.emplace_back(name, it->second);
    };
    for (const auto& p : m.net->named_parameters())
        take(p.key(), p.value());
    for (const auto& b : m.net->named_buffers())
        take(b.key(), b.value());
    loadState(*m.net, state, "the decoder");
    m.net->eval();
    m.metadata = Json::object();
    m.metadata["decoder_of"] = model.metadata().value("project", Json());
    m.metadata["latent"] = {{"node", latent}, {"width", width}};
    m.metadata["output"] = {{"pixels", "[0, 1]"}, {"shape", {s[0], s[1], s[2]}}};
    return out;
}

GenerativeScores scoreGenerative(const Model& model, const Dataset& data, std::int64_t limit) {
    requireGenerative(model);
    GraphNet& net = const_cast<ModelImpl&>(model.impl()).net;
    EvalScope scope(net);
    const std::int64_t n = limit > 0 ? std::min(limit, data.size()) : data.size();
    std::map<std::string, double> sums;
    std::vector<std::string> order;
    std::vector<std::uint8_t> scratch;
    for (std::int64_t s = 0; s < n; s += kBatch) {
        const std::int64_t b = std::min(kBatch, n - s);
        auto u8 = torch::from_blob(const_cast<std::uint8_t*>(data.imagesAt(s, b, scratch)),
                                   {b, data.channels, data.height, data.width}, torch::kUInt8);
        for (const auto& [id, v] : net->lossValues(normalizeBatch(u8, model.normalization()), u8.to(torch::kFloat32) / 255.0)) {
            if (!sums.count(id))
                order.push_back(id);
            sums[id] += v.sum().item<double>();
        }
    }
    GenerativeScores out;
    out.images = n;
    for (const std::string& id : order) {
        const double mean = n ? sums[id] / double(n) : 0.0;
        out.terms.emplace_back(id, mean);
        out.total += mean;
    }
    return out;
}

std::vector<std::uint8_t> reconstructImages(const Model& model, const std::uint8_t* images, std::int64_t n) {
    requireGenerative(model);
    const Decoder dec = decoderOf(model);
    if (dec.kind == Decoder::InputSpace)
        throw Error("this generative model has no encoder (no ReconstructionLoss): a GAN makes new images but "
                    "cannot reconstruct given ones");
    std::vector<std::uint8_t> out;
    forEachBatchOutput(model, images, n, dec.node, [&](const torch::Tensor& image) {
        const auto px = toPixels(image, dec, model.normalization());
        out.insert(out.end(), px.begin(), px.end());
    });
    return out;
}

std::pair<std::string, std::int64_t> latentNode(const Model& model) {
    requireGenerative(model);
    const GraphAnalysis a = analyzeGraph(model.graph(), model.inputShape(), int(model.classNames().size()));
    for (const std::string& id : a.order)
        if (model.graph().node(id)->type == "Reparameterize" || model.graph().node(id)->type == "LatentInput") {
            const NodeInfo* info = a.info(id);
            if (info && info->ok && info->outputShape.size() == 1)
                return {id, info->outputShape[0]};
        }
    throw Error("the network has no Reparameterize or LatentInput layer with a latent vector, so there is no "
                "latent space to sample; a VAE's decoder starts at its Reparameterize, a GAN's generator at its "
                "LatentInput");
}

std::vector<std::uint8_t> decodeLatents(const Model& model, const std::vector<float>& z, std::int64_t n) {
    const auto [latent, width] = latentNode(model);
    if (std::int64_t(z.size()) != n * width)
        throw Error("decoding " + std::to_string(n) + " latents of width " + std::to_string(width) + " needs " +
                    std::to_string(n * width) + " numbers, not " + std::to_string(z.size()));
    const Decoder dec = decoderOf(model);
    GraphNet& net = const_cast<ModelImpl&>(model.impl()).net;
    EvalScope scope(net);
    std::vector<std::uint8_t> out;
    for (std::int64_t start = 0; start < n; start += kBatch) {
        const std::int64_t b = std::min(kBatch, n - start);
        const torch::Tensor zb =
            torch::from_blob(const_cast<float*>(z.data() + start * width), {b, width}, torch::kFloat32).clone();
        torch::Tensor image;
        net->run(torch::Tensor(), torch::Tensor(), latent, zb, [&](const std::string& id, const torch::Tensor& v) {
            if (id == dec.node)
                image = v;
        });
        if (!image.defined())
            throw Error("the decoder (" + dec.node + ") does not follow from " + latent +
                        " alone, so it cannot be run from a latent sample");
        const auto px = toPixels(image, dec, model.normalization());
        out.insert(out.end(), px.begin(), px.end());
    }
    return out;
}

bool generatesFromNoise(const Model& model) {
    return model.graph().node(latentNode(model).first)->type == "LatentInput";
}

std::vector<float> randomLatents(const Model& model, std::int64_t n, std::uint64_t seed) {
    const std::int64_t width = latentNode(model).second;
    auto gen = at::detail::createCPUGenerator(seed);
    const torch::Tensor z = at::normal(0.0, 1.0, {n, width}, gen).contiguous();
    return std::vector<float>(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
}

std::vector<std::uint8_t> sampleImages(const Model& model, std::int64_t n, std::uint64_t seed) {
    return decodeLatents(model, randomLatents(model, n, seed), n);
}

std::vector<float> lerpLatents(const float* a, const float* b, std::int64_t width, std::int64_t steps) {
    std::vector<float> z;
    z.reserve(static_cast<std::size_t>(std::max<std::int64_t>(0, steps * width)));
    for (std::int64_t i = 0; i < steps; ++i) {
        const float t = steps > 1 ? float(i) / float(steps - 1) : 0.f;
        for (std::int64_t d = 0; d < width; ++d)
            z.push_back((1 - t) * a[d] + t * b[d]);
    }
    return z;
}

std::pair<float, float> LatentMap::project(const float* z) const {
    float x = 0, y = 0;
    for (std::int64_t d = 0; d < width; ++d) {
        const float c = z[d] - mean[std::size_t(d)];
        x += c * axes[std::size_t(d)];
        y += c * axes[std::size_t(width + d)];
    }
    return {x, y};
}

LatentMap mapLatents(const std::vector<float>& z, std::int64_t n, std::int64_t width) {
    if (n < 1 || width < 1 || std::int64_t(z.size()) != n * width)
        throw Error("mapping latents needs n × width numbers (" + std::to_string(n) + " × " + std::to_string(width) +
                    "), not " + std::to_string(z.size()));
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::from_blob(const_cast<float*>(z.data()), {n, width}, torch::kFloat32).to(torch::kFloat64);
    const torch::Tensor mu = x.mean(0);
    LatentMap m;
    m.width = width;
    m.mean.assign(std::size_t(width), 0.f);
    for (std::int64_t d = 0; d < width; ++d)
        m.mean[std::size_t(d)] = float(mu[d].item<double>());
    m.axes.assign(std::size_t(2 * width), 0.f);
    if (width <= 2) { // the latent itself (a second axis of zeros for a width of 1)
        for (std::int64_t k = 0; k < width; ++k)
            m.axes[std::size_t(k * width + k)] = 1.f;
    } else {
        const torch::Tensor c = x - mu;
        const torch::Tensor cov = c.t().matmul(c) / double(std::max<std::int64_t>(1, n - 1));
        const auto [values, vectors] = torch::linalg_eigh(cov); // ascending eigenvalues
        const double total = values.clamp_min(0).sum().item<double>();
        const double kept = values[width - 1].clamp_min(0).item<double>() + values[width - 2].clamp_min(0).item<double>();
        m.explained = total > 0 ? kept / total : 1.0;
        for (std::int64_t k = 0; k < 2; ++k) {
            torch::Tensor axis = vectors.select(1, width - 1 - k);
            // A sign that does not flip between runs: the largest component positive.
            if (axis[axis.abs().argmax()].item<double>() < 0)
                axis = -axis;
            for (std::int64_t d = 0; d < width; ++d)
                m.axes[std::size_t(k * width + d)] = float(axis[d].item<double>());
        }
    }
    m.xy.resize(std::size_t(2 * n));
    for (std::int64_t i = 0; i < n; ++i) {
        const auto [px, py] = m.project(z.data() + i * width);
        m.xy[std::size_t(2 * i)] = px;
        m.xy[std::size_t(2 * i + 1)] = py;
    }
    return m;
}

std::vector<float> encodeImages(const Model& model, const std::uint8_t* images, std::int64_t n) {
    const auto [latent, width] = latentNode(model);
    if (model.graph().node(latent)->type != "Reparameterize")
        throw Error("this generative model has no encoder: its latent " + latent + " is random input, not a "
                    "Reparameterize of an image's μ and log σ²");
    std::vector<float> out;
    out.reserve(static_cast<std::size_t>(n * width));
    // In eval mode Reparameterize gives μ.
    forEachBatchOutput(model, images, n, latent, [&](const torch::Tensor& mu) { append(out, mu); });
    return out;
}

std::vector<float> penultimateFeatures(const Model& classifier, const std::uint8_t* images, std::int64_t n,
                                       std::int64_t& dim) {
    const Graph& g = classifier.graph();
    std::string head, features;
    for (const Node& node : g.nodes())
        if (node.type == "Output")
            for (const Edge* e : g.incoming(node.id))
                head = e->from.node;
    for (const Edge* e : g.incoming(head))
        features = e->from.node;
    if (head.empty() || features.empty())
        throw Error("the classifier has no layer before the one feeding its Output, so it has no penultimate "
                    "features to compare images with");
    std::vector<float> out;
    dim = 0;
    forEachBatchOutput(classifier, images, n, features, [&](const torch::Tensor& f) {
        dim = f.numel() / std::max<std::int64_t>(1, f.size(0));
        append(out, f.flatten(1));
    });
    return out;
}

SampleScores scoreSamples(const Model& classifier, const std::uint8_t* images, std::int64_t n, const Dataset& train,
                          const Dataset& test) {
    if (isGenerative(classifier))
        throw Error("scoring samples needs a classifier, and this is a generative model");
    const Shape& s = classifier.inputShape();
    const std::int64_t per = s[0] * s[1] * s[2];
    SampleScores r;
    r.samples = n;
    if (n <= 0)
        return r;
    const std::size_t k = classifier.classNames().size();
    std::vector<double> share(k, 0.0);
    for (const Prediction& p : predict(classifier, images, n, 1)) {
        share[std::size_t(p.predicted)] += 1.0 / double(n);
        r.meanConfidence += double(p.topK.front().second) / double(n);
    }
    for (std::size_t c = 0; c < k; ++c) {
        if (share[c] > 0)
            r.klFromUniform += share[c] * std::log(share[c] * double(k));
        r.classesAtFivePercent += share[c] >= 0.05;
        r.classShares.emplace_back(classifier.classNames()[c], share[c]);
    }
    const bool fits = train.channels == s[0] && train.height == s[1] && train.width == s[2] &&
                      test.channels == s[0] && test.height == s[1] && test.width == s[2];
    const std::int64_t m = fits ? std::min({n, test.size(), train.size()}) : 0;
    if (m >= 2) {
        std::vector<std::uint8_t> scratchTest, scratchTrain;
        const std::uint8_t* testImages = test.imagesAt(0, m, scratchTest);
        std::int64_t dim = 0;
        const auto fake = penultimateFeatures(classifier, images, m, dim);
        const auto real = penultimateFeatures(classifier, testImages, m, dim);
        const auto floor = penultimateFeatures(classifier, train.imagesAt(0, m, scratchTrain), m, dim);
        r.fdImages = m;
        r.fd = frechetDistance(fake, m, real, m, dim);
        r.fdFloor = frechetDistance(floor, m, real, m, dim);
        const std::uint8_t* all = train.imagesAt(0, train.size(), scratchTrain);
        const auto mean = [](const std::vector<float>& v) {
            double t = 0;
            for (float x : v)
                t += x;
            return v.empty() ? 0.0 : t / double(v.size());
        };
        r.nearestImages = train.size();
        r.nearestSample = mean(nearestDistances(images, m, all, train.size(), per));
        r.nearestReal = mean(nearestDistances(testImages, m, all, train.size(), per));
    }
    return r;
}

std::vector<float> nearestDistances(const std::uint8_t* queries, std::int64_t nq, const std::uint8_t* refs,
                                    std::int64_t nr, std::int64_t per) {
    torch::NoGradGuard noGrad;
    std::vector<float> out(static_cast<std::size_t>(nq), std::numeric_limits<float>::infinity());
    if (nq == 0 || nr == 0)
        return out;
    const auto unit = [per](const std::uint8_t* p, std::int64_t n) {
        return torch::from_blob(const_cast<std::uint8_t*>(p), {n, per}, torch::kUInt8).to(torch::kFloat32) / 255.0;
    };
    // |q − r|² = |q|² + |r|² − 2 q·r, a block of references at a time (one matrix product each).
    constexpr std::int64_t kQueries = 1024, kRefs = 8192;
    for (std::int64_t q0 = 0; q0 < nq; q0 += kQueries) {
        const std::int64_t qn = std::min(kQueries, nq - q0);
        const torch::Tensor q = unit(queries + q0 * per, qn);
        const torch::Tensor qq = q.pow(2).sum(1, true);
        torch::Tensor best = torch::full({qn}, std::numeric_limits<float>::infinity());
        for (std::int64_t r0 = 0; r0 < nr; r0 += kRefs) {
            const std::int64_t rn = std::min(kRefs, nr - r0);
            const torch::Tensor r = unit(refs + r0 * per, rn);
            const torch::Tensor d2 = qq + r.pow(2).sum(1).unsqueeze(0) - 2 * q.matmul(r.t());
            best = torch::minimum(best, std::get<0>(d2.min(1)));
        }
        const torch::Tensor d = best.clamp_min(0).sqrt().contiguous();
        std::memcpy(out.data() + q0, d.data_ptr<float>(), sizeof(float) * std::size_t(qn));
    }
    return out;
}

double frechetDistance(const std::vector<float>& a, std::int64_t na, const std::vector<float>& b, std::int64_t nb,
                       std::int64_t dim) {
    if (na < 2 || nb < 2 || dim < 1)
        throw Error("a Fréchet distance needs at least two feature vectors on each side");
    torch::NoGradGuard noGrad;
    auto stats = [dim](const std::vector<float>& v, std::int64_t n) {
        const torch::Tensor x = torch::from_blob(const_cast<float*>(v.data()), {n, dim}, torch::kFloat32).to(torch::kFloat64);
        const torch::Tensor mu = x.mean(0);
        const torch::Tensor c = x - mu;
        return std::make_pair(mu, c.t().matmul(c) / double(n - 1));
    };
    const auto [muA, covA] = stats(a, na);
    const auto [muB, covB] = stats(b, nb);
    // tr((Σa Σb)^½) = Σ √λ of Σa^½ Σb Σa^½, which is symmetric and positive semi-definite.
    const auto [wa, va] = torch::linalg_eigh(covA);
    const torch::Tensor rootA = va.matmul(torch::diag(wa.clamp_min(0).sqrt())).matmul(va.t());
    const torch::Tensor m = rootA.matmul(covB).matmul(rootA);
    const torch::Tensor w = torch::linalg_eigvalsh(0.5 * (m + m.t()));
    const double traceRoot = w.clamp_min(0).sqrt().sum().item<double>();
    return (muA - muB).pow(2).sum().item<double>() + covA.trace().item<double>() + covB.trace().item<double>() -
           2 * traceRoot;
}

} // namespace nc
