#pragma once
// The int8 arithmetic of a quantised model (nn/Quantize.cpp) as the exporters see it: for every
// node, whether its value is int8 when the app runs the model, with which scale and zero point,
// and the int8 tensors themselves. Torch-free: read from the model's quantisation metadata.
#include "io/Export.h"

#include <map>
#include <string>
#include <vector>

namespace nc {

struct QParams {
    double scale = 1.0;
    std::int64_t zeroPoint = 0; // uint8: 0..255
    bool operator==(const QParams& o) const { return scale == o.scale && zeroPoint == o.zeroPoint; }
    bool operator!=(const QParams& o) const { return !(*this == o); }
};

struct Int8Node {
    std::string kind;      // conv, linear, add, concat, pass, table, float, fused (FORMATS.md)
    bool int8 = false;     // its value is uint8 with `value`'s scale and zero point
    QParams value;
    QParams own;           // its calibrated range: what its float value is quantised with
    std::string fusedInto; // fused: the conv, linear or add whose output this node's value is
    bool relu = false;     // conv, linear, add: a ReLU is fused into it
};

struct Int8Plan {
    std::map<std::string, Int8Node> nodes;
    std::map<std::string, TensorRecord> tensors; // as the .ncmodel stores them (I8 weights, F32 rest)

    const Int8Node& at(const std::string& id) const;
    // What a consumer that needs an int8 input reads from node `id`: its int8 value as it is, or
    // its float value quantised with its own range (as the app's forward does).
    QParams asInt8(const std::string& id) const { return at(id).int8 ? at(id).value : at(id).own; }
    const TensorRecord& tensor(const std::string& name) const; // throws naming it
    std::vector<float> floats(const std::string& name) const;
    std::vector<std::int8_t> int8s(const std::string& name) const;
};

// Throws nc::Error when the model is not quantised or its metadata does not cover `nodes`.
Int8Plan int8Plan(const Model& model, const std::vector<ExportNode>& nodes);

} // namespace nc
