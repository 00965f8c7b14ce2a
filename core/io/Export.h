#pragma once
#include "nn/Model.h"

#include <string>
#include <vector>

namespace nc {

// Formats a trained model leaves the app in (besides the .ncmodel safetensors file itself).
// Every export takes float32 input in [0, 1] shaped [N, C, H, W] (TFLite: [N, H, W, C]), applies
// the model's stored normalisation inside and returns the logits; class names travel in the
// file's metadata. An int8 model (compress --quantize int8) exports to ONNX (QDQ) and TFLite
// (full int8) with the app's own scales; TorchScript and PyTorch code refuse it.
enum class ExportFormat { TorchScript, Onnx, Python, Tflite };

const char* exportFormatName(ExportFormat f); // "torchscript", "onnx", "python", "tflite"
bool parseExportFormat(const std::string& name, ExportFormat& out);
// ONNX only when built with libonnx, TFLite only with FlatBuffers.
std::vector<ExportFormat> availableExportFormats();
bool exportsInt8(ExportFormat f); // ONNX and TFLite
const char* exportFileSuffix(ExportFormat f); // ".pt", ".onnx", ".py", ".tflite"

// Writes the export atomically. A layer the format cannot express is an nc::Error naming the
// node ("gelu1: GELU cannot be exported to ONNX opset 13; use ReLU or SiLU"), and no file is left.
// A generative model exports its decoder or generator (decoderModel in nn/Generative.h: a latent
// [N, width, 1, 1] in, pixels in [0, 1] as [N, C·H·W] out); to Python also the decoder's own
// weights, at decoderWeightsPath(path), which the generated load_ncmodel reads.
void exportModel(const Model& model, ExportFormat format, const std::string& path);
std::string decoderWeightsPath(const std::string& pythonPath); // "gen.py" -> "gen.ncmodel"

// One node as exporters see it: normalised params, its inputs in port order and its shapes.
struct ExportNode {
    std::string id;
    std::string type;
    Json params;
    std::vector<std::string> inputs; // node ids; empty for Input
    Shape inputShape;                // first input's shape
    Shape outputShape;
};
// The model's nodes in execution order. Throws nc::Error if the graph is not valid.
std::vector<ExportNode> exportNodes(const Model& model);

// Node ids that cannot name a layer in generated Python/TorchScript code.
bool isReservedPythonName(const std::string& id);

// Per exporter (one translation unit each).
std::string torchScriptSource(const Model& model); // the generated `forward`, for inspection
void exportTorchScript(const Model& model, const std::string& path);
void exportOnnx(const Model& model, const std::string& path);
// TFLite (schema version 3, our own subset in io/tflite_schema.fbs): NHWC activations, OHWI
// filters, batch 1 with a dynamic batch signature. Float32 for a float model, int8 weights and
// activations (float input and output around QUANTIZE / DEQUANTIZE) for an int8 one.
void exportTflite(const Model& model, const std::string& path);
std::string pythonSource(const Model& model, const std::string& moduleName);
void exportPython(const Model& model, const std::string& path);

} // namespace nc
