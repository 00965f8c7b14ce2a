#include "graph/Project.h"

#include "sweep/Sweep.h"
#include "util/Error.h"
#include "util/Files.h"
#include "util/Version.h"

#include <filesystem>

namespace nc {

Json Project::toJson() const {
    Json j = {{"format", "neuralcanvas-project"},
            {"version", kFormatVersion},
            {"writer", writerName()},
            {"name", name},
            {"description", description},
            {"dataset", dataset},
            {"graph", graph.toJson()},
            {"training", training.toJson()},
            {"import", importPolicy.toJson()},
            {"runs", runs}};
    if (!sweeps.empty()) // projects without sweeps keep the text they had
        j["sweeps"] = sweeps;
    return j;
}

DatasetOptions datasetOptionsFor(const Project& project, const std::string& projectPath) {
    DatasetOptions o;
    o.policy = project.importPolicy;
    if (!projectPath.empty()) {
        const std::filesystem::path p = std::filesystem::absolute(projectPath);
        o.cacheDir = p.parent_path().string();
        o.cacheName = p.stem().string();
    }
    return o;
}

std::string Project::toText() const { return toJson().dump(2) + "\n"; }

void migrateProjectJson(Json& doc) {
    int version = doc["version"].get<int>();
    // Version 0 (pre-release) kept the graph's nodes and edges at the top level.
    if (version == 0) {
        Json graph = {{"nodes", doc.value("nodes", Json::array())}, {"edges", doc.value("edges", Json::array())}};
        doc.erase("nodes");
        doc.erase("edges");
        doc["graph"] = graph;
        version = 1;
    }
    // Version 2 added training phases ("training": {"phases": [...]}, DESIGN §10). A version 1
    // project has none: it trains as one default phase, exactly as before.
    if (version == 1)
        version = 2;
    doc["version"] = version;
}

Project parseProject(const std::string& text, const std::string& what) {
    if (text.size() > kMaxProjectBytes)
        throw Error(what + " is " + std::to_string(text.size()) + " bytes; a project file is at most " +
                    std::to_string(kMaxProjectBytes) + " bytes");
    // Depth is checked while parsing so a hostile file cannot exhaust the stack.
    bool tooDeep = false;
    std::size_t elements = 0;
    bool tooMany = false;
    const auto limit = [&](int depth, Json::parse_event_t event, Json&) {
        if (depth > kMaxJsonDepth) {
            tooDeep = true;
            return false;
        }
        if (event == Json::parse_event_t::value && ++elements > 4 * (kMaxNodes * 16 + kMaxEdges * 4)) {
            tooMany = true;
            return false;
        }
        return true;
    };
    Json doc;
    try {
        doc = Json::parse(text, limit, true);
    } catch (const Json::exception& e) {
        if (tooDeep)
            throw Error(what + " nests deeper than " + std::to_string(kMaxJsonDepth) + " levels; it is not a project file");
        if (tooMany)
            throw Error(what + " holds too many values to be a project file");
        throw Error(what + " is not valid JSON (" + std::string(e.what()).substr(0, 200) + ")");
    }
    if (tooDeep)
        throw Error(what + " nests deeper than " + std::to_string(kMaxJsonDepth) + " levels; it is not a project file");
    if (!doc.is_object() || doc.value("format", Json()) != "neuralcanvas-project")
        throw Error(what + " is not a NeuralCanvas project (its \"format\" is not \"neuralcanvas-project\")");
    if (!doc.contains("version") || !doc["version"].is_number_integer())
        throw Error(what + ": \"version\" must be a whole number");
    const Json writer = doc.value("writer", Json());
    checkFormatVersion(what, "project format", std::to_string(doc["version"].get<long long>()), Project::kFormatVersion,
                       writer.is_string() ? writer.get<std::string>() : std::string());
    migrateProjectJson(doc);

    const Json& g = doc.value("graph", Json::object());
    if (g.is_object()) {
        if (g.contains("nodes") && g["nodes"].is_array() && g["nodes"].size() > kMaxNodes)
            throw Error(what + " has " + std::to_string(g["nodes"].size()) + " layers; at most " +
                        std::to_string(kMaxNodes) + " are supported");
        if (g.contains("edges") && g["edges"].is_array() && g["edges"].size() > kMaxEdges)
            throw Error(what + " has " + std::to_string(g["edges"].size()) + " connections; at most " +
                        std::to_string(kMaxEdges) + " are supported");
    }
    auto stringField = [&](const char* key, std::string def) {
        if (!doc.contains(key))
            return def;
        if (!doc[key].is_string())
            throw Error(what + ": \"" + key + "\" must be a string");
        return doc[key].get<std::string>();
    };
    Project p;
    try {
        p.name = stringField("name", "");
        p.description = stringField("description", "");
        p.dataset = stringField("dataset", p.dataset);
        p.graph = Graph::fromJson(g);
        // Without the object, too, the settings are those a file of that time meant (fp32 included).
        p.training = TrainConfig::fromJson(doc.contains("training") ? doc["training"] : Json::object());
        if (doc.contains("import"))
            p.importPolicy = ImportPolicy::fromJson(doc["import"]);
        if (doc.contains("runs")) {
            if (!doc["runs"].is_array())
                throw Error("\"runs\" must be a list");
            p.runs = doc["runs"];
        }
        if (doc.contains("sweeps")) {
            parseProjectSweeps(doc["sweeps"]); // throws naming the bad field
            p.sweeps = doc["sweeps"];
        }
    } catch (const Error& e) {
        const std::string msg = e.what();
        if (msg.rfind(what, 0) == 0)
            throw;
        throw Error(what + ": " + msg);
    }
    return p;
}

Project loadProject(const std::string& path) {
    if (!fileExists(path)) {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec))
            throw Error(path + " is a folder, not a file; give the project's .ncproj file");
        throw Error("project file not found: " + path);
    }
    return parseProject(readFileText(path, kMaxProjectBytes), path);
}

void saveProject(const Project& project, const std::string& path) { writeFileAtomic(path, project.toText()); }

} // namespace nc
