// Prediction, activations and saliency (DESIGN §2 core/inspect). Runs on the caller's thread; in
// the app that is the engine thread.
#include "inspect/Inspect.h"

#include "nn/GraphNet.h"
#include "util/Error.h"

#include <torch/autograd.h>
#include <torch/nn/functional/upsampling.h>

#include <algorithm>

namespace nc {

namespace {
// The network input for one uint8 image [C,H,W] as a normalised float batch of one.
torch::Tensor inputFor(const Model& model, const std::uint8_t* image) {
    const Shape& s = model.inputShape();
    auto u8 = torch::from_blob(const_cast<std::uint8_t*>(image), {1, s[0], s[1], s[2]}, torch::kUInt8);
    return normalizeBatch(u8, model.normalization());
}

// Restores train/eval mode. The weights' .grad is left alone: saliency runs between training
// batches on the live model, so it takes gradients with torch::autograd::grad (which writes to no
// tensor's .grad) instead of backward() (which would accumulate into every parameter's).
struct EvalScope {
    explicit EvalScope(GraphNet& n) : net(n), wasTraining(n->is_training()) { net->eval(); }
    ~EvalScope() { net->train(wasTraining); }
    GraphNet& net;
    bool wasTraining;
};

// d(output)/d(input) without touching any .grad.
torch::Tensor gradientOf(const torch::Tensor& output, const torch::Tensor& input) {
    return torch::autograd::grad({output}, {input})[0];
}

int resolveTarget(const Model& model, const torch::Tensor& logits, int target) {
    const int classes = static_cast<int>(model.classNames().size());
    if (target < 0)
        return static_cast<int>(logits.argmax(1)[0].item<std::int64_t>());
    if (target >= classes)
        throw Error("class " + std::to_string(target) + " does not exist; the model has " + std::to_string(classes));
    return target;
}

std::vector<float> toVector(const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kFloat32).contiguous().cpu();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

std::string lastConvolution(const Model& model, const std::vector<std::string>& order) {
    std::string last;
    for (const std::string& id : order)
        if (model.graph().node(id)->type == "Conv2d")
            last = id;
    return last;
}
} // namespace

const char* saliencyMethodName(SaliencyMethod m) {
    switch (m) {
    case SaliencyMethod::Gradient: return "gradient";
    case SaliencyMethod::SmoothGrad: return "smoothgrad";
    case SaliencyMethod::IntegratedGradients: return "integrated-gradients";
    case SaliencyMethod::GradCam: return "grad-cam";
    }
    return "?";
}

bool parseSaliencyMethod(const std::string& name, SaliencyMethod& out) {
    for (SaliencyMethod m : kSaliencyMethods)
        if (name == saliencyMethodName(m)) {
            out = m;
            return true;
        }
    return false;
}

std::vector<Prediction> predict(const Model& model, const std::uint8_t* images, std::int64_t n, int k) {
    const std::int64_t classes = static_cast<std::int64_t>(model.classNames().size());
    const std::vector<float> logits = model.logits(images, n);
    std::vector<Prediction> out(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        Prediction& p = out[i];
        const float* row = logits.data() + i * classes;
        const float top = *std::max_element(row, row + classes);
        double sum = 0;
        p.probabilities.resize(static_cast<std::size_t>(classes));
        for (std::int64_t c = 0; c < classes; ++c)
            sum += p.probabilities[c] = std::exp(row[c] - top);
        for (float& v : p.probabilities)
            v = static_cast<float>(v / sum);
        std::vector<int> order(static_cast<std::size_t>(classes));
        for (int c = 0; c < classes; ++c)
            order[c] = c;
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return p.probabilities[a] > p.probabilities[b]; });
        p.predicted = order.front();
        for (int j = 0; j < std::min<int>(k, int(classes)); ++j)
            p.topK.emplace_back(order[j], p.probabilities[order[j]]);
    }
    return out;
}

Activation activation(const Model& model, const std::uint8_t* image, const std::string& nodeId) {
    if (!model.graph().node(nodeId))
        throw Error("there is no layer '" + nodeId + "'");
    GraphNet& net = const_cast<ModelImpl&>(model.impl()).net;
    EvalScope scope(net);
    torch::NoGradGuard noGrad;
    Activation a;
    a.node = nodeId;
    net->forwardVisiting(inputFor(model, image), [&](const std::string& id, const torch::Tensor& v) {
        if (id == nodeId) {
            a.shape.assign(v.sizes().begin() + 1, v.sizes().end());
            a.values = toVector(v[0]);
        }
    });
    return a;
}

SaliencyMap saliency(const Model& model, const std::uint8_t* image, const SaliencyOptions& o) {
    GraphNet& net = const_cast<ModelImpl&>(model.impl()).net;
    EvalScope scope(net);
    const Shape& s = model.inputShape();
    const torch::Tensor x = inputFor(model, image);
    SaliencyMap map;
    map.height = s[1];
    map.width = s[2];
    {
        torch::NoGradGuard noGrad;
        map.targetClass = resolveTarget(model, net->forward(x), o.targetClass);
    }
    const std::int64_t target = map.targetClass;
    torch::Tensor values; // [H, W]

    switch (o.method) {
    case SaliencyMethod::Gradient:
    case SaliencyMethod::SmoothGrad: {
        // Noise is drawn in pixel units ([0,1] range) and mapped through the normalisation.
        const int n = o.method == SaliencyMethod::Gradient ? 1 : std::max(1, o.samples);
        torch::Tensor batch = x.repeat({n, 1, 1, 1});
        if (n > 1) {
            auto gen = at::detail::createCPUGenerator(1234);
            torch::Tensor stdDev = torch::tensor(model.normalization().std).view({1, s[0], 1, 1});
            batch = batch + torch::randn(batch.sizes(), gen) * (o.noise / stdDev);
        }
        batch.requires_grad_(true);
        // SmoothGrad averages the signed gradients over the noisy copies, then takes magnitudes:
        // what the noise adds has no consistent sign and averages out, what the object adds stays.
        values = gradientOf(net->forward(batch).select(1, target).sum(), batch).mean(0).abs().amax(0);
        break;
    }
    case SaliencyMethod::IntegratedGradients: {
        // Baseline: a black image, normalised like any input. Steps run in batches of 32 and
        // the gradients are averaged with the trapezoid rule.
        const torch::Tensor baseline = inputFor(model, std::vector<std::uint8_t>(static_cast<std::size_t>(s[0] * s[1] * s[2]), 0).data());
        const int steps = std::max(2, o.steps);
        torch::Tensor total = torch::zeros_like(x);
        for (int start = 0; start <= steps; start += 32) {
            const int count = std::min(32, steps + 1 - start);
            torch::Tensor alphas = torch::arange(start, start + count, torch::kFloat32).div_(float(steps)).view({count, 1, 1, 1});
            torch::Tensor path = (baseline + alphas * (x - baseline)).detach().requires_grad_(true);
            const torch::Tensor grad = gradientOf(net->forward(path).select(1, target).sum(), path);
            torch::Tensor weights = torch::ones({count, 1, 1, 1});
            if (start == 0)
                weights[0] = 0.5;
            if (start + count == steps + 1)
                weights[count - 1] = 0.5;
            total += (grad * weights).sum(0, true);
        }
        const torch::Tensor attributions = (x - baseline) * total / float(steps);
        map.attributionSum = attributions.sum().item<double>();
        torch::NoGradGuard noGrad;
        map.scoreDifference = (net->forward(x)[0][target] - net->forward(baseline)[0][target]).item<double>();
        values = attributions.abs().sum(1)[0];
        break;
    }
    case SaliencyMethod::GradCam: {
        const GraphAnalysis analysis = analyzeGraph(model.graph(), s, static_cast<int>(model.classNames().size()));
        map.layer = o.layer.empty() ? lastConvolution(model, analysis.order) : o.layer;
        if (map.layer.empty())
            throw Error("Grad-CAM needs a convolution layer and this network has none; use another method");
        const Node* node = model.graph().node(map.layer);
        if (!node)
            throw Error("there is no layer '" + map.layer + "'");
        const NodeInfo* info = analysis.info(map.layer);
        if (!info || info->outputShape.size() != 3)
            throw Error("Grad-CAM needs a layer with an image output; " + map.layer + " gives " +
                        shapeToString(info ? info->outputShape : Shape{}));
        torch::Tensor features;
        torch::Tensor logits = net->forwardVisiting(x, [&](const std::string& id, const torch::Tensor& v) {
            if (id == map.layer)
                features = v;
        });
        const torch::Tensor weights = gradientOf(logits[0][target], features).mean({2, 3}, true);
        torch::Tensor cam = torch::relu((weights * features).sum(1, true)).detach();
        cam = torch::nn::functional::interpolate(
            cam, torch::nn::functional::InterpolateFuncOptions()
                     .size(std::vector<std::int64_t>{s[1], s[2]})
                     .mode(torch::kBilinear)
                     .align_corners(false));
        values = cam[0][0];
        break;
    }
    }
    map.values = toVector(values);
    return map;
}

} // namespace nc
