#include "io/ExportInt8.h"

#include "nn/Quantize.h"
#include "util/Error.h"

#include <cstring>

namespace nc {

const Int8Node& Int8Plan::at(const std::string& id) const {
    auto it = nodes.find(id);
    if (it == nodes.end())
        throw Error("internal: node " + id + " has no int8 step");
    return it->second;
}

const TensorRecord& Int8Plan::tensor(const std::string& name) const {
    auto it = tensors.find(name);
    if (it == tensors.end())
        throw Error("internal: tensor " + name + " is missing from the int8 model");
    return it->second;
}

std::vector<float> Int8Plan::floats(const std::string& name) const {
    const TensorRecord& r = tensor(name);
    if (r.dtype != DType::F32)
        throw Error("internal: tensor " + name + " is " + dtypeName(r.dtype) + ", not F32");
    std::vector<float> v(r.data.size() / sizeof(float));
    std::memcpy(v.data(), r.data.data(), v.size() * sizeof(float));
    return v;
}

std::vector<std::int8_t> Int8Plan::int8s(const std::string& name) const {
    const TensorRecord& r = tensor(name);
    if (r.dtype != DType::I8)
        throw Error("internal: tensor " + name + " is " + dtypeName(r.dtype) + ", not I8");
    return std::vector<std::int8_t>(reinterpret_cast<const std::int8_t*>(r.data.data()),
                                    reinterpret_cast<const std::int8_t*>(r.data.data()) + r.data.size());
}

Int8Plan int8Plan(const Model& model, const std::vector<ExportNode>& nodes) {
    const Json info = quantizationInfo(model);
    if (!info.is_object() || !info.contains("steps") || !info["steps"].is_object())
        throw Error("the model is not an int8 model");
    const Json& steps = info["steps"];
    Int8Plan plan;
    for (TensorRecord& r : quantizedTensors(model))
        plan.tensors.emplace(r.name, std::move(r));
    for (const ExportNode& n : nodes) {
        if (!steps.contains(n.id))
            throw Error("internal: the int8 model has no step for node " + n.id);
        const Json& s = steps[n.id];
        Int8Node q;
        q.kind = s.at("kind").get<std::string>();
        q.own = {s.at("scale").get<double>(), s.at("zero_point").get<std::int64_t>()};
        if (q.kind == "fused")
            q.fusedInto = s.at("into").get<std::string>();
        plan.nodes[n.id] = q;
    }
    // Mirrors quantizedForward: a conv, linear or add produces the output of the last layer
    // fused into it (a BatchNorm, then a ReLU), with that layer's range; pass layers keep the
    // domain and range of their input; a table or concatenation has its own range.
    for (const ExportNode& n : nodes) {
        Int8Node& q = plan.nodes[n.id];
        if (q.kind == "conv" || q.kind == "linear" || q.kind == "add") {
            q.int8 = true;
            q.value = q.own;
            for (const ExportNode& m : nodes) {
                const Int8Node& f = plan.nodes[m.id];
                if (f.kind == "fused" && f.fusedInto == n.id) {
                    q.value = f.own; // execution order: the last one wins
                    if (m.type == "ReLU")
                        q.relu = true;
                }
            }
        } else if (q.kind == "concat" || q.kind == "table") {
            q.int8 = true;
            q.value = q.own;
        } else if (q.kind == "fused") {
            const Int8Node& target = plan.at(q.fusedInto);
            q.int8 = target.int8;
            q.value = target.value;
        } else if (q.kind == "pass") {
            if (!n.inputs.empty()) {
                const Int8Node& in = plan.at(n.inputs.front());
                q.int8 = in.int8;
                q.value = in.value;
            }
        } else if (q.kind != "float") {
            throw Error("internal: node " + n.id + " has the unknown int8 kind '" + q.kind + "'");
        }
    }
    return plan;
}

} // namespace nc
