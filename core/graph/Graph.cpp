#include "graph/Graph.h"

#include "graph/LayerRegistry.h"
#include "util/Error.h"

#include <algorithm>
#include <cctype>

namespace nc {

const Node* Graph::node(const std::string& id) const {
    const int i = indexOf(id);
    return i < 0 ? nullptr : &m_nodes[static_cast<std::size_t>(i)];
}

Node* Graph::node(const std::string& id) {
    const int i = indexOf(id);
    return i < 0 ? nullptr : &m_nodes[static_cast<std::size_t>(i)];
}

int Graph::indexOf(const std::string& id) const {
    for (std::size_t i = 0; i < m_nodes.size(); ++i)
        if (m_nodes[i].id == id)
            return static_cast<int>(i);
    return -1;
}

std::string Graph::uniqueId(const std::string& type) const {
    std::string prefix;
    if (const LayerSpec* spec = LayerRegistry::instance().find(type))
        prefix = spec->idPrefix;
    if (prefix.empty()) {
        for (char c : type)
            if (std::isalnum(static_cast<unsigned char>(c)))
                prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (prefix.empty())
            prefix = "node";
    }
    for (int n = 1;; ++n) {
        std::string candidate = prefix + std::to_string(n);
        if (indexOf(candidate) < 0)
            return candidate;
    }
}

std::string Graph::addNode(Node node) {
    if (node.id.empty() || indexOf(node.id) >= 0)
        node.id = uniqueId(node.type);
    m_nodes.push_back(std::move(node));
    return m_nodes.back().id;
}

bool Graph::removeNode(const std::string& id) {
    const int i = indexOf(id);
    if (i < 0)
        return false;
    m_nodes.erase(m_nodes.begin() + i);
    m_edges.erase(std::remove_if(m_edges.begin(), m_edges.end(),
                                 [&](const Edge& e) { return e.from.node == id || e.to.node == id; }),
                  m_edges.end());
    return true;
}

void Graph::connect(const PortRef& from, const PortRef& to) { m_edges.push_back(Edge{from, to}); }

bool Graph::disconnect(const PortRef& from, const PortRef& to) {
    for (auto it = m_edges.begin(); it != m_edges.end(); ++it) {
        if (it->from == from && it->to == to) {
            m_edges.erase(it);
            return true;
        }
    }
    return false;
}

std::vector<const Edge*> Graph::incoming(const std::string& id) const {
    std::vector<const Edge*> out;
    for (const Edge& e : m_edges)
        if (e.to.node == id)
            out.push_back(&e);
    return out;
}

std::vector<const Edge*> Graph::outgoing(const std::string& id) const {
    std::vector<const Edge*> out;
    for (const Edge& e : m_edges)
        if (e.from.node == id)
            out.push_back(&e);
    return out;
}

PortRef parsePortRef(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
        throw Error("edge end '" + text + "' must look like \"node:port\"");
    return PortRef{text.substr(0, colon), text.substr(colon + 1)};
}

Json Graph::toJson() const {
    Json nodes = Json::array();
    for (const Node& n : m_nodes)
        nodes.push_back({{"id", n.id}, {"type", n.type}, {"params", n.params}, {"pos", {n.x, n.y}}});
    Json edges = Json::array();
    for (const Edge& e : m_edges)
        edges.push_back({{"from", e.from.str()}, {"to", e.to.str()}});
    return {{"nodes", nodes}, {"edges", edges}};
}

namespace {
bool validId(const std::string& id) {
    if (id.empty() || id.size() > 64)
        return false;
    if (!std::isalpha(static_cast<unsigned char>(id[0])) && id[0] != '_')
        return false;
    return std::all_of(id.begin(), id.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}
} // namespace

Graph Graph::fromJson(const Json& j) {
    if (!j.is_object())
        throw Error("'graph' must be an object with 'nodes' and 'edges'");
    Graph g;
    const Json nodes = j.value("nodes", Json::array());
    const Json edges = j.value("edges", Json::array());
    if (!nodes.is_array())
        throw Error("'graph.nodes' must be a list");
    if (!edges.is_array())
        throw Error("'graph.edges' must be a list");
    std::size_t index = 0;
    for (const Json& jn : nodes) {
        const std::string where = "node " + std::to_string(index++);
        if (!jn.is_object())
            throw Error(where + " must be an object");
        if (!jn.contains("id") || !jn["id"].is_string())
            throw Error(where + ": 'id' must be a string");
        Node n;
        n.id = jn["id"].get<std::string>();
        if (!validId(n.id))
            throw Error(where + ": id '" + n.id.substr(0, 64) +
                        "' must start with a letter and use only letters, digits and '_' (at most 64)");
        if (g.indexOf(n.id) >= 0)
            throw Error(where + ": id '" + n.id + "' is used twice");
        if (!jn.contains("type") || !jn["type"].is_string())
            throw Error(n.id + ": 'type' must be a string");
        n.type = jn["type"].get<std::string>();
        if (jn.contains("params")) {
            if (!jn["params"].is_object())
                throw Error(n.id + ": 'params' must be an object");
            n.params = jn["params"];
        }
        if (jn.contains("pos")) {
            const Json& p = jn["pos"];
            if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number())
                throw Error(n.id + ": 'pos' must be [x, y]");
            n.x = p[0].get<double>();
            n.y = p[1].get<double>();
        }
        g.m_nodes.push_back(std::move(n));
    }
    index = 0;
    for (const Json& je : edges) {
        const std::string where = "edge " + std::to_string(index++);
        if (!je.is_object() || !je.contains("from") || !je.contains("to") || !je["from"].is_string() ||
            !je["to"].is_string())
            throw Error(where + " must be {\"from\": \"node:port\", \"to\": \"node:port\"}");
        Edge e{parsePortRef(je["from"].get<std::string>()), parsePortRef(je["to"].get<std::string>())};
        if (g.indexOf(e.from.node) < 0)
            throw Error(where + " starts at unknown node '" + e.from.node + "'");
        if (g.indexOf(e.to.node) < 0)
            throw Error(where + " ends at unknown node '" + e.to.node + "'");
        g.m_edges.push_back(std::move(e));
    }
    return g;
}

} // namespace nc
