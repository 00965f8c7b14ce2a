#pragma once
// The HTTP/1.1 request reading that the server and the request fuzzer share (Boost.Beast;
// included by core/serve/HttpServer.cpp and tests/fuzz/fuzz_serve_request.cpp only): the parser
// with the header and body limits, what a read error is answered with, and a parsed message as
// the plain HttpRequest that InferenceService::handle takes.
#include "serve/HttpTypes.h"

#include <boost/beast/http.hpp>

#include <cctype>
#include <string>
#include <utility>

namespace nc::serve::http1 {

namespace http = boost::beast::http;
using Parser = http::request_parser<http::string_body>;

inline void applyLimits(Parser& parser, const ServeLimits& limits) {
    parser.header_limit(std::uint32_t(limits.headerBytes));
    parser.body_limit(std::uint64_t(limits.bodyBytes));
}

// The status and message for a request that could not be read, or 0 when the client simply
// left or timed out (nothing to answer). Not for `ec == success`.
struct ReadRefusal {
    int status = 0;
    std::string message;
};
inline ReadRefusal refusalFor(const boost::beast::error_code& ec, const ServeLimits& limits) {
    if (ec == http::error::body_limit)
        return {413, "the body is larger than the limit of " + std::to_string(limits.bodyBytes) + " bytes"};
    if (ec == http::error::header_limit)
        return {431, "the request's headers are larger than " + std::to_string(limits.headerBytes) + " bytes"};
    return {400, "the request is not valid HTTP/1.1 (" + ec.message() + ")"};
}

inline HttpRequest toRequest(http::request<http::string_body> msg) {
    HttpRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& field : msg) {
        std::string name(field.name_string());
        for (char& c : name)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        req.headers[name] = std::string(field.value());
    }
    req.body = std::move(msg.body());
    return req;
}

} // namespace nc::serve::http1
