#pragma once
// The serving protocols' request parsing and response formatting, as plain functions of an
// HttpRequest and the served model's signature (DESIGN §9): KServe v2 / Open Inference Protocol
// JSON tensors and the binary tensor extension, TF Serving v1 `:predict` rows and columns,
// `:classify` image bytes (raw or a multipart form) and the explain request. No torch and no
// sockets: InferenceService calls these on the HTTP thread, and the libFuzzer target
// (tests/fuzz/fuzz_serve_request.cpp) calls the very same functions on hostile bytes.
//
// A parser either returns a request that is safe to run (finite numbers, the model's shape, at
// most the image limit) or throws Refusal with the status and the message the client gets.
#include "serve/Batcher.h"
#include "serve/HttpTypes.h"
#include "util/Json.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nc::serve {

struct Refusal {
    int status;
    std::string message;
};

HttpResponse errorResponse(int status, const std::string& message); // {"error": message}
HttpResponse jsonResponse(const Json& body, int status = 200);

// What a request needs to know about the model it goes to.
struct ModelSignature {
    std::string name, version;
    std::int64_t channels = 1, height = 1, width = 1; // the input, [C, H, W]
    std::vector<std::string> classNames;
    std::size_t imageValues() const { return std::size_t(channels * height * width); }
};

Json modelMetadata(const ModelSignature& m); // GET /v2/models/{m}

struct Route {
    enum class Kind {
        Unknown, Live, Ready, Server, Metrics, ModelMeta, ModelReady, Infer, Explain, V1Status, V1Predict,
        V1Classify, V1Explain, RepositoryIndex, RepositoryLoad, RepositoryUnload
    };
    Kind kind = Kind::Unknown;
    std::string model, version;
};
// /v2/models/{m}[/versions/{v}][/ready|/infer|/explain], /v1/models/{m}[/versions/{v}][:predict|…],
// health, /v2, /metrics and the repository extension. `path` is the target without its query.
Route parseRoute(const std::string& path);

bool constantTimeEquals(const std::string& a, const std::string& b);
std::string base64Decode(const std::string& in); // standard or URL-safe alphabet; Refusal 400
// Nesting depth of JSON text ([ and { outside strings), stopping once it passes `limit`.
int jsonNestingDepth(const std::string& text, int limit);
// A JSON object body within the depth limit (Refusal 400 otherwise).
Json parseJsonBody(const std::string& text, const ServeLimits& limits);

// Image bytes (PNG, JPEG, …) to floats [C, H, W] in [0, 1] of the model's input; throws Refusal.
using ImageBytesDecoder = std::function<std::vector<float>(const std::string& bytes)>;

// Images to run and how to answer once the model has: `format` turns the batch's logits and
// probabilities into the protocol's response.
struct TensorRequest {
    std::vector<float> images; // n × C × H × W, finite
    std::size_t n = 0;
    std::function<HttpResponse(const BatchResult&)> format;
};

// POST /v2/models/{m}/infer (with the binary extension when Inference-Header-Content-Length is set).
// JSON tensor data is read straight from the text; `scanNumbers = false` builds the whole JSON
// DOM instead (the fuzz target checks that both give the same images or the same refusal).
TensorRequest parseInferRequest(const HttpRequest& req, std::shared_ptr<const ModelSignature> model,
                                const ServeLimits& limits, bool scanNumbers = true);
// POST /v1/models/{m}:predict, "instances" (rows) or "inputs" (columns); images may be {"b64": …}.
TensorRequest parsePredictRequest(const HttpRequest& req, std::shared_ptr<const ModelSignature> model,
                                  const ServeLimits& limits, const ImageBytesDecoder& decode);
// POST /v1/models/{m}:classify: image bytes or a multipart form upload; ?top=k.
TensorRequest parseClassifyRequest(const HttpRequest& req, std::shared_ptr<const ModelSignature> model,
                                   const ImageBytesDecoder& decode);

// POST /v2/models/{m}/explain or /v1/models/{m}:explain: one image, the method and the target.
struct ExplainRequest {
    std::vector<std::uint8_t> pixels; // C × H × W, 0-255
    std::string method = "gradient";
    int targetClass = -1; // -1: the predicted class
};
ExplainRequest parseExplainRequest(const HttpRequest& req, bool v1, const ModelSignature& model,
                                   const ServeLimits& limits, const ImageBytesDecoder& decode);

} // namespace nc::serve
