// TorchScript export: generated TorchScript source compiled in C++ (Module::define) with the
// trained tensors registered under their node ids, so `torch.jit.load` needs nothing else.
#include "io/Export.h"
#include "nn/GraphNet.h"
#include "util/Error.h"
#include "util/Files.h"

#include <torch/script.h>

#include <map>
#include <set>
#include <sstream>

namespace nc {

namespace {

std::string pair(std::int64_t v) { return "[" + std::to_string(v) + ", " + std::to_string(v) + "]"; }
std::string num(double v) {
    std::ostringstream os;
    os.precision(17);
    os << v;
    std::string s = os.str();
    if (s.find_first_of(".eE") == std::string::npos)
        s += ".0";
    return s;
}
bool isBuffer(const std::string& name) {
    return name == "running_mean" || name == "running_var" || name == "num_batches_tracked";
}
} // namespace

std::string torchScriptSource(const Model& model) {
    std::ostringstream src;
    src << "def forward(self, x: Tensor) -> Tensor:\n";
    src << "    x = x * self.norm_scale + self.norm_shift\n";
    std::string result;
    for (const ExportNode& n : exportNodes(model)) {
        if (isReservedPythonName(n.id))
            throw Error(n.id + ": this layer id is a Python keyword; rename the layer before exporting");
        const std::string v = "v_" + n.id;
        const std::string in = n.inputs.empty() ? "x" : "v_" + n.inputs.front();
        const Json& p = n.params;
        const std::string self = "self." + n.id;
        const std::string& t = n.type;
        std::string expr;
        if (t == "Input" || t == "Dropout" || t == "Dropout2d" || t == "Reparameterize" || t == "Detach") {
            expr = in; // the identity at inference (Reparameterize gives μ, its first input)
        } else if (t == "Output") {
            result = in;
            continue;
        } else if (t == "Conv2d") {
            const std::string padding = p["padding"].is_string() ? "\"same\"" : pair(p["padding"].get<std::int64_t>());
            expr = "torch.conv2d(" + in + ", " + self + ".weight, " + (p["bias"].get<bool>() ? self + ".bias" : "None") +
                   ", " + pair(p["stride"]) + ", " + padding + ", " + pair(p["dilation"]) + ", " +
                   std::to_string(p["groups"].get<std::int64_t>()) + ")";
        } else if (t == "ConvTranspose2d") {
            expr = "torch.conv_transpose2d(" + in + ", " + self + ".weight, " + (p["bias"].get<bool>() ? self + ".bias" : "None") +
                   ", " + pair(p["stride"]) + ", " + pair(p["padding"]) + ", " + pair(p["output_padding"]) + ", 1, [1, 1])";
        } else if (t == "Upsample") {
            const std::int64_t s = p["scale"];
            const std::string size = "[" + std::to_string(n.inputShape[1] * s) + ", " + std::to_string(n.inputShape[2] * s) + "]";
            expr = p["mode"] == "bilinear" ? "torch.upsample_bilinear2d(" + in + ", " + size + ", False, None, None)"
                                           : "torch.upsample_nearest2d(" + in + ", " + size + ", None, None)";
        } else if (t == "Unflatten") {
            expr = "torch.reshape(" + in + ", [-1, " + std::to_string(p["channels"].get<std::int64_t>()) + ", " +
                   std::to_string(p["height"].get<std::int64_t>()) + ", " + std::to_string(p["width"].get<std::int64_t>()) + "])";
        } else if (t == "MaxPool2d" || t == "AvgPool2d") {
            const std::int64_t k = p["kernel_size"], s = p["stride"].get<std::int64_t>() ? p["stride"].get<std::int64_t>() : k;
            expr = t == "MaxPool2d" ? "torch.max_pool2d(" + in + ", " + pair(k) + ", " + pair(s) + ", " + pair(p["padding"]) +
                                          ", [1, 1], False)"
                                    : "torch.avg_pool2d(" + in + ", " + pair(k) + ", " + pair(s) + ", " + pair(p["padding"]) +
                                          ", False, True, None)";
        } else if (t == "GlobalAvgPool2d") {
            expr = "torch.mean(" + in + ", [2, 3])";
        } else if (t == "BatchNorm2d" || t == "BatchNorm1d") {
            expr = "torch.batch_norm(" + in + ", " + self + ".weight, " + self + ".bias, " + self + ".running_mean, " + self +
                   ".running_var, False, " + num(p["momentum"]) + ", " + num(p["eps"]) + ", False)";
        } else if (t == "ReLU") {
            expr = "torch.relu(" + in + ")";
        } else if (t == "LeakyReLU") {
            expr = "torch.leaky_relu(" + in + ", " + num(p["negative_slope"]) + ")";
        } else if (t == "ELU") {
            expr = "torch.elu(" + in + ", " + num(p["alpha"]) + ")";
        } else if (t == "GELU") {
            expr = "torch.gelu(" + in + ")";
        } else if (t == "SiLU") {
            expr = "torch.silu(" + in + ")";
        } else if (t == "Sigmoid") {
            expr = "torch.sigmoid(" + in + ")";
        } else if (t == "Tanh") {
            expr = "torch.tanh(" + in + ")";
        } else if (t == "Softmax") {
            expr = "torch.softmax(" + in + ", 1)";
        } else if (t == "Flatten") {
            expr = "torch.flatten(" + in + ", 1)";
        } else if (t == "Linear") {
            expr = p["bias"].get<bool>() ? "torch.addmm(" + self + ".bias, " + in + ", " + self + ".weight.t())"
                                         : "torch.mm(" + in + ", " + self + ".weight.t())";
        } else if (t == "RowsToSequence") {
            expr = "torch.flatten(torch.permute(" + in + ", [0, 2, 1, 3]), 2)";
        } else if (t == "LSTM" || t == "GRU") {
            const std::int64_t hidden = p["hidden_size"], layers = p["layers"];
            const bool bidirectional = p["bidirectional"];
            const std::int64_t dirs = bidirectional ? 2 : 1;
            std::string weights;
            for (std::int64_t l = 0; l < layers; ++l)
                for (const char* suffix : {"", "_reverse"}) {
                    if (*suffix && !bidirectional)
                        continue;
                    for (const char* w : {"weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"})
                        weights += (weights.empty() ? "" : ", ") + self + "." + w + std::to_string(l) + suffix;
                }
            const std::string h0 = "torch.zeros([" + std::to_string(layers * dirs) + ", " + in + ".size(0), " +
                                   std::to_string(hidden) + "], dtype=" + in + ".dtype)";
            const std::string tail = ", [" + weights + "], True, " + std::to_string(layers) + ", 0.0, False, " +
                                     (bidirectional ? "True" : "False") + ", True)";
            if (t == "LSTM")
                src << "    " << v << "_all, " << v << "_h, " << v << "_c = torch.lstm(" << in << ", [" << h0 << ", " << h0
                    << "]" << tail << "\n";
            else
                src << "    " << v << "_all, " << v << "_h = torch.gru(" << in << ", " << h0 << tail << "\n";
            expr = p["output"] == "all"
                       ? v + "_all"
                       : "torch.reshape(torch.permute(torch.narrow(" + v + "_h, 0, " + std::to_string(layers * dirs - dirs) +
                             ", " + std::to_string(dirs) + "), [1, 0, 2]), [-1, " + std::to_string(dirs * hidden) + "])";
        } else if (t == "Add") {
            for (const std::string& i : n.inputs)
                expr += (expr.empty() ? "" : " + ") + ("v_" + i);
        } else if (t == "Concat") {
            for (const std::string& i : n.inputs)
                expr += (expr.empty() ? "" : ", ") + ("v_" + i);
            expr = "torch.cat([" + expr + "], 1)";
        } else {
            throw Error(n.id + ": " + t + " cannot be exported to TorchScript");
        }
        src << "    " << v << " = " << expr << "\n";
    }
    src << "    return " << result << "\n";
    return src.str();
}

void exportTorchScript(const Model& model, const std::string& path) {
    const std::string source = torchScriptSource(model);
    torch::jit::Module root("__torch__.NeuralCanvasModel");
    std::map<std::string, torch::jit::Module> children;
    std::vector<std::string> order;
    for (const TensorRecord& r : model.state()) {
        const auto dot = r.name.rfind('.');
        const std::string node = r.name.substr(0, dot), name = r.name.substr(dot + 1);
        auto it = children.find(node);
        if (it == children.end()) {
            it = children.emplace(node, torch::jit::Module("__torch__.nc_layer_" + node)).first;
            order.push_back(node);
        }
        torch::Tensor t = fromRecord(r);
        if (isBuffer(name))
            it->second.register_buffer(name, t);
        else
            it->second.register_parameter(name, t, false);
    }
    for (const std::string& node : order)
        root.register_module(node, children.at(node));
    const Normalization& norm = model.normalization();
    const std::int64_t c = model.inputShape()[0];
    std::vector<float> scale, shift;
    for (std::int64_t i = 0; i < c; ++i) {
        scale.push_back(1.f / norm.std[i]);
        shift.push_back(-norm.mean[i] / norm.std[i]);
    }
    root.register_buffer("norm_scale", torch::tensor(scale).view({1, c, 1, 1}));
    root.register_buffer("norm_shift", torch::tensor(shift).view({1, c, 1, 1}));
    c10::List<std::string> names;
    for (const std::string& n : model.classNames())
        names.push_back(n);
    root.register_attribute("class_names", c10::ListType::ofStrings(), names);
    c10::List<std::int64_t> shape(model.inputShape());
    root.register_attribute("input_shape", c10::ListType::ofInts(), shape);
    try {
        root.define(source);
    } catch (const c10::Error& e) {
        throw Error(std::string("TorchScript export failed to compile the generated code: ") + e.what_without_backtrace());
    }
    root.eval();
    const Json meta = {{"class_names", model.classNames()},
                       {"input_shape", model.inputShape()},
                       {"normalization", {{"mean", norm.mean}, {"std", norm.std}}},
                       {"input", "float32 [N, C, H, W] in [0, 1]; normalisation is applied inside"},
                       {"output", "logits [N, classes]"}};
    torch::jit::ExtraFilesMap extra{{"neuralcanvas.json", meta.dump(2)}};
    std::ostringstream bytes;
    root.save(bytes, extra);
    writeFileAtomic(path, bytes.str());
}

} // namespace nc
