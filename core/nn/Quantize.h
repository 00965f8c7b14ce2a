#pragma once
// int8 post-training quantisation (issue 15). Torch-free: the work is in nn/Quantize.cpp.
//
// A quantised model is an nc::Model like any other: Model::logits and logitsFromUnit (Evaluate,
// Inspect's predictions, predict, serving) run its convolutions, fully-connected layers, additions
// and concatenations on LibTorch's quantized CPU kernels (oneDNN, else fbgemm, else qnnpack), with
// per-channel symmetric int8 weights and per-tensor affine uint8 activations; BatchNorm is folded
// into the convolution or Linear before it and a ReLU after one of those (or after Add) is fused
// into it. Pooling runs on the int8 values, and Tanh, Sigmoid, GELU, SiLU, ELU and LeakyReLU as
// 256-entry tables. A layer none of these covers (LSTM, GRU, Softmax, a standalone BatchNorm, ...)
// runs in float between a dequantise and a quantise, and the report names it. Saliency and
// activations use a float copy of the network holding the dequantised weights.
#include "data/Dataset.h"
#include "nn/Model.h"
#include "util/Json.h"

#include <string>
#include <vector>

namespace nc {

enum class CalibrationObserver { MinMax, Percentile };

struct QuantizeOptions {
    int calibrationImages = 512; // taken evenly across the training split
    CalibrationObserver observer = CalibrationObserver::MinMax;
    double percentile = 99.99;   // for Percentile: the range kept of each activation's values
    int batchSize = 64;
};

struct QuantizeReport {
    std::vector<std::string> int8Nodes;   // whose arithmetic runs in int8
    std::vector<std::string> floatNodes;  // "id (Type)" that run in float
    std::vector<std::string> foldedNodes; // BatchNorms folded and ReLUs fused into the layer before them
    int calibrationImages = 0;
    std::string engine;                   // "onednn", "fbgemm" or "qnnpack"
};

// Quantises a float model, calibrating its activations on `calibration` (the training split).
// Throws nc::Error when the model is quantised already, the data does not fit it, or this
// LibTorch has no quantized CPU engine.
Model quantizeInt8(const Model& model, const Dataset& calibration, const QuantizeOptions& options,
                   QuantizeReport* report = nullptr);

bool isQuantized(const Model& model);
// The file's "quantization" metadata (FORMATS.md): scheme, engine, observer, per-layer
// activation scales and zero points, and which layers run in float. null for a float model.
Json quantizationInfo(const Model& model);
// The report of a quantised model (as quantizeInt8 returned it), from its plan.
QuantizeReport quantizeReport(const Model& model);
// The tensors of a quantised model as its .ncmodel stores them (FORMATS.md): I8 weights with
// their F32 per-channel scales and folded F32 biases, every other parameter and buffer in F32.
// What the int8 exports are written from.
std::vector<TensorRecord> quantizedTensors(const Model& model);

} // namespace nc
