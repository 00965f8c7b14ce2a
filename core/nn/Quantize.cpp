// int8 post-training quantisation (nn/Quantize.h) and the int8 executor a quantised model runs on.
//
// The plan mirrors GraphNet's steps one for one. Each step is one of:
//   Conv / Linear  quantized::conv2d[_relu] / quantized::linear[_relu] with prepacked per-channel
//                  int8 weights; a BatchNorm right after it is folded into its weights and bias, a
//                  ReLU after that fused (those steps become aliases of it);
//   Add / Cat      quantized::add[_relu] / quantized::cat at the calibrated output scale;
//   Pass           ReLU, pooling, Flatten, Dropout, Output, Input: run on whatever the input is
//                  (int8 stays int8, float stays float);
//   Float          anything else: its inputs are dequantised and GraphNet's own step runs.
// A float value that an int8 step needs is quantised (once) with the calibrated scale of the step
// that produced it.
#include "nn/Quantize.h"
#include "nn/GraphNet.h"
#include "nn/Int8Kernels.h"

#include "util/Error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/dispatch/Dispatcher.h>

#include <algorithm>
#include <array>
#include <memory>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string_view>

namespace nc {

namespace {

// Lut: an elementwise activation (Tanh, Sigmoid, GELU, ...) on a uint8 value is a table of 256
// output bytes, built from the float layer itself for the input's scale and zero point.
enum class Kind { Pass, Conv, Linear, Add, Cat, Float, Alias, Lut };

struct LutCache {
    std::mutex mutex;
    double scale = 0.0;
    std::int64_t zeroPoint = -1;
    std::array<std::uint8_t, 256> table{};
};

// The largest magnitude of an int8 weight (see quantizeInt8).
constexpr double kWeightLevels = 64.0;

const char* kindName(Kind k) {
    switch (k) {
    case Kind::Conv: return "conv";
    case Kind::Linear: return "linear";
    case Kind::Add: return "add";
    case Kind::Cat: return "concat";
    case Kind::Float: return "float";
    case Kind::Alias: return "fused";
    case Kind::Lut: return "table";
    case Kind::Pass: break;
    }
    return "pass";
}

struct QStep {
    std::string id, type;
    Kind kind = Kind::Float;
    std::vector<int> inputs;      // as GraphNet's; -1 = the network input
    Json params;                  // normalised layer parameters
    int aliasOf = -1;             // Alias: the step whose value this one is
    int bnStep = -1;              // Conv/Linear: the folded BatchNorm's step
    int last = -1;                // Conv/Linear/Add: the step whose output it produces (after fusing)
    bool relu = false;            // fused ReLU
    // Float LSTM / GRU: their matrices are stored as int8 (per row, symmetric) and run in float
    // from the dequantised values, as PyTorch's weight-only schemes do.
    std::vector<std::string> int8Matrices;
    double scale = 1.0;           // calibrated output quantisation of this step's own output
    std::int64_t zeroPoint = 0;
    // Conv / Linear
    torch::Tensor qweight;        // per-channel qint8
    torch::Tensor bias;           // float, or undefined
    c10::IValue packed;
    // The app's own kernels (nn/Int8Kernels.h) where they take the layer: every Linear, and a
    // convolution with fewer than 16 input channels and one group, where oneDNN is slowest.
    std::shared_ptr<const int8::PackedWeights> own;
    std::vector<float> weightScales, biasValues;
    std::vector<std::int64_t> stride, padding, dilation;
    std::int64_t groups = 1;
    // Pass pooling
    std::int64_t k = 0, s = 0, pad = 0;
    // Lut: the last table built (the input's scale and zero point rarely change)
    std::shared_ptr<LutCache> lut;
    // Lut followed by its only consumer, an unpadded AvgPool2d: both run as one pass (poolQ), the
    // table applied as the windows are summed. Not part of the file: found from the graph.
    int poolAfter = -1, pooledBy = -1;
};

double getd(const Json& p, const char* key) { return p.at(key).get<double>(); }
std::int64_t geti(const Json& p, const char* key) { return p.at(key).get<std::int64_t>(); }

c10::IValue callOp(const char* name, const char* overload, torch::jit::Stack stack) {
    static std::map<std::string, c10::OperatorHandle> cache;
    static std::mutex mutex;
    c10::OperatorHandle* op;
    {
        std::lock_guard<std::mutex> lock(mutex);
        const std::string key = std::string(name) + "." + overload;
        auto it = cache.find(key);
        if (it == cache.end())
            it = cache.emplace(key, c10::Dispatcher::singleton().findSchemaOrThrow(name, overload)).first;
        op = &it->second;
    }
    op->callBoxed(&stack);
    return std::move(stack.at(0));
}

// The quantized CPU engine: oneDNN where this LibTorch has it (Debian's does), then fbgemm, then
// qnnpack. Chosen once per process; prepacked weights belong to it.
std::string chooseEngine() {
    static const std::string chosen = [] {
        const auto engines = at::globalContext().supportedQEngines();
        auto has = [&](at::QEngine e) { return std::find(engines.begin(), engines.end(), e) != engines.end(); };
        if (has(at::QEngine::ONEDNN)) {
            at::globalContext().setQEngine(at::QEngine::ONEDNN);
            return std::string("onednn");
        }
        if (has(at::QEngine::FBGEMM)) {
            at::globalContext().setQEngine(at::QEngine::FBGEMM);
            return std::string("fbgemm");
        }
        if (has(at::QEngine::QNNPACK)) {
            at::globalContext().setQEngine(at::QEngine::QNNPACK);
            return std::string("qnnpack");
        }
        return std::string();
    }();
    if (chosen.empty())
        throw Error("this LibTorch has no quantized CPU engine (oneDNN, fbgemm or qnnpack), so int8 models cannot run here");
    return chosen;
}

std::pair<double, std::int64_t> affineParams(double lo, double hi) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
    double scale = (hi - lo) / 255.0;
    if (!std::isfinite(scale) || scale < 1e-8) // an activation that is always zero
        scale = 1.0 / 255.0;
    const std::int64_t zp = std::clamp<std::int64_t>(std::llround(-lo / scale), 0, 255);
    return {static_cast<double>(static_cast<float>(scale)), zp};
}

} // namespace

class QuantizedNet {
public:
    std::vector<QStep> steps;
    int outputStep = -1;
    double inputScale = 1.0;
    std::int64_t inputZeroPoint = 0;
    std::string engine, observer;
    int calibrationImages = 0;
    // uint8 pixel -> the first int8 layer's input byte, per channel (quantizedForwardPixels):
    // normalisation and quantisation are a function of the pixel value alone.
    std::mutex pixelMutex;
    std::vector<std::array<std::uint8_t, 256>> pixelTables;
    double pixelScale = 0.0;
    std::int64_t pixelZeroPoint = -1;
};

namespace {

// Consumers of each step.
std::vector<std::vector<int>> consumersOf(const std::vector<QStep>& steps) {
    std::vector<std::vector<int>> out(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i)
        for (int j : steps[i].inputs)
            if (j >= 0)
                out[static_cast<std::size_t>(j)].push_back(int(i));
    return out;
}

// The plan's structure (kinds, folds, fusions) from the graph alone: the same for quantizeInt8
// and for loading a file, so a file cannot describe a plan its graph does not have.
std::shared_ptr<QuantizedNet> planFor(const ModelImpl& m) {
    const GraphNetImpl& net = *m.net;
    const auto& reg = LayerRegistry::instance();
    const GraphAnalysis analysis =
        analyzeGraph(m.graph, m.inputShape, static_cast<int>(m.classNames.size()));
    auto q = std::make_shared<QuantizedNet>();
    q->steps.resize(net.stepCount());
    for (std::size_t i = 0; i < net.stepCount(); ++i) {
        QStep& st = q->steps[i];
        st.id = net.stepId(i);
        st.inputs = net.stepInputs(i);
        const Node& node = *m.graph.node(st.id);
        st.type = node.type;
        reg.normalizeParams(*reg.find(node.type), node.params, st.params);
        if (st.id == net.outputNode())
            q->outputStep = int(i);
    }
    const auto consumers = consumersOf(q->steps);
    auto soleConsumer = [&](int i, const char* type) -> int {
        const auto& c = consumers[static_cast<std::size_t>(i)];
        if (c.size() != 1 || q->steps[static_cast<std::size_t>(c[0])].type != type ||
            q->steps[static_cast<std::size_t>(c[0])].inputs.size() != 1 || i == q->outputStep)
            return -1;
        return c[0];
    };
    for (std::size_t i = 0; i < q->steps.size(); ++i) {
        QStep& st = q->steps[i];
        if (st.kind == Kind::Alias)
            continue;
        const std::string& t = st.type;
        const Json& p = st.params;
        if (t == "Conv2d") {
            const std::int64_t ks = geti(p, "kernel_size"), dil = geti(p, "dilation");
            std::int64_t padding = 0;
            bool ok = true;
            if (p.at("padding").is_string()) { // "same": symmetric only for an odd kernel at stride 1
                ok = geti(p, "stride") == 1 && ((ks - 1) * dil) % 2 == 0;
                padding = (ks - 1) * dil / 2;
            } else {
                padding = geti(p, "padding");
            }
            if (ok) {
                st.kind = Kind::Conv;
                st.stride = {geti(p, "stride"), geti(p, "stride")};
                st.padding = {padding, padding};
                st.dilation = {dil, dil};
                st.groups = geti(p, "groups");
            }
        } else if (t == "Linear") {
            const NodeInfo* in = analysis.info(m.graph.incoming(st.id).front()->from.node);
            if (in && in->outputShape.size() == 1)
                st.kind = Kind::Linear;
        } else if (t == "Add") {
            st.kind = Kind::Add;
        } else if (t == "Concat") {
            st.kind = Kind::Cat;
        } else if (t == "ReLU" || t == "Flatten" || t == "Dropout" || t == "Dropout2d" || t == "Output" ||
                   t == "Input" || t == "GlobalAvgPool2d") {
            st.kind = Kind::Pass;
        } else if (t == "Tanh" || t == "Sigmoid" || t == "LeakyReLU" || t == "ELU" || t == "GELU" || t == "SiLU") {
            st.kind = Kind::Lut;
            st.lut = std::make_shared<LutCache>();
        } else if (t == "MaxPool2d" || t == "AvgPool2d") {
            st.kind = Kind::Pass;
            st.k = geti(p, "kernel_size");
            st.pad = geti(p, "padding");
            st.s = geti(p, "stride") == 0 ? st.k : geti(p, "stride");
        }
        st.last = int(i);
        if (t == "LSTM" || t == "GRU")
            for (const auto& item : net.named_parameters(true))
                if (item.key().rfind(st.id + ".", 0) == 0 && item.value().dim() == 2)
                    st.int8Matrices.push_back(item.key());
        if (st.kind == Kind::Conv || st.kind == Kind::Linear) {
            const int bn = soleConsumer(int(i), st.kind == Kind::Conv ? "BatchNorm2d" : "BatchNorm1d");
            if (bn >= 0) {
                st.bnStep = bn;
                st.last = bn;
                q->steps[static_cast<std::size_t>(bn)].kind = Kind::Alias;
                q->steps[static_cast<std::size_t>(bn)].aliasOf = int(i);
            }
        }
        if (st.kind == Kind::Conv || st.kind == Kind::Linear || st.kind == Kind::Add) {
            const int r = soleConsumer(st.last, "ReLU");
            if (r >= 0) {
                st.relu = true;
                st.last = r;
                q->steps[static_cast<std::size_t>(r)].kind = Kind::Alias;
                q->steps[static_cast<std::size_t>(r)].aliasOf = int(i);
            }
        }
    }
    for (std::size_t i = 0; i < q->steps.size(); ++i) {
        QStep& st = q->steps[i];
        const int pool = st.kind == Kind::Lut ? soleConsumer(int(i), "AvgPool2d") : -1;
        if (pool >= 0 && q->steps[std::size_t(pool)].pad == 0) {
            st.poolAfter = pool;
            q->steps[std::size_t(pool)].pooledBy = int(i);
        }
    }
    return q;
}

// Is step i's value int8 when the plan runs? (Pass steps take their input's domain.)
std::vector<bool> int8Domains(const QuantizedNet& q) {
    std::vector<bool> d(q.steps.size(), false);
    for (std::size_t i = 0; i < q.steps.size(); ++i) {
        const QStep& st = q.steps[i];
        switch (st.kind) {
        case Kind::Conv: case Kind::Linear: case Kind::Add: case Kind::Cat: case Kind::Lut: d[i] = true; break;
        case Kind::Alias: d[i] = d[static_cast<std::size_t>(st.aliasOf)]; break;
        case Kind::Pass: d[i] = !st.inputs.empty() && st.inputs[0] >= 0 && d[static_cast<std::size_t>(st.inputs[0])]; break;
        case Kind::Float: break;
        }
    }
    return d;
}

// Folds the BatchNorm (if any) into the step's float weight and bias.
std::pair<torch::Tensor, torch::Tensor> foldedWeights(const GraphNetImpl& net, const QStep& st, const QuantizedNet& q) {
    const auto params = net.named_parameters(true);
    torch::Tensor w = params[st.id + ".weight"].detach().clone();
    torch::Tensor b = params.contains(st.id + ".bias") ? params[st.id + ".bias"].detach().clone() : torch::Tensor();
    if (st.bnStep >= 0) {
        const std::string& bn = q.steps[static_cast<std::size_t>(st.bnStep)].id;
        const auto buffers = net.named_buffers(true);
        const double eps = getd(q.steps[static_cast<std::size_t>(st.bnStep)].params, "eps");
        const torch::Tensor factor = params[bn + ".weight"].detach() / torch::sqrt(buffers[bn + ".running_var"] + eps);
        std::vector<std::int64_t> shape(static_cast<std::size_t>(w.dim()), 1);
        shape[0] = -1;
        w = w * factor.reshape(shape);
        b = ((b.defined() ? b : torch::zeros_like(factor)) - buffers[bn + ".running_mean"]) * factor +
            params[bn + ".bias"].detach();
    }
    return {w, b};
}

// Per-row symmetric int8 of a matrix: the integers and each row's scale.
std::pair<torch::Tensor, torch::Tensor> int8Rows(const torch::Tensor& w) {
    torch::Tensor scale = (w.abs().amax({1}) / 127.0).to(torch::kFloat32);
    scale = torch::where(scale > 0, scale, torch::ones_like(scale));
    const torch::Tensor ints = torch::clamp(torch::round(w / scale.unsqueeze(1)), -127, 127).to(torch::kInt8);
    return {ints, scale};
}

torch::Tensor fromInt8Rows(const torch::Tensor& ints, const torch::Tensor& scale) {
    return ints.to(torch::kFloat32) * scale.unsqueeze(1);
}

// Whether the app's kernels run this step (see QStep::own).
bool ownKernelTakes(const QStep& st) {
    if (!int8::available())
        return false;
    return st.kind == Kind::Linear ||
           (st.kind == Kind::Conv && st.groups == 1 && st.qweight.size(1) < 16 && st.dilation[1] == 1);
}

void prepack(QStep& st) {
    st.own.reset();
    if (ownKernelTakes(st)) {
        torch::Tensor ints = st.qweight.int_repr();
        if (st.kind == Kind::Conv) { // (out, in, kh, kw) to (out, kh, kw·in padded to 4): ownConv's order
            const std::int64_t run = ints.size(3) * ints.size(1);
            ints = ints.permute({0, 2, 3, 1}).reshape({ints.size(0), ints.size(2), run});
            ints = torch::constant_pad_nd(ints, {0, (run + 3) / 4 * 4 - run}, 0);
        }
        ints = ints.contiguous();
        const std::int64_t rows = ints.size(0);
        auto packed = std::make_shared<int8::PackedWeights>(int8::pack(ints.data_ptr<std::int8_t>(), rows, ints.numel() / rows));
        // Without VNNI the kernels need |w| ≤ 64 (files quantised before that rule keep oneDNN).
        if (std::string_view(int8::kernelIsa()) == "avx512-vnni" || packed->maxMagnitude <= 64) {
            const torch::Tensor scales = st.qweight.q_per_channel_scales().to(torch::kFloat32).contiguous();
            st.weightScales.assign(scales.data_ptr<float>(), scales.data_ptr<float>() + rows);
            st.biasValues.clear();
            if (st.bias.defined()) {
                const torch::Tensor b = st.bias.to(torch::kFloat32).contiguous();
                st.biasValues.assign(b.data_ptr<float>(), b.data_ptr<float>() + rows);
            }
            st.own = std::move(packed);
        }
    }
    const c10::IValue bias = st.bias.defined() ? c10::IValue(st.bias) : c10::IValue();
    if (st.kind == Kind::Conv)
        st.packed = callOp("quantized::conv2d_prepack", "",
                           {st.qweight, bias, c10::List<std::int64_t>(st.stride), c10::List<std::int64_t>(st.padding),
                            c10::List<std::int64_t>(st.dilation), st.groups});
    else
        st.packed = callOp("quantized::linear_prepack", "", {st.qweight, bias});
}

// Writes the dequantised (folded) weights into the float copy, so saliency and activations see
// the network the int8 one approximates; a folded BatchNorm becomes the identity plus the bias.
void writeFloatCopy(GraphNetImpl& net, const QuantizedNet& q) {
    torch::NoGradGuard noGrad;
    auto params = net.named_parameters(true);
    auto buffers = net.named_buffers(true);
    for (const QStep& st : q.steps) {
        if (st.kind != Kind::Conv && st.kind != Kind::Linear)
            continue;
        params[st.id + ".weight"].copy_(st.qweight.dequantize());
        const bool ownBias = params.contains(st.id + ".bias");
        if (st.bnStep < 0) {
            if (ownBias)
                params[st.id + ".bias"].copy_(st.bias);
            continue;
        }
        const QStep& bn = q.steps[static_cast<std::size_t>(st.bnStep)];
        if (ownBias)
            params[st.id + ".bias"].zero_();
        params[bn.id + ".weight"].fill_(1.0);
        params[bn.id + ".bias"].copy_(st.bias);
        buffers[bn.id + ".running_mean"].zero_();
        buffers[bn.id + ".running_var"].fill_(1.0 - getd(bn.params, "eps"));
    }
}

Json infoJson(const QuantizedNet& q) {
    Json steps = Json::object();
    for (const QStep& st : q.steps) {
        // Every step's own output range; a fused step's is the one its layer's int8 output uses.
        Json j{{"kind", kindName(st.kind)}, {"scale", st.scale}, {"zero_point", st.zeroPoint}};
        if (st.kind == Kind::Alias)
            j["into"] = q.steps[static_cast<std::size_t>(st.aliasOf)].id;
        steps[st.id] = j;
    }
    return Json{{"scheme", "int8"},
                {"version", 1},
                {"weights", "int8 in [-64, 64], per output channel, symmetric"},
                {"activations", "uint8, per tensor, affine"},
                {"engine", q.engine},
                {"observer", q.observer},
                {"calibration_images", q.calibrationImages},
                {"input", {{"scale", q.inputScale}, {"zero_point", q.inputZeroPoint}}},
                {"steps", steps}};
}

// Float to quint8 with torch's arithmetic (zero point + round-half-even of x / scale, clamped to
// 0..255), in a loop the compiler vectorises: torch 1.13's quantize_per_tensor rounds one
// element at a time, 0.16 ms for a batch of 64 Fashion-MNIST images, an eighth of the whole
// int8 forward of keras-cnn.
torch::Tensor quantizeValue(const torch::Tensor& v, double scale, std::int64_t zp) {
    const torch::Tensor x = v.to(torch::kFloat32).contiguous();
    torch::Tensor raw = torch::empty(x.sizes(), torch::TensorOptions().dtype(torch::kUInt8));
    const float* in = x.data_ptr<float>();
    std::uint8_t* out = raw.data_ptr<std::uint8_t>();
    const float inv = float(1.0 / scale), z = float(zp);
    const float lo = -z, hi = 255.0f - z;
    const std::int64_t count = x.numel();
    for (std::int64_t i = 0; i < count; ++i) {
        float r = in[i] * inv;
        r = r > lo ? r : lo; // NaN lands on the low end
        r = r < hi ? r : hi;
        r = (r + 12582912.0f) - 12582912.0f; // round half to even (|r| < 2^22) in the default rounding mode
        out[i] = static_cast<std::uint8_t>(static_cast<int>(r + z));
    }
    return at::_make_per_tensor_quantized_tensor(raw, scale, zp);
}

// Average pooling of a uint8 value in channels-last memory, as torch::avg_pool2d computes it in
// float (padding counts as zeros, no ceil mode): the output keeps the input's scale and zero
// point. torch 1.13's quantized avg_pool2d takes 1.1 ms on LeNet-5's first pooling at batch 64,
// three times its float one; this loop sums each window's channels side by side.
torch::Tensor avgPoolQ(const torch::Tensor& in, std::int64_t kh, std::int64_t kw, std::int64_t s, std::int64_t pad) {
    const torch::Tensor x = in.contiguous(at::MemoryFormat::ChannelsLast);
    const std::int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const std::int64_t oh = (h + 2 * pad - kh) / s + 1, ow = (w + 2 * pad - kw) / s + 1;
    const std::int64_t zp = x.q_zero_point();
    torch::Tensor out = at::_empty_affine_quantized({n, c, oh, ow}, x.options(), x.q_scale(), zp, at::MemoryFormat::ChannelsLast);
    const auto* src = reinterpret_cast<const std::uint8_t*>(x.data_ptr<c10::quint8>());
    auto* dst = reinterpret_cast<std::uint8_t*>(out.data_ptr<c10::quint8>());
    std::vector<std::int32_t> acc(static_cast<std::size_t>(c));
    const float inv = 1.0f / float(kh * kw);
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t y = 0; y < oh; ++y)
            for (std::int64_t xo = 0; xo < ow; ++xo) {
                std::fill(acc.begin(), acc.end(), 0);
                std::int32_t valid = 0;
                for (std::int64_t ky = y * s - pad; ky < y * s - pad + kh; ++ky) {
                    if (ky < 0 || ky >= h)
                        continue;
                    for (std::int64_t kx = xo * s - pad; kx < xo * s - pad + kw; ++kx) {
                        if (kx < 0 || kx >= w)
                            continue;
                        const std::uint8_t* px = src + ((b * h + ky) * w + kx) * c;
                        for (std::int64_t ch = 0; ch < c; ++ch)
                            acc[std::size_t(ch)] += px[ch];
                        ++valid;
                    }
                }
                std::uint8_t* o = dst + ((b * oh + y) * ow + xo) * c;
                const std::int32_t offset = valid * std::int32_t(zp);
                for (std::int64_t ch = 0; ch < c; ++ch) {
                    float r = float(acc[std::size_t(ch)] - offset) * inv;
                    r = (r + 12582912.0f) - 12582912.0f + float(zp);
                    o[ch] = static_cast<std::uint8_t>(std::clamp(r, 0.0f, 255.0f));
                }
            }
    return out;
}

// An elementwise layer on a uint8 value: out[i] = table[in[i]], the table being the float layer
// applied to the 256 values the input can hold, quantised to the step's calibrated output range.
// The step's 256-byte table for an input of this scale and zero point (built once per scale).
std::array<std::uint8_t, 256> lutTable(const GraphNetImpl& net, std::size_t step, const QStep& st, const torch::Tensor& x) {
    LutCache& cache = *st.lut;
    std::lock_guard<std::mutex> lock(cache.mutex);
    if (cache.scale != x.q_scale() || cache.zeroPoint != x.q_zero_point()) {
        const torch::Tensor values = (torch::arange(256, torch::kFloat32) - float(x.q_zero_point())) * float(x.q_scale());
        const torch::Tensor y = quantizeValue(net.runStep(step, {values.reshape({1, 256})}), st.scale, st.zeroPoint);
        std::memcpy(cache.table.data(), y.data_ptr<c10::quint8>(), 256);
        cache.scale = x.q_scale();
        cache.zeroPoint = x.q_zero_point();
    }
    return cache.table;
}

torch::Tensor lookupQ(const GraphNetImpl& net, std::size_t step, const QStep& st, const torch::Tensor& in) {
    const torch::Tensor x = in.contiguous(in.suggest_memory_format());
    const std::array<std::uint8_t, 256> table = lutTable(net, step, st, x);
    torch::Tensor out = at::_empty_affine_quantized(x.sizes(), x.options(), st.scale, st.zeroPoint, x.suggest_memory_format());
    const auto* src = reinterpret_cast<const std::uint8_t*>(x.data_ptr<c10::quint8>());
    auto* dst = reinterpret_cast<std::uint8_t*>(out.data_ptr<c10::quint8>());
    const std::int64_t count = x.numel();
    for (std::int64_t i = 0; i < count; ++i)
        dst[i] = table[src[i]];
    return out;
}

// Unpadded average pooling (k × k, stride s) of table[x] in channels-last memory, with
// avgPoolQ's arithmetic: each output row sums its k input rows first (contiguous, vectorised),
// then each window's k columns. table == nullptr: the values as they are, at the input's scale.
torch::Tensor poolQ(const torch::Tensor& in, const std::uint8_t* table, double scale, std::int64_t zp, std::int64_t k,
                    std::int64_t s) {
    const torch::Tensor x = in.contiguous(at::MemoryFormat::ChannelsLast);
    const std::int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const std::int64_t oh = (h - k) / s + 1, ow = (w - k) / s + 1, row = w * c;
    torch::Tensor out = at::_empty_affine_quantized({n, c, oh, ow}, x.options(), scale, zp, at::MemoryFormat::ChannelsLast);
    const auto* src = reinterpret_cast<const std::uint8_t*>(x.data_ptr<c10::quint8>());
    auto* dst = reinterpret_cast<std::uint8_t*>(out.data_ptr<c10::quint8>());
    std::array<std::uint8_t, 256> identity;
    if (!table) {
        for (int i = 0; i < 256; ++i)
            identity[std::size_t(i)] = std::uint8_t(i);
        table = identity.data();
    }
    std::vector<std::int32_t> sums(static_cast<std::size_t>(row));
    const float inv = 1.0f / float(k * k);
    const std::int32_t offset = std::int32_t(k * k * zp);
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t y = 0; y < oh; ++y) {
            const std::uint8_t* r0 = src + (b * h + y * s) * row;
            for (std::int64_t j = 0; j < row; ++j)
                sums[std::size_t(j)] = table[r0[j]];
            for (std::int64_t ky = 1; ky < k; ++ky) {
                const std::uint8_t* r = r0 + ky * row;
                for (std::int64_t j = 0; j < row; ++j)
                    sums[std::size_t(j)] += table[r[j]];
            }
            std::uint8_t* o = dst + (b * oh + y) * ow * c;
            for (std::int64_t xo = 0; xo < ow; ++xo) {
                const std::int32_t* col = sums.data() + xo * s * c;
                for (std::int64_t ch = 0; ch < c; ++ch) {
                    std::int32_t acc = 0;
                    for (std::int64_t kx = 0; kx < k; ++kx)
                        acc += col[kx * c + ch];
                    float r = float(acc - offset) * inv;
                    r = (r + 12582912.0f) - 12582912.0f + float(zp);
                    o[xo * c + ch] = static_cast<std::uint8_t>(std::clamp(r, 0.0f, 255.0f));
                }
            }
        }
    return out;
}

// The requantisation constants of a step on the app's kernels for this input and output.
struct OwnRequant {
    std::vector<float> scale, bias;
    int8::Requant r;
};
OwnRequant ownRequant(const QStep& st, const torch::Tensor& in, double outScale, std::int64_t outZero) {
    OwnRequant o;
    const std::size_t rows = st.weightScales.size();
    o.scale.resize(rows);
    const double inScale = in.q_scale();
    for (std::size_t j = 0; j < rows; ++j)
        o.scale[j] = float(inScale * double(st.weightScales[j]) / outScale);
    o.bias.resize(st.biasValues.size());
    for (std::size_t j = 0; j < o.bias.size(); ++j)
        o.bias[j] = float(double(st.biasValues[j]) / outScale);
    o.r.scale = o.scale.data();
    o.r.bias = o.bias.empty() ? nullptr : o.bias.data();
    o.r.inZero = std::int32_t(in.q_zero_point());
    o.r.outZero = std::int32_t(outZero);
    o.r.relu = st.relu;
    return o;
}

torch::Tensor ownLinear(const QStep& st, const torch::Tensor& in, double outScale, std::int64_t outZero) {
    const torch::Tensor x = in.contiguous();
    const std::int64_t m = x.size(0), rows = st.own->rows;
    torch::Tensor out = at::_empty_affine_quantized({m, rows}, x.options(), outScale, outZero);
    const OwnRequant q = ownRequant(st, x, outScale, outZero);
    int8::gemm(reinterpret_cast<const std::uint8_t*>(x.data_ptr<c10::quint8>()), m, x.size(1), *st.own, q.r,
               reinterpret_cast<std::uint8_t*>(out.data_ptr<c10::quint8>()), rows);
    return out;
}

// A convolution on the app's GEMM without im2col: the input is copied once into a channels-last
// image padded with its zero point (plus a few bytes of slack), so every window is inside it; each
// output row is one GEMM whose rows are the row's pixels (stride × channels bytes apart) and whose
// 4-byte groups sit at fixed offsets from a pixel: kernel row ky's bytes are contiguous, padded
// to a multiple of 4 with zero weights (convRun).
torch::Tensor ownConv(const QStep& st, const torch::Tensor& in, double outScale, std::int64_t outZero) {
    const torch::Tensor x = in.contiguous(at::MemoryFormat::ChannelsLast);
    const std::int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    const std::int64_t kh = st.qweight.size(2), kw = st.qweight.size(3);
    const std::int64_t sh = st.stride[0], sw = st.stride[1], ph = st.padding[0], pw = st.padding[1];
    const std::int64_t dh = st.dilation[0];
    const std::int64_t hp = h + 2 * ph, wp = w + 2 * pw;
    const std::int64_t oh = (hp - dh * (kh - 1) - 1) / sh + 1, ow = (wp - kw) / sw + 1, rows = st.own->rows;
    torch::Tensor out =
        at::_empty_affine_quantized({n, rows, oh, ow}, x.options(), outScale, outZero, at::MemoryFormat::ChannelsLast);
    const OwnRequant q = ownRequant(st, x, outScale, outZero);
    const std::int64_t run = kw * c, padded = (run + 3) / 4 * 4;
    const auto zero = std::uint8_t(x.q_zero_point());
    thread_local std::vector<std::uint8_t> image;
    image.assign(std::size_t(n * hp * wp * c + padded), zero);
    const auto* src = reinterpret_cast<const std::uint8_t*>(x.data_ptr<c10::quint8>());
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t y = 0; y < h; ++y)
            std::memcpy(image.data() + ((b * hp + y + ph) * wp + pw) * c, src + (b * h + y) * w * c, std::size_t(w * c));
    std::vector<std::int64_t> offsets;
    for (std::int64_t ky = 0; ky < kh; ++ky)
        for (std::int64_t j = 0; j < padded; j += 4)
            offsets.push_back(ky * dh * wp * c + j);
    auto* dst = reinterpret_cast<std::uint8_t*>(out.data_ptr<c10::quint8>());
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t y = 0; y < oh; ++y)
            int8::gemm(image.data() + (b * hp + y * sh) * wp * c, ow, sw * c, *st.own, q.r, dst + (b * oh + y) * ow * rows,
                       rows, offsets.data());
    return out;
}

} // namespace

namespace {

// The network input as the first int8 layer takes it, straight from uint8 pixels: each channel's
// 256-entry table is normalizeBatch and quantizeValue applied to the values 0..255, so the bytes
// are those of the float round trip without its 4-byte-per-pixel tensor.
torch::Tensor quantizePixels(const ModelImpl& m, const torch::Tensor& u8, double scale, std::int64_t zp) {
    QuantizedNet& q = *m.quant;
    const std::int64_t c = u8.size(1);
    std::vector<std::array<std::uint8_t, 256>> tables;
    {
        std::lock_guard<std::mutex> lock(q.pixelMutex);
        if (std::int64_t(q.pixelTables.size()) != c || q.pixelScale != scale || q.pixelZeroPoint != zp) {
            q.pixelScale = scale;
            q.pixelZeroPoint = zp;
            const torch::Tensor values = torch::arange(256, torch::kInt).to(torch::kUInt8).reshape({1, 1, 1, 256}).expand({1, c, 1, 256});
            const torch::Tensor bytes = quantizeValue(normalizeBatch(values.contiguous(), m.normalization), scale, zp);
            const auto* b = reinterpret_cast<const std::uint8_t*>(bytes.data_ptr<c10::quint8>());
            q.pixelTables.resize(std::size_t(c));
            for (std::int64_t i = 0; i < c; ++i)
                std::memcpy(q.pixelTables[std::size_t(i)].data(), b + i * 256, 256);
        }
        tables = q.pixelTables;
    }
    const torch::Tensor x = u8.contiguous();
    torch::Tensor raw = torch::empty(x.sizes(), torch::TensorOptions().dtype(torch::kUInt8));
    const std::uint8_t* in = x.data_ptr<std::uint8_t>();
    std::uint8_t* out = raw.data_ptr<std::uint8_t>();
    const std::int64_t plane = x.size(2) * x.size(3);
    for (std::int64_t b = 0; b < x.size(0); ++b)
        for (std::int64_t ch = 0; ch < c; ++ch) {
            const std::uint8_t* table = tables[std::size_t(ch)].data();
            const std::int64_t base = (b * c + ch) * plane;
            for (std::int64_t i = 0; i < plane; ++i)
                out[base + i] = table[in[base + i]];
        }
    return at::_make_per_tensor_quantized_tensor(raw, scale, zp);
}

// quantizedForward on a float batch x, or on uint8 pixels (x undefined): the float batch is then
// made only if a float step reads the input.
torch::Tensor forwardInt8(const ModelImpl& m, torch::Tensor x, const torch::Tensor& pixels) {
    const QuantizedNet& q = *m.quant;
    const GraphNetImpl& net = *m.net;
    const std::size_t n = q.steps.size();
    std::vector<torch::Tensor> v(n), qv(n);
    // The Input step's value, when pixels came in, is made the first time a step reads it: as
    // floats for a float step, straight from the pixels for an int8 one.
    auto fromPixels = [&](int j) {
        return !x.defined() && (j < 0 || (q.steps[std::size_t(j)].type == "Input" && q.steps[std::size_t(j)].inputs[0] < 0));
    };
    auto value = [&](int j) -> const torch::Tensor& {
        if (fromPixels(j))
            x = normalizeBatch(pixels, m.normalization);
        if (j >= 0 && q.steps[std::size_t(j)].type == "Input" && !v[std::size_t(j)].defined())
            v[std::size_t(j)] = x;
        return j < 0 ? x : v[static_cast<std::size_t>(j)];
    };
    auto asQ = [&](int j) -> torch::Tensor {
        if (fromPixels(j)) {
            if (j < 0)
                return quantizePixels(m, pixels, q.inputScale, q.inputZeroPoint);
            torch::Tensor& cached = qv[static_cast<std::size_t>(j)];
            if (!cached.defined())
                cached = quantizePixels(m, pixels, q.steps[std::size_t(j)].scale, q.steps[std::size_t(j)].zeroPoint);
            return cached;
        }
        const torch::Tensor& t = value(j);
        if (t.is_quantized())
            return t;
        if (j < 0)
            return quantizeValue(t, q.inputScale, q.inputZeroPoint);
        torch::Tensor& cached = qv[static_cast<std::size_t>(j)];
        if (!cached.defined()) {
            const QStep& src = q.steps[static_cast<std::size_t>(j)];
            cached = quantizeValue(t, src.scale, src.zeroPoint);
        }
        return cached;
    };
    auto asF = [&](int j) -> torch::Tensor {
        const torch::Tensor& t = value(j);
        return t.is_quantized() ? t.dequantize() : t;
    };
    std::vector<torch::Tensor> args;
    for (std::size_t i = 0; i < n; ++i) {
        const QStep& st = q.steps[i];
        const double scale = st.last >= 0 ? q.steps[static_cast<std::size_t>(st.last)].scale : st.scale;
        const std::int64_t zp = st.last >= 0 ? q.steps[static_cast<std::size_t>(st.last)].zeroPoint : st.zeroPoint;
        switch (st.kind) {
        case Kind::Alias:
            v[i] = v[static_cast<std::size_t>(st.aliasOf)];
            break;
        case Kind::Conv:
            if (st.own) {
                v[i] = ownConv(st, asQ(st.inputs[0]), scale, zp);
                break;
            }
            v[i] = callOp(st.relu ? "quantized::conv2d_relu" : "quantized::conv2d", "new",
                          {asQ(st.inputs[0]), st.packed, scale, zp}).toTensor();
            break;
        case Kind::Linear:
            if (st.own) {
                v[i] = ownLinear(st, asQ(st.inputs[0]), scale, zp);
                break;
            }
            v[i] = callOp(st.relu ? "quantized::linear_relu" : "quantized::linear", "",
                          {asQ(st.inputs[0]), st.packed, scale, zp}).toTensor();
            break;
        case Kind::Add: {
            torch::Tensor sum = asQ(st.inputs[0]);
            for (std::size_t j = 1; j < st.inputs.size(); ++j) {
                const bool lastTerm = j + 1 == st.inputs.size();
                sum = callOp(lastTerm && st.relu ? "quantized::add_relu" : "quantized::add", "",
                             {sum, asQ(st.inputs[j]), scale, zp}).toTensor();
            }
            v[i] = sum;
            break;
        }
        case Kind::Cat: {
            c10::List<at::Tensor> parts;
            for (int j : st.inputs)
                parts.push_back(asQ(j));
            v[i] = callOp("quantized::cat", "", {parts, std::int64_t(1), c10::optional<double>(scale),
                                                 c10::optional<std::int64_t>(zp)}).toTensor();
            break;
        }
        case Kind::Pass: {
            if (st.pooledBy >= 0)
                break; // computed with its table (Kind::Lut)
            if (st.type == "Input" && st.inputs[0] < 0)
                break; // made when read (value, asQ)
            // Pixels in: a reshape or pooling of the input takes its int8 bytes (no float batch).
            const torch::Tensor in = fromPixels(st.inputs[0]) ? asQ(st.inputs[0]) : value(st.inputs[0]);
            if (!in.is_quantized()) {
                v[i] = net.runStep(i, {in});
                break;
            }
            const std::string& t = st.type;
            if (t == "ReLU")
                v[i] = torch::relu(in);
            else if (t == "Flatten")
                v[i] = in.reshape({in.size(0), -1});
            else if (t == "MaxPool2d")
                v[i] = torch::max_pool2d(in, {st.k, st.k}, {st.s, st.s}, {st.pad, st.pad}, {1, 1});
            else if (t == "AvgPool2d" && st.pad == 0)
                v[i] = poolQ(in, nullptr, in.q_scale(), in.q_zero_point(), st.k, st.s);
            else if (t == "AvgPool2d")
                v[i] = avgPoolQ(in, st.k, st.k, st.s, st.pad);
            else if (t == "GlobalAvgPool2d")
                v[i] = avgPoolQ(in, in.size(2), in.size(3), 1, 0).reshape({in.size(0), in.size(1)}); // any H × W
            else // Dropout in evaluation, Output, Input
                v[i] = in;
            break;
        }
        case Kind::Lut:
            if (st.poolAfter >= 0) {
                const QStep& pool = q.steps[std::size_t(st.poolAfter)];
                const torch::Tensor in = asQ(st.inputs[0]);
                const std::array<std::uint8_t, 256> table = lutTable(net, i, st, in);
                v[std::size_t(st.poolAfter)] = poolQ(in, table.data(), st.scale, st.zeroPoint, pool.k, pool.s);
                break;
            }
            v[i] = lookupQ(net, i, st, asQ(st.inputs[0]));
            break;
        case Kind::Float:
            args.clear();
            for (int j : st.inputs)
                args.push_back(asF(j));
            v[i] = net.runStep(i, args);
            break;
        }
    }
    const torch::Tensor& out = v[static_cast<std::size_t>(q.outputStep)];
    return out.is_quantized() ? out.dequantize() : out;
}

} // namespace

torch::Tensor quantizedForward(const ModelImpl& m, const torch::Tensor& x) { return forwardInt8(m, x, {}); }

torch::Tensor quantizedForwardPixels(const ModelImpl& m, const torch::Tensor& u8) { return forwardInt8(m, {}, u8); }

Model quantizeInt8(const Model& model, const Dataset& data, const QuantizeOptions& options, QuantizeReport* report) {
    if (isQuantized(model))
        throw Error("the model is quantised already");
    if (options.calibrationImages < 1)
        throw Error("calibration needs at least one image");
    const Shape& s = model.inputShape();
    if (Shape{data.channels, data.height, data.width} != s)
        throw Error("the model takes " + shapeToString(s) + " images but the calibration data " + data.name + " has " +
                    shapeToString(Shape{data.channels, data.height, data.width}));
    if (data.size() == 0)
        throw Error("the calibration data " + data.name + " holds no images");
    const std::string engine = chooseEngine();
    torch::NoGradGuard noGrad;

    // A fresh copy of the float network (the caller's model is left as it was).
    const ModelImpl& src = model.impl();
    DatasetInfo shapeInfo;
    shapeInfo.channels = s[0];
    shapeInfo.height = s[1];
    shapeInfo.width = s[2];
    shapeInfo.classNames = src.classNames;
    Model out = Model::compile(src.graph, shapeInfo, 0);
    ModelImpl& m = out.impl();
    m.normalization = src.normalization;
    m.appearance = src.appearance;
    m.metadata = src.metadata;
    {
        std::vector<std::pair<std::string, torch::Tensor>> values;
        for (const auto& p : src.net->named_parameters())
            values.emplace_back(p.key(), p.value().detach().to(torch::kCPU));
        for (const auto& b : src.net->named_buffers())
            values.emplace_back(b.key(), b.value().detach().to(torch::kCPU));
        loadState(*m.net, values, "the model");
    }
    m.net->eval();
    auto q = planFor(m);
    q->engine = engine;
    q->observer = options.observer == CalibrationObserver::MinMax ? "minmax" : "percentile";

    // Calibration: every step's float output range over images spread across the split.
    const std::int64_t count = std::min<std::int64_t>(options.calibrationImages, data.size());
    std::map<std::string, std::size_t> stepIndex;
    for (std::size_t i = 0; i < q->steps.size(); ++i)
        stepIndex[q->steps[i].id] = i;
    const std::size_t n = q->steps.size();
    std::vector<double> lo(n + 1, 0.0), hi(n + 1, 0.0); // [n] = the network input
    std::vector<std::vector<torch::Tensor>> samples(n + 1);
    torch::Generator gen = at::detail::createCPUGenerator(12345);
    auto observe = [&](std::size_t i, const torch::Tensor& t) {
        const torch::Tensor f = t.detach().to(torch::kFloat32).flatten();
        if (f.numel() == 0)
            return;
        lo[i] = std::min(lo[i], f.min().item<double>());
        hi[i] = std::max(hi[i], f.max().item<double>());
        if (options.observer == CalibrationObserver::Percentile) {
            const std::int64_t keep = std::min<std::int64_t>(f.numel(), 1 << 15);
            samples[i].push_back(f.index_select(0, torch::randint(f.numel(), {keep}, gen, torch::kLong)));
        }
    };
    const std::int64_t bs = std::max(1, options.batchSize);
    for (std::int64_t start = 0; start < count; start += bs) {
        const torch::Tensor x = spreadBatch(data, start, std::min(bs, count - start), count, m.normalization);
        observe(n, x);
        m.net->forwardVisiting(x, [&](const std::string& id, const torch::Tensor& v) { observe(stepIndex.at(id), v); });
    }
    if (options.observer == CalibrationObserver::Percentile) {
        const double pc = std::clamp(options.percentile, 50.0, 100.0) / 100.0;
        for (std::size_t i = 0; i <= n; ++i) {
            if (samples[i].empty())
                continue;
            const torch::Tensor all = torch::cat(samples[i]);
            lo[i] = torch::quantile(all, 1.0 - pc).item<double>();
            hi[i] = torch::quantile(all, pc).item<double>();
        }
    }
    std::tie(q->inputScale, q->inputZeroPoint) = affineParams(lo[n], hi[n]);
    for (std::size_t i = 0; i < n; ++i)
        std::tie(q->steps[i].scale, q->steps[i].zeroPoint) = affineParams(lo[i], hi[i]);
    q->calibrationImages = int(count);

    // Weights: BatchNorm folded, then per output channel symmetric int8 in [-64, 64]. x86 CPUs
    // without VNNI (AVX2: oneDNN's and ONNX Runtime's u8×s8 kernels) add pairs of uint8 × int8
    // products in int16, which saturates past 32,767: with the full ±127 range a batch of
    // Fashion-MNIST images came out up to 17 output steps off the exact integer result. 255 × 64
    // × 2 = 32,640 cannot saturate, so the arithmetic is exact on every CPU and identical to
    // TFLite's (docs/DECISIONS.md).
    for (QStep& st : q->steps) {
        if (st.kind != Kind::Conv && st.kind != Kind::Linear)
            continue;
        auto [w, b] = foldedWeights(*m.net, st, *q);
        w = w.to(torch::kFloat32).contiguous();
        std::vector<std::int64_t> dims;
        for (std::int64_t d = 1; d < w.dim(); ++d)
            dims.push_back(d);
        torch::Tensor scales = (w.abs().amax(dims) / kWeightLevels).to(torch::kFloat32);
        scales = torch::where(scales > 0, scales, torch::ones_like(scales));
        st.qweight = torch::quantize_per_channel(w, scales.to(torch::kDouble), torch::zeros({w.size(0)}, torch::kLong), 0,
                                                 torch::kQInt8);
        st.bias = b.defined() ? b.to(torch::kFloat32).contiguous() : torch::Tensor();
        prepack(st);
    }
    {
        auto params = m.net->named_parameters(true);
        for (const QStep& st : q->steps)
            for (const std::string& name : st.int8Matrices) {
                const auto [ints, scale] = int8Rows(params[name].detach().to(torch::kFloat32));
                params[name].copy_(fromInt8Rows(ints, scale)); // what the file will give back
            }
    }
    writeFloatCopy(*m.net, *q);
    m.quant = q;
    if (report)
        *report = quantizeReport(out);
    return out;
}

bool isQuantized(const Model& model) { return model.impl().quant != nullptr; }

QuantizeReport quantizeReport(const Model& model) {
    QuantizeReport r;
    const auto& q = model.impl().quant;
    if (!q)
        return r;
    r.engine = q->engine;
    r.calibrationImages = q->calibrationImages;
    const std::vector<bool> int8 = int8Domains(*q);
    for (std::size_t i = 0; i < q->steps.size(); ++i) {
        const QStep& st = q->steps[i];
        if (st.kind == Kind::Alias)
            r.foldedNodes.push_back(st.id + " (" + st.type + ", into " + q->steps[static_cast<std::size_t>(st.aliasOf)].id + ")");
        else if (st.kind == Kind::Float)
            r.floatNodes.push_back(st.id + " (" + st.type + (st.int8Matrices.empty() ? ")" : ", int8 weights)"));
        else if (int8[i] && st.type != "Output")
            r.int8Nodes.push_back(st.id);
    }
    return r;
}

Json quantizationInfo(const Model& model) {
    const auto& q = model.impl().quant;
    return q ? infoJson(*q) : Json(nullptr);
}

std::string quantizedMetadata(const ModelImpl& m) { return infoJson(*m.quant).dump(); }

std::vector<TensorRecord> quantizedRecords(const ModelImpl& m) {
    const QuantizedNet& q = *m.quant;
    std::set<std::string> covered; // parameters and buffers the int8 tensors replace
    std::vector<TensorRecord> out;
    for (const QStep& st : q.steps) {
        if (st.kind != Kind::Conv && st.kind != Kind::Linear)
            continue;
        out.push_back(toRecord(st.id + ".weight", st.qweight.int_repr()));
        out.push_back(toRecord(st.id + ".weight_scale", st.qweight.q_per_channel_scales().to(torch::kFloat32)));
        if (st.bias.defined())
            out.push_back(toRecord(st.id + ".bias", st.bias));
        covered.insert({st.id + ".weight", st.id + ".bias"});
        if (st.bnStep >= 0) {
            const std::string& bn = q.steps[static_cast<std::size_t>(st.bnStep)].id;
            for (const char* k : {".weight", ".bias", ".running_mean", ".running_var", ".num_batches_tracked"})
                covered.insert(bn + k);
        }
    }
    const auto params = m.net->named_parameters(true);
    for (const QStep& st : q.steps)
        for (const std::string& name : st.int8Matrices) {
            const auto [ints, scale] = int8Rows(params[name].detach().to(torch::kFloat32));
            out.push_back(toRecord(name, ints));
            out.push_back(toRecord(name + "_scale", scale));
            covered.insert(name);
        }
    for (const auto& p : m.net->named_parameters())
        if (!covered.count(p.key()))
            out.push_back(toRecord(p.key(), p.value()));
    for (const auto& b : m.net->named_buffers())
        if (!covered.count(b.key()))
            out.push_back(toRecord(b.key(), b.value()));
    return out;
}

std::vector<TensorRecord> quantizedTensors(const Model& model) {
    if (!isQuantized(model))
        throw Error("the model is not an int8 model");
    return quantizedRecords(model.impl());
}

void loadQuantized(ModelImpl& m, const SafetensorsFile& f, const std::string& what) {
    const std::string engine = chooseEngine();
    Json info;
    try {
        info = Json::parse(f.metadata.at("quantization"));
    } catch (const Json::exception&) {
        throw Error(what + ": metadata 'quantization' is not valid JSON");
    }
    auto bad = [&](const std::string& msg) { return Error(what + ": " + msg + "; the int8 model cannot be used"); };
    if (!info.is_object() || info.value("scheme", std::string()) != "int8" || !info.contains("steps") ||
        !info["steps"].is_object() || !info.contains("input") || !info["input"].is_object())
        throw bad("its quantization metadata is not the int8 scheme this version reads");
    auto qparams = [&](const Json& j, const std::string& name) -> std::pair<double, std::int64_t> {
        if (!j.is_object() || !j.contains("scale") || !j["scale"].is_number() || !j.contains("zero_point") ||
            !j["zero_point"].is_number_integer())
            throw bad("the activation quantisation of " + name + " has no numeric scale and integer zero_point");
        const double scale = j["scale"].get<double>();
        const std::int64_t zp = j["zero_point"].get<std::int64_t>();
        // 1e-30: below it 1 / scale overflows a float and every value quantises to one end.
        if (!std::isfinite(scale) || scale < 1e-30 || scale > 1e9)
            throw bad("the activation scale of " + name + " is " + j["scale"].dump() +
                      " (it must be a positive number from 1e-30 to 1e9)");
        if (zp < 0 || zp > 255)
            throw bad("the activation zero point of " + name + " is " + std::to_string(zp) + " (uint8 needs 0 to 255)");
        return {scale, zp};
    };
    auto q = planFor(m);
    q->engine = engine;
    q->observer = info.value("observer", std::string("minmax"));
    q->calibrationImages = info.value("calibration_images", 0);
    std::tie(q->inputScale, q->inputZeroPoint) = qparams(info["input"], "the input");
    const Json& steps = info["steps"];
    for (QStep& st : q->steps) {
        if (!steps.contains(st.id))
            throw bad("its quantization metadata has no entry for layer " + st.id);
        const Json& j = steps[st.id];
        const std::string kind = j.is_object() ? j.value("kind", std::string()) : std::string();
        if (kind != kindName(st.kind))
            throw bad("layer " + st.id + " is stored as '" + kind + "' but its graph makes it '" + kindName(st.kind) + "'");
        std::tie(st.scale, st.zeroPoint) = qparams(j, "layer " + st.id);
    }
    torch::NoGradGuard noGrad;
    auto tensor = [&](const std::string& name) -> const TensorRecord& {
        const TensorRecord* r = f.find(name);
        if (!r)
            throw bad("it has no tensor '" + name + "'");
        return *r;
    };
    std::set<std::string> covered;
    const auto params = m.net->named_parameters(true);
    for (QStep& st : q->steps) {
        if (st.kind != Kind::Conv && st.kind != Kind::Linear)
            continue;
        const torch::Tensor& target = params[st.id + ".weight"];
        const TensorRecord& w = tensor(st.id + ".weight");
        if (w.dtype != DType::I8)
            throw bad("tensor '" + st.id + ".weight' is " + dtypeName(w.dtype) + ", not I8");
        if (c10::IntArrayRef(w.shape) != target.sizes())
            throw bad("tensor '" + st.id + ".weight' has shape " + c10::str(c10::IntArrayRef(w.shape)) +
                      " but the network needs " + c10::str(target.sizes()));
        const TensorRecord& sc = tensor(st.id + ".weight_scale");
        if (sc.dtype != DType::F32 || sc.shape != std::vector<std::int64_t>{target.size(0)})
            throw bad("tensor '" + st.id + ".weight_scale' must be F32 of shape [" + std::to_string(target.size(0)) + "]");
        const torch::Tensor scales = fromRecord(sc);
        const std::int64_t invalid = (~(torch::isfinite(scales) & (scales > 0))).sum().item<std::int64_t>();
        if (invalid > 0)
            throw bad("tensor '" + st.id + ".weight_scale' holds " + std::to_string(invalid) +
                      " scale(s) that are zero, negative, NaN or infinite");
        const torch::Tensor ints = fromRecord(w);
        st.qweight = at::_make_per_channel_quantized_tensor(ints, scales.to(torch::kDouble),
                                                            torch::zeros({target.size(0)}, torch::kLong), 0);
        const bool wantsBias = params.contains(st.id + ".bias") || st.bnStep >= 0;
        if (wantsBias) {
            const TensorRecord& b = tensor(st.id + ".bias");
            if (b.dtype != DType::F32 || b.shape != std::vector<std::int64_t>{target.size(0)})
                throw bad("tensor '" + st.id + ".bias' must be F32 of shape [" + std::to_string(target.size(0)) + "]");
            st.bias = fromRecord(b);
            if (!torch::isfinite(st.bias).all().item<bool>())
                throw bad("tensor '" + st.id + ".bias' holds NaN or infinite values");
        }
        covered.insert({st.id + ".weight", st.id + ".bias"});
        if (st.bnStep >= 0) {
            const std::string& bn = q->steps[static_cast<std::size_t>(st.bnStep)].id;
            for (const char* k : {".weight", ".bias", ".running_mean", ".running_var", ".num_batches_tracked"})
                covered.insert(bn + k);
        }
        try {
            prepack(st);
        } catch (const c10::Error& e) {
            throw bad("layer " + st.id + "'s int8 weights cannot be prepared: " + e.what_without_backtrace());
        }
    }
    std::vector<std::pair<std::string, torch::Tensor>> rest;
    std::set<std::string> scaleNames;
    for (const QStep& st : q->steps) {
        if (st.kind == Kind::Conv || st.kind == Kind::Linear)
            scaleNames.insert(st.id + ".weight_scale");
        for (const std::string& name : st.int8Matrices) {
            const torch::Tensor& target = params[name];
            const TensorRecord& w = tensor(name);
            if (w.dtype != DType::I8 || c10::IntArrayRef(w.shape) != target.sizes())
                throw bad("tensor '" + name + "' must be I8 of shape " + c10::str(target.sizes()));
            const TensorRecord& sc = tensor(name + "_scale");
            if (sc.dtype != DType::F32 || sc.shape != std::vector<std::int64_t>{target.size(0)})
                throw bad("tensor '" + name + "_scale' must be F32 of shape [" + std::to_string(target.size(0)) + "]");
            const torch::Tensor scales = fromRecord(sc);
            const std::int64_t invalid = (~(torch::isfinite(scales) & (scales > 0))).sum().item<std::int64_t>();
            if (invalid > 0)
                throw bad("tensor '" + name + "_scale' holds " + std::to_string(invalid) +
                          " scale(s) that are zero, negative, NaN or infinite");
            rest.emplace_back(name, fromInt8Rows(fromRecord(w), scales));
            covered.insert(name);
            scaleNames.insert(name + "_scale");
        }
    }
    // Everything else (the layers that run in float) is stored as in a float model.
    for (const TensorRecord& r : f.tensors)
        if (!covered.count(r.name) && !scaleNames.count(r.name))
            rest.emplace_back(r.name, fromRecord(r));
    std::set<std::string> fromInt8;
    for (const QStep& st : q->steps)
        fromInt8.insert(st.int8Matrices.begin(), st.int8Matrices.end());
    for (const auto& p : m.net->named_parameters())
        if (covered.count(p.key()) && !fromInt8.count(p.key()))
            rest.emplace_back(p.key(), p.value().detach().clone());
    for (const auto& b : m.net->named_buffers())
        if (covered.count(b.key()))
            rest.emplace_back(b.key(), b.value().detach().clone());
    loadState(*m.net, rest, what);
    writeFloatCopy(*m.net, *q);
    m.net->eval();
    m.quant = q;
}

} // namespace nc
