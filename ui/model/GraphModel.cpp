#include "model/GraphModel.h"

#include "train/Phases.h"

#include "util/Error.h"

#include <QSignalBlocker>

#include <algorithm>
#include <set>

namespace nc::ui {

GraphModel::GraphModel(QObject* parent) : QObject(parent) {
    readDatasetInfo();
    reanalyze();
}

int GraphModel::edgeIndex(const nc::PortRef& from, const nc::PortRef& to) const {
    const auto& edges = graph().edges();
    for (std::size_t i = 0; i < edges.size(); ++i)
        if (edges[i].from == from && edges[i].to == to)
            return static_cast<int>(i);
    return -1;
}

QString GraphModel::uniqueId(const QString& type) const {
    return QString::fromStdString(graph().uniqueId(type.toStdString()));
}

bool GraphModel::hasPath(const QString& fromId, const QString& toId) const {
    const std::string target = toId.toStdString();
    std::vector<std::string> stack{fromId.toStdString()};
    std::set<std::string> seen;
    while (!stack.empty()) {
        const std::string id = stack.back();
        stack.pop_back();
        if (id == target)
            return true;
        if (!seen.insert(id).second)
            continue;
        for (const nc::Edge* e : graph().outgoing(id))
            stack.push_back(e->to.node);
    }
    return false;
}

bool GraphModel::canConnect(const nc::PortRef& from, const nc::PortRef& to, QString* why) const {
    auto refuse = [why](const QString& reason) {
        if (why)
            *why = reason;
        return false;
    };
    const nc::Node* a = graph().node(from.node);
    const nc::Node* b = graph().node(to.node);
    if (!a || !b)
        return refuse(tr("That layer no longer exists."));
    const nc::LayerSpec* fromSpec = nc::LayerRegistry::instance().find(a->type);
    const nc::LayerSpec* toSpec = nc::LayerRegistry::instance().find(b->type);
    const bool fromIsOutput = fromSpec && fromSpec->hasOutput && from.port == "out";
    const bool toIsOutput = toSpec && toSpec->hasOutput && to.port == "out";
    if (!fromIsOutput)
        return refuse(tr("Start a connection at an output port (the bottom of a layer)."));
    if (toIsOutput)
        return refuse(tr("Cannot connect an output to an output: drop on an input port at the top of a layer."));
    if (from.node == to.node)
        return refuse(tr("A layer cannot feed itself."));
    const auto ports = toSpec ? toSpec->inputPorts(b->params) : std::vector<std::string>{};
    if (std::find(ports.begin(), ports.end(), to.port) == ports.end())
        return refuse(ports.empty() ? tr("%1 takes no input.").arg(QString::fromStdString(to.node))
                                    : tr("%1 has no input port '%2'.")
                                          .arg(QString::fromStdString(to.node), QString::fromStdString(to.port)));
    for (const nc::Edge& e : graph().edges())
        if (e.to == to)
            return refuse(tr("%1 already takes its input from %2; an input takes one connection, delete that one first.")
                              .arg(QString::fromStdString(to.str()), QString::fromStdString(e.from.node)));
    if (hasPath(QString::fromStdString(to.node), QString::fromStdString(from.node)))
        return refuse(tr("That would make a cycle: %1 already feeds %2, and a network must flow one way.")
                          .arg(QString::fromStdString(to.node), QString::fromStdString(from.node)));
    return true;
}

QString GraphModel::addNode(const nc::Node& node, int index) {
    nc::Node n = node;
    if (n.id.empty() || graph().indexOf(n.id) >= 0)
        n.id = graph().uniqueId(n.type);
    const QString id = QString::fromStdString(n.id);
    if (index < 0 || index >= static_cast<int>(graph().nodes().size())) {
        m_project.graph.addNode(n);
    } else {
        std::vector<nc::Node> nodes = graph().nodes();
        nodes.insert(nodes.begin() + index, n);
        rebuildGraph(std::move(nodes), graph().edges());
    }
    Q_EMIT nodeAdded(id);
    changed();
    return id;
}

void GraphModel::removeNode(const QString& id) {
    const std::string sid = id.toStdString();
    // Announce the edges first so mirrors drop them before their ends disappear.
    std::vector<nc::Edge> gone;
    for (const nc::Edge& e : graph().edges())
        if (e.from.node == sid || e.to.node == sid)
            gone.push_back(e);
    if (!m_project.graph.removeNode(sid))
        return;
    for (const nc::Edge& e : gone)
        Q_EMIT edgeRemoved(QString::fromStdString(e.from.str()), QString::fromStdString(e.to.str()));
    Q_EMIT nodeRemoved(id);
    changed();
}

void GraphModel::connectPorts(const nc::PortRef& from, const nc::PortRef& to, int index) {
    if (index < 0 || index >= static_cast<int>(graph().edges().size())) {
        m_project.graph.connect(from, to);
    } else {
        std::vector<nc::Edge> edges = graph().edges();
        edges.insert(edges.begin() + index, nc::Edge{from, to});
        rebuildGraph(graph().nodes(), std::move(edges));
    }
    Q_EMIT edgeAdded(QString::fromStdString(from.str()), QString::fromStdString(to.str()));
    changed();
}

void GraphModel::disconnectPorts(const nc::PortRef& from, const nc::PortRef& to) {
    if (!m_project.graph.disconnect(from, to))
        return;
    Q_EMIT edgeRemoved(QString::fromStdString(from.str()), QString::fromStdString(to.str()));
    changed();
}

void GraphModel::moveNode(const QString& id, double x, double y) {
    nc::Node* n = m_project.graph.node(id.toStdString());
    if (!n || (n->x == x && n->y == y))
        return;
    n->x = x;
    n->y = y;
    Q_EMIT nodeMoved(id); // positions do not change shapes: no re-analysis
}

void GraphModel::setParams(const QString& id, const nc::Json& params) {
    nc::Node* n = m_project.graph.node(id.toStdString());
    if (!n || n->params == params)
        return;
    n->params = params;
    Q_EMIT nodeParamsChanged(id);
    changed();
}

void GraphModel::setDataset(const QString& spec) { setDataset(spec, m_project.importPolicy); }

void GraphModel::setDataset(const QString& spec, const nc::ImportPolicy& policy) {
    if (spec.toStdString() == m_project.dataset && policy == m_project.importPolicy)
        return;
    m_project.dataset = spec.toStdString();
    m_project.importPolicy = policy;
    readDatasetInfo();
    Q_EMIT datasetChanged();
    changed();
}

void GraphModel::setName(const QString& name) {
    if (name.toStdString() == m_project.name)
        return;
    m_project.name = name.toStdString();
    Q_EMIT nameChanged();
}

void GraphModel::setTraining(const nc::TrainConfig& config) {
    if (config.toJson() == m_project.training.toJson())
        return;
    m_project.training = config;
    Q_EMIT trainingChanged();
}

void GraphModel::setRuns(const nc::Json& runs) {
    m_project.runs = runs;
    Q_EMIT runsChanged();
}

void GraphModel::setSweeps(const nc::Json& sweeps) {
    m_project.sweeps = sweeps;
    Q_EMIT sweepsChanged();
}

void GraphModel::setProject(nc::Project project) {
    m_project = std::move(project);
    readDatasetInfo();
    // Mirrors rebuild on modelReset and read shapes at once, so analyse before announcing.
    {
        const QSignalBlocker quiet(this);
        reanalyze();
    }
    Q_EMIT modelReset();
    Q_EMIT analysisChanged();
}

void GraphModel::changed() {
    if (m_batchDepth > 0) {
        m_dirty = true;
        return;
    }
    reanalyze();
}

void GraphModel::reanalyze() {
    m_dirty = false;
    nc::Shape input;
    if (m_datasetError.isEmpty())
        input = {m_datasetInfo.channels, m_datasetInfo.height, m_datasetInfo.width};
    m_analysis = nc::analyzeGraph(graph(), input, static_cast<int>(m_datasetInfo.classNames.size()));
    if (m_analysis.valid()) // the training phases, against a graph that works (a missing Detach, …)
        for (const nc::Problem& p : nc::validatePhases(graph(), m_analysis, m_project.training.phases))
            m_analysis.problems.push_back(p);
    if (!m_datasetError.isEmpty())
        m_analysis.problems.insert(m_analysis.problems.begin(), nc::Problem{"", m_datasetError.toStdString()});
    Q_EMIT analysisChanged();
}

void GraphModel::rebuildGraph(std::vector<nc::Node> nodes, std::vector<nc::Edge> edges) {
    // nc::Graph appends only; inserting at an index (undo of a delete) rebuilds it in order.
    nc::Graph g;
    for (nc::Node& n : nodes)
        g.addNode(std::move(n));
    for (const nc::Edge& e : edges)
        g.connect(e.from, e.to);
    m_project.graph = std::move(g);
}

void GraphModel::readDatasetInfo() {
    m_datasetError.clear();
    try {
        nc::DatasetOptions options;
        options.policy = m_project.importPolicy;
        m_datasetInfo = nc::datasetInfo(m_project.dataset, options);
    } catch (const std::exception& e) {
        m_datasetInfo = {};
        m_datasetError = tr("dataset: %1").arg(QString::fromUtf8(e.what()));
    }
}

} // namespace nc::ui
