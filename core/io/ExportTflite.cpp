// TFLite export: a FlatBuffer of our own schema subset (io/tflite_schema.fbs, compiled by flatc at
// build time). TFLite computes in NHWC with OHWI filters, so the graph's NCHW layout is changed
// on the way: the input is [N, H, W, C], 4-D values stay NHWC, a Flatten of an H×W×C value keeps
// the (h, w, c) order and the fully-connected layer after it gets its columns reordered to match.
// An int8 model becomes a full-int8 TFLite model with the app's own scales (uint8 zero points
// shifted by -128 to int8), float only where the app itself computes in float.
#include "io/Export.h"
#include "io/ExportInt8.h"
#include "nn/Quantize.h"
#include "util/Error.h"
#include "util/Files.h"

#ifdef NC_HAVE_TFLITE
#include "tflite_schema_generated.h"
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>

namespace nc {

#ifndef NC_HAVE_TFLITE
void exportTflite(const Model&, const std::string&) {
    throw Error("this build of NeuralCanvas has no TFLite support (flatbuffers-compiler and libflatbuffers-dev were "
                "not found at build time)");
}
#else

namespace {

using I64 = std::int64_t;
using tflite::BuiltinOperator;
using tflite::TensorType;

// A value of the network as a TFLite tensor, and how its layout differs from the graph's.
struct Val {
    int tensor = -1;
    Shape shape;          // the graph's shape without the batch: [C, H, W] or [F]
    Shape flatFrom;       // [F] holding this [C, H, W] value in (h, w, c) order rather than (c, h, w)
    bool flatHwc() const { return !flatFrom.empty(); }
    bool int8 = false;    // int8 with `q` (the app's uint8 zero point; -128 in the file)
    QParams q;
};

std::vector<std::uint8_t> bytesOf(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    return std::vector<std::uint8_t>(b, b + n);
}

class TfliteWriter {
public:
    flatbuffers::FlatBufferBuilder fb{1 << 20};

    struct TensorDef {
        std::vector<std::int32_t> shape;
        TensorType type = TensorType::TensorType_FLOAT32;
        std::uint32_t buffer = 0;
        std::string name;
        std::vector<float> scale;
        std::vector<std::int64_t> zeroPoint;
        int quantizedDimension = 0;
    };
    std::vector<TensorDef> tensors;
    std::vector<std::vector<std::uint8_t>> buffers{{}}; // 0: the empty sentinel
    struct OpDef {
        std::uint32_t code;
        std::vector<std::int32_t> inputs, outputs;
        tflite::BuiltinOptions optionsType;
        flatbuffers::Offset<void> options;
    };
    std::vector<OpDef> ops;
    std::vector<std::pair<BuiltinOperator, int>> codes;

    // `shape` without the batch, which is 1 (the signature says -1).
    int tensor(const std::string& name, const Shape& shape, TensorType type, const std::optional<QParams>& q = {}) {
        TensorDef t;
        t.name = name;
        t.shape.push_back(1);
        for (I64 d : shape)
            t.shape.push_back(static_cast<std::int32_t>(d));
        t.type = type;
        if (q) {
            t.scale = {float(q->scale)};
            t.zeroPoint = {q->zeroPoint - 128};
        }
        tensors.push_back(std::move(t));
        return int(tensors.size()) - 1;
    }
    // A constant (no batch dimension): weights, biases, shapes.
    int constant(const std::string& name, std::vector<std::int32_t> shape, TensorType type,
                 std::vector<std::uint8_t> data) {
        TensorDef t;
        t.name = name;
        t.shape = std::move(shape);
        t.type = type;
        t.buffer = static_cast<std::uint32_t>(buffers.size());
        buffers.push_back(std::move(data));
        tensors.push_back(std::move(t));
        return int(tensors.size()) - 1;
    }
    int floats(const std::string& name, std::vector<std::int32_t> shape, const std::vector<float>& v) {
        return constant(name, std::move(shape), TensorType::TensorType_FLOAT32, bytesOf(v.data(), v.size() * 4));
    }
    int ints(const std::string& name, std::vector<std::int32_t> shape, const std::vector<std::int32_t>& v) {
        return constant(name, std::move(shape), TensorType::TensorType_INT32, bytesOf(v.data(), v.size() * 4));
    }

    std::uint32_t code(BuiltinOperator op, int version) {
        for (std::size_t i = 0; i < codes.size(); ++i)
            if (codes[i].first == op) {
                codes[i].second = std::max(codes[i].second, version);
                return std::uint32_t(i);
            }
        codes.emplace_back(op, version);
        return std::uint32_t(codes.size() - 1);
    }
    void op(BuiltinOperator type, int version, std::vector<std::int32_t> in, std::vector<std::int32_t> out,
            tflite::BuiltinOptions optionsType = tflite::BuiltinOptions_NONE,
            flatbuffers::Offset<void> options = 0) {
        ops.push_back({code(type, version), std::move(in), std::move(out), optionsType, options});
    }

    std::string finish(int input, int output, const std::string& metadata) {
        std::vector<flatbuffers::Offset<tflite::Buffer>> bufs;
        buffers.push_back(bytesOf(metadata.data(), metadata.size()));
        const std::uint32_t metaBuffer = std::uint32_t(buffers.size() - 1);
        for (const auto& b : buffers)
            bufs.push_back(b.empty() ? tflite::CreateBuffer(fb) : tflite::CreateBufferDirect(fb, &b));
        std::vector<flatbuffers::Offset<tflite::Tensor>> ts;
        for (std::size_t i = 0; i < tensors.size(); ++i) {
            const TensorDef& t = tensors[i];
            flatbuffers::Offset<tflite::QuantizationParameters> q = 0;
            if (!t.scale.empty())
                q = tflite::CreateQuantizationParametersDirect(fb, nullptr, nullptr, &t.scale, &t.zeroPoint,
                                                               tflite::QuantizationDetails_NONE, 0,
                                                               t.quantizedDimension);
            std::vector<std::int32_t> signature = t.shape;
            const bool batched = t.buffer == 0 && !signature.empty();
            if (batched)
                signature[0] = -1;
            ts.push_back(tflite::CreateTensorDirect(fb, &t.shape, t.type, t.buffer, t.name.c_str(), q, false, 0,
                                                    batched ? &signature : nullptr));
        }
        std::vector<flatbuffers::Offset<tflite::Operator>> os;
        for (const OpDef& o : ops)
            os.push_back(tflite::CreateOperatorDirect(fb, o.code, &o.inputs, &o.outputs, o.optionsType, o.options));
        const std::vector<std::int32_t> ins{input}, outs{output};
        auto subgraph = tflite::CreateSubGraphDirect(fb, &ts, &ins, &outs, &os, "main");
        std::vector<flatbuffers::Offset<tflite::OperatorCode>> cs;
        for (const auto& [op, version] : codes)
            cs.push_back(tflite::CreateOperatorCode(fb, static_cast<std::int8_t>(std::min<int>(op, 127)), 0, version, op));
        std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs{subgraph};
        std::vector<flatbuffers::Offset<tflite::Metadata>> meta{
            tflite::CreateMetadataDirect(fb, "neuralcanvas", metaBuffer)};
        std::vector<flatbuffers::Offset<tflite::TensorMap>> sigIn{tflite::CreateTensorMapDirect(fb, "input", std::uint32_t(input))},
            sigOut{tflite::CreateTensorMapDirect(fb, "logits", std::uint32_t(output))};
        std::vector<flatbuffers::Offset<tflite::SignatureDef>> sigs{
            tflite::CreateSignatureDefDirect(fb, &sigIn, &sigOut, "serving_default", 0)};
        auto model = tflite::CreateModelDirect(fb, 3, &cs, &subgraphs, "NeuralCanvas", &bufs, nullptr, &meta, &sigs);
        tflite::FinishModelBuffer(fb, model);
        return std::string(reinterpret_cast<const char*>(fb.GetBufferPointer()), fb.GetSize());
    }
};

// PyTorch's [O, I, kh, kw] as TFLite's [O, kh, kw, I] (or depthwise [1, kh, kw, O] from [O, 1, kh, kw]).
template <typename T>
std::vector<T> toOhwi(const std::vector<T>& w, I64 o, I64 i, I64 k, bool depthwise) {
    std::vector<T> out(w.size());
    for (I64 a = 0; a < o; ++a)
        for (I64 b = 0; b < i; ++b)
            for (I64 y = 0; y < k; ++y)
                for (I64 x = 0; x < k; ++x) {
                    const T v = w[std::size_t(((a * i + b) * k + y) * k + x)];
                    if (depthwise)
                        out[std::size_t((y * k + x) * o + a)] = v;
                    else
                        out[std::size_t(((a * k + y) * k + x) * i + b)] = v;
                }
    return out;
}

// The columns of a [rows, C·H·W] matrix put in (h, w, c) order.
template <typename T>
std::vector<T> columnsToHwc(const std::vector<T>& w, I64 rows, I64 c, I64 h, I64 wd) {
    std::vector<T> out(w.size());
    const I64 cols = c * h * wd;
    for (I64 r = 0; r < rows; ++r)
        for (I64 ch = 0; ch < c; ++ch)
            for (I64 y = 0; y < h; ++y)
                for (I64 x = 0; x < wd; ++x)
                    out[std::size_t(r * cols + (y * wd + x) * c + ch)] = w[std::size_t(r * cols + (ch * h + y) * wd + x)];
    return out;
}

class Exporter {
public:
    Exporter(const Model& model, const std::vector<ExportNode>& nodes) : m_model(model), m_nodes(nodes) {
        for (TensorRecord& r : model.state())
            m_weights.emplace(r.name, std::move(r));
        if (isQuantized(model))
            m_plan = int8Plan(model, nodes);
    }

    std::string run() {
        const Shape& in = m_model.inputShape();
        const I64 c = in[0], h = in[1], w = in[2];
        const int input = m_w.tensor("input", {h, w, c}, TensorType::TensorType_FLOAT32);
        // Normalisation inside, as in every export: x · (1/std) + (−mean/std) per channel.
        const Normalization& norm = m_model.normalization();
        std::vector<float> scale, shift;
        for (I64 ch = 0; ch < c; ++ch) {
            scale.push_back(1.f / norm.std[std::size_t(ch)]);
            shift.push_back(-norm.mean[std::size_t(ch)] / norm.std[std::size_t(ch)]);
        }
        Val x;
        x.tensor = input;
        x.shape = in;
        x = binary(BuiltinOperator::BuiltinOperator_MUL, x, m_w.floats("norm_scale", {int(c)}, scale), "input_scaled");
        x = binary(BuiltinOperator::BuiltinOperator_ADD, x, m_w.floats("norm_shift", {int(c)}, shift), "input_normalized");
        m_network = x;
        Val out;
        for (const ExportNode& n : m_nodes) {
            std::vector<Val> ins;
            for (const std::string& i : n.inputs)
                ins.push_back(m_vals.at(i));
            if (ins.empty())
                ins.push_back(m_network);
            if (n.type == "Output") {
                out = plain(asFloat(ins.front()), n.id);
                continue;
            }
            m_vals[n.id] = node(n, ins);
        }
        Json meta{{"class_names", m_model.classNames()},
                  {"input", "float32 [N, H, W, C] in [0, 1] (channels last); normalisation is applied inside"},
                  {"input_shape_nchw", m_model.inputShape()},
                  {"normalization", {{"mean", norm.mean}, {"std", norm.std}}},
                  {"output", "float32 [N, classes] logits"},
                  {"quantization", m_plan ? "int8: int8 activations per tensor, int8 weights per output channel, int32 biases"
                                          : "none (float32)"}};
        return m_w.finish(input, out.tensor, meta.dump());
    }

private:
    const Model& m_model;
    const std::vector<ExportNode>& m_nodes;
    std::map<std::string, TensorRecord> m_weights;
    std::optional<Int8Plan> m_plan;
    TfliteWriter m_w;
    std::map<std::string, Val> m_vals;
    std::map<int, Val> m_floatOf; // int8 tensor -> its DEQUANTIZE
    std::map<std::string, Val> m_int8Of; // node -> its float value QUANTIZEd
    Val m_network;
    int m_unique = 0;

    bool int8Mode() const { return m_plan.has_value(); }
    int v(int floatVersion, int int8Version) const { return int8Mode() ? int8Version : floatVersion; }
    std::string fresh(const std::string& base) { return base + "_" + std::to_string(++m_unique); }

    Shape tfShape(const Val& x) const { // without batch
        if (x.shape.size() == 3)
            return {x.shape[1], x.shape[2], x.shape[0]};
        return x.shape;
    }
    TensorType typeOf(const Val& x) const { return x.int8 ? TensorType::TensorType_INT8 : TensorType::TensorType_FLOAT32; }
    // A new activation tensor: float, or int8 with `q`.
    Val like(const std::string& name, const Shape& shape, std::optional<QParams> q = {}) {
        Val y;
        y.shape = shape;
        y.int8 = q.has_value();
        if (q)
            y.q = *q;
        y.tensor = m_w.tensor(name, tfShape(y), typeOf(y), q);
        return y;
    }

    std::vector<float> weightsF(const std::string& name) const {
        auto it = m_weights.find(name);
        if (it == m_weights.end())
            throw Error("internal: tensor " + name + " is missing");
        std::vector<float> out(it->second.data.size() / 4);
        std::memcpy(out.data(), it->second.data.data(), out.size() * 4);
        return out;
    }
    bool hasWeight(const std::string& name) const { return m_weights.count(name) > 0; }

    Val asFloat(const Val& x) {
        if (!x.int8)
            return x;
        auto it = m_floatOf.find(x.tensor);
        if (it != m_floatOf.end())
            return it->second;
        Val y = like(m_w.tensors[std::size_t(x.tensor)].name + "_float", x.shape);
        y.flatFrom = x.flatFrom;
        m_w.op(BuiltinOperator::BuiltinOperator_DEQUANTIZE, 2, {x.tensor}, {y.tensor});
        return m_floatOf[x.tensor] = y;
    }
    // The value of node `id` as int8 (what the app's int8 kernels read).
    Val asInt8(const std::string& id) {
        const Val& x = m_vals.at(id);
        if (x.int8)
            return x;
        auto it = m_int8Of.find(id);
        if (it != m_int8Of.end())
            return it->second;
        Val y = like(id + "_int8", x.shape, m_plan->at(id).own);
        y.flatFrom = x.flatFrom;
        m_w.op(BuiltinOperator::BuiltinOperator_QUANTIZE, 2, {x.tensor}, {y.tensor});
        return m_int8Of[id] = y;
    }
    Val requantize(const Val& x, const QParams& q, const std::string& name) {
        if (x.q == q)
            return x;
        Val y = like(name, x.shape, q);
        y.flatFrom = x.flatFrom;
        m_w.op(BuiltinOperator::BuiltinOperator_QUANTIZE, 2, {x.tensor}, {y.tensor});
        return y;
    }
    Val reshape(const Val& x, const Shape& shape, const std::string& name) {
        std::vector<std::int32_t> target{-1};
        Shape tf = shape.size() == 3 ? Shape{shape[1], shape[2], shape[0]} : shape;
        for (I64 d : tf)
            target.push_back(std::int32_t(d));
        const int shapeTensor = m_w.ints(name + "_shape", {std::int32_t(target.size())}, target);
        Val y = like(name, shape, x.int8 ? std::optional<QParams>(x.q) : std::nullopt);
        auto opts = tflite::CreateReshapeOptionsDirect(m_w.fb, &target).Union();
        m_w.op(BuiltinOperator::BuiltinOperator_RESHAPE, 1, {x.tensor, shapeTensor}, {y.tensor},
               tflite::BuiltinOptions_ReshapeOptions, opts);
        return y;
    }
    // A flattened H×W×C value in the graph's (c, h, w) order: back to NHWC, NCHW, then flat.
    Val plain(const Val& x, const std::string& id) {
        if (!x.flatHwc())
            return x;
        const Shape chw = x.flatFrom;
        Val nhwc = reshape(x, chw, fresh(id + "_hwc"));
        const int perm = m_w.ints(fresh(id + "_perm"), {4}, {0, 3, 1, 2});
        Val nchw = like(fresh(id + "_nchw"), chw, x.int8 ? std::optional<QParams>(x.q) : std::nullopt);
        // `like` lays a [C, H, W] shape out as NHWC; this tensor is NCHW.
        m_w.tensors[std::size_t(nchw.tensor)].shape = {1, std::int32_t(chw[0]), std::int32_t(chw[1]), std::int32_t(chw[2])};
        m_w.op(BuiltinOperator::BuiltinOperator_TRANSPOSE, v(1, 2), {nhwc.tensor, perm}, {nchw.tensor},
               tflite::BuiltinOptions_TransposeOptions, tflite::CreateTransposeOptions(m_w.fb).Union());
        Val flat = nchw;
        flat.shape = {chw[0] * chw[1] * chw[2]};
        std::vector<std::int32_t> target{-1, std::int32_t(flat.shape[0])};
        const int shapeTensor = m_w.ints(fresh(id + "_flat_shape"), {2}, target);
        Val y = like(fresh(id + "_chw"), flat.shape, x.int8 ? std::optional<QParams>(x.q) : std::nullopt);
        m_w.op(BuiltinOperator::BuiltinOperator_RESHAPE, 1, {nchw.tensor, shapeTensor}, {y.tensor},
               tflite::BuiltinOptions_ReshapeOptions, tflite::CreateReshapeOptionsDirect(m_w.fb, &target).Union());
        return y;
    }

    Val binary(BuiltinOperator type, const Val& a, int constant, const std::string& name) {
        Val y = like(name, a.shape);
        y.flatFrom = a.flatFrom;
        if (type == BuiltinOperator::BuiltinOperator_MUL)
            m_w.op(type, 1, {a.tensor, constant}, {y.tensor}, tflite::BuiltinOptions_MulOptions,
                   tflite::CreateMulOptions(m_w.fb).Union());
        else
            m_w.op(type, 1, {a.tensor, constant}, {y.tensor}, tflite::BuiltinOptions_AddOptions,
                   tflite::CreateAddOptions(m_w.fb).Union());
        return y;
    }

    // TFLite padding for a PyTorch symmetric padding `pad` (or "same"): SAME or VALID when one
    // of them computes the same windows, else an explicit PAD first (zeros; int8: the zero point).
    tflite::Padding padding(const ExportNode& n, Val& x, I64 k, I64 s, I64 d, const Json& padParam, bool maxPool) {
        if (padParam.is_string())
            return tflite::Padding_SAME; // stride 1, PyTorch puts the odd pixel at the end as TFLite does
        const I64 pad = padParam.get<I64>();
        if (pad == 0)
            return tflite::Padding_VALID;
        const I64 keff = d * (k - 1) + 1;
        bool same = true;
        for (I64 size : {x.shape[1], x.shape[2]}) {
            const I64 outPt = (size + 2 * pad - keff) / s + 1, outSame = (size + s - 1) / s;
            const I64 total = std::max<I64>((outSame - 1) * s + keff - size, 0);
            same = same && outPt == outSame && total / 2 == pad && total - total / 2 == pad;
        }
        if (same && (maxPool || n.type == "Conv2d"))
            return tflite::Padding_SAME; // a convolution's SAME pads zeros; max pooling's ignores them
        if (maxPool)
            throw Error(n.id + ": MaxPool2d with padding " + std::to_string(pad) +
                        " on this input cannot be expressed in TFLite (its SAME padding places the windows "
                        "differently); use padding 0 or a stride of 1");
        const std::vector<std::int32_t> pads{0, 0, std::int32_t(pad), std::int32_t(pad), std::int32_t(pad), std::int32_t(pad), 0, 0};
        const int padTensor = m_w.ints(n.id + "_paddings", {4, 2}, pads);
        Val y = like(n.id + "_padded", {x.shape[0], x.shape[1] + 2 * pad, x.shape[2] + 2 * pad},
                     x.int8 ? std::optional<QParams>(x.q) : std::nullopt);
        m_w.op(BuiltinOperator::BuiltinOperator_PAD, v(1, 2), {x.tensor, padTensor}, {y.tensor},
               tflite::BuiltinOptions_PadOptions, tflite::CreatePadOptions(m_w.fb).Union());
        x = y;
        return tflite::Padding_VALID;
    }

    Val node(const ExportNode& n, const std::vector<Val>& ins) {
        const std::string& t = n.type;
        if (t == "Input" || t == "Dropout" || t == "Dropout2d" || t == "Reparameterize" || t == "Detach")
            return ins.front();
        if (int8Mode()) {
            const Int8Node& q = m_plan->at(n.id);
            if (q.kind == "fused")
                return m_vals.at(q.fusedInto);
            if (q.kind == "conv" || q.kind == "linear")
                return int8Layer(n, q);
            if (q.kind == "add")
                return int8Add(n, q);
            if (q.kind == "concat")
                return int8Concat(n, q);
            if (q.kind == "table") { // the float layer between a dequantise and a quantise: the app's table
                Val y = floatLayer(n, {asFloat(ins.front())});
                Val r = like(n.id + "_int8", y.shape, q.value);
                r.flatFrom = y.flatFrom;
                m_w.op(BuiltinOperator::BuiltinOperator_QUANTIZE, 2, {y.tensor}, {r.tensor});
                return r;
            }
            if (q.kind == "pass" && ins.front().int8)
                return floatLayer(n, ins); // on the int8 value (pooling, ReLU, Flatten keep its range)
            std::vector<Val> fl;
            for (const Val& x : ins)
                fl.push_back(asFloat(x));
            return floatLayer(n, fl);
        }
        return floatLayer(n, ins);
    }

    // Conv2d and Linear in float (or on an int8 value for the pass layers).
    Val floatLayer(const ExportNode& n, std::vector<Val> ins) {
        const std::string& t = n.type;
        const Json& p = n.params;
        Val x = ins.front();
        const std::optional<QParams> keep = x.int8 ? std::optional<QParams>(x.q) : std::nullopt;
        auto unary = [&](BuiltinOperator op, int version, tflite::BuiltinOptions ot = tflite::BuiltinOptions_NONE,
                         flatbuffers::Offset<void> o = 0) {
            Val y = like(n.id, x.shape, keep);
            y.flatFrom = x.flatFrom;
            m_w.op(op, version, {x.tensor}, {y.tensor}, ot, o);
            return y;
        };
        if (t == "Conv2d") {
            const I64 k = p["kernel_size"], s = p["stride"], d = p["dilation"], groups = p["groups"];
            const I64 cin = x.shape[0], cout = n.outputShape[0];
            const bool depthwise = groups > 1 && groups == cin;
            if (groups > 1 && !depthwise)
                throw Error(n.id + ": a grouped convolution (groups=" + std::to_string(groups) +
                            ") cannot be expressed in TFLite; use groups 1 or groups = input channels (depthwise)");
            const tflite::Padding pad = padding(n, x, k, s, d, p["padding"], false);
            const std::vector<float> w = weightsF(n.id + ".weight");
            const int filter = m_w.floats(n.id + ".weight", depthwise ? std::vector<std::int32_t>{1, int(k), int(k), int(cout)}
                                                                     : std::vector<std::int32_t>{int(cout), int(k), int(k), int(cin / groups)},
                                          toOhwi(w, cout, cin / groups, k, depthwise));
            const std::vector<float> b = hasWeight(n.id + ".bias") ? weightsF(n.id + ".bias") : std::vector<float>(std::size_t(cout), 0.f);
            const int bias = m_w.floats(n.id + ".bias", {int(cout)}, b);
            Val y = like(n.id, n.outputShape);
            if (depthwise)
                m_w.op(BuiltinOperator::BuiltinOperator_DEPTHWISE_CONV_2D, 1, {x.tensor, filter, bias}, {y.tensor},
                       tflite::BuiltinOptions_DepthwiseConv2DOptions,
                       tflite::CreateDepthwiseConv2DOptions(m_w.fb, pad, int(s), int(s), int(cout / cin),
                                                            tflite::ActivationFunctionType_NONE, int(d), int(d)).Union());
            else
                m_w.op(BuiltinOperator::BuiltinOperator_CONV_2D, 1, {x.tensor, filter, bias}, {y.tensor},
                       tflite::BuiltinOptions_Conv2DOptions,
                       tflite::CreateConv2DOptions(m_w.fb, pad, int(s), int(s), tflite::ActivationFunctionType_NONE,
                                                   int(d), int(d)).Union());
            return y;
        }
        if (t == "Linear") {
            const I64 out = n.outputShape[0], inF = x.shape[0];
            std::vector<float> w = weightsF(n.id + ".weight");
            if (x.flatHwc()) {
                const Shape& chw = x.flatFrom;
                w = columnsToHwc(w, out, chw[0], chw[1], chw[2]);
            }
            const int weight = m_w.floats(n.id + ".weight", {int(out), int(inF)}, w);
            const std::vector<float> b = hasWeight(n.id + ".bias") ? weightsF(n.id + ".bias") : std::vector<float>(std::size_t(out), 0.f);
            const int bias = m_w.floats(n.id + ".bias", {int(out)}, b);
            Val y = like(n.id, n.outputShape);
            m_w.op(BuiltinOperator::BuiltinOperator_FULLY_CONNECTED, 1, {x.tensor, weight, bias}, {y.tensor},
                   tflite::BuiltinOptions_FullyConnectedOptions, tflite::CreateFullyConnectedOptions(m_w.fb).Union());
            return y;
        }
        if (t == "MaxPool2d" || t == "AvgPool2d") {
            const I64 k = p["kernel_size"], s = p["stride"].get<I64>() ? p["stride"].get<I64>() : k;
            const tflite::Padding pad = padding(n, x, k, s, 1, p["padding"], t == "MaxPool2d");
            Val y = like(n.id, n.outputShape, keep);
            m_w.op(t == "MaxPool2d" ? BuiltinOperator::BuiltinOperator_MAX_POOL_2D : BuiltinOperator::BuiltinOperator_AVERAGE_POOL_2D,
                   v(1, 2), {x.tensor}, {y.tensor}, tflite::BuiltinOptions_Pool2DOptions,
                   tflite::CreatePool2DOptions(m_w.fb, pad, int(s), int(s), int(k), int(k)).Union());
            return y;
        }
        if (t == "GlobalAvgPool2d") {
            Val pooled = like(n.id + "_pooled", {x.shape[0], 1, 1}, keep);
            m_w.op(BuiltinOperator::BuiltinOperator_AVERAGE_POOL_2D, v(1, 2), {x.tensor}, {pooled.tensor},
                   tflite::BuiltinOptions_Pool2DOptions,
                   tflite::CreatePool2DOptions(m_w.fb, tflite::Padding_VALID, 1, 1, int(x.shape[2]), int(x.shape[1])).Union());
            return reshape(pooled, {x.shape[0]}, n.id);
        }
        if (t == "Flatten") {
            if (x.shape.size() == 2) // a sequence [T, F]: (t, f) order, as torch.flatten
                return reshape(x, {x.shape[0] * x.shape[1]}, n.id);
            if (x.shape.size() != 3)
                return x;
            const I64 total = x.shape[0] * x.shape[1] * x.shape[2];
            Val y = reshape(x, {total}, n.id);
            if (x.shape[1] * x.shape[2] > 1)
                y.flatFrom = x.shape;
            return y;
        }
        if (t == "BatchNorm2d" || t == "BatchNorm1d") {
            if (t == "BatchNorm1d")
                x = plain(x, n.id);
            const std::vector<float> g = weightsF(n.id + ".weight"), b = weightsF(n.id + ".bias"),
                                     mean = weightsF(n.id + ".running_mean"), var = weightsF(n.id + ".running_var");
            const double eps = p["eps"];
            std::vector<float> scale(g.size()), shift(g.size());
            for (std::size_t i = 0; i < g.size(); ++i) {
                scale[i] = float(g[i] / std::sqrt(double(var[i]) + eps));
                shift[i] = b[i] - mean[i] * scale[i];
            }
            Val y = binary(BuiltinOperator::BuiltinOperator_MUL, x, m_w.floats(n.id + "_scale", {int(g.size())}, scale), n.id + "_scaled");
            return binary(BuiltinOperator::BuiltinOperator_ADD, y, m_w.floats(n.id + "_shift", {int(g.size())}, shift), n.id);
        }
        if (t == "ReLU")
            return unary(BuiltinOperator::BuiltinOperator_RELU, v(1, 2));
        if (t == "Sigmoid")
            return unary(BuiltinOperator::BuiltinOperator_LOGISTIC, 1);
        if (t == "Tanh")
            return unary(BuiltinOperator::BuiltinOperator_TANH, 1);
        if (t == "ELU") {
            if (std::abs(p["alpha"].get<double>() - 1.0) > 1e-12)
                throw Error(n.id + ": ELU with alpha " + p["alpha"].dump() + " cannot be expressed in TFLite (its ELU has alpha 1)");
            return unary(BuiltinOperator::BuiltinOperator_ELU, 1);
        }
        if (t == "LeakyReLU")
            return unary(BuiltinOperator::BuiltinOperator_LEAKY_RELU, 1, tflite::BuiltinOptions_LeakyReluOptions,
                         tflite::CreateLeakyReluOptions(m_w.fb, float(p["negative_slope"].get<double>())).Union());
        if (t == "GELU")
            return unary(BuiltinOperator::BuiltinOperator_GELU, 1, tflite::BuiltinOptions_GeluOptions,
                         tflite::CreateGeluOptions(m_w.fb, false).Union());
        if (t == "Softmax") {
            if (x.shape.size() == 1 || x.flatHwc())
                x = plain(x, n.id);
            return unary(BuiltinOperator::BuiltinOperator_SOFTMAX, 1, tflite::BuiltinOptions_SoftmaxOptions,
                         tflite::CreateSoftmaxOptions(m_w.fb, 1.0f).Union());
        }
        if (t == "SiLU") {
            Val gate = like(n.id + "_gate", x.shape);
            m_w.op(BuiltinOperator::BuiltinOperator_LOGISTIC, 1, {x.tensor}, {gate.tensor});
            Val y = like(n.id, x.shape);
            y.flatFrom = x.flatFrom;
            m_w.op(BuiltinOperator::BuiltinOperator_MUL, 1, {x.tensor, gate.tensor}, {y.tensor},
                   tflite::BuiltinOptions_MulOptions, tflite::CreateMulOptions(m_w.fb).Union());
            return y;
        }
        if (t == "Add" || t == "Concat") {
            const bool anyFlat = std::any_of(ins.begin(), ins.end(), [](const Val& a) { return a.flatHwc(); });
            const bool allFlat = std::all_of(ins.begin(), ins.end(), [](const Val& a) { return a.flatHwc(); });
            if (t == "Concat" ? anyFlat : anyFlat && !allFlat)
                for (Val& a : ins)
                    a = plain(a, n.id);
            if (t == "Add") {
                Val acc = ins[0];
                for (std::size_t i = 1; i < ins.size(); ++i) {
                    Val y = like(i + 1 == ins.size() ? n.id : fresh(n.id + "_partial"), acc.shape);
                    y.flatFrom = acc.flatFrom;
                    m_w.op(BuiltinOperator::BuiltinOperator_ADD, 1, {acc.tensor, ins[i].tensor}, {y.tensor},
                           tflite::BuiltinOptions_AddOptions, tflite::CreateAddOptions(m_w.fb).Union());
                    acc = y;
                }
                return acc;
            }
            std::vector<std::int32_t> tensors;
            for (const Val& a : ins)
                tensors.push_back(a.tensor);
            Val y = like(n.id, n.outputShape);
            m_w.op(BuiltinOperator::BuiltinOperator_CONCATENATION, 1, tensors, {y.tensor},
                   tflite::BuiltinOptions_ConcatenationOptions,
                   tflite::CreateConcatenationOptions(m_w.fb, n.outputShape.size() == 3 ? 3 : 1).Union());
            return y;
        }
        if (t == "RowsToSequence")
            return rowsToSequence(n, x);
        if (t == "LSTM" || t == "GRU")
            return recurrent(n, x);
        throw Error(n.id + ": " + t + " cannot be exported to TFLite yet (supported: Conv2d, Linear, pooling, "
                    "BatchNorm, Flatten, Add, Concat, Dropout, the activations, RowsToSequence, LSTM and GRU)");
    }

    // ---- Sequences and recurrent layers (float) ----
    // A sequence is a Val of shape [T, F] (a [N, T, F] tensor). LSTM and GRU are written unrolled
    // over their T steps with plain operators (FULLY_CONNECTED, LOGISTIC, TANH, MUL, ADD, SUB), so
    // every TFLite runtime runs them, ArmNN's parser included, with PyTorch's arithmetic: gates
    // i, f, g, o (LSTM) and r, z, n (GRU, the reset gate applied after W_hn·h + b_hn), zero
    // initial states.

    Val binaryOf(BuiltinOperator type, const Val& a, const Val& b, const std::string& name) {
        Val y = like(name, a.shape);
        if (type == BuiltinOperator::BuiltinOperator_MUL)
            m_w.op(type, 1, {a.tensor, b.tensor}, {y.tensor}, tflite::BuiltinOptions_MulOptions,
                   tflite::CreateMulOptions(m_w.fb).Union());
        else if (type == BuiltinOperator::BuiltinOperator_SUB)
            m_w.op(type, 1, {a.tensor, b.tensor}, {y.tensor}, tflite::BuiltinOptions_SubOptions,
                   tflite::CreateSubOptions(m_w.fb).Union());
        else
            m_w.op(type, 1, {a.tensor, b.tensor}, {y.tensor}, tflite::BuiltinOptions_AddOptions,
                   tflite::CreateAddOptions(m_w.fb).Union());
        return y;
    }
    Val unaryOf(BuiltinOperator type, const Val& x, const std::string& name) {
        Val y = like(name, x.shape);
        m_w.op(type, 1, {x.tensor}, {y.tensor});
        return y;
    }
    Val fullyConnected(const Val& x, int weight, int bias, I64 out, const std::string& name) {
        Val y = like(name, {out});
        m_w.op(BuiltinOperator::BuiltinOperator_FULLY_CONNECTED, 1, {x.tensor, weight, bias}, {y.tensor},
               tflite::BuiltinOptions_FullyConnectedOptions, tflite::CreateFullyConnectedOptions(m_w.fb).Union());
        return y;
    }
    Val concatFeatures(const std::vector<Val>& parts, const std::string& name) {
        if (parts.size() == 1)
            return parts.front();
        std::vector<std::int32_t> tensors;
        I64 features = 0;
        for (const Val& a : parts) {
            tensors.push_back(a.tensor);
            features += a.shape[0];
        }
        Val y = like(name, {features});
        m_w.op(BuiltinOperator::BuiltinOperator_CONCATENATION, 1, tensors, {y.tensor},
               tflite::BuiltinOptions_ConcatenationOptions, tflite::CreateConcatenationOptions(m_w.fb, 1).Union());
        return y;
    }

    // [C, H, W] -> [H, C·W], one step per image row: the NHWC tensor [N, H, W, C] is transposed to
    // [N, H, C, W] (not needed for one channel) and reshaped.
    Val rowsToSequence(const ExportNode& n, Val x) {
        x = plain(x, n.id);
        if (x.shape.size() != 3)
            throw Error(n.id + ": RowsToSequence needs an image input [C, H, W] to be exported to TFLite");
        const I64 c = x.shape[0], h = x.shape[1], w = x.shape[2];
        if (c > 1) {
            const int perm = m_w.ints(n.id + "_perm", {4}, {0, 1, 3, 2});
            Val nhcw = like(n.id + "_nhcw", x.shape);
            m_w.tensors[std::size_t(nhcw.tensor)].shape = {1, std::int32_t(h), std::int32_t(c), std::int32_t(w)};
            m_w.op(BuiltinOperator::BuiltinOperator_TRANSPOSE, 1, {x.tensor, perm}, {nhcw.tensor},
                   tflite::BuiltinOptions_TransposeOptions, tflite::CreateTransposeOptions(m_w.fb).Union());
            x = nhcw;
        }
        return reshape(x, {h, c * w}, n.id);
    }

    // Rows [first, first + count) of a row-major [rows, cols] matrix.
    static std::vector<float> rowsOf(const std::vector<float>& m, I64 cols, I64 first, I64 count) {
        return std::vector<float>(m.begin() + std::ptrdiff_t(first * cols), m.begin() + std::ptrdiff_t((first + count) * cols));
    }
    // Rows [g·H, (g+1)·H) of a recurrent layer's matrix `name` ([G·H, cols]) as a float constant.
    // In an int8 model these are the app's own weights, dequantised from the int8 rows its .ncmodel
    // stores. They stay float32 in the file: ArmNN's parser reads FULLY_CONNECTED weights only
    // from constants (not from a DEQUANTIZE), and TFLite's FULLY_CONNECTED with int8 weights and a
    // float input is "hybrid", quantising its input on the fly: not the app's arithmetic.
    int gateRows(const std::string& name, I64 cols, int g, I64 hidden, const std::string& tensorName) {
        return m_w.floats(tensorName, {std::int32_t(hidden), std::int32_t(cols)}, rowsOf(weightsF(name), cols, g * hidden, hidden));
    }

    Val recurrent(const ExportNode& n, const Val& x) {
        const Json& p = n.params;
        const bool lstm = n.type == "LSTM";
        if (x.shape.size() != 2 || x.flatHwc())
            throw Error(n.id + ": " + n.type + " needs a sequence input [T, F] (a RowsToSequence) to be exported to TFLite");
        const I64 hidden = p["hidden_size"], layers = p["layers"], steps = x.shape[0];
        const I64 dirs = p["bidirectional"].get<bool>() ? 2 : 1;
        const bool all = p["output"] == "all";
        const auto logistic = BuiltinOperator::BuiltinOperator_LOGISTIC, tanh = BuiltinOperator::BuiltinOperator_TANH,
                   add = BuiltinOperator::BuiltinOperator_ADD, mul = BuiltinOperator::BuiltinOperator_MUL,
                   sub = BuiltinOperator::BuiltinOperator_SUB;

        // The input's steps: UNPACK along time.
        std::vector<Val> seq;
        std::vector<std::int32_t> stepTensors;
        for (I64 t = 0; t < steps; ++t) {
            seq.push_back(like(n.id + "_x" + std::to_string(t), {x.shape[1]}));
            stepTensors.push_back(seq.back().tensor);
        }
        m_w.op(BuiltinOperator::BuiltinOperator_UNPACK, 1, {x.tensor}, stepTensors, tflite::BuiltinOptions_UnpackOptions,
               tflite::CreateUnpackOptions(m_w.fb, int(steps), 1).Union());

        std::vector<Val> finals; // the top layer's last hidden state per direction
        for (I64 l = 0; l < layers; ++l) {
            const I64 features = seq.front().shape[0];
            std::vector<std::vector<Val>> outs(static_cast<std::size_t>(dirs), std::vector<Val>(static_cast<std::size_t>(steps)));
            for (I64 d = 0; d < dirs; ++d) {
                const std::string suffix = std::to_string(l) + (d ? "_reverse" : "");
                const std::string tag = n.id + "_l" + suffix;
                const std::vector<float> bih = weightsF(n.id + ".bias_ih_l" + suffix), bhh = weightsF(n.id + ".bias_hh_l" + suffix);
                const int gates = lstm ? 4 : 3;
                // Per gate: W_ih's and W_hh's rows for it, and b_ih + b_hh (GRU's n gate keeps b_hn
                // apart: the reset gate multiplies W_hn·h + b_hn).
                std::vector<int> wx(std::size_t(gates), -1), wh(std::size_t(gates), -1), bias(std::size_t(gates), -1);
                int hnBias = -1;
                const char* names = lstm ? "ifgo" : "rzn";
                const int zeros = m_w.floats(tag + "_zero_bias", {int(hidden)}, std::vector<float>(std::size_t(hidden), 0.f));
                for (int g = 0; g < gates; ++g) {
                    const std::string gname = tag + "_" + names[g];
                    wx[std::size_t(g)] = gateRows(n.id + ".weight_ih_l" + suffix, features, g, hidden, gname + "_w_ih");
                    wh[std::size_t(g)] = gateRows(n.id + ".weight_hh_l" + suffix, hidden, g, hidden, gname + "_w_hh");
                    std::vector<float> b = rowsOf(bih, 1, g * hidden, hidden);
                    const std::vector<float> bh = rowsOf(bhh, 1, g * hidden, hidden);
                    if (!lstm && g == 2)
                        hnBias = m_w.floats(gname + "_b_hh", {int(hidden)}, bh); // also W_hn·0 + b_hn
                    else
                        for (std::size_t k = 0; k < b.size(); ++k)
                            b[k] += bh[k];
                    bias[std::size_t(g)] = m_w.floats(gname + "_b", {int(hidden)}, b);
                }
                Val h, c;
                for (I64 s = 0; s < steps; ++s) {
                    const I64 t = d ? steps - 1 - s : s;
                    const std::string at = tag + "_t" + std::to_string(t);
                    const bool start = s == 0; // zero state: the state's terms vanish
                    const Val& in = seq[std::size_t(t)];
                    auto gate = [&](int g, BuiltinOperator act) {
                        const std::string gn = at + "_" + names[g];
                        Val pre = fullyConnected(in, wx[std::size_t(g)], bias[std::size_t(g)], hidden, gn + "_x");
                        if (!start)
                            pre = binaryOf(add, pre, fullyConnected(h, wh[std::size_t(g)], zeros, hidden, gn + "_h"), gn + "_pre");
                        return unaryOf(act, pre, gn);
                    };
                    if (lstm) {
                        const Val i = gate(0, logistic), f = gate(1, logistic), g = gate(2, tanh), o = gate(3, logistic);
                        const Val ig = binaryOf(mul, i, g, at + "_ig");
                        c = start ? ig : binaryOf(add, binaryOf(mul, f, c, at + "_fc"), ig, at + "_c");
                        h = binaryOf(mul, o, unaryOf(tanh, c, at + "_tanh_c"), at + "_h");
                    } else {
                        const Val r = gate(0, logistic), z = gate(1, logistic);
                        const Val xn = fullyConnected(in, wx[2], bias[2], hidden, at + "_n_x");
                        Val hn;
                        if (start) {
                            hn.tensor = hnBias;
                            hn.shape = {hidden};
                        } else {
                            hn = fullyConnected(h, wh[2], hnBias, hidden, at + "_n_h");
                        }
                        const Val nn = unaryOf(tanh, binaryOf(add, xn, binaryOf(mul, r, hn, at + "_rh"), at + "_n_pre"), at + "_n");
                        // h' = (1 - z)·n + z·h = n + z·(h - n); with h = 0, n - z·n
                        h = start ? binaryOf(sub, nn, binaryOf(mul, z, nn, at + "_zn"), at + "_h")
                                  : binaryOf(add, nn, binaryOf(mul, z, binaryOf(sub, h, nn, at + "_h_minus_n"), at + "_zd"), at + "_h");
                    }
                    outs[std::size_t(d)][std::size_t(t)] = h;
                }
                if (l + 1 == layers)
                    finals.push_back(h);
            }
            if (l + 1 < layers || all) {
                std::vector<Val> next;
                for (I64 t = 0; t < steps; ++t) {
                    std::vector<Val> parts;
                    for (I64 d = 0; d < dirs; ++d)
                        parts.push_back(outs[std::size_t(d)][std::size_t(t)]);
                    next.push_back(concatFeatures(parts, n.id + "_l" + std::to_string(l) + "_out_t" + std::to_string(t)));
                }
                seq = std::move(next);
            }
        }
        if (!all)
            return concatFeatures(finals, n.id); // forward direction first, as the app's "last"
        std::vector<std::int32_t> tensors;
        for (const Val& s : seq)
            tensors.push_back(s.tensor);
        Val y = like(n.id, {steps, dirs * hidden});
        m_w.op(BuiltinOperator::BuiltinOperator_PACK, 1, tensors, {y.tensor}, tflite::BuiltinOptions_PackOptions,
               tflite::CreatePackOptions(m_w.fb, int(steps), 1).Union());
        return y;
    }

    // An int8 convolution or fully-connected layer: int8 weights per output channel, int32 bias at
    // the input scale × the channel's scale, the app's output range, a fused ReLU when it has one.
    Val int8Layer(const ExportNode& n, const Int8Node& q) {
        const Json& p = n.params;
        Val x = asInt8(n.inputs.front());
        const std::vector<std::int8_t> wi = m_plan->int8s(n.id + ".weight");
        const std::vector<float> ws = m_plan->floats(n.id + ".weight_scale");
        const I64 cout = I64(ws.size());
        std::vector<float> bias = m_plan->tensors.count(n.id + ".bias") ? m_plan->floats(n.id + ".bias")
                                                                          : std::vector<float>(std::size_t(cout), 0.f);
        const auto act = q.relu ? tflite::ActivationFunctionType_RELU : tflite::ActivationFunctionType_NONE;
        bool depthwise = false;
        I64 k = 1, cin = x.shape[0], groups = 1;
        std::vector<std::int8_t> filter = wi;
        tflite::Padding pad = tflite::Padding_VALID;
        if (n.type == "Conv2d") {
            k = p["kernel_size"];
            groups = p["groups"];
            depthwise = groups > 1 && groups == cin;
            if (groups > 1 && !depthwise)
                throw Error(n.id + ": a grouped convolution (groups=" + std::to_string(groups) +
                            ") cannot be expressed in TFLite; use groups 1 or groups = input channels (depthwise)");
            pad = padding(n, x, k, p["stride"], p["dilation"], p["padding"], false);
            filter = toOhwi(wi, cout, cin / groups, k, depthwise);
        } else if (x.flatHwc()) {
            const Shape& chw = x.flatFrom;
            filter = columnsToHwc(wi, cout, chw[0], chw[1], chw[2]);
        }
        std::vector<std::int32_t> shape = n.type == "Linear" ? std::vector<std::int32_t>{int(cout), 1, 1, int(x.shape[0])}
                                          : depthwise       ? std::vector<std::int32_t>{1, int(k), int(k), int(cout)}
                                                            : std::vector<std::int32_t>{int(cout), int(k), int(k), int(cin / groups)};
        const int wt = m_w.constant(n.id + ".weight", shape, TensorType::TensorType_INT8, bytesOf(filter.data(), filter.size()));
        auto& wdef = m_w.tensors[std::size_t(wt)];
        wdef.scale = ws;
        wdef.zeroPoint.assign(ws.size(), 0);
        wdef.quantizedDimension = depthwise ? 3 : 0;
        std::vector<std::int32_t> bq(static_cast<std::size_t>(cout));
        std::vector<float> bs(static_cast<std::size_t>(cout));
        for (I64 o = 0; o < cout; ++o) {
            bs[std::size_t(o)] = float(x.q.scale * double(ws[std::size_t(o)]));
            const double r = std::nearbyint(double(bias[std::size_t(o)]) / double(bs[std::size_t(o)]));
            bq[std::size_t(o)] = std::int32_t(std::clamp(r, -2147483647.0, 2147483647.0));
        }
        const int bt = m_w.ints(n.id + ".bias", {int(cout)}, bq);
        m_w.tensors[std::size_t(bt)].scale = bs;
        m_w.tensors[std::size_t(bt)].zeroPoint.assign(bs.size(), 0);
        if (n.type == "Linear") {
            // A 1×1 convolution of a 1×1 image of F channels: the same int8 arithmetic as
            // FULLY_CONNECTED with per-channel weights, which ArmNN's TFLite parser cannot read.
            Val image = reshape(x, {x.shape[0], 1, 1}, n.id + "_as_image");
            Val y = like(n.id + "_image", {cout, 1, 1}, q.value);
            m_w.op(BuiltinOperator::BuiltinOperator_CONV_2D, 3, {image.tensor, wt, bt}, {y.tensor},
                   tflite::BuiltinOptions_Conv2DOptions,
                   tflite::CreateConv2DOptions(m_w.fb, tflite::Padding_VALID, 1, 1, act).Union());
            return reshape(y, {cout}, n.id);
        }
        Val y = like(n.id, n.outputShape, q.value);
        if (depthwise)
            m_w.op(BuiltinOperator::BuiltinOperator_DEPTHWISE_CONV_2D, 3, {x.tensor, wt, bt}, {y.tensor},
                   tflite::BuiltinOptions_DepthwiseConv2DOptions,
                   tflite::CreateDepthwiseConv2DOptions(m_w.fb, pad, int(p["stride"]), int(p["stride"]), int(cout / cin), act,
                                                        int(p["dilation"]), int(p["dilation"])).Union());
        else
            m_w.op(BuiltinOperator::BuiltinOperator_CONV_2D, 3, {x.tensor, wt, bt}, {y.tensor}, tflite::BuiltinOptions_Conv2DOptions,
                   tflite::CreateConv2DOptions(m_w.fb, pad, int(p["stride"]), int(p["stride"]), act, int(p["dilation"]),
                                               int(p["dilation"])).Union());
        return y;
    }

    Val int8Add(const ExportNode& n, const Int8Node& q) {
        std::vector<Val> ins;
        for (const std::string& i : n.inputs)
            ins.push_back(asInt8(i));
        const bool anyFlat = std::any_of(ins.begin(), ins.end(), [](const Val& a) { return a.flatHwc(); });
        const bool allFlat = std::all_of(ins.begin(), ins.end(), [](const Val& a) { return a.flatHwc(); });
        if (anyFlat && !allFlat)
            for (Val& a : ins)
                a = plain(a, n.id);
        Val acc = ins[0];
        for (std::size_t i = 1; i < ins.size(); ++i) {
            const bool last = i + 1 == ins.size();
            Val y = like(last ? n.id : fresh(n.id + "_partial"), acc.shape, q.value);
            y.flatFrom = acc.flatFrom;
            m_w.op(BuiltinOperator::BuiltinOperator_ADD, 2, {acc.tensor, ins[i].tensor}, {y.tensor},
                   tflite::BuiltinOptions_AddOptions,
                   tflite::CreateAddOptions(m_w.fb, last && q.relu ? tflite::ActivationFunctionType_RELU
                                                                   : tflite::ActivationFunctionType_NONE).Union());
            acc = y;
        }
        return acc;
    }

    // TFLite's int8 concatenation wants one range: inputs of another are requantised first, as the
    // app's quantized::cat does.
    Val int8Concat(const ExportNode& n, const Int8Node& q) {
        std::vector<Val> ins;
        for (const std::string& i : n.inputs)
            ins.push_back(asInt8(i));
        if (std::any_of(ins.begin(), ins.end(), [](const Val& a) { return a.flatHwc(); }))
            for (Val& a : ins)
                a = plain(a, n.id);
        std::vector<std::int32_t> tensors;
        for (Val& a : ins)
            tensors.push_back(requantize(a, q.value, fresh(n.id + "_input")).tensor);
        Val y = like(n.id, n.outputShape, q.value);
        m_w.op(BuiltinOperator::BuiltinOperator_CONCATENATION, 2, tensors, {y.tensor}, tflite::BuiltinOptions_ConcatenationOptions,
               tflite::CreateConcatenationOptions(m_w.fb, n.outputShape.size() == 3 ? 3 : 1).Union());
        return y;
    }
};

} // namespace

void exportTflite(const Model& model, const std::string& path) {
    const auto nodes = exportNodes(model);
    Exporter exporter(model, nodes);
    const std::string bytes = exporter.run();
    writeFileAtomic(path, bytes);
}
#endif

} // namespace nc
