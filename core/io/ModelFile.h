#pragma once
// What an .ncmodel file's __metadata__ says (FORMATS.md), read without torch so that the checks a
// hostile file meets before any network is built can be tested and fuzzed on their own.
#include "data/Dataset.h"
#include "graph/Graph.h"
#include "io/Safetensors.h"
#include "util/Json.h"

#include <string>

namespace nc {

struct ModelFileMetadata {
    Graph graph;
    DatasetInfo input; // channels, height, width from input_shape; class names
    Normalization normalization;
    InputAppearance appearance; // optional in the file ("input_appearance")
    Json metrics;
};

// Checks "format" and "version", then parses graph, input_shape, class_names, normalization and
// metrics. Throws nc::Error whose message starts with `what`.
ModelFileMetadata parseModelMetadata(const SafetensorsFile& file, const std::string& what);

} // namespace nc
