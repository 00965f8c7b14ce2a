// SweepSpec as JSON, the project's "sweeps" list, durations, sweep ids and journal paths.
#include "sweep/Sweep.h"

#include "util/Error.h"
#include "util/Files.h"

#include <cmath>
#include <ctime>
#include <filesystem>

namespace nc {

namespace {
int intField(const Json& j, const char* key, int def, int lo, int hi) {
    if (!j.contains(key))
        return def;
    if (!j[key].is_number_integer() || j[key].get<long long>() < lo || j[key].get<long long>() > hi)
        throw Error(std::string("sweep setting '") + key + "' must be a whole number from " + std::to_string(lo) +
                    " to " + std::to_string(hi));
    return j[key].get<int>();
}
} // namespace

Json SweepSpec::toJson() const {
    Json j = {{"name", name},
              {"space", space.toJson()},
              {"strategy", strategyName(strategy)},
              {"trials", trials},
              {"time_limit_s", timeLimitSeconds},
              {"seed", seed},
              {"parallel", parallel},
              {"startup_trials", startupTrials}};
    j["prune"] = prune ? Json{{"type", "asha"}, {"min_epochs", minEpochs}, {"eta", eta}} : Json(nullptr);
    return j;
}

SweepSpec SweepSpec::fromJson(const Json& j) {
    if (!j.is_object())
        throw Error("a sweep must be an object with a \"space\"");
    SweepSpec s;
    if (j.contains("name")) {
        if (!j["name"].is_string())
            throw Error("sweep setting 'name' must be a string");
        s.name = j["name"].get<std::string>();
    }
    if (j.contains("space"))
        s.space = Space::fromJson(j["space"]);
    else if (j.contains("params"))
        s.space = Space::fromJson(j["params"]);
    if (j.contains("strategy")) {
        if (!j["strategy"].is_string() || !parseStrategy(j["strategy"].get<std::string>(), s.strategy))
            throw Error("sweep setting 'strategy' must be grid, random or tpe");
    }
    s.trials = intField(j, "trials", s.trials, 0, 100000);
    if (j.contains("time_limit_s")) {
        if (!j["time_limit_s"].is_number() || !(j["time_limit_s"].get<double>() >= 0))
            throw Error("sweep setting 'time_limit_s' must be a number of seconds, 0 or more");
        s.timeLimitSeconds = j["time_limit_s"].get<double>();
    }
    if (j.contains("seed")) {
        if (!j["seed"].is_number_integer() || j["seed"].get<long long>() < 0)
            throw Error("sweep setting 'seed' must be a whole number, 0 or more");
        s.seed = j["seed"].get<std::uint64_t>();
    }
    s.parallel = intField(j, "parallel", s.parallel, 1, 64);
    s.startupTrials = intField(j, "startup_trials", s.startupTrials, 0, 10000);
    if (j.contains("prune") && !j["prune"].is_null()) {
        const Json& p = j["prune"];
        if (p.is_string()) {
            if (p != "asha" && p != "none")
                throw Error("sweep setting 'prune' must be \"asha\" or \"none\"");
            s.prune = p == "asha";
        } else if (p.is_object()) {
            if (p.value("type", std::string("asha")) != "asha")
                throw Error("sweep setting 'prune': the only pruner is \"asha\"");
            s.prune = true;
            s.minEpochs = intField(p, "min_epochs", s.minEpochs, 1, 100000);
            s.eta = intField(p, "eta", s.eta, 2, 100);
        } else {
            throw Error("sweep setting 'prune' must be \"asha\", an object or null");
        }
    }
    return s;
}

std::vector<SweepSpec> parseProjectSweeps(const Json& sweeps) {
    if (!sweeps.is_array())
        throw Error("\"sweeps\" must be a list");
    std::vector<SweepSpec> out;
    for (const Json& s : sweeps)
        out.push_back(SweepSpec::fromJson(s));
    return out;
}

double parseDuration(const std::string& text) {
    if (text.empty())
        throw Error("a duration such as 90s, 30m or 2h is needed");
    double scale = 1;
    std::string number = text;
    switch (text.back()) {
    case 's': number.pop_back(); break;
    case 'm': scale = 60; number.pop_back(); break;
    case 'h': scale = 3600; number.pop_back(); break;
    default: break;
    }
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(number, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != number.size() || number.empty() || !std::isfinite(v) || v <= 0)
        throw Error("'" + text + "' is not a duration; write e.g. 90s, 30m or 2h");
    return v * scale;
}

std::string sweepJournalPath(const std::string& projectPath, const std::string& sweepId) {
    return projectPath + ".sweeps/" + sweepId + "/journal.jsonl";
}

std::string latestSweepJournal(const std::string& projectPath) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path root = projectPath + ".sweeps";
    std::string best;
    fs::file_time_type bestTime{};
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        const fs::path journal = entry.path() / "journal.jsonl";
        if (!fs::is_regular_file(journal, ec))
            continue;
        const auto t = fs::last_write_time(journal, ec);
        if (best.empty() || t > bestTime) {
            best = journal.string();
            bestTime = t;
        }
    }
    return best;
}

std::string newSweepId(const std::string& projectPath) {
    const std::time_t now = std::time(nullptr);
    char buf[40];
    std::strftime(buf, sizeof buf, "sweep-%Y%m%d-%H%M%S", std::localtime(&now));
    std::string id = buf;
    for (int n = 2; fileExists(sweepJournalPath(projectPath, id)); ++n)
        id = std::string(buf) + "-" + std::to_string(n);
    return id;
}

} // namespace nc
