#pragma once
// Internal to core: the torch module that executes a graph. Only core's torch translation units
// include this; ui/ and the public headers see nc::Model instead.
#include "data/Dataset.h"
#include "nn/Model.h"
#include "graph/ShapeInference.h"

#include <torch/nn.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nc {

// Executes the DAG in topological order; submodules are registered under their node ids.
class GraphNetImpl : public torch::nn::Module {
public:
    GraphNetImpl(const Graph& graph, const GraphAnalysis& analysis);

    using Visit = std::function<void(const std::string&, const torch::Tensor&)>;

    torch::Tensor forward(const torch::Tensor& x);
    // The general run: `x` the normalised batch (may be undefined), `target` the unit pixels a
    // ReconstructionLoss compares with (undefined: losses are skipped); a node named
    // `replaceId` gives `replacement` instead of computing (a decoder run from a latent z).
    // Steps with a missing input are skipped. Returns the Output's value (undefined if none).
    // `mask` (optional, one flag per step) runs only the steps it marks.
    torch::Tensor run(const torch::Tensor& x, const torch::Tensor& target, const std::string& replaceId,
                      const torch::Tensor& replacement, const Visit& visit, const std::vector<bool>* mask = nullptr);
    // Every loss node's per-image values [B] for a batch, in execution order; with `mask`, only
    // the steps it marks run (stepsFor: what some of the losses need).
    std::vector<std::pair<std::string, torch::Tensor>> lossValues(const torch::Tensor& x, const torch::Tensor& target,
                                                                  const std::vector<bool>* mask = nullptr);
    std::vector<bool> stepsFor(const std::vector<std::string>& nodeIds) const;
    // Runs the network and hands every node's output to `visit` (in execution order).
    torch::Tensor forwardVisiting(const torch::Tensor& x,
                                  const std::function<void(const std::string&, const torch::Tensor&)>& visit);
    // The first node (in execution order) whose output holds NaN or infinity for `x`; "" if none.
    std::string firstNonFiniteNode(const torch::Tensor& x);
    // Each node's largest absolute output for `x`, in execution order (infinity where an output
    // is not finite): how the trainer finds the layer whose activations blew up first.
    std::vector<std::pair<std::string, double>> activationMagnitudes(const torch::Tensor& x);

    const std::string& outputNode() const { return m_outputNode; }

    // The steps, for the int8 executor (nn/Quantize.cpp), which mirrors them one for one.
    std::size_t stepCount() const { return m_steps.size(); }
    const std::string& stepId(std::size_t i) const { return m_steps[i].id; }
    const std::vector<int>& stepInputs(std::size_t i) const { return m_steps[i].inputs; }
    torch::Tensor runStep(std::size_t i, const std::vector<torch::Tensor>& args) const { return m_steps[i].run(args); }

private:
    struct Step {
        std::string id;
        std::vector<int> inputs; // indices into the value table; -1 = the network input, -2 = the target
        std::function<torch::Tensor(const std::vector<torch::Tensor>&)> run;
        bool loss = false;
    };
    std::vector<Step> m_steps;
    std::vector<int> m_uses; // consumers per step, to free intermediate values early
    std::string m_outputNode;
};
TORCH_MODULE(GraphNet);

class QuantizedNet; // nn/Quantize.cpp: the int8 plan of a quantised model

struct ModelImpl {
    Graph graph;
    Shape inputShape;
    std::vector<std::string> classNames;
    Normalization normalization;
    InputAppearance appearance;
    Json metadata = Json::object();
    GraphNet net{nullptr};
    // Set for an int8 model: logits run on it; `net` then holds the dequantised weights.
    std::shared_ptr<QuantizedNet> quant;
};

// The int8 forward pass of a quantised model on a normalised float batch: float logits.
torch::Tensor quantizedForward(const ModelImpl& model, const torch::Tensor& x);
// The same on uint8 pixels (N, C, H, W), normalised as normalizeBatch does: the first int8
// layer's input comes from a 256-entry table per channel, with the same bytes.
torch::Tensor quantizedForwardPixels(const ModelImpl& model, const torch::Tensor& u8);
// What Model::save writes for a quantised model: its tensors and its "quantization" metadata.
std::vector<TensorRecord> quantizedRecords(const ModelImpl& model);
std::string quantizedMetadata(const ModelImpl& model);
// Model::load's path for a file with "quantization" metadata: checks every scale, zero point and
// int8 tensor, then builds the plan and the float copy. Throws nc::Error naming the problem.
void loadQuantized(ModelImpl& model, const SafetensorsFile& file, const std::string& what);

// True when GraphCompiler can build a module for this registry type.
bool graphCompilerSupports(const std::string& type);

// Converts uint8 images [B,C,H,W] into the normalised float batch the network expects.
torch::Tensor normalizeBatch(const torch::Tensor& u8, const Normalization& n);
// Images [start, start + b) of `count` taken evenly across `data`, normalised: the batches that
// int8 calibration and BatchNorm recalibration look at.
torch::Tensor spreadBatch(const Dataset& data, std::int64_t start, std::int64_t b, std::int64_t count,
                          const Normalization& n);

// Named tensors <-> safetensors records (CPU, contiguous copies).
struct TensorRecord;
TensorRecord toRecord(const std::string& name, const torch::Tensor& t);
torch::Tensor fromRecord(const TensorRecord& r);
// Copies `values` into the model's named parameters and buffers; every name must match in
// shape. Throws nc::Error naming the first mismatch.
void loadState(torch::nn::Module& module, const std::vector<std::pair<std::string, torch::Tensor>>& values,
               const std::string& what);

} // namespace nc
