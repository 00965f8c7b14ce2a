#pragma once
#include "graph/Graph.h"
#include "train/TrainConfig.h"
#include "util/Json.h"

#include <string>
#include <vector>

namespace nc {

// A .ncproj document: the graph, the dataset it trains on, its training settings and run history.
struct Project {
    static constexpr int kFormatVersion = 2; // 2: training phases
    std::string name;
    std::string description;
    std::string dataset = "fashion-mnist";
    Graph graph;
    TrainConfig training;
    ImportPolicy importPolicy; // how folder: and csv: images become tensors (data/Import.h)
    Json runs = Json::array(); // summaries of past runs, newest last
    Json sweeps = Json::array(); // hyperparameter sweeps (sweep/Sweep.h SweepSpec objects)

    Json toJson() const;
    std::string toText() const; // pretty JSON
};

// Loading options for the project's dataset: its import policy, and its image cache beside the
// project file (`<folder>/<stem>-<hash>.nccache`) when the project has a path.
DatasetOptions datasetOptionsFor(const Project& project, const std::string& projectPath);

// Limits a project file must respect; checked before anything is built from it.
constexpr std::uint64_t kMaxProjectBytes = 32ull << 20;
constexpr int kMaxJsonDepth = 32;
constexpr std::size_t kMaxNodes = 5000;
constexpr std::size_t kMaxEdges = 20000;

// Parses project JSON text: size, nesting depth, counts and types are checked first, older
// versions are migrated, newer ones refused. Throws nc::Error with a message for the user.
Project parseProject(const std::string& text, const std::string& what = "project");
Project loadProject(const std::string& path);
void saveProject(const Project& project, const std::string& path); // atomic

// Migration hook: upgrades a document of an older format version in place, one step at a time.
void migrateProjectJson(Json& doc);

// Built-in architectures (resources/templates), compiled into the binary.
struct TemplateInfo {
    std::string name;
    std::string description;
    bool generative = false; // trains on loss nodes (a VAE), not an Output: no class scores
};
std::vector<TemplateInfo> listTemplates();
Project makeFromTemplate(const std::string& name); // throws nc::Error for an unknown name
// Sets out_features of the Linear layer feeding the Output to `classes`, so a template works on
// any dataset. Returns false when the Output is not fed by a Linear layer (nothing changes).
bool fitClassifierToClasses(Graph& graph, int classes);

} // namespace nc
