#pragma once
#include "io/Export.h"

#include <string>

namespace nc {

// The result of running an exported file in an independent runtime on random images and
// comparing its logits with the app's own.
struct ExportCheck {
    bool ran = false;       // false: the runtime was missing or failed; see message
    double maxAbsDifference = 0;
    bool sameClass = false; // the top class agrees on every image
    double agreement = 0;   // the share of images whose top class agrees
    // What maxAbsDifference may reach: 1e-4 for a float model; for an int8 one, one step of its
    // output's quantisation (TFLite: the same integer arithmetic) or three (ONNX Runtime, whose
    // int8 kernels requantise with fixed-point multipliers).
    double tolerance = 1e-4;
    std::string runtime;    // "Python torch 1.13", "ONNX Runtime 1.30.0 (Node.js)", "ArmNN … and LiteRT.js …"
    std::string message;    // what went wrong, when !ran
    std::vector<float> outputs; // the runtime's logits, [n, classes]
    std::int64_t images = 0;
    bool passed() const { return ran && maxAbsDifference <= tolerance && sameClass; }
};

// Runs `exportPath` (written by exportModel) with Debian's python3: torch for TorchScript and the
// generated code, ONNX Runtime (else OpenCV's dnn) for ONNX, ArmNN and LiteRT for TFLite, on 8
// random images. Never throws; takes a few seconds (starts Python).
ExportCheck verifyExport(const Model& model, ExportFormat format, const std::string& exportPath);
// The same on `n` given uint8 images [n, C, H, W] (real test images, say).
ExportCheck verifyExport(const Model& model, ExportFormat format, const std::string& exportPath,
                         const std::uint8_t* images, std::int64_t n);
// The output quantisation step of an int8 model (0 for a float one).
double outputStep(const Model& model);

} // namespace nc
