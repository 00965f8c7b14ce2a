#include "graph/Project.h"
#include "graph/ShapeInference.h"
#include "util/Error.h"

namespace nc {

const std::vector<std::pair<const char*, const char*>>& builtinTemplateSources(); // generated

std::vector<TemplateInfo> listTemplates() {
    std::vector<TemplateInfo> out;
    for (const auto& [name, text] : builtinTemplateSources()) {
        const Project p = parseProject(text, std::string("template ") + name);
        out.push_back({name, p.description, isGenerativeGraph(p.graph)});
    }
    return out;
}

bool fitClassifierToClasses(Graph& graph, int classes) {
    for (const Node& n : graph.nodes()) {
        if (n.type != "Output")
            continue;
        for (const Edge* e : graph.incoming(n.id))
            if (Node* last = graph.node(e->from.node); last && last->type == "Linear") {
                last->params["out_features"] = classes;
                return true;
            }
    }
    return false;
}

Project makeFromTemplate(const std::string& name) {
    std::string names;
    for (const auto& [n, text] : builtinTemplateSources()) {
        if (name == n)
            return parseProject(text, "template " + name);
        names += (names.empty() ? "" : ", ") + std::string(n);
    }
    throw Error("unknown template '" + name + "'; available: " + names);
}

} // namespace nc
