// ONNX export: a ModelProto (opset 13) built with libonnx and checked by onnx::checker. Tensors
// keep their NeuralCanvas names (`conv1.weight`); each node's output is named after its id.
#include "io/Export.h"
#include "util/Error.h"
#include "util/Files.h"

#ifdef NC_HAVE_ONNX
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#endif

#include <cstring>
#include <map>

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

void setShape(onnx::ValueInfoProto* v, const std::vector<std::int64_t>& dims) {
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = tt->mutable_shape();
    shape->add_dim()->set_dim_param("N");
    for (auto d : dims)
        shape->add_dim()->set_dim_value(d);
}
} // namespace

void exportOnnx(const Model& model, const std::string& path) {
    const auto nodes = exportNodes(model);
    onnx::ModelProto m;
    m.set_ir_version(7);
    m.set_producer_name("NeuralCanvas");
    m.set_producer_version("0.1.0");
    auto* opset = m.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpset);
    auto* g = m.mutable_graph();
    g->set_name("neuralcanvas");

    const Shape& in = model.inputShape();
    setShape(g->add_input(), in);
    g->mutable_input(0)->set_name("input");

    std::map<std::string, TensorRecord> weights;
    for (TensorRecord& r : model.state())
        weights.emplace(r.name, std::move(r));
    auto weight = [&](const std::string& name) -> std::string {
        auto it = weights.find(name);
        if (it == weights.end())
            throw Error("internal: tensor " + name + " is missing");
        addInitializer(g, it->second);
        return name;
    };

    const Normalization& norm = model.normalization();
    std::vector<float> scale, shift;
    for (std::int64_t c = 0; c < in[0]; ++c) {
        scale.push_back(1.f / norm.std[c]);
        shift.push_back(-norm.mean[c] / norm.std[c]);
    }
    addInitializer(g, floatTensor("norm_scale", {1, in[0], 1, 1}, scale));
    addInitializer(g, floatTensor("norm_shift", {1, in[0], 1, 1}, shift));
    addNode(g, "Mul", "normalize_scale", {"input", "norm_scale"}, "input_scaled");
    addNode(g, "Add", "normalize_shift", {"input_scaled", "norm_shift"}, "input_normalized");

    std::map<std::string, std::string> tensorOf; // node id -> ONNX tensor carrying its output
    std::string output;
    for (const ExportNode& n : nodes) {
        const Json& p = n.params;
        const std::string& t = n.type;
        const std::string src = n.inputs.empty() ? "input_normalized" : tensorOf.at(n.inputs.front());
        const std::string out = n.id;
        if (t == "Input" || t == "Dropout" || t == "Dropout2d") {
            tensorOf[n.id] = src; // identity at inference
            continue;
        }
        if (t == "Output") {
            output = src;
            continue;
        }
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
            std::string acc = tensorOf.at(n.inputs[0]);
            for (std::size_t i = 1; i < n.inputs.size(); ++i) {
                const std::string name = i + 1 == n.inputs.size() ? out : n.id + "_partial" + std::to_string(i);
                addNode(g, "Add", i + 1 == n.inputs.size() ? n.id : name, {acc, tensorOf.at(n.inputs[i])}, name);
                acc = name;
            }
        } else if (t == "Concat") {
            std::vector<std::string> inputs;
            for (const std::string& i : n.inputs)
                inputs.push_back(tensorOf.at(i));
            addInt(addNode(g, "Concat", n.id, inputs, out), "axis", 1);
        } else if (t == "GELU") {
            throw Error(n.id + ": GELU cannot be exported to ONNX opset " + std::to_string(kOpset) +
                        " (it has no Gelu operator, and OpenCV's ONNX reader lacks Erf); use ReLU or SiLU instead");
        } else {
            throw Error(n.id + ": " + t + " cannot be exported to ONNX");
        }
        tensorOf[n.id] = out;
    }
    auto* result = g->add_output();
    result->set_name(output);
    setShape(result, {static_cast<std::int64_t>(model.classNames().size())});

    auto meta = [&](const char* key, const std::string& value) {
        auto* p = m.add_metadata_props();
        p->set_key(key);
        p->set_value(value);
    };
    meta("class_names", Json(model.classNames()).dump());
    meta("input_shape", Json(in).dump());
    meta("normalization", Json{{"mean", norm.mean}, {"std", norm.std}}.dump());
    meta("input", "float32 [N, C, H, W] in [0, 1]; normalisation is applied inside");
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
#endif

} // namespace nc
