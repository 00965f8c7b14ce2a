#include "sweep/Space.h"

#include "graph/LayerRegistry.h"
#include "graph/Project.h"
#include "util/Error.h"

#include <cmath>
#include <limits>

namespace nc {

namespace {

constexpr std::size_t kMaxParams = 64;
constexpr std::size_t kMaxChoices = 256;

const char* kindName(SpaceParam::Kind k) {
    switch (k) {
    case SpaceParam::Kind::Float: return "float";
    case SpaceParam::Kind::Int: return "int";
    case SpaceParam::Kind::Choice: return "choice";
    }
    return "float";
}

double numberField(const Json& j, const char* field, const std::string& key) {
    if (!j.contains(field) || !j[field].is_number())
        throw Error("sweep parameter '" + key + "': \"" + field + "\" must be a number");
    const double v = j[field].get<double>();
    if (!std::isfinite(v))
        throw Error("sweep parameter '" + key + "': \"" + field + "\" must be finite");
    return v;
}

bool isTrainingKey(const std::string& key) { return key.rfind("training.", 0) == 0; }

} // namespace

std::vector<Json> SpaceParam::gridValues() const {
    std::vector<Json> out;
    switch (kind) {
    case Kind::Choice:
        return choices;
    case Kind::Int: {
        const std::int64_t lo = std::int64_t(low), hi = std::int64_t(high);
        const std::int64_t count = (hi - lo) / step + 1;
        if (count <= 32) { // every value of a short range
            for (std::int64_t v = lo; v <= hi; v += step)
                out.push_back(v);
            return out;
        }
        // A long range: gridPoints values, evenly (log-evenly) spaced, snapped to the step.
        const int n = std::max(gridPoints, 2);
        for (int i = 0; i < n; ++i) {
            const double t = double(i) / double(n - 1);
            const double x = log ? std::exp(std::log(low) + t * (std::log(high) - std::log(low))) : low + t * (high - low);
            const std::int64_t v = lo + std::int64_t(std::llround((x - double(lo)) / double(step))) * step;
            const Json jv = std::min(v, hi);
            if (out.empty() || out.back() != jv)
                out.push_back(jv);
        }
        return out;
    }
    case Kind::Float: {
        const int n = std::max(gridPoints, 1);
        for (int i = 0; i < n; ++i) {
            const double t = n == 1 ? 0.5 : double(i) / double(n - 1);
            out.push_back(log ? std::exp(std::log(low) + t * (std::log(high) - std::log(low))) : low + t * (high - low));
        }
        return out;
    }
    }
    return out;
}

bool SpaceParam::contains(const Json& value) const {
    switch (kind) {
    case Kind::Choice:
        for (const Json& c : choices)
            if (c == value)
                return true;
        return false;
    case Kind::Int: {
        if (!value.is_number_integer())
            return false;
        const std::int64_t v = value.get<std::int64_t>();
        return double(v) >= low && double(v) <= high && (v - std::int64_t(low)) % step == 0;
    }
    case Kind::Float: {
        if (!value.is_number())
            return false;
        const double v = value.get<double>();
        return v >= low && v <= high;
    }
    }
    return false;
}

Json SpaceParam::toJson() const {
    Json j = {{"key", key}, {"type", kindName(kind)}};
    if (kind == Kind::Choice) {
        j["values"] = choices;
        return j;
    }
    if (kind == Kind::Int) {
        j["low"] = std::int64_t(low);
        j["high"] = std::int64_t(high);
        if (step != 1)
            j["step"] = step;
    } else {
        j["low"] = low;
        j["high"] = high;
        j["grid_points"] = gridPoints;
    }
    if (log)
        j["log"] = true;
    return j;
}

SpaceParam SpaceParam::fromJson(const Json& j) {
    if (!j.is_object() || !j.contains("key") || !j["key"].is_string() || j["key"].get<std::string>().empty())
        throw Error("a sweep parameter must be an object with a \"key\" such as \"training.learning_rate\" or "
                    "\"conv1.out_channels\"");
    SpaceParam p;
    p.key = j["key"].get<std::string>();
    if (p.key.find('.') == std::string::npos || p.key.front() == '.' || p.key.back() == '.')
        throw Error("sweep parameter '" + p.key + "': the key must be \"training.<setting>\" or \"<node>.<param>\"");
    const std::string type = j.value("type", std::string(j.contains("values") ? "choice" : "float"));
    if (type == "choice") {
        p.kind = Kind::Choice;
        if (!j.contains("values") || !j["values"].is_array() || j["values"].empty())
            throw Error("sweep parameter '" + p.key + "': \"values\" must be a non-empty list");
        if (j["values"].size() > kMaxChoices)
            throw Error("sweep parameter '" + p.key + "': at most " + std::to_string(kMaxChoices) + " values");
        for (const Json& v : j["values"]) {
            if (!(v.is_number() || v.is_string() || v.is_boolean()))
                throw Error("sweep parameter '" + p.key + "': values must be numbers, strings or true/false");
            p.choices.push_back(v);
        }
        return p;
    }
    if (type != "float" && type != "int")
        throw Error("sweep parameter '" + p.key + "': \"type\" must be float, int or choice (it is '" + type + "')");
    p.kind = type == "int" ? Kind::Int : Kind::Float;
    p.low = numberField(j, "low", p.key);
    p.high = numberField(j, "high", p.key);
    if (j.contains("log")) {
        if (!j["log"].is_boolean())
            throw Error("sweep parameter '" + p.key + "': \"log\" must be true or false");
        p.log = j["log"].get<bool>();
    }
    if (p.kind == Kind::Int) {
        if (p.low != std::floor(p.low) || p.high != std::floor(p.high))
            throw Error("sweep parameter '" + p.key + "': an int range needs whole-number bounds");
        if (j.contains("step")) {
            if (!j["step"].is_number_integer() || j["step"].get<std::int64_t>() < 1)
                throw Error("sweep parameter '" + p.key + "': \"step\" must be a whole number of at least 1");
            p.step = j["step"].get<std::int64_t>();
        }
        // The top of the range is the last value the step reaches.
        p.high = p.low + double((std::int64_t(p.high) - std::int64_t(p.low)) / p.step * p.step);
    }
    if (j.contains("grid_points")) {
        if (!j["grid_points"].is_number_integer() || j["grid_points"].get<int>() < 1 || j["grid_points"].get<int>() > 100)
            throw Error("sweep parameter '" + p.key + "': \"grid_points\" must be 1 to 100");
        p.gridPoints = j["grid_points"].get<int>();
    }
    if (!(p.low <= p.high))
        throw Error("sweep parameter '" + p.key + "': \"low\" must not be above \"high\"");
    if (p.log && !(p.low > 0))
        throw Error("sweep parameter '" + p.key + "': a log range needs \"low\" above 0");
    return p;
}

const SpaceParam* Space::find(const std::string& key) const {
    for (const SpaceParam& p : params)
        if (p.key == key)
            return &p;
    return nullptr;
}

std::size_t Space::gridSize() const {
    std::size_t n = 1;
    for (const SpaceParam& p : params) {
        const std::size_t k = p.gridValues().size();
        if (k != 0 && n > std::numeric_limits<std::size_t>::max() / k)
            return std::numeric_limits<std::size_t>::max();
        n *= k;
    }
    return params.empty() ? 0 : n;
}

Json Space::toJson() const {
    Json j = Json::array();
    for (const SpaceParam& p : params)
        j.push_back(p.toJson());
    return j;
}

Space Space::fromJson(const Json& j) {
    const Json* list = &j;
    if (j.is_object()) {
        if (!j.contains("params"))
            throw Error("a sweep space must be a list of parameters or an object with \"params\"");
        list = &j["params"];
    }
    if (!list->is_array())
        throw Error("a sweep space must be a list of parameters");
    if (list->size() > kMaxParams)
        throw Error("a sweep space holds at most " + std::to_string(kMaxParams) + " parameters");
    Space s;
    for (const Json& p : *list) {
        SpaceParam param = SpaceParam::fromJson(p);
        if (s.find(param.key))
            throw Error("sweep parameter '" + param.key + "' is listed twice");
        s.params.push_back(std::move(param));
    }
    return s;
}

void applyTrialParams(Project& project, const Json& params) {
    Json training = project.training.toJson();
    bool trainingChanged = false;
    for (const auto& [key, value] : params.items()) {
        if (isTrainingKey(key)) {
            const std::string setting = key.substr(9);
            if (!training.contains(setting))
                throw Error("sweep parameter '" + key + "': there is no training setting '" + setting + "'");
            training[setting] = value;
            trainingChanged = true;
            continue;
        }
        const std::size_t dot = key.rfind('.');
        const std::string nodeId = key.substr(0, dot), name = key.substr(dot + 1);
        Node* node = project.graph.node(nodeId);
        if (!node)
            throw Error("sweep parameter '" + key + "': the graph has no layer '" + nodeId + "'");
        const LayerSpec* spec = LayerRegistry::instance().find(node->type);
        if (!spec || !spec->param(name))
            throw Error("sweep parameter '" + key + "': " + node->type + " layer " + nodeId + " has no parameter '" +
                        name + "'");
        Json changed = node->params;
        changed[name] = value;
        Json normalized;
        const std::string problem = LayerRegistry::instance().normalizeParams(*spec, changed, normalized);
        if (!problem.empty())
            throw Error("sweep parameter '" + key + "' = " + value.dump() + ": " + problem);
        node->params = changed;
    }
    if (trainingChanged) {
        try {
            project.training = TrainConfig::fromJson(training);
        } catch (const Error& e) {
            throw Error(std::string("sweep: ") + e.what());
        }
    }
}

void checkSpaceAgainst(const Space& space, const Project& project) {
    for (const SpaceParam& p : space.params) {
        Project copy = project;
        const std::vector<Json> values = p.gridValues();
        applyTrialParams(copy, Json{{p.key, values.front()}});
    }
}

} // namespace nc
