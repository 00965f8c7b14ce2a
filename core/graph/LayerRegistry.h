#pragma once
#include "util/Json.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace nc {

// A per-sample tensor shape: [C, H, W] for images, [F] for features (no batch dimension).
using Shape = std::vector<std::int64_t>;
std::string shapeToString(const Shape& s); // "64×5×5"

enum class ParamKind { Int, Float, Bool, Choice, IntOrSame };

// One parameter of a layer type: its schema, default and allowed range.
struct ParamSpec {
    std::string name;
    ParamKind kind = ParamKind::Int;
    Json defaultValue;
    double minValue = 0;
    double maxValue = 0;
    std::vector<std::string> choices; // for Choice
    std::string help;
};

// What a shape rule reports for one node: its output shape or an actionable message.
struct ShapeResult {
    bool ok = false;
    Shape shape;
    std::int64_t parameters = 0;
    std::int64_t flops = 0; // multiply-adds counted as 2 FLOPs, per image
    std::string error;      // without the node id; ShapeInference prefixes it
};

using ShapeRule = std::function<ShapeResult(const std::vector<Shape>& inputs, const Json& params)>;

// Everything the app knows about one layer type.
struct LayerSpec {
    std::string type;     // "Conv2d"
    std::string category; // "Convolution", "Pooling", "Normalization", "Activation", ...
    std::string idPrefix; // "conv"
    std::string summary;  // one line for tooltips
    std::vector<ParamSpec> params;
    int minInputs = 1; // 0 for Input
    int maxInputs = 1; // >1 for Add/Concat (ports "in0".."inN-1", count from the `inputs` param)
    bool hasOutput = true;
    ShapeRule shapeRule;

    const ParamSpec* param(const std::string& name) const;
    std::vector<std::string> inputPorts(const Json& params) const;
};

// The types whose nodes hold trainable weights (and may share them: the "shares" parameter).
bool layerHasParameters(const std::string& type);

// The v1 layer catalogue (DESIGN §3) in one table. The torch module for each type is built by
// GraphCompiler (core/nn), which covers every type listed here (a test checks it).
class LayerRegistry {
public:
    static const LayerRegistry& instance();
    const LayerSpec* find(const std::string& type) const;
    const std::vector<LayerSpec>& all() const { return m_specs; }

    // Fills in defaults and checks every value against the schema. Returns "" when fine, else a
    // message naming the parameter and what is allowed. `out` receives the completed params.
    std::string normalizeParams(const LayerSpec& spec, const Json& in, Json& out) const;

private:
    LayerRegistry();
    std::vector<LayerSpec> m_specs;
};

} // namespace nc
