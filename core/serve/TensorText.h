#pragma once
// Reading a KServe v2 request's tensor numbers straight from the JSON text (core/serve/Protocols.cpp
// uses it; the request fuzzer checks it against the full JSON parse).
#include <string>
#include <vector>

namespace nc::serve {

struct TensorData {
    std::string rest;           // the body with the data array emptied
    std::vector<double> values; // in the order they appear
};

// The numbers of a KServe v2 request's one input tensor, read straight from the text: a JSON
// DOM of 784 numbers costs more than the model's forward pass. Finds root."inputs"[0]."data"
// (tracking strings, so a "data" inside a string is not it), parses its flat or nested array with
// std::from_chars, and gives back the text with that array replaced by [] for the general parser.
// Anything unusual (a second input, a string or null in the data, a malformed number) leaves the
// request to the general parser, which gives the right error. So does nesting deeper than
// maxDepth levels (the scanner keeps a frame per level, so it stops there rather than grow).
bool scanTensorData(const std::string& text, TensorData& out, int maxDepth);

} // namespace nc::serve
