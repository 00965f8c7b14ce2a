// ONNX export: a ModelProto (opset 13) built with libonnx and checked by onnx::checker. Tensors
// keep their NeuralCanvas names (`conv1.weight`); each node's output is named after its id. An
// int8 model is written in QDQ form (QuantizeLinear / DequantizeLinear around int8 values).
#include "io/Export.h"
#include "io/ExportInt8.h"
#include "nn/Quantize.h"
#include "util/Error.h"
#include "util/Files.h"

#ifdef NC_HAVE_ONNX
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

namespace nc {

#ifndef NC_HAVE_ONNX
void exportOnnx(const Model&, const std::string&) {
    throw Error("this build of NeuralCanvas has no ONNX support (libonnx-dev was not found at build time)");
}
#else

namespace {
constexpr int kOpset = 13;

void addInts(onnx::NodeProto* node, const char* name, std::vector<std::int64_t> values) {
    auto* a = node->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto v : values)
        a->add_ints(v);
}
void addInt(onnx::NodeProto* node, const char* name, std::int64_t v) {
    auto* a = node->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
}
void addFloat(onnx::NodeProto* node, const char* name, double v) {
    auto* a = node->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(static_cast<float>(v));
}

onnx::NodeProto* addNode(onnx::GraphProto* g, const std::string& op, const std::string& name,
                         std::vector<std::string> inputs, const std::string& output) {
    auto* n = g->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const auto& i : inputs)
        n->add_input(i);
    n->add_output(output);
    return n;
}

void addInitializer(onnx::GraphProto* g, const TensorRecord& r) {
    auto* t = g->add_initializer();
    t->set_name(r.name);
    for (auto d : r.shape)
        t->add_dims(d);
    if (r.dtype == DType::F32)
        t->set_data_type(onnx::TensorProto::FLOAT);
    else if (r.dtype == DType::I64)
        t->set_data_type(onnx::TensorProto::INT64);
    else if (r.dtype == DType::I32)
        t->set_data_type(onnx::TensorProto::INT32);
    else if (r.dtype == DType::I8)
        t->set_data_type(onnx::TensorProto::INT8);
    else if (r.dtype == DType::U8)
        t->set_data_type(onnx::TensorProto::UINT8);
    else
        throw Error("cannot export tensor " + r.name + " of type " + dtypeName(r.dtype) + " to ONNX");
    t->set_raw_data(r.data.data(), r.data.size());
}

TensorRecord floatTensor(const std::string& name, std::vector<std::int64_t> shape, const std::vector<float>& v) {
    TensorRecord r;
    r.name = name;
    r.dtype = DType::F32;
    r.shape = std::move(shape);
    r.data.resize(v.size() * sizeof(float));
    std::memcpy(r.data.data(), v.data(), r.data.size());
    return r;
}

TensorRecord intTensor(const std::string& name, const std::vector<std::int64_t>& v) {
    TensorRecord r;
    r.name = name;
    r.dtype = DType::I64;
    r.shape = {std::int64_t(v.size())};
    r.data.resize(v.size() * sizeof(std::int64_t));
    std::memcpy(r.data.data(), v.data(), r.data.size());
    return r;
}

std::vector<float> floatsOf(const TensorRecord& r) {
    if (r.dtype != DType::F32)
        throw Error("cannot export tensor " + r.name + " of type " + dtypeName(r.dtype) + " to ONNX");
    std::vector<float> v(r.data.size() / sizeof(float));
    std::memcpy(v.data(), r.data.data(), r.data.size());
    return v;
}

// Rows of a [gates·hidden, k] recurrent weight (or a [gates·hidden] bias) with PyTorch's gate
// blocks put in ONNX's order: `order[i]` is the PyTorch block that becomes ONNX block i.
void appendGates(std::vector<float>& out, const std::vector<float>& w, const std::vector<int>& order) {
    const std::size_t block = w.size() / order.size();
    for (int b : order)
        out.insert(out.end(), w.begin() + std::ptrdiff_t(b * block), w.begin() + std::ptrdiff_t((b + 1) * block));
}

void setShape(onnx::ValueInfoProto* v, const std::vector<std::int64_t>& dims) {
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = tt->mutable_shape();
    shape->add_dim()->set_dim_param("N");
    for (auto d : dims)
        shape->add_dim()->set_dim_value(d);
}

// One ONNX model under construction: the graph's input (normalised inside), the float layers,
// and what every export ends with (output, metadata, onnx::checker, an atomic write).
class OnnxBuilder {
public:
    onnx::ModelProto m;
    onnx::GraphProto* g = nullptr;
    std::map<std::string, TensorRecord> weights; // the float parameters and buffers
    std::set<std::string> added;                 // initializers already in the graph

    explicit OnnxBuilder(const Model& model) {
        m.set_ir_version(7);
        m.set_producer_name("NeuralCanvas");
        m.set_producer_version("0.1.0");
        auto* opset = m.add_opset_import();
        opset->set_domain("");
        opset->set_version(kOpset);
        g = m.mutable_graph();
        g->set_name("neuralcanvas");
        const Shape& in = model.inputShape();
        setShape(g->add_input(), in);
        g->mutable_input(0)->set_name("input");
        for (TensorRecord& r : model.state())
            weights.emplace(r.name, std::move(r));
        const Normalization& norm = model.normalization();
        std::vector<float> scale, shift;
        for (std::int64_t c = 0; c < in[0]; ++c) {
            scale.push_back(1.f / norm.std[c]);
            shift.push_back(-norm.mean[c] / norm.std[c]);
        }
        const bool identity = std::all_of(scale.begin(), scale.end(), [](float v) { return v == 1.f; }) &&
                              std::all_of(shift.begin(), shift.end(), [](float v) { return v == 0.f; });
        if (identity) { // e.g. a decoder's latent input: nothing to normalise
            addNode(g, "Identity", "normalize", {"input"}, "input_normalized");
            return;
        }
        addInitializer(g, floatTensor("norm_scale", {1, in[0], 1, 1}, scale));
        addInitializer(g, floatTensor("norm_shift", {1, in[0], 1, 1}, shift));
        addNode(g, "Mul", "normalize_scale", {"input", "norm_scale"}, "input_scaled");
        addNode(g, "Add", "normalize_shift", {"input_scaled", "norm_shift"}, "input_normalized");
    }

    std::string weight(const std::string& name) {
        auto it = weights.find(name);
        if (it == weights.end())
            throw Error("internal: tensor " + name + " is missing");
        if (added.insert(name).second)
            addInitializer(g, it->second);
        return name;
    }

    // A layer that is the identity at inference (Reparameterize gives μ, its first input).
    static bool isIdentity(const std::string& t) {
        return t == "Input" || t == "Dropout" || t == "Dropout2d" || t == "Reparameterize" || t == "Detach";
    }

    // The float layer `n` reading the tensors `in` (its inputs in port order), writing `out`.
    void layer(const ExportNode& n, const std::vector<std::string>& in, const std::string& out) {
        const Json& p = n.params;
        const std::string& t = n.type;
        const std::string& src = in.front();
    if (t == "Conv2d") {
        const std::int64_t k = p["kernel_size"], d = p["dilation"];
        std::int64_t begin = 0, end = 0;
        if (p["padding"].is_string()) { // "same" (stride 1): PyTorch puts the odd pixel at the end
            const std::int64_t total = d * (k - 1);
            begin = total / 2;
            end = total - begin;
        } else {
            begin = end = p["padding"].get<std::int64_t>();
        }
        std::vector<std::string> inputs{src, weight(n.id + ".weight")};
        if (p["bias"].get<bool>())
            inputs.push_back(weight(n.id + ".bias"));
        auto* node = addNode(g, "Conv", n.id, inputs, out);
        addInts(node, "kernel_shape", {k, k});
        addInts(node, "strides", {p["stride"], p["stride"]});
        addInts(node, "pads", {begin, begin, end, end});
        addInts(node, "dilations", {d, d});
        addInt(node, "group", p["groups"]);
    } else if (t == "ConvTranspose2d") {
        const std::int64_t k = p["kernel_size"], s = p["stride"], pad = p["padding"], extra = p["output_padding"];
        std::vector<std::string> inputs{src, weight(n.id + ".weight")};
        if (p["bias"].get<bool>())
            inputs.push_back(weight(n.id + ".bias"));
        auto* node = addNode(g, "ConvTranspose", n.id, inputs, out);
        addInts(node, "kernel_shape", {k, k});
        addInts(node, "strides", {s, s});
        addInts(node, "pads", {pad, pad, pad, pad});
        addInts(node, "output_padding", {extra, extra});
    } else if (t == "Upsample") {
        const float s = float(p["scale"].get<std::int64_t>());
        addInitializer(g, floatTensor(n.id + "_scales", {4}, {1.f, 1.f, s, s}));
        auto* node = addNode(g, "Resize", n.id, {src, "", n.id + "_scales"}, out);
        auto text = [&](const char* name, const char* value) {
            auto* a = node->add_attribute();
            a->set_name(name);
            a->set_type(onnx::AttributeProto::STRING);
            a->set_s(value);
        };
        if (p["mode"] == "bilinear") { // PyTorch's bilinear with align_corners=False
            text("mode", "linear");
            text("coordinate_transformation_mode", "pytorch_half_pixel");
        } else { // PyTorch's nearest: source pixel floor(destination / scale)
            text("mode", "nearest");
            text("coordinate_transformation_mode", "asymmetric");
            text("nearest_mode", "floor");
        }
    } else if (t == "Unflatten") {
        addInitializer(g, intTensor(n.id + "_shape", {-1, p["channels"].get<std::int64_t>(), p["height"].get<std::int64_t>(),
                                                      p["width"].get<std::int64_t>()}));
        addNode(g, "Reshape", n.id, {src, n.id + "_shape"}, out);
    } else if (t == "MaxPool2d" || t == "AvgPool2d") {
        const std::int64_t k = p["kernel_size"], pad = p["padding"];
        const std::int64_t s = p["stride"].get<std::int64_t>() ? p["stride"].get<std::int64_t>() : k;
        auto* node = addNode(g, t == "MaxPool2d" ? "MaxPool" : "AveragePool", n.id, {src}, out);
        addInts(node, "kernel_shape", {k, k});
        addInts(node, "strides", {s, s});
        addInts(node, "pads", {pad, pad, pad, pad});
        if (t == "AvgPool2d")
            addInt(node, "count_include_pad", 1); // PyTorch's default
    } else if (t == "GlobalAvgPool2d") {
        addNode(g, "GlobalAveragePool", n.id + "_pool", {src}, n.id + "_pooled");
        addInt(addNode(g, "Flatten", n.id, {n.id + "_pooled"}, out), "axis", 1);
    } else if (t == "BatchNorm2d" || t == "BatchNorm1d") {
        auto* node = addNode(g, "BatchNormalization", n.id,
                             {src, weight(n.id + ".weight"), weight(n.id + ".bias"), weight(n.id + ".running_mean"),
                              weight(n.id + ".running_var")},
                             out);
        addFloat(node, "epsilon", p["eps"]);
        addFloat(node, "momentum", 1.0 - p["momentum"].get<double>());
    } else if (t == "ReLU" || t == "Sigmoid" || t == "Tanh") {
        addNode(g, t == "ReLU" ? "Relu" : t, n.id, {src}, out);
    } else if (t == "LeakyReLU") {
        addFloat(addNode(g, "LeakyRelu", n.id, {src}, out), "alpha", p["negative_slope"]);
    } else if (t == "ELU") {
        addFloat(addNode(g, "Elu", n.id, {src}, out), "alpha", p["alpha"]);
    } else if (t == "SiLU") {
        addNode(g, "Sigmoid", n.id + "_sigmoid", {src}, n.id + "_gate");
        addNode(g, "Mul", n.id, {src, n.id + "_gate"}, out);
    } else if (t == "Softmax") {
        addInt(addNode(g, "Softmax", n.id, {src}, out), "axis", 1);
    } else if (t == "Flatten") {
        addInt(addNode(g, "Flatten", n.id, {src}, out), "axis", 1);
    } else if (t == "Linear") {
        std::vector<std::string> inputs{src, weight(n.id + ".weight")};
        if (p["bias"].get<bool>())
            inputs.push_back(weight(n.id + ".bias"));
        addInt(addNode(g, "Gemm", n.id, inputs, out), "transB", 1);
    } else if (t == "Add") {
        std::string acc = in[0];
        for (std::size_t i = 1; i < in.size(); ++i) {
            const std::string name = i + 1 == in.size() ? out : n.id + "_partial" + std::to_string(i);
            addNode(g, "Add", i + 1 == in.size() ? n.id : name, {acc, in[i]}, name);
            acc = name;
        }
    } else if (t == "Concat") {
        addInt(addNode(g, "Concat", n.id, in, out), "axis", 1);
    } else if (t == "RowsToSequence") { // [N, C, H, W] -> [N, H, C·W]
        addInts(addNode(g, "Transpose", n.id + "_rows", {src}, n.id + "_nhcw"), "perm", {0, 2, 1, 3});
        addInitializer(g, intTensor(n.id + "_shape", {0, 0, -1}));
        addNode(g, "Reshape", n.id, {n.id + "_nhcw", n.id + "_shape"}, out);
    } else if (t == "LSTM" || t == "GRU") {
        // Sequence-first ONNX LSTM/GRU, one node per layer (zero initial states: the default).
        // PyTorch's gates are i,f,g,o (LSTM) and r,z,n (GRU); ONNX's i,o,f,c and z,r,h.
        const bool lstm = t == "LSTM";
        const std::vector<int> order = lstm ? std::vector<int>{0, 3, 1, 2} : std::vector<int>{1, 0, 2};
        const std::int64_t hidden = p["hidden_size"], layers = p["layers"];
        const bool bidirectional = p["bidirectional"];
        const std::int64_t dirs = bidirectional ? 2 : 1, gates = lstm ? 4 : 3;
        addInts(addNode(g, "Transpose", n.id + "_time_first", {src}, n.id + "_tnf"), "perm", {1, 0, 2});
        addInitializer(g, intTensor(n.id + "_merge_dirs", {0, 0, -1}));
        std::string x = n.id + "_tnf", lastH;
        std::int64_t features = n.inputShape[1];
        for (std::int64_t l = 0; l < layers; ++l) {
            std::vector<float> w, r, b;
            for (std::int64_t d = 0; d < dirs; ++d) {
                const std::string suffix = std::to_string(l) + (d ? "_reverse" : "");
                auto get = [&](const char* name) {
                    auto it = weights.find(n.id + "." + name + suffix);
                    if (it == weights.end())
                        throw Error("internal: tensor " + n.id + "." + name + suffix + " is missing");
                    return floatsOf(it->second);
                };
                appendGates(w, get("weight_ih_l"), order);
                appendGates(r, get("weight_hh_l"), order);
                appendGates(b, get("bias_ih_l"), order);
                appendGates(b, get("bias_hh_l"), order);
            }
            const std::string tag = n.id + "_l" + std::to_string(l);
            addInitializer(g, floatTensor(tag + "_W", {dirs, gates * hidden, features}, w));
            addInitializer(g, floatTensor(tag + "_R", {dirs, gates * hidden, hidden}, r));
            addInitializer(g, floatTensor(tag + "_B", {dirs, 2 * gates * hidden}, b));
            auto* node = g->add_node();
            node->set_op_type(t);
            node->set_name(tag);
            for (const std::string& i : {x, tag + "_W", tag + "_R", tag + "_B"})
                node->add_input(i);
            node->add_output(tag + "_Y");   // [T, dirs, N, H]
            node->add_output(tag + "_Y_h"); // [dirs, N, H]
            addInt(node, "hidden_size", hidden);
            auto* direction = node->add_attribute();
            direction->set_name("direction");
            direction->set_type(onnx::AttributeProto::STRING);
            direction->set_s(bidirectional ? "bidirectional" : "forward");
            if (!lstm)
                addInt(node, "linear_before_reset", 1); // PyTorch applies the reset gate after the product
            lastH = tag + "_Y_h";
            if (l + 1 < layers || p["output"] == "all") {
                const bool top = l + 1 == layers;
                // [T, dirs, N, H] -> [T, N, dirs·H] for the next layer; [N, T, dirs·H] at the top
                addInts(addNode(g, "Transpose", tag + "_dirs_last", {tag + "_Y"}, tag + "_Yt"), "perm",
                        top ? std::vector<std::int64_t>{2, 0, 1, 3} : std::vector<std::int64_t>{0, 2, 1, 3});
                x = top ? out : tag + "_seq";
                addNode(g, "Reshape", top ? n.id : tag + "_merge", {tag + "_Yt", n.id + "_merge_dirs"}, x);
            }
            features = dirs * hidden;
        }
        if (p["output"] == "last") { // [dirs, N, H] -> [N, dirs·H], forward direction first
            addInts(addNode(g, "Transpose", n.id + "_batch_first", {lastH}, n.id + "_ndh"), "perm", {1, 0, 2});
            addInitializer(g, intTensor(n.id + "_last_shape", {0, -1}));
            addNode(g, "Reshape", n.id, {n.id + "_ndh", n.id + "_last_shape"}, out);
        }
    } else if (t == "GELU") {
        throw Error(n.id + ": GELU cannot be exported to ONNX opset " + std::to_string(kOpset) +
                    " (it has no Gelu operator, and OpenCV's ONNX reader lacks Erf); use ReLU or SiLU instead");
    } else {
        throw Error(n.id + ": " + t + " cannot be exported to ONNX");
    }
    }

    void finish(const Model& model, const std::string& output, const std::string& path) {
        auto* result = g->add_output();
        result->set_name(output);
        setShape(result, {static_cast<std::int64_t>(model.classNames().size())});
        auto meta = [&](const char* key, const std::string& value) {
            auto* p = m.add_metadata_props();
            p->set_key(key);
            p->set_value(value);
        };
        const Normalization& norm = model.normalization();
        meta("class_names", Json(model.classNames()).dump());
        meta("input_shape", Json(model.inputShape()).dump());
        meta("normalization", Json{{"mean", norm.mean}, {"std", norm.std}}.dump());
        meta("input", "float32 [N, C, H, W] in [0, 1]; normalisation is applied inside");
        if (isQuantized(model))
            meta("quantization", "int8 QDQ: uint8 activations per tensor, int8 weights per output channel, int32 "
                                 "biases; the arithmetic of the NeuralCanvas int8 model it was exported from");
        try {
            onnx::checker::check_model(m);
        } catch (const std::exception& e) {
            throw Error(std::string("the ONNX model failed onnx::checker: ") + e.what());
        }
        std::string bytes;
        if (!m.SerializeToString(&bytes))
            throw Error("cannot serialise the ONNX model");
        writeFileAtomic(path, bytes);
    }
};

void exportFloat(const Model& model, const std::vector<ExportNode>& nodes, const std::string& path) {
    OnnxBuilder b(model);
    std::map<std::string, std::string> tensorOf; // node id -> ONNX tensor carrying its output
    std::string output;
    for (const ExportNode& n : nodes) {
        std::vector<std::string> in;
        for (const std::string& i : n.inputs)
            in.push_back(tensorOf.at(i));
        if (in.empty())
            in.push_back("input_normalized");
        if (OnnxBuilder::isIdentity(n.type)) {
            tensorOf[n.id] = in.front();
        } else if (n.type == "Output") {
            output = in.front();
        } else {
            b.layer(n, in, n.id);
            tensorOf[n.id] = n.id;
        }
    }
    b.finish(model, output, path);
}

// A quantised model in QDQ form: every int8 value of the app's forward is a QuantizeLinear /
// DequantizeLinear pair with the app's scale and zero point, int8 weights (per output channel)
// and int32 biases are DequantizeLinear'd before their Conv or Gemm, and the layers the app runs
// in float (or as tables) are the float operators between them. ONNX Runtime fuses the pairs into
// its int8 kernels (QLinearConv, QLinearMatMul, ...).
void exportInt8(const Model& model, const std::vector<ExportNode>& nodes, const std::string& path) {
    OnnxBuilder b(model);
    const Int8Plan plan = int8Plan(model, nodes);
    onnx::GraphProto* g = b.g;
    auto scalar = [&](const std::string& name, float scale, std::int64_t zp) {
        addInitializer(g, floatTensor(name + "_scale", {}, {scale}));
        TensorRecord z;
        z.name = name + "_zero_point";
        z.dtype = DType::U8;
        z.data = {static_cast<std::uint8_t>(zp)};
        addInitializer(g, z);
    };
    // Q then DQ of `src` with `q`: the tensor carrying the int8 value.
    auto qdq = [&](const std::string& src, const QParams& q, const std::string& tag) {
        scalar(tag, float(q.scale), q.zeroPoint);
        addNode(g, "QuantizeLinear", tag + "_quantize", {src, tag + "_scale", tag + "_zero_point"}, tag + "_q");
        addNode(g, "DequantizeLinear", tag + "_dequantize", {tag + "_q", tag + "_scale", tag + "_zero_point"}, tag + "_dq");
        return tag + "_dq";
    };
    std::map<std::string, std::string> tensorOf, int8Of; // node id -> its value; its value as int8
    auto int8Input = [&](const std::string& id) -> std::string {
        if (plan.at(id).int8)
            return tensorOf.at(id);
        auto it = int8Of.find(id);
        if (it == int8Of.end())
            it = int8Of.emplace(id, qdq(tensorOf.at(id), plan.at(id).own, id + "_as_int8")).first;
        return it->second;
    };
    // The int8 weight (DequantizeLinear along the output channels) and int32 bias of a conv or
    // linear layer whose input has the scale `inScale`.
    auto int8Weights = [&](const ExportNode& n, double inScale) {
        const TensorRecord& w = plan.tensor(n.id + ".weight");
        const std::vector<float> ws = plan.floats(n.id + ".weight_scale");
        TensorRecord wq = w;
        wq.name = n.id + ".weight_int8";
        addInitializer(g, wq);
        addInitializer(g, floatTensor(n.id + ".weight_scale", {std::int64_t(ws.size())}, ws));
        TensorRecord wz;
        wz.name = n.id + ".weight_zero_point";
        wz.dtype = DType::I8;
        wz.shape = {std::int64_t(ws.size())};
        wz.data.assign(ws.size(), 0);
        addInitializer(g, wz);
        addInt(addNode(g, "DequantizeLinear", n.id + "_weight_dequantize",
                       {wq.name, n.id + ".weight_scale", wz.name}, n.id + ".weight_dq"),
               "axis", 0);
        std::vector<std::string> inputs{n.id + ".weight_dq"};
        if (plan.tensors.count(n.id + ".bias")) {
            const std::vector<float> bias = plan.floats(n.id + ".bias");
            std::vector<float> bs(ws.size());
            std::vector<std::int32_t> bq(ws.size());
            for (std::size_t o = 0; o < ws.size(); ++o) {
                bs[o] = float(inScale * double(ws[o]));
                const double v = std::nearbyint(double(bias[o]) / double(bs[o]));
                bq[o] = static_cast<std::int32_t>(std::clamp(v, -2147483647.0, 2147483647.0));
            }
            TensorRecord r;
            r.name = n.id + ".bias_int32";
            r.dtype = DType::I32;
            r.shape = {std::int64_t(bq.size())};
            r.data.resize(bq.size() * sizeof(std::int32_t));
            std::memcpy(r.data.data(), bq.data(), r.data.size());
            addInitializer(g, r);
            addInitializer(g, floatTensor(n.id + ".bias_scale", {std::int64_t(bs.size())}, bs));
            TensorRecord z = r;
            z.name = n.id + ".bias_zero_point";
            std::fill(z.data.begin(), z.data.end(), 0);
            addInitializer(g, z);
            addInt(addNode(g, "DequantizeLinear", n.id + "_bias_dequantize", {r.name, n.id + ".bias_scale", z.name},
                           n.id + ".bias_dq"),
                   "axis", 0);
            inputs.push_back(n.id + ".bias_dq");
        }
        return inputs;
    };
    std::string output;
    for (const ExportNode& n : nodes) {
        const Int8Node& q = plan.at(n.id);
        const std::string& t = n.type;
        std::vector<std::string> in;
        for (const std::string& i : n.inputs)
            in.push_back(tensorOf.at(i));
        if (in.empty())
            in.push_back("input_normalized");
        if (q.kind == "fused") {
            tensorOf[n.id] = tensorOf.at(q.fusedInto);
        } else if (t == "Output") {
            output = in.front();
        } else if (q.kind == "conv" || q.kind == "linear") {
            std::vector<std::string> inputs{int8Input(n.inputs.front())};
            for (const std::string& w : int8Weights(n, plan.asInt8(n.inputs.front()).scale))
                inputs.push_back(w);
            if (q.kind == "conv") {
                const Json& p = n.params;
                const std::int64_t k = p["kernel_size"], d = p["dilation"];
                const std::int64_t pad = p["padding"].is_string() ? d * (k - 1) / 2 : p["padding"].get<std::int64_t>();
                auto* node = addNode(g, "Conv", n.id, inputs, n.id + "_float");
                addInts(node, "kernel_shape", {k, k});
                addInts(node, "strides", {p["stride"], p["stride"]});
                addInts(node, "pads", {pad, pad, pad, pad});
                addInts(node, "dilations", {d, d});
                addInt(node, "group", p["groups"]);
            } else {
                addInt(addNode(g, "Gemm", n.id, inputs, n.id + "_float"), "transB", 1);
            }
            std::string y = n.id + "_float";
            if (q.relu) {
                addNode(g, "Relu", n.id + "_relu", {y}, n.id + "_relu");
                y = n.id + "_relu";
            }
            tensorOf[n.id] = qdq(y, q.value, n.id);
        } else if (q.kind == "add") {
            std::string acc = int8Input(n.inputs[0]);
            for (std::size_t i = 1; i < n.inputs.size(); ++i) {
                const std::string tag = n.id + (i + 1 == n.inputs.size() ? std::string() : "_partial" + std::to_string(i));
                addNode(g, "Add", tag + "_add", {acc, int8Input(n.inputs[i])}, tag + "_sum");
                std::string y = tag + "_sum";
                if (q.relu && i + 1 == n.inputs.size()) {
                    addNode(g, "Relu", n.id + "_relu", {y}, n.id + "_relu");
                    y = n.id + "_relu";
                }
                acc = qdq(y, q.value, tag);
            }
            tensorOf[n.id] = acc;
        } else if (q.kind == "concat") {
            std::vector<std::string> inputs;
            for (const std::string& i : n.inputs)
                inputs.push_back(int8Input(i));
            addInt(addNode(g, "Concat", n.id, inputs, n.id + "_float"), "axis", 1);
            tensorOf[n.id] = qdq(n.id + "_float", q.value, n.id);
        } else if (q.kind == "table") { // the float layer on the int8 input, quantised: the app's table
            b.layer(n, {int8Input(n.inputs.front())}, n.id + "_float");
            tensorOf[n.id] = qdq(n.id + "_float", q.value, n.id);
        } else if (OnnxBuilder::isIdentity(t)) {
            tensorOf[n.id] = in.front();
        } else if (q.kind == "pass" && q.int8) {
            // On the int8 value: max pooling, ReLU and Flatten give values of the same scale
            // exactly; average pooling rounds them back to it.
            b.layer(n, in, n.id);
            const bool rounds = t == "AvgPool2d" || t == "GlobalAvgPool2d";
            tensorOf[n.id] = rounds ? qdq(n.id, q.value, n.id + "_rounded") : n.id;
        } else { // float: dequantised inputs, float arithmetic, a float value
            b.layer(n, in, n.id);
            tensorOf[n.id] = n.id;
        }
    }
    b.finish(model, output, path);
}
} // namespace

void exportOnnx(const Model& model, const std::string& path) {
    const auto nodes = exportNodes(model);
    if (isQuantized(model))
        exportInt8(model, nodes, path);
    else
        exportFloat(model, nodes, path);
}
#endif

} // namespace nc
