#include "serve/Protocols.h"
#include "serve/TensorText.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace nc::serve {

HttpResponse errorResponse(int status, const std::string& message) {
    HttpResponse r;
    r.status = status;
    r.body = Json{{"error", message}}.dump(-1, ' ', false, Json::error_handler_t::replace);
    return r;
}

HttpResponse jsonResponse(const Json& body, int status) {
    HttpResponse r;
    r.status = status;
    r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
    return r;
}

bool constantTimeEquals(const std::string& a, const std::string& b) {
    unsigned char diff = static_cast<unsigned char>(a.size() != b.size());
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

std::string base64Decode(const std::string& in) {
    static const std::array<int, 256> table = [] {
        std::array<int, 256> t{};
        t.fill(-1);
        const char* chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; ++i)
            t[static_cast<unsigned char>(chars[i])] = i;
        t['-'] = 62; // the URL-safe alphabet too
        t['_'] = 63;
        return t;
    }();
    std::string out;
    out.reserve(in.size() * 3 / 4);
    int bits = 0;
    std::uint32_t value = 0; // only the last 14 bits matter; older ones are shifted out
    for (const char ch : in) {
        if (ch == '=' || ch == '\n' || ch == '\r' || ch == ' ')
            continue;
        const int v = table[static_cast<unsigned char>(ch)];
        if (v < 0)
            throw Refusal{400, "the \"b64\" value is not base64"};
        value = ((value << 6) | std::uint32_t(v)) & 0xFFFFFu;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((value >> bits) & 0xFF));
        }
    }
    return out;
}

Route parseRoute(const std::string& path) {
    Route r;
    if (path == "/v2/health/live")
        r.kind = Route::Kind::Live;
    else if (path == "/v2/health/ready")
        r.kind = Route::Kind::Ready;
    else if (path == "/v2" || path == "/v2/")
        r.kind = Route::Kind::Server;
    else if (path == "/metrics")
        r.kind = Route::Kind::Metrics;
    else if (path == "/v2/repository/index")
        r.kind = Route::Kind::RepositoryIndex;
    if (r.kind != Route::Kind::Unknown)
        return r;
    if (path.rfind("/v2/repository/models/", 0) == 0) {
        const std::string rest = path.substr(22);
        const auto slash = rest.find('/');
        if (slash == std::string::npos || slash == 0)
            return r;
        r.model = rest.substr(0, slash);
        const std::string action = rest.substr(slash + 1);
        r.kind = action == "load" ? Route::Kind::RepositoryLoad
                 : action == "unload" ? Route::Kind::RepositoryUnload
                                      : Route::Kind::Unknown;
        return r;
    }
    const bool v2 = path.rfind("/v2/models/", 0) == 0, v1 = path.rfind("/v1/models/", 0) == 0;
    if (!v2 && !v1)
        return r;
    std::string rest = path.substr(11);
    std::string verb;
    if (v1) {
        const auto colon = rest.rfind(':');
        if (colon != std::string::npos) {
            verb = rest.substr(colon + 1);
            rest = rest.substr(0, colon);
        }
    }
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= rest.size()) {
        const auto slash = rest.find('/', start);
        parts.push_back(rest.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    if (parts.empty() || parts[0].empty())
        return r;
    r.model = parts[0];
    std::size_t i = 1;
    if (parts.size() >= 3 && parts[1] == "versions" && !parts[2].empty()) {
        r.version = parts[2];
        i = 3;
    }
    const std::string tail = i < parts.size() ? parts[i] : std::string();
    if (i + 1 < parts.size() || (i < parts.size() && v1))
        return r; // more segments than any route has
    if (v2) {
        r.kind = tail.empty() ? Route::Kind::ModelMeta
                 : tail == "ready" ? Route::Kind::ModelReady
                 : tail == "infer" ? Route::Kind::Infer
                 : tail == "explain" ? Route::Kind::Explain
                                   : Route::Kind::Unknown;
    } else {
        r.kind = verb.empty() ? Route::Kind::V1Status
                 : verb == "predict" ? Route::Kind::V1Predict
                 : verb == "classify" ? Route::Kind::V1Classify
                 : verb == "explain" ? Route::Kind::V1Explain
                                      : Route::Kind::Unknown;
    }
    return r;
}
int jsonNestingDepth(const std::string& text, int limit) {
    int depth = 0, deepest = 0;
    bool inString = false, escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > limit)
                return deepest;
        } else if (c == ']' || c == '}')
            --depth;
    }
    return deepest;
}

Json parseJsonBody(const std::string& text, const ServeLimits& limits) {
    if (jsonNestingDepth(text, limits.jsonDepth) > limits.jsonDepth)
        throw Refusal{400, "the JSON is nested deeper than " + std::to_string(limits.jsonDepth) + " levels"};
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded())
        throw Refusal{400, "the body is not valid JSON (or not valid UTF-8)"};
    if (!j.is_object())
        throw Refusal{400, "the body must be a JSON object"};
    return j;
}

Json modelMetadata(const ModelSignature& m) {
    const std::int64_t k = std::int64_t(m.classNames.size());
    return {{"name", m.name},
            {"versions", Json::array({m.version})},
            {"platform", "neuralcanvas"},
            {"inputs", Json::array({{{"name", "input"}, {"datatype", "FP32"}, {"shape", {-1, m.channels, m.height, m.width}}}})},
            {"outputs", Json::array({{{"name", "logits"}, {"datatype", "FP32"}, {"shape", {-1, k}}},
                                     {{"name", "probabilities"}, {"datatype", "FP32"}, {"shape", {-1, k}}}})},
            {"parameters", {{"class_names", m.classNames}, {"input_range", "[0, 1]"}}}};
}

namespace {

// Appends the numbers of a flat or nested JSON array, refusing more than `limit` of them.
void flatten(const Json& j, std::vector<float>& out, std::size_t limit, double scale) {
    if (j.is_array()) {
        for (const Json& v : j)
            flatten(v, out, limit, scale);
        return;
    }
    if (!j.is_number())
        throw Refusal{400, "tensor data must be numbers"};
    if (out.size() >= limit)
        throw Refusal{400, "the tensor holds more values than its shape"};
    const double v = j.get<double>() * scale;
    if (!std::isfinite(v))
        throw Refusal{400, "tensor data must be finite numbers"};
    out.push_back(static_cast<float>(v));
}


std::string shapeText(const std::vector<std::int64_t>& v) {
    std::string t = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        t += (i ? ", " : "") + std::to_string(v[i]);
    return t + "]";
}


// The one input tensor of a KServe v2 request ([N, C, H, W] or [C, H, W]; FP32/FP64 in [0, 1],
// or UINT8; JSON data or the binary extension's bytes), as float images in [0, 1].
std::vector<float> readInputTensor(const Json& in, const std::string& binary, const ModelSignature& m,
                                   const ServeLimits& limits, std::size_t& nOut,
                                   const std::vector<double>* scanned = nullptr) {
    if (!in.is_object() || !in.contains("shape") || !in["shape"].is_array())
        throw Refusal{400, "the input needs a \"shape\", e.g. [1, C, H, W]"};
    std::vector<std::int64_t> shape;
    for (const Json& v : in["shape"]) {
        if (!v.is_number_integer() || v.get<std::int64_t>() <= 0 || v.get<std::int64_t>() > (1 << 20))
            throw Refusal{400, "shape values must be positive whole numbers"};
        shape.push_back(v.get<std::int64_t>());
    }
    if (shape.size() == 3)
        shape.insert(shape.begin(), 1);
    if (shape.size() != 4 || shape[1] != m.channels || shape[2] != m.height || shape[3] != m.width)
        throw Refusal{400, "the input's shape " + shapeText(shape) + " is not [N, " + std::to_string(m.channels) +
                               ", " + std::to_string(m.height) + ", " + std::to_string(m.width) +
                               "] like the model's input"};
    const std::size_t n = std::size_t(shape[0]);
    if (n > limits.maxImagesPerRequest)
        throw Refusal{413, "a request may hold at most " + std::to_string(limits.maxImagesPerRequest) + " images"};
    const std::size_t count = n * m.imageValues();
    const Json* type = in.contains("datatype") ? &in["datatype"] : nullptr;
    if (type && !type->is_string())
        throw Refusal{400, "datatype must be a string such as \"FP32\""};
    const std::string datatype = type ? type->get<std::string>() : std::string("FP32");
    if (datatype != "FP32" && datatype != "FP64" && datatype != "UINT8")
        throw Refusal{400, "datatype " + datatype + " is not supported; send FP32 in [0, 1] (or UINT8 0-255)"};
    std::vector<float> images;
    const Json* params = in.contains("parameters") && in["parameters"].is_object() ? &in["parameters"] : nullptr;
    if (params && params->contains("binary_data_size")) {
        if (datatype != "FP32" && datatype != "UINT8")
            throw Refusal{400, "binary input data must be FP32 or UINT8"};
        const Json& size = (*params)["binary_data_size"];
        const std::size_t bytes = size.is_number_unsigned() ? size.get<std::size_t>() : std::size_t(-1);
        const std::size_t expected = count * (datatype == "FP32" ? 4 : 1);
        if (bytes != expected || binary.size() < bytes)
            throw Refusal{400, "binary_data_size must be " + std::to_string(expected) + " bytes for shape " +
                                   shapeText(shape) + " and the body must hold them"};
        if (datatype == "FP32") {
            images.resize(count);
            std::memcpy(images.data(), binary.data(), expected);
            for (float v : images)
                if (!std::isfinite(v))
                    throw Refusal{400, "tensor data must be finite numbers"};
        } else {
            images.reserve(count);
            for (std::size_t i = 0; i < count; ++i)
                images.push_back(float(static_cast<unsigned char>(binary[i])) / 255.0f);
        }
    } else {
        if (!in.contains("data"))
            throw Refusal{400, "the input needs \"data\" (or the binary extension's binary_data_size)"};
        images.reserve(count);
        const double scale = datatype == "UINT8" ? 1.0 / 255.0 : 1.0;
        if (scanned && in["data"].is_array() && in["data"].empty()) {
            if (scanned->size() > count)
                throw Refusal{400, "the tensor holds more values than its shape"};
            for (const double v : *scanned) {
                const double x = v * scale;
                if (!std::isfinite(x))
                    throw Refusal{400, "tensor data must be finite numbers"};
                images.push_back(static_cast<float>(x));
            }
        } else {
            flatten(in["data"], images, count, scale);
        }
        if (images.size() != count)
            throw Refusal{400, "the input holds " + std::to_string(images.size()) + " values; shape " +
                                   shapeText(shape) + " needs " + std::to_string(count)};
    }
    nOut = n;
    return images;
}

std::vector<float> decodeWith(const ImageBytesDecoder& decode, const ModelSignature& m, const std::string& bytes) {
    if (!decode)
        throw Refusal{415, "this build of NeuralCanvas cannot decode images (it was built without OpenCV); send "
                           "tensors instead"};
    std::vector<float> image = decode(bytes);
    if (image.size() != m.imageValues())
        throw Refusal{500, "the image decoder returned the wrong number of values"};
    return image;
}

std::vector<float> row(const std::vector<float>& v, std::size_t i, std::size_t width) {
    return std::vector<float>(v.begin() + std::ptrdiff_t(i * width), v.begin() + std::ptrdiff_t((i + 1) * width));
}

} // namespace

TensorRequest parseInferRequest(const HttpRequest& req, std::shared_ptr<const ModelSignature> model,
                                const ServeLimits& limits, bool scanNumbers) {
    // The binary tensor extension: a JSON header of the given length, then raw tensor bytes.
    std::string header = req.body, binary;
    const std::string lengthText = req.header("inference-header-content-length");
    if (!lengthText.empty()) {
        char* end = nullptr;
        const unsigned long long length = std::strtoull(lengthText.c_str(), &end, 10);
        if (end == lengthText.c_str() || *end != '\0' || lengthText[0] == '-' || length > req.body.size())
            throw Refusal{400, "Inference-Header-Content-Length is not a length within the body"};
        header = req.body.substr(0, std::size_t(length));
        binary = req.body.substr(std::size_t(length));
    }
    // The scanner gives up past the depth limit; the general parser then refuses with the reason.
    TensorData scanned;
    const bool fast = scanNumbers && binary.empty() && scanTensorData(header, scanned, limits.jsonDepth);
    const Json body = parseJsonBody(fast ? scanned.rest : header, limits);
    const Json* inputs = body.contains("inputs") ? &body["inputs"] : nullptr;
    if (!inputs || !inputs->is_array() || inputs->empty())
        throw Refusal{400, "the request needs \"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}]"};
    if (inputs->size() != 1)
        throw Refusal{400, "this model takes one input tensor, \"input\""};
    TensorRequest out;
    out.images = readInputTensor((*inputs)[0], binary, *model, limits, out.n, fast ? &scanned.values : nullptr);
    // Which outputs, and which of them as binary data.
    std::vector<std::pair<std::string, bool>> wanted;
    if (body.contains("outputs") && body["outputs"].is_array() && !body["outputs"].empty()) {
        for (const Json& o : body["outputs"]) {
            const Json* name = o.is_object() && o.contains("name") ? &o["name"] : nullptr;
            const std::string text = name && name->is_string() ? name->get<std::string>() : std::string();
            if (text != "logits" && text != "probabilities")
                throw Refusal{400, "outputs are \"logits\" and \"probabilities\", not \"" + text + "\""};
            const Json* p = o.contains("parameters") && o["parameters"].is_object() ? &o["parameters"] : nullptr;
            wanted.emplace_back(text, p && p->contains("binary_data") && (*p)["binary_data"].is_boolean() &&
                                          (*p)["binary_data"].get<bool>());
        }
    } else {
        const Json* p = body.contains("parameters") && body["parameters"].is_object() ? &body["parameters"] : nullptr;
        const bool binaryAll = p && p->contains("binary_data_output") && (*p)["binary_data_output"].is_boolean() &&
                               (*p)["binary_data_output"].get<bool>();
        wanted = {{"logits", binaryAll}, {"probabilities", binaryAll}};
    }
    const std::string id = body.contains("id") && body["id"].is_string() ? body["id"].get<std::string>() : "";
    out.format = [model = std::move(model), wanted, id, n = out.n](const BatchResult& r) {
        const std::int64_t classes = std::int64_t(model->classNames.size());
        Json outputs = Json::array();
        std::string tail;
        for (const auto& [name, asBinary] : wanted) {
            const std::vector<float>& v = name == "logits" ? r.logits : r.probabilities;
            Json o = {{"name", name}, {"datatype", "FP32"}, {"shape", {std::int64_t(n), classes}}};
            if (asBinary) {
                o["parameters"] = {{"binary_data_size", v.size() * sizeof(float)}};
                tail.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
            } else {
                o["data"] = v;
            }
            outputs.push_back(std::move(o));
        }
        Json j = {{"model_name", model->name}, {"model_version", model->version}, {"outputs", outputs}};
        if (!id.empty())
            j["id"] = id;
        HttpResponse resp = jsonResponse(j);
        if (!tail.empty()) {
            resp.headers.emplace_back("Inference-Header-Content-Length", std::to_string(resp.body.size()));
            resp.contentType = "application/octet-stream";
            resp.body += tail;
        }
        return resp;
    };
    return out;
}

TensorRequest parsePredictRequest(const HttpRequest& req, std::shared_ptr<const ModelSignature> model,
                                  const ServeLimits& limits, const ImageBytesDecoder& decode) {
    const Json body = parseJsonBody(req.body, limits);
    const bool rows = body.contains("instances");
    const Json* list = rows ? &body["instances"] : body.contains("inputs") ? &body["inputs"] : nullptr;
    if (!list || !list->is_array() || list->empty())
        throw Refusal{400, "the request needs \"instances\": [image, …] (or \"inputs\"), each image [C][H][W] in "
                           "[0, 1] or {\"b64\": \"<PNG or JPEG, base64>\"}"};
    if (list->size() > limits.maxImagesPerRequest)
        throw Refusal{413, "a request may hold at most " + std::to_string(limits.maxImagesPerRequest) + " images"};
    const ModelSignature& m = *model;
    const std::size_t per = m.imageValues();
    TensorRequest out;
    out.images.reserve(list->size() * per);
    for (const Json& instance : *list) {
        if (instance.is_object() && instance.contains("b64") && instance["b64"].is_string()) {
            const std::vector<float> image = decodeWith(decode, m, base64Decode(instance["b64"].get<std::string>()));
            out.images.insert(out.images.end(), image.begin(), image.end());
            continue;
        }
        const std::size_t before = out.images.size();
        flatten(instance, out.images, before + per, 1.0);
        if (out.images.size() - before != per)
            throw Refusal{400, "each instance must hold " + std::to_string(per) + " values ([" +
                                   std::to_string(m.channels) + "][" + std::to_string(m.height) + "][" +
                                   std::to_string(m.width) + "] in [0, 1])"};
    }
    out.n = list->size();
    out.format = [model = std::move(model), rows, n = out.n](const BatchResult& r) {
        const auto& names = model->classNames;
        const std::size_t classes = names.size();
        if (rows) {
            Json predictions = Json::array();
            for (std::size_t i = 0; i < n; ++i) {
                const auto first = r.probabilities.begin() + std::ptrdiff_t(i * classes);
                const std::size_t best = std::size_t(std::max_element(first, first + std::ptrdiff_t(classes)) - first);
                predictions.push_back({{"logits", row(r.logits, i, classes)},
                                       {"probabilities", row(r.probabilities, i, classes)},
                                       {"class", best},
                                       {"label", names[best]}});
            }
            return jsonResponse({{"predictions", predictions}});
        }
        Json logits = Json::array(), probabilities = Json::array();
        for (std::size_t i = 0; i < n; ++i) {
            logits.push_back(row(r.logits, i, classes));
            probabilities.push_back(row(r.probabilities, i, classes));
        }
        return jsonResponse({{"outputs", {{"logits", logits}, {"probabilities", probabilities}}}});
    };
    return out;
}

TensorRequest parseClassifyRequest(const HttpRequest& req, std::shared_ptr<const ModelSignature> model,
                                   const ImageBytesDecoder& decode) {
    std::string bytes = req.body;
    const std::string type = req.header("content-type");
    if (type.rfind("multipart/form-data", 0) == 0) {
        // The first part of a form upload (curl -F image=@photo.png).
        const auto at = type.find("boundary=");
        if (at == std::string::npos)
            throw Refusal{400, "the multipart form has no boundary"};
        std::string boundary = type.substr(at + 9);
        if (!boundary.empty() && boundary.front() == '"') {
            const auto close = boundary.find('"', 1);
            boundary = close == std::string::npos ? std::string() : boundary.substr(1, close - 1);
        }
        if (boundary.empty())
            throw Refusal{400, "the multipart form's boundary is empty"};
        const std::string delimiter = "--" + boundary;
        const auto first = req.body.find(delimiter);
        const auto headersEnd = first == std::string::npos ? first : req.body.find("\r\n\r\n", first);
        const auto next =
            headersEnd == std::string::npos ? headersEnd : req.body.find("\r\n" + delimiter, headersEnd + 4);
        if (next == std::string::npos)
            throw Refusal{400, "the multipart form holds no complete part"};
        bytes = req.body.substr(headersEnd + 4, next - headersEnd - 4);
    } else if (!type.empty() && type.rfind("image/", 0) != 0 && type.rfind("application/octet-stream", 0) != 0) {
        throw Refusal{415, "send the image's bytes as image/png, image/jpeg, application/octet-stream or a "
                           "multipart form, not " + type};
    }
    if (bytes.empty())
        throw Refusal{400, "the body holds no image"};
    TensorRequest out;
    out.images = decodeWith(decode, *model, bytes);
    out.n = 1;
    int top = 5;
    const auto query = req.target.find('?');
    const auto q = query == std::string::npos ? query : req.target.find("top=", query);
    if (q != std::string::npos)
        top = int(std::clamp(std::strtol(req.target.c_str() + q + 4, nullptr, 10), 1L, 100L));
    out.format = [model = std::move(model), top](const BatchResult& r) {
        const auto& names = model->classNames;
        std::vector<std::size_t> order(names.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return r.probabilities[a] > r.probabilities[b]; });
        Json predictions = Json::array();
        for (std::size_t i = 0; i < order.size() && int(i) < top; ++i)
            predictions.push_back(
                {{"class", order[i]}, {"label", names[order[i]]}, {"probability", r.probabilities[order[i]]}});
        return jsonResponse({{"model", model->name}, {"version", model->version}, {"predictions", predictions}});
    };
    return out;
}

ExplainRequest parseExplainRequest(const HttpRequest& req, bool v1, const ModelSignature& m,
                                   const ServeLimits& limits, const ImageBytesDecoder& decode) {
    const Json body = parseJsonBody(req.body, limits);
    std::vector<float> image;
    std::size_t n = 0;
    if (v1) {
        const Json* list = body.contains("instances") ? &body["instances"] : nullptr;
        if (!list || !list->is_array() || list->size() != 1)
            throw Refusal{400, "explain takes \"instances\" with one image ([C][H][W] in [0, 1] or {\"b64\": …})"};
        const Json& instance = (*list)[0];
        if (instance.is_object() && instance.contains("b64") && instance["b64"].is_string()) {
            image = decodeWith(decode, m, base64Decode(instance["b64"].get<std::string>()));
        } else {
            flatten(instance, image, m.imageValues(), 1.0);
            if (image.size() != m.imageValues())
                throw Refusal{400, "the image must hold " + std::to_string(m.imageValues()) + " values"};
        }
        n = 1;
    } else {
        const Json* inputs = body.contains("inputs") ? &body["inputs"] : nullptr;
        if (!inputs || !inputs->is_array() || inputs->size() != 1)
            throw Refusal{400, "explain takes \"inputs\" with one tensor of one image"};
        image = readInputTensor((*inputs)[0], {}, m, limits, n);
    }
    if (n != 1)
        throw Refusal{400, "explain takes one image at a time"};
    ExplainRequest out;
    const Json* params = body.contains("parameters") && body["parameters"].is_object() ? &body["parameters"] : nullptr;
    if (params && params->contains("method")) {
        if (!(*params)["method"].is_string())
            throw Refusal{400, "method must be a string such as \"gradient\""};
        out.method = (*params)["method"].get<std::string>();
    }
    if (params && params->contains("target") && (*params)["target"].is_number_integer()) {
        const std::int64_t target = (*params)["target"].get<std::int64_t>();
        if (target < -1 || target >= std::int64_t(m.classNames.size()))
            throw Refusal{400, "target must be a class index below " + std::to_string(m.classNames.size())};
        out.targetClass = int(target);
    }
    out.pixels.resize(image.size());
    for (std::size_t i = 0; i < image.size(); ++i)
        out.pixels[i] = static_cast<std::uint8_t>(std::lround(std::clamp(image[i], 0.0f, 1.0f) * 255.0f));
    return out;
}

} // namespace nc::serve
