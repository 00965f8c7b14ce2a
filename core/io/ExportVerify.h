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
    std::string runtime;    // "Python torch 1.13", "OpenCV dnn 4.6"
    std::string message;    // what went wrong, when !ran
};

// Runs `exportPath` (written by exportModel) with Debian's python3: torch for TorchScript and the
// generated code, OpenCV's dnn for ONNX. Never throws; takes a few seconds (starts Python).
ExportCheck verifyExport(const Model& model, ExportFormat format, const std::string& exportPath);

} // namespace nc
