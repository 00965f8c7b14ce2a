#pragma once
#include "util/Json.h"

#include <optional>
#include <string>
#include <vector>

namespace nc {

// One layer in the network. `id` is short, stable and unique in its graph; it names the
// compiled parameters (`conv1.weight`), so weights map to nodes for the life of a project.
struct Node {
    std::string id;
    std::string type;   // a LayerRegistry type name, e.g. "Conv2d"
    Json params = Json::object();
    double x = 0, y = 0; // canvas position
};

// `from` is "<node>:<port>" of an output port, `to` is "<node>:<port>" of an input port.
struct PortRef {
    std::string node;
    std::string port;
    std::string str() const { return node + ":" + port; }
    bool operator==(const PortRef& o) const { return node == o.node && port == o.port; }
};

struct Edge {
    PortRef from;
    PortRef to;
};

// Nodes and edges; structural edits keep ids unique. Knows nothing of shapes or torch.
class Graph {
public:
    const std::vector<Node>& nodes() const { return m_nodes; }
    const std::vector<Edge>& edges() const { return m_edges; }

    const Node* node(const std::string& id) const;
    Node* node(const std::string& id);
    int indexOf(const std::string& id) const; // -1 when absent

    // Adds a node; an empty or taken id is replaced by a fresh one derived from the type.
    // Returns the id actually used.
    std::string addNode(Node node);
    bool removeNode(const std::string& id); // also removes its edges
    void connect(const PortRef& from, const PortRef& to);
    bool disconnect(const PortRef& from, const PortRef& to);
    std::string uniqueId(const std::string& type) const; // "conv3" for Conv2d, etc.

    // Edges arriving at node `id` (in file order).
    std::vector<const Edge*> incoming(const std::string& id) const;
    std::vector<const Edge*> outgoing(const std::string& id) const;

    Json toJson() const;
    // Throws nc::Error with a message naming the offending node or edge.
    static Graph fromJson(const Json& j);

private:
    std::vector<Node> m_nodes;
    std::vector<Edge> m_edges;
};

PortRef parsePortRef(const std::string& text); // throws nc::Error

} // namespace nc
