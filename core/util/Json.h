#pragma once
// One place that pulls in nlohmann::json for core.
#include <nlohmann/json.hpp>

namespace nc {
using Json = nlohmann::json;
}
