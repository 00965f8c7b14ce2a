#include "io/Export.h"

#include "graph/ShapeInference.h"
#include "nn/Generative.h"
#include "nn/Quantize.h"
#include "util/Error.h"

#include <set>

namespace nc {

const char* exportFormatName(ExportFormat f) {
    switch (f) {
    case ExportFormat::TorchScript: return "torchscript";
    case ExportFormat::Onnx: return "onnx";
    case ExportFormat::Python: return "python";
    case ExportFormat::Tflite: return "tflite";
    }
    return "?";
}

const char* exportFileSuffix(ExportFormat f) {
    switch (f) {
    case ExportFormat::TorchScript: return ".pt";
    case ExportFormat::Onnx: return ".onnx";
    case ExportFormat::Python: return ".py";
    case ExportFormat::Tflite: return ".tflite";
    }
    return "";
}

std::string decoderWeightsPath(const std::string& pythonPath) {
    std::string stem = pythonPath;
    if (stem.size() > 3 && stem.compare(stem.size() - 3, 3, ".py") == 0)
        stem.resize(stem.size() - 3);
    return stem + ".ncmodel";
}

bool exportsInt8(ExportFormat f) { return f == ExportFormat::Onnx || f == ExportFormat::Tflite; }

bool isReservedPythonName(const std::string& id) {
    // Python keywords plus the names the generated code uses itself.
    static const std::set<std::string> reserved = {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
        "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "self", "x", "torch",
        "nn", "F", "training", "forward"};
    return reserved.count(id) > 0;
}

bool parseExportFormat(const std::string& name, ExportFormat& out) {
    for (ExportFormat f : {ExportFormat::TorchScript, ExportFormat::Onnx, ExportFormat::Python, ExportFormat::Tflite})
        if (name == exportFormatName(f)) {
            out = f;
            return true;
        }
    return false;
}

std::vector<ExportFormat> availableExportFormats() {
    std::vector<ExportFormat> out{ExportFormat::TorchScript};
#ifdef NC_HAVE_ONNX
    out.push_back(ExportFormat::Onnx);
#endif
    out.push_back(ExportFormat::Python);
#ifdef NC_HAVE_TFLITE
    out.push_back(ExportFormat::Tflite);
#endif
    return out;
}

std::vector<ExportNode> exportNodes(const Model& model) {
    const Graph& g = model.graph();
    const GraphAnalysis a = analyzeGraph(g, model.inputShape(), static_cast<int>(model.classNames().size()));
    if (!a.valid())
        throw Error("the model's graph is not valid: " + a.problems.front().message);
    const auto& reg = LayerRegistry::instance();
    // Only what the Output needs: a classifier's extra loss nodes (and layers that feed only
    // them) are training-time terms, not part of what the exported file computes.
    std::set<std::string> needed{a.outputNode};
    for (auto it = a.order.rbegin(); it != a.order.rend(); ++it)
        if (needed.count(*it))
            for (const Edge* e : g.incoming(*it))
                needed.insert(e->from.node);
    std::vector<ExportNode> out;
    for (const std::string& id : a.order) {
        if (!a.outputNode.empty() && !needed.count(id))
            continue;
        const Node& n = *g.node(id);
        const LayerSpec& spec = *reg.find(n.type);
        ExportNode e;
        e.id = id;
        e.type = n.type;
        reg.normalizeParams(spec, n.params, e.params);
        for (const std::string& port : spec.inputPorts(e.params))
            for (const Edge* edge : g.incoming(id))
                if (edge->to.port == port)
                    e.inputs.push_back(edge->from.node);
        e.inputShape = e.inputs.empty() ? model.inputShape() : a.info(e.inputs.front())->outputShape;
        e.outputShape = a.info(id)->outputShape;
        out.push_back(std::move(e));
    }
    return out;
}

void exportModel(const Model& model, ExportFormat format, const std::string& path) {
    // A generative model exports its decoder (a GAN: its generator): latents in, pixels out.
    if (isGenerative(model)) {
        const Model decoder = decoderModel(model);
        exportModel(decoder, format, path);
        if (format == ExportFormat::Python) // the generated code's load_ncmodel reads the decoder's own file
            decoder.save(decoderWeightsPath(path));
        return;
    }
    // The formats below would carry the dequantised float network, which does not compute what
    // the int8 one does; say so rather than write a file that disagrees with the app.
    if (isQuantized(model) && !exportsInt8(format)) {
        const Json& c = model.metadata().contains("compression") ? model.metadata()["compression"] : Json();
        const std::string from = c.is_object() && c.contains("from") && c["from"].is_string() ? c["from"].get<std::string>() : "";
        throw Error(std::string("this is an int8 model (from compress --quantize int8): ") + exportFormatName(format) +
                    " cannot carry its int8 arithmetic; export it to onnx (QDQ) or tflite, or export the float model "
                    "it was made from" + (from.empty() ? std::string() : " (" + from + ")") + " to " +
                    exportFormatName(format));
    }
    switch (format) {
    case ExportFormat::TorchScript: return exportTorchScript(model, path);
    case ExportFormat::Onnx: return exportOnnx(model, path);
    case ExportFormat::Python: return exportPython(model, path);
    case ExportFormat::Tflite: return exportTflite(model, path);
    }
}

} // namespace nc
