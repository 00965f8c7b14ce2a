#pragma once
#include "util/Json.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nc {

struct Project;

// One searched setting. `key` is "training.<setting>" (a key of the project's "training"
// object, e.g. training.learning_rate) or "<node id>.<param>" (e.g. conv1.out_channels).
struct SpaceParam {
    enum class Kind { Float, Int, Choice };
    std::string key;
    Kind kind = Kind::Float;
    double low = 0, high = 1; // Float and Int, inclusive
    bool log = false;         // sample on a logarithmic scale (low > 0)
    std::int64_t step = 1;    // Int: values low, low + step, ... up to high
    std::vector<Json> choices; // Choice: numbers, strings or booleans
    int gridPoints = 4;        // Float in a grid search: this many points, evenly (log-evenly) spaced

    // The values a grid visits, in order.
    std::vector<Json> gridValues() const;
    // True when `value` is one this parameter can take (type, range, step, choice).
    bool contains(const Json& value) const;
    Json toJson() const;
    static SpaceParam fromJson(const Json& j); // throws nc::Error naming the parameter
};

// A search space: the parameters a sweep varies, each independently.
struct Space {
    std::vector<SpaceParam> params;

    const SpaceParam* find(const std::string& key) const;
    std::size_t gridSize() const; // product of the parameters' grid lengths (saturates)
    Json toJson() const;          // a list of parameters
    // A list of parameters, or an object with "params"; throws nc::Error.
    static Space fromJson(const Json& j);
};

// Sets a trial's values ({key: value}) on a copy of the project: training settings through the
// project file's own rules (TrainConfig::fromJson), layer parameters on their nodes. Throws
// nc::Error naming the key when a setting or a node does not exist or a value is refused.
void applyTrialParams(Project& project, const Json& params);

// Checks every key of the space against the project (settings exist, nodes exist) without
// changing it; throws nc::Error naming the first bad key.
void checkSpaceAgainst(const Space& space, const Project& project);

} // namespace nc
