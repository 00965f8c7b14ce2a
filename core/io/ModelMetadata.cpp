// The torch-free half of reading an .ncmodel: its metadata (Model::load builds the network from it).
#include "io/ModelFile.h"

#include "util/Error.h"
#include "util/Version.h"

#include <cmath>

namespace nc {

namespace {
Json parseMeta(const SafetensorsFile& f, const char* key, const std::string& what) {
    auto it = f.metadata.find(key);
    if (it == f.metadata.end())
        throw Error(what + " has no '" + key + "' in its metadata; it was not written by NeuralCanvas");
    try {
        return Json::parse(it->second);
    } catch (const Json::exception&) {
        throw Error(what + ": metadata '" + key + "' is not valid JSON");
    }
}
} // namespace

ModelFileMetadata parseModelMetadata(const SafetensorsFile& f, const std::string& path) {
    auto fmt = f.metadata.find("format");
    if (fmt == f.metadata.end() || fmt->second != "neuralcanvas-model")
        throw Error(path + " is not a NeuralCanvas model (its metadata has no format \"neuralcanvas-model\")");
    checkFormatVersion(path, "model format", f.metadata, kModelFormatVersion);
    ModelFileMetadata m;
    try {
        m.graph = Graph::fromJson(parseMeta(f, "graph", path));
        const Json shape = parseMeta(f, "input_shape", path);
        if (!shape.is_array() || shape.size() != 3)
            throw Error("input_shape must be [channels, height, width]");
        for (const Json& v : shape)
            if (!v.is_number_integer() || v.get<std::int64_t>() <= 0 || v.get<std::int64_t>() > 8192)
                throw Error("input_shape holds an invalid size");
        m.input.channels = shape[0];
        m.input.height = shape[1];
        m.input.width = shape[2];
        m.input.classNames = parseMeta(f, "class_names", path).get<std::vector<std::string>>();
        const Json n = parseMeta(f, "normalization", path);
        m.normalization.mean = n.at("mean").get<std::vector<float>>();
        m.normalization.std = n.at("std").get<std::vector<float>>();
        if (m.normalization.mean.size() != std::size_t(m.input.channels) ||
            m.normalization.std.size() != std::size_t(m.input.channels))
            throw Error("normalization needs one mean and one std per input channel");
        for (std::size_t c = 0; c < m.normalization.std.size(); ++c)
            if (!std::isfinite(m.normalization.mean[c]) || !(m.normalization.std[c] > 0) ||
                !std::isfinite(m.normalization.std[c]))
                throw Error("normalization has a mean that is not finite or a std that is not positive");
        m.metrics = parseMeta(f, "metrics", path);
        if (f.metadata.count("input_appearance")) {
            const Json a = parseMeta(f, "input_appearance", path);
            const double bg = a.at("background").get<double>(), obj = a.at("object").get<double>();
            if (!(bg >= 0 && bg <= 1 && obj >= 0 && obj <= 1))
                throw Error("input_appearance must hold brightnesses between 0 and 1");
            m.appearance = {true, bg, obj};
        }
    } catch (const Json::exception& e) {
        throw Error(path + ": metadata is malformed (" + std::string(e.what()) + ")");
    } catch (const Error& e) {
        const std::string msg = e.what();
        throw Error(msg.rfind(path, 0) == 0 ? msg : path + ": " + msg);
    }
    return m;
}

} // namespace nc
