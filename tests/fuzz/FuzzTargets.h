#pragma once
// The parsers a hostile file reaches, one entry point per fuzz target. Shared by the libFuzzer
// targets (tests/fuzz/fuzz_<name>.cpp, built by scripts/fuzz.sh with clang and sanitizers) and by
// tests/core/tst_fuzzcorpus.cpp, which replays the committed corpus on every CI run.
//
// Contract: an entry point returns normally (the input parsed and the checks below held) or
// throws nc::Error with a message for the user. Anything else is a bug: any other exception
// (including OracleFailure, thrown when a parsed result breaks an invariant), a crash, a
// sanitizer report, a huge allocation or a hang.
#include "data/Dataset.h"
#include "graph/Project.h"
#include "graph/ShapeInference.h"
#include "io/ModelFile.h"
#include "io/Safetensors.h"
#include "util/Error.h"
#ifdef NC_HAVE_IMAGING
#include "imaging/Imaging.h"
#endif
#ifdef NC_HAVE_TORCH
#include "nn/Model.h"
#endif
#ifdef NC_HAVE_SERVE
#include "serve/HttpMessage.h"
#include "serve/Protocols.h"

#include <boost/asio/buffer.hpp>
#endif

#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nc::fuzz {

// A parsed result that breaks an invariant: never an acceptable answer to bad input.
struct OracleFailure : std::logic_error {
    using std::logic_error::logic_error;
};

inline void require(bool ok, const std::string& what) {
    if (!ok)
        throw OracleFailure(what);
}

// Targets that need two files take one input: a 4-byte little-endian length n, then the first
// file (n bytes, clamped to what is there), then the second file (the rest).
inline std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>> split2(const std::uint8_t* d, std::size_t n) {
    if (n < 4)
        return {{}, std::vector<std::uint8_t>(d, d + n)};
    std::uint32_t len = std::uint32_t(d[0]) | std::uint32_t(d[1]) << 8 | std::uint32_t(d[2]) << 16 |
                        std::uint32_t(d[3]) << 24;
    const std::size_t first = std::min<std::size_t>(len, n - 4);
    return {std::vector<std::uint8_t>(d + 4, d + 4 + first), std::vector<std::uint8_t>(d + 4 + first, d + n)};
}

inline std::vector<std::uint8_t> join2(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
    std::vector<std::uint8_t> out(4);
    for (int i = 0; i < 4; ++i)
        out[std::size_t(i)] = std::uint8_t(a.size() >> (8 * i));
    out.insert(out.end(), a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

// Shape inference runs on every graph a file brings in (project load, model load); it never
// throws, and a graph it accepts stays within the limits that keep compile() small.
inline void checkAnalysis(const Graph& g, const Shape& input, int classes) {
    const GraphAnalysis a = analyzeGraph(g, input, classes);
    require(a.nodes.size() == g.nodes().size(), "analyzeGraph lost nodes");
    if (a.valid()) {
        require(a.totalParameters >= 0 && a.totalParameters <= kMaxParameters, "accepted graph has too many parameters");
        require(a.activationBytes >= 0, "accepted graph has negative activation bytes");
    }
    for (const Problem& p : a.problems)
        require(!p.message.empty(), "a shape-inference problem has no message");
}

// .ncproj text: parse (limits, migration, graph, training settings), analyse the graph, and
// check that what was loaded saves and loads again unchanged.
inline void project(const std::uint8_t* d, std::size_t n) {
    const Project p = parseProject(std::string(reinterpret_cast<const char*>(d), n), "fuzz.ncproj");
    checkAnalysis(p.graph, {1, 28, 28}, 10);
    checkAnalysis(p.graph, {3, 32, 32}, 3);
    const std::string saved = p.toText();
    std::string again;
    try {
        again = parseProject(saved, "resaved.ncproj").toText();
    } catch (const Error& e) {
        throw OracleFailure(std::string("a loaded project does not load again after saving: ") + e.what());
    }
    require(again == saved, "a loaded project changes when saved and loaded again");
}

// An IDX images file and an IDX labels file (split2), each plain or gzip.
inline void idx(const std::uint8_t* d, std::size_t n) {
    const auto parts = split2(d, n);
    const Dataset ds = parseIdx(parts.first, parts.second, "images.idx", "labels.idx");
    require(ds.channels == 1 && ds.height > 0 && ds.width > 0, "IDX dataset has a bad shape");
    require(ds.images.size() == std::size_t(ds.size() * ds.imageBytes()), "IDX images do not match the count");
    for (std::int64_t l : ds.labels)
        require(l >= 0 && l < ds.numClasses(), "IDX label outside the classes");
}

// batches.meta.txt (first part of split2; empty = no meta file, the standard ten names) and
// one CIFAR-10 binary batch (second part).
inline void cifar(const std::uint8_t* d, std::size_t n) {
    const auto parts = split2(d, n);
    std::vector<std::string> names = {"airplane", "automobile", "bird", "cat", "deer",
                                      "dog", "frog", "horse", "ship", "truck"};
    if (!parts.first.empty())
        names = parseCifarClassNames(std::string(parts.first.begin(), parts.first.end()), "batches.meta.txt");
    const Dataset ds = parseCifarBatch(parts.second.data(), parts.second.size(), names, "data_batch_1.bin");
    require(ds.images.size() == std::size_t(ds.size() * ds.imageBytes()), "CIFAR images do not match the count");
    for (std::int64_t l : ds.labels)
        require(l >= 0 && l < ds.numClasses(), "CIFAR label outside the classes");
}

// A safetensors file: parse, then write it back and check the round trip is exact.
inline void safetensors(const std::uint8_t* d, std::size_t n) {
    const SafetensorsFile f = parseSafetensors(d, n, "fuzz.safetensors");
    for (const TensorRecord& t : f.tensors)
        require(std::uint64_t(t.numel()) * dtypeSize(t.dtype) == t.data.size(), "tensor size mismatch after parse");
    std::vector<std::uint8_t> bytes;
    try {
        bytes = serializeSafetensors(f);
    } catch (const Error& e) {
        throw OracleFailure(std::string("a parsed safetensors file cannot be written back: ") + e.what());
    }
    SafetensorsFile g;
    try {
        g = parseSafetensors(bytes.data(), bytes.size(), "rewritten.safetensors");
    } catch (const Error& e) {
        throw OracleFailure(std::string("a rewritten safetensors file does not parse: ") + e.what());
    }
    require(g.metadata == f.metadata && g.tensors.size() == f.tensors.size(), "safetensors round trip differs");
    for (std::size_t i = 0; i < f.tensors.size(); ++i)
        require(g.tensors[i].name == f.tensors[i].name && g.tensors[i].dtype == f.tensors[i].dtype &&
                    g.tensors[i].shape == f.tensors[i].shape && g.tensors[i].data == f.tensors[i].data,
                "safetensors round trip differs in " + f.tensors[i].name);
}

// An .ncmodel: safetensors, then the metadata checks Model::load makes before building the
// network (format, version, graph, input shape, class names, normalisation, metrics), then the
// shape inference compile() runs.
inline void ncmodel(const std::uint8_t* d, std::size_t n) {
    const SafetensorsFile f = parseSafetensors(d, n, "fuzz.ncmodel");
    const ModelFileMetadata m = parseModelMetadata(f, "fuzz.ncmodel");
    require(m.input.channels > 0 && m.input.height > 0 && m.input.width > 0, "model input shape not positive");
    checkAnalysis(m.graph, {m.input.channels, m.input.height, m.input.width}, int(m.input.classNames.size()));
    try {
        Graph::fromJson(m.graph.toJson());
    } catch (const Error& e) {
        throw OracleFailure(std::string("a model's graph does not load again after saving: ") + e.what());
    }
}

#ifdef NC_HAVE_TORCH
// A whole .ncmodel as Model::load builds it: the network compiled, its weights loaded and, for an
// int8 file, the quantisation metadata and int8 tensors checked (scales, zero points, dtypes,
// shapes) and prepacked for LibTorch's kernels; then one forward pass, whose logits must have one
// entry per class. Graphs that would allocate more than the target's memory limit are left to
// the `ncmodel` target (their refusal is shape inference's, already fuzzed there).
inline void ncmodelInt8(const std::uint8_t* d, std::size_t n) {
    const SafetensorsFile f = parseSafetensors(d, n, "fuzz.ncmodel");
    const ModelFileMetadata m = parseModelMetadata(f, "fuzz.ncmodel");
    const Shape in{m.input.channels, m.input.height, m.input.width};
    const GraphAnalysis a = analyzeGraph(m.graph, in, int(m.input.classNames.size()));
    if (!a.valid() || a.totalParameters > 2'000'000 || a.activationBytes > (64 << 20))
        return;
    const Model model = Model::fromSafetensors(f, "fuzz.ncmodel");
    std::vector<std::uint8_t> image(static_cast<std::size_t>(in[0] * in[1] * in[2]), 128);
    const std::vector<float> logits = model.logits(image.data(), 1);
    require(logits.size() == m.input.classNames.size(), "logits do not have one entry per class");
}
#endif

#ifdef NC_HAVE_IMAGING
// Image bytes for prediction, with strict limits. The model's input and the fit mode come from
// the input's length so that every byte stays part of the image.
inline void image(const std::uint8_t* d, std::size_t n) {
    ImageLimits limits;
    limits.maxFileBytes = 1 << 20;
    limits.maxPixels = 4 << 20;
    const Shape input = (n / 3) % 2 ? Shape{1, 28, 28} : Shape{3, 32, 32};
    const FitMode fit = n % 3 == 0 ? FitMode::Pad : n % 3 == 1 ? FitMode::CenterCrop : FitMode::Stretch;
    const PreparedImage img =
        prepareImageForModel(std::vector<std::uint8_t>(d, d + n), "fuzz image", input, fit, limits);
    require(img.channels == input[0] && img.height == input[1] && img.width == input[2], "prepared image has the wrong shape");
    require(img.pixels.size() == std::size_t(input[0] * input[1] * input[2]), "prepared image has the wrong size");
    require(img.originalWidth > 0 && img.originalHeight > 0 &&
                img.originalWidth * img.originalHeight <= limits.maxPixels,
            "an image over the pixel limit was decoded");
}
#endif

#ifdef NC_HAVE_SERVE
// Bytes from a socket: the HTTP/1.1 parser with the server's limits, then the route and the
// protocol parser that request reaches (KServe v2 infer with JSON or binary tensors, TF Serving
// predict, classify, explain), for a served model "m" with a 1×4×4 input and three classes. A
// request either is refused with a status the docs list and a message, or yields images of the
// model's shape with finite values, whose formatted answer is valid JSON (its binary tail as
// long as the header says). The service's own handler adds only the model lookup and the queue.
inline void serveRequest(const std::uint8_t* d, std::size_t n) {
    serve::ServeLimits limits;
    limits.bodyBytes = 1 << 20;
    limits.maxImagesPerRequest = 64;
    serve::http1::Parser parser;
    serve::http1::applyLimits(parser, limits);
    parser.eager(true);
    boost::beast::error_code ec;
    std::size_t used = 0;
    while (used < n && !parser.is_done()) {
        const std::size_t took = parser.put(boost::asio::buffer(d + used, n - used), ec);
        used += took;
        if (ec == boost::beast::http::error::need_more) {
            ec = {};
            if (took == 0)
                break;
            continue;
        }
        if (ec)
            break;
    }
    if (ec) {
        const serve::http1::ReadRefusal r = serve::http1::refusalFor(ec, limits);
        require(r.status == 400 || r.status == 413 || r.status == 431, "an unreadable request got " + std::to_string(r.status));
        require(!r.message.empty(), "an unreadable request got no message");
        return;
    }
    if (!parser.is_done())
        return; // the server waits for the rest (until its read timeout)
    const serve::HttpRequest req = serve::http1::toRequest(parser.get());

    auto model = std::make_shared<serve::ModelSignature>();
    model->name = "m";
    model->version = "1";
    model->channels = 1;
    model->height = 4;
    model->width = 4;
    model->classNames = {"a", "b", "c"};
    serve::ImageBytesDecoder decode;
#ifdef NC_HAVE_IMAGING
    decode = [](const std::string& bytes) {
        ImageLimits imageLimits;
        imageLimits.maxFileBytes = 1 << 20;
        imageLimits.maxPixels = 1 << 20;
        PreparedImage img;
        try {
            img = prepareImageForModel(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), "the image",
                                       Shape{1, 4, 4}, FitMode::Pad, imageLimits);
        } catch (const std::exception& e) {
            throw serve::Refusal{400, std::string("the image could not be read: ") + e.what()};
        }
        std::vector<float> out(img.pixels.size());
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = float(img.pixels[i]) / 255.0f;
        return out;
    };
#endif
    const std::string path = req.target.substr(0, req.target.find('?'));
    const serve::Route route = serve::parseRoute(path);
    using Kind = serve::Route::Kind;
    const bool tensors = route.kind == Kind::Infer || route.kind == Kind::V1Predict || route.kind == Kind::V1Classify;
    const bool explain = route.kind == Kind::Explain || route.kind == Kind::V1Explain;
    if ((!tensors && !explain) || route.model != "m")
        return; // health, metadata, metrics and unknown models need the service, not parsing
    try {
        if (explain) {
            const serve::ExplainRequest e =
                serve::parseExplainRequest(req, route.kind == Kind::V1Explain, *model, limits, decode);
            require(e.pixels.size() == model->imageValues(), "an explain request's image has the wrong size");
            require(!e.method.empty(), "an explain request has no method");
            require(e.targetClass >= -1 && e.targetClass < 3, "an explain target outside the classes");
            return;
        }
        if (route.kind == Kind::Infer) { // the numbers read from the text, and through the whole DOM: the same
            int general = 0;
            std::vector<float> generalImages;
            try {
                generalImages = serve::parseInferRequest(req, model, limits, false).images;
            } catch (const serve::Refusal& r) {
                general = r.status;
            }
            int scanned = 0;
            std::vector<float> scannedImages;
            try {
                scannedImages = serve::parseInferRequest(req, model, limits, true).images;
            } catch (const serve::Refusal& r) {
                scanned = r.status;
            }
            require(scanned == general, "reading the numbers from the text answered " + std::to_string(scanned) +
                                            ", the JSON DOM " + std::to_string(general));
            require(scannedImages.size() == generalImages.size() &&
                        (generalImages.empty() || std::memcmp(scannedImages.data(), generalImages.data(),
                                                              generalImages.size() * sizeof(float)) == 0),
                    "reading the numbers from the text gave other values than the JSON DOM");
        }
        const serve::TensorRequest t = route.kind == Kind::Infer ? serve::parseInferRequest(req, model, limits)
                                       : route.kind == Kind::V1Predict
                                           ? serve::parsePredictRequest(req, model, limits, decode)
                                           : serve::parseClassifyRequest(req, model, decode);
        require(t.n >= 1 && t.n <= limits.maxImagesPerRequest, "a request of " + std::to_string(t.n) + " images");
        require(t.images.size() == t.n * model->imageValues(), "the images do not have the model's shape");
        for (float v : t.images)
            require(std::isfinite(v), "a non-finite value reached the model");
        serve::BatchResult r;
        r.ok = true;
        r.logits.assign(t.n * 3, 0.5f);
        r.probabilities.assign(t.n * 3, 1.0f / 3);
        require(bool(t.format), "a parsed request has no way to answer");
        const serve::HttpResponse resp = t.format(r);
        require(resp.status == 200, "a parsed request answered " + std::to_string(resp.status));
        std::size_t jsonBytes = resp.body.size();
        for (const auto& [name, value] : resp.headers)
            if (name == "Inference-Header-Content-Length")
                jsonBytes = std::size_t(std::stoull(value));
        require(jsonBytes <= resp.body.size(), "the binary header length is past the body");
        const Json back = Json::parse(resp.body.substr(0, jsonBytes), nullptr, false);
        require(!back.is_discarded() && back.is_object(), "an answer is not a JSON object");
    } catch (const serve::Refusal& r) {
        require(r.status == 400 || r.status == 413 || r.status == 415,
                "a request was refused with " + std::to_string(r.status) + ": " + r.message);
        require(!r.message.empty(), "a refusal without a message");
    }
}
#endif

// The targets by name, as the corpus folders are named.
using Entry = void (*)(const std::uint8_t*, std::size_t);
struct Target {
    const char* name;
    Entry run;
};
inline std::vector<Target> targets() {
    return {{"project", project}, {"idx", idx}, {"cifar", cifar}, {"safetensors", safetensors}, {"ncmodel", ncmodel},
#ifdef NC_HAVE_IMAGING
            {"image", image},
#endif
#ifdef NC_HAVE_SERVE
            {"serve_request", serveRequest},
#endif
#ifdef NC_HAVE_TORCH
            {"ncmodel_int8", ncmodelInt8},
#endif
    };
}

// libFuzzer's side: nc::Error with a message is the expected answer to bad input; anything else
// escapes and aborts, which libFuzzer reports as a crash with the input that caused it.
inline int runOne(Entry entry, const std::uint8_t* d, std::size_t n) {
    try {
        entry(d, n);
    } catch (const Error& e) {
        if (std::strlen(e.what()) == 0)
            throw OracleFailure("nc::Error without a message");
    }
    return 0;
}

} // namespace nc::fuzz
