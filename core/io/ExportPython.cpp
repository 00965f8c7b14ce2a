// PyTorch code export: one readable Python file whose nn.Module mirrors the graph, with the node
// ids as attribute names, and a loader for the .ncmodel weights that needs only torch.
#include "io/Export.h"
#include "util/Error.h"
#include "util/Files.h"

#include <cctype>
#include <set>
#include <sstream>

namespace nc {

namespace {

std::string py(double v) {
    std::ostringstream os;
    os.precision(9);
    os << v;
    std::string s = os.str();
    if (s.find_first_of(".eEn") == std::string::npos)
        s += ".0";
    return s;
}
std::string pyBool(bool b) { return b ? "True" : "False"; }
std::string pyList(const std::vector<float>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        s += (i ? ", " : "") + py(v[i]);
    return s + "]";
}
std::string pyString(const std::string& s) { return Json(s).dump(); } // JSON strings are valid Python
} // namespace

std::string pythonSource(const Model& model, const std::string& moduleName) {
    const auto nodes = exportNodes(model);
    const Shape& in = model.inputShape();
    std::ostringstream init, fwd;
    std::string result;
    for (const ExportNode& n : nodes) {
        if (isReservedPythonName(n.id))
            throw Error(n.id + ": this layer id is reserved in Python; rename the layer before exporting");
        const Json& p = n.params;
        const std::string& t = n.type;
        const std::string src = n.inputs.empty() ? "x" : n.inputs.front();
        std::string expr;
        if (t == "Input") {
            expr = "x";
        } else if (t == "Output") {
            result = src;
            continue;
        } else if (t == "Conv2d") {
            const std::string padding = p["padding"].is_string() ? "\"same\"" : std::to_string(p["padding"].get<std::int64_t>());
            init << "        self." << n.id << " = nn.Conv2d(" << n.inputShape[0] << ", " << p["out_channels"].get<std::int64_t>()
                 << ", kernel_size=" << p["kernel_size"].get<std::int64_t>() << ", stride=" << p["stride"].get<std::int64_t>()
                 << ", padding=" << padding << ", dilation=" << p["dilation"].get<std::int64_t>()
                 << ", groups=" << p["groups"].get<std::int64_t>() << ", bias=" << pyBool(p["bias"]) << ")\n";
            expr = "self." + n.id + "(" + src + ")";
        } else if (t == "ConvTranspose2d") {
            init << "        self." << n.id << " = nn.ConvTranspose2d(" << n.inputShape[0] << ", "
                 << p["out_channels"].get<std::int64_t>() << ", kernel_size=" << p["kernel_size"].get<std::int64_t>()
                 << ", stride=" << p["stride"].get<std::int64_t>() << ", padding=" << p["padding"].get<std::int64_t>()
                 << ", output_padding=" << p["output_padding"].get<std::int64_t>() << ", bias=" << pyBool(p["bias"]) << ")\n";
            expr = "self." + n.id + "(" + src + ")";
        } else if (t == "Upsample") {
            const std::int64_t s = p["scale"];
            expr = "F.interpolate(" + src + ", size=(" + std::to_string(n.inputShape[1] * s) + ", " +
                   std::to_string(n.inputShape[2] * s) + "), mode=" +
                   (p["mode"] == "bilinear" ? "\"bilinear\", align_corners=False)" : "\"nearest\")");
        } else if (t == "Unflatten") {
            expr = src + ".reshape(-1, " + std::to_string(p["channels"].get<std::int64_t>()) + ", " +
                   std::to_string(p["height"].get<std::int64_t>()) + ", " + std::to_string(p["width"].get<std::int64_t>()) + ")";
        } else if (t == "MaxPool2d" || t == "AvgPool2d") {
            const std::int64_t k = p["kernel_size"], s = p["stride"].get<std::int64_t>() ? p["stride"].get<std::int64_t>() : k;
            init << "        self." << n.id << " = nn." << t << "(kernel_size=" << k << ", stride=" << s
                 << ", padding=" << p["padding"].get<std::int64_t>() << ")\n";
            expr = "self." + n.id + "(" + src + ")";
        } else if (t == "GlobalAvgPool2d") {
            expr = src + ".mean((2, 3))";
        } else if (t == "BatchNorm2d" || t == "BatchNorm1d") {
            init << "        self." << n.id << " = nn." << t << "(" << n.inputShape[0] << ", eps=" << py(p["eps"])
                 << ", momentum=" << py(p["momentum"]) << ")\n";
            expr = "self." + n.id + "(" + src + ")";
        } else if (t == "Dropout" || t == "Dropout2d") {
            init << "        self." << n.id << " = nn." << t << "(p=" << py(p["p"]) << ")\n";
            expr = "self." + n.id + "(" + src + ")";
        } else if (t == "ReLU") {
            expr = "F.relu(" + src + ")";
        } else if (t == "LeakyReLU") {
            expr = "F.leaky_relu(" + src + ", " + py(p["negative_slope"]) + ")";
        } else if (t == "ELU") {
            expr = "F.elu(" + src + ", " + py(p["alpha"]) + ")";
        } else if (t == "GELU") {
            expr = "F.gelu(" + src + ")";
        } else if (t == "SiLU") {
            expr = "F.silu(" + src + ")";
        } else if (t == "Sigmoid") {
            expr = "torch.sigmoid(" + src + ")";
        } else if (t == "Tanh") {
            expr = "torch.tanh(" + src + ")";
        } else if (t == "Softmax") {
            expr = "torch.softmax(" + src + ", dim=1)";
        } else if (t == "Flatten") {
            expr = "torch.flatten(" + src + ", 1)";
        } else if (t == "Linear") {
            init << "        self." << n.id << " = nn.Linear(" << n.inputShape[0] << ", "
                 << p["out_features"].get<std::int64_t>() << ", bias=" << pyBool(p["bias"]) << ")\n";
            expr = "self." + n.id + "(" + src + ")";
        } else if (t == "RowsToSequence") {
            expr = src + ".permute(0, 2, 1, 3).flatten(2)  # one step per image row";
        } else if (t == "LSTM" || t == "GRU") {
            const std::int64_t hidden = p["hidden_size"], layers = p["layers"];
            const bool bidirectional = p["bidirectional"], all = p["output"] == "all";
            init << "        self." << n.id << " = nn." << t << "(" << n.inputShape[1] << ", " << hidden
                 << ", num_layers=" << layers << ", bidirectional=" << pyBool(bidirectional) << ", batch_first=True)\n";
            const std::string h = n.id + "_h";
            const std::string state = t == "LSTM" ? "(" + h + ", _)" : h;
            fwd << "        " << n.id << "_all, " << state << " = self." << n.id << "(" << src << ")\n";
            // "last": the top layer's final hidden state, both directions (forward first)
            expr = all ? n.id + "_all"
                       : h + "[" + std::to_string(layers * (bidirectional ? 2 : 1) - (bidirectional ? 2 : 1)) +
                             ":].permute(1, 0, 2).reshape(" + h + ".shape[1], -1)";
        } else if (t == "Reparameterize") {
            expr = "(" + n.inputs[0] + " + torch.exp(0.5 * " + n.inputs[1] + ") * torch.randn_like(" + n.inputs[0] +
                   ")) if self.training else " + n.inputs[0];
        } else if (t == "Detach") {
            expr = src + ".detach()";
        } else if (t == "Add") {
            for (const std::string& i : n.inputs)
                expr += (expr.empty() ? "" : " + ") + i;
        } else if (t == "Concat") {
            for (const std::string& i : n.inputs)
                expr += (expr.empty() ? "" : ", ") + i;
            expr = "torch.cat([" + expr + "], dim=1)";
        } else {
            throw Error(n.id + ": " + t + " cannot be exported to PyTorch code");
        }
        fwd << "        " << n.id << " = " << expr << "\n";
    }

    const Normalization& norm = model.normalization();
    std::vector<std::string> names = model.classNames();
    std::string classList = "[";
    for (std::size_t i = 0; i < names.size(); ++i)
        classList += (i ? ", " : "") + pyString(names[i]);
    classList += "]";

    std::ostringstream out;
    out << R"PY("""NeuralCanvas export: )PY" << moduleName << R"PY( — a network designed and trained in NeuralCanvas.

The class mirrors the graph: each layer is an attribute named after its node id, so the
weights in the .ncmodel file (safetensors) load by name.

Input: float32 tensor [N, )PY" << in[0] << ", " << in[1] << ", " << in[2]
        << R"PY(] with pixel values in [0, 1]; the normalisation used in
training is applied inside forward(). Output: logits [N, )PY"
        << names.size() << R"PY(] in the order of CLASS_NAMES.

Usage:
    import torch
    from )PY" << moduleName << R"PY( import load_ncmodel, CLASS_NAMES
    model = load_ncmodel("model.ncmodel")   # an nn.Module in eval mode
    x = torch.rand(1, )PY" << in[0] << ", " << in[1] << ", " << in[2] << R"PY()              # your image, scaled to [0, 1]
    probabilities = model(x).softmax(dim=1)
    print(CLASS_NAMES[int(probabilities.argmax())])

Needs only PyTorch (>= 1.10): the safetensors file is read with the standard library.
"""
import json
import struct

import torch
import torch.nn.functional as F
from torch import nn

CLASS_NAMES = )PY" << classList << R"PY(
INPUT_SHAPE = ()PY" << in[0] << ", " << in[1] << ", " << in[2] << R"PY()
MEAN = )PY" << pyList(norm.mean) << R"PY(
STD = )PY" << pyList(norm.std) << R"PY(


class NeuralCanvasModel(nn.Module):
    def __init__(self):
        super().__init__()
        c = len(MEAN)
        # x * (1/std) - mean/std, the same arithmetic NeuralCanvas uses
        self.register_buffer("norm_scale", (1.0 / torch.tensor(STD)).view(1, c, 1, 1), persistent=False)
        self.register_buffer("norm_shift", (-torch.tensor(MEAN) / torch.tensor(STD)).view(1, c, 1, 1), persistent=False)
)PY" << init.str() << R"PY(
    def forward(self, x):
        x = x * self.norm_scale + self.norm_shift
)PY" << fwd.str() << "        return " << result << R"PY(


_DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
           "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
           "BOOL": torch.bool}


def read_safetensors(path):
    """Returns (tensors by name, metadata) from a safetensors file such as a .ncmodel."""
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len])
    metadata = header.pop("__metadata__", {})
    base = 8 + header_len
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        raw = bytearray(data[base + begin:base + end])
        t = torch.frombuffer(raw, dtype=_DTYPES[info["dtype"]]) if raw else torch.empty(0, dtype=_DTYPES[info["dtype"]])
        tensors[name] = t.reshape(info["shape"])
    return tensors, metadata


def load_ncmodel(path):
    """Builds the network and loads the trained weights of a NeuralCanvas .ncmodel file."""
    model = NeuralCanvasModel()
    tensors, _ = read_safetensors(path)
    model.load_state_dict(tensors, strict=True)
    return model.eval()
)PY";
    return out.str();
}

void exportPython(const Model& model, const std::string& path) {
    std::string name = path.substr(path.find_last_of('/') + 1);
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".py") == 0)
        name.resize(name.size() - 3);
    for (char& c : name) // the module name a user imports
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
            c = '_';
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
        name = "model_" + name;
    writeFileAtomic(path, pythonSource(model, name));
}

} // namespace nc
