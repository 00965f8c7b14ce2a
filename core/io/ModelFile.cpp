// .ncmodel files (DESIGN §4): safetensors whose __metadata__ carries the graph, input shape,
// normalisation, class names and metrics, so a model file is self-contained.
#include "io/ModelFile.h"
#include "io/Safetensors.h"
#include "nn/GraphNet.h"
#include "util/Error.h"
#include "util/Version.h"

#include <cstring>

namespace nc {

namespace {
DType toDType(torch::ScalarType t) {
    switch (t) {
    case torch::kFloat32: return DType::F32;
    case torch::kFloat64: return DType::F64;
    case torch::kBFloat16: return DType::BF16;
    case torch::kFloat16: return DType::F16;
    case torch::kInt64: return DType::I64;
    case torch::kInt32: return DType::I32;
    case torch::kInt16: return DType::I16;
    case torch::kInt8: return DType::I8;
    case torch::kUInt8: return DType::U8;
    case torch::kBool: return DType::Bool;
    default: throw Error(std::string("cannot store tensors of type ") + c10::toString(t));
    }
}

torch::ScalarType toScalar(DType t) {
    switch (t) {
    case DType::F32: return torch::kFloat32;
    case DType::F64: return torch::kFloat64;
    case DType::BF16: return torch::kBFloat16;
    case DType::F16: return torch::kFloat16;
    case DType::I64: return torch::kInt64;
    case DType::I32: return torch::kInt32;
    case DType::I16: return torch::kInt16;
    case DType::I8: return torch::kInt8;
    case DType::U8: return torch::kUInt8;
    case DType::Bool: return torch::kBool;
    }
    return torch::kFloat32;
}

} // namespace

TensorRecord toRecord(const std::string& name, const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kCPU).contiguous();
    TensorRecord r;
    r.name = name;
    r.dtype = toDType(c.scalar_type());
    r.shape.assign(c.sizes().begin(), c.sizes().end());
    const std::size_t bytes = static_cast<std::size_t>(c.numel()) * c.element_size();
    r.data.resize(bytes);
    if (bytes)
        std::memcpy(r.data.data(), c.data_ptr(), bytes);
    return r;
}

torch::Tensor fromRecord(const TensorRecord& r) {
    auto t = torch::empty(r.shape, torch::TensorOptions().dtype(toScalar(r.dtype)));
    if (!r.data.empty())
        std::memcpy(t.data_ptr(), r.data.data(), r.data.size());
    return t;
}

void loadState(torch::nn::Module& module, const std::vector<std::pair<std::string, torch::Tensor>>& values,
               const std::string& what) {
    torch::NoGradGuard noGrad;
    std::map<std::string, torch::Tensor> byName(values.begin(), values.end());
    auto assign = [&](const std::string& name, torch::Tensor& target) {
        auto it = byName.find(name);
        if (it == byName.end())
            throw Error(what + " has no tensor '" + name + "' that this network needs");
        if (it->second.sizes() != target.sizes())
            throw Error(what + ": tensor '" + name + "' has shape " + c10::str(it->second.sizes()) +
                        " but the network needs " + c10::str(target.sizes()));
        const torch::Tensor& value = it->second;
        if (value.is_floating_point()) {
            // A diverged run or a damaged file: refuse it here, not as NaN predictions later.
            const std::int64_t bad = value.numel() - torch::isfinite(value).sum().item<std::int64_t>();
            if (bad > 0)
                throw Error(what + ": tensor '" + name + "' holds " + std::to_string(bad) + " NaN or infinite value" +
                            (bad == 1 ? "" : "s") + " (of " + std::to_string(value.numel()) +
                            "); the file is damaged or was saved from a run that diverged, so it cannot be used");
        }
        target.copy_(value.to(target.dtype()));
    };
    for (auto& p : module.named_parameters())
        assign(p.key(), p.value());
    for (auto& b : module.named_buffers())
        assign(b.key(), b.value());
}

std::vector<TensorRecord> Model::state() const {
    std::vector<TensorRecord> out;
    for (const auto& p : d->net->named_parameters())
        out.push_back(toRecord(p.key(), p.value()));
    for (const auto& b : d->net->named_buffers())
        out.push_back(toRecord(b.key(), b.value()));
    return out;
}

void Model::save(const std::string& path) const {
    SafetensorsFile f;
    // An int8 model is format 2 (its int8 tensors and "quantization" metadata, FORMATS.md); a
    // float one stays format 1, so the versions that read only floats still open it.
    f.tensors = d->quant ? quantizedRecords(*d) : state();
    f.metadata["format"] = "neuralcanvas-model";
    f.metadata["version"] = d->quant ? std::to_string(kModelFormatVersion) : "1";
    if (d->quant)
        f.metadata["quantization"] = quantizedMetadata(*d);
    f.metadata["writer"] = writerName();
    f.metadata["graph"] = d->graph.toJson().dump();
    f.metadata["input_shape"] = Json(d->inputShape).dump();
    f.metadata["class_names"] = Json(d->classNames).dump();
    f.metadata["normalization"] = Json{{"mean", d->normalization.mean}, {"std", d->normalization.std}}.dump();
    f.metadata["metrics"] = d->metadata.dump();
    if (d->appearance.known)
        f.metadata["input_appearance"] =
            Json{{"background", d->appearance.background}, {"object", d->appearance.object}}.dump();
    writeSafetensors(path, f);
}

Model Model::load(const std::string& path) { return fromSafetensors(readSafetensors(path), path); }

Model Model::fromSafetensors(const SafetensorsFile& f, const std::string& path) {
    const ModelFileMetadata meta = parseModelMetadata(f, path); // io/ModelMetadata.cpp, torch-free
    Model model = compile(meta.graph, meta.input, 0);
    if (f.metadata.count("quantization")) {
        loadQuantized(*model.d, f, path);
    } else {
        std::vector<std::pair<std::string, torch::Tensor>> values;
        for (const TensorRecord& r : f.tensors)
            values.emplace_back(r.name, fromRecord(r));
        loadState(*model.d->net, values, path);
    }
    model.d->normalization = meta.normalization;
    model.d->appearance = meta.appearance;
    model.d->metadata = meta.metrics;
    return model;
}

} // namespace nc
