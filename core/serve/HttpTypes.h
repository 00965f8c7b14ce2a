#pragma once
// Plain values for the serving library: an HTTP request as parsed, the response to send, and
// the limits every request is held to (docs/SERVING.md lists them). No Beast, no torch here, so
// the request handler is a function of these that tests and fuzzers call without sockets.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nc::serve {

struct HttpRequest {
    std::string method;                        // "GET", "POST", …
    std::string target;                        // path and query, as sent
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
    std::string header(const std::string& lowerName) const {
        auto it = headers.find(lowerName);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct HttpResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // extra ones (Retry-After, …)
};

struct ServeLimits {
    std::size_t headerBytes = 8 * 1024;
    std::size_t bodyBytes = 8u << 20;
    int jsonDepth = 32;
    std::size_t maxBatch = 32;            // images run together
    std::int64_t maxDelayMicros = 500;    // how long the first request of a batch waits for others
    std::size_t queueImages = 4096;       // a fuller queue answers 503
    std::int64_t requestTimeoutMs = 30000; // queued longer than this: 503
    // A request must arrive whole within this of connecting or of the previous answer: a client
    // sending a byte a second is cut off, and so is a keep-alive connection left idle.
    std::int64_t readTimeoutMs = 10000;
    std::size_t maxConnections = 4096;
    std::size_t maxImagesPerRequest = 256;
};

} // namespace nc::serve
