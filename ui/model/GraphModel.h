#pragma once
#include "data/Dataset.h"
#include "graph/Project.h"
#include "graph/ShapeInference.h"

#include <QObject>
#include <QString>

namespace nc::ui {

// The Qt face of one project: wraps nc::Project (graph, dataset, training settings) and the
// latest shape analysis. Every change goes through a mutator here and is announced by a signal,
// so scene items and panels only mirror it. Mutators are called by undo commands, not by views.
class GraphModel final : public QObject {
    Q_OBJECT
public:
    explicit GraphModel(QObject* parent = nullptr);

    const nc::Project& project() const { return m_project; }
    const nc::Graph& graph() const { return m_project.graph; }
    const nc::GraphAnalysis& analysis() const { return m_analysis; }
    const nc::DatasetInfo& datasetInfo() const { return m_datasetInfo; }
    QString datasetError() const { return m_datasetError; } // empty when the dataset spec is readable
    QString datasetSpec() const { return QString::fromStdString(m_project.dataset); }

    const nc::Node* node(const QString& id) const { return graph().node(id.toStdString()); }
    const nc::NodeInfo* info(const QString& id) const { return m_analysis.info(id.toStdString()); }
    int nodeIndex(const QString& id) const { return graph().indexOf(id.toStdString()); }
    int edgeIndex(const nc::PortRef& from, const nc::PortRef& to) const; // -1 when absent
    QString uniqueId(const QString& type) const;

    // Whether an edge from an output port to an input port may be added; `why` says why not
    // in words the user sees while dragging (cycle, input already taken, wrong port kinds).
    bool canConnect(const nc::PortRef& from, const nc::PortRef& to, QString* why = nullptr) const;
    bool hasPath(const QString& fromId, const QString& toId) const; // along edges, fromId ~> toId

    // --- mutators (used by undo commands) ---
    // Inserts at `index` (-1 = the end). The node keeps its id when free; returns the id used.
    QString addNode(const nc::Node& node, int index = -1);
    void removeNode(const QString& id);
    void connectPorts(const nc::PortRef& from, const nc::PortRef& to, int index = -1);
    void disconnectPorts(const nc::PortRef& from, const nc::PortRef& to);
    void moveNode(const QString& id, double x, double y);
    void setParams(const QString& id, const nc::Json& params);
    void setDataset(const QString& spec);
    // The dataset and how its images are imported (folder: and csv:), changed together.
    void setDataset(const QString& spec, const nc::ImportPolicy& policy);
    const nc::ImportPolicy& importPolicy() const { return m_project.importPolicy; }
    void setName(const QString& name); // the project's name (properties, Save As); no re-analysis
    void setTraining(const nc::TrainConfig& config); // the Train tab's settings; no re-analysis
    void setRuns(const nc::Json& runs);               // the run history (not an undoable edit)
    void setSweeps(const nc::Json& sweeps);           // the stored sweeps (the Sweep tab's space)
    void setProject(nc::Project project); // replaces everything; emits modelReset

    // Holds re-analysis back while a compound edit (paste, delete of many) is applied, so the
    // engine runs once for the whole gesture instead of once per part.
    class Batch {
    public:
        explicit Batch(GraphModel* m) : m_model(m) { ++m_model->m_batchDepth; }
        ~Batch() { if (--m_model->m_batchDepth == 0 && m_model->m_dirty) m_model->reanalyze(); }
        Batch(const Batch&) = delete;
        Batch& operator=(const Batch&) = delete;
    private:
        GraphModel* m_model;
    };

    void reanalyze(); // re-runs shape inference now and emits analysisChanged

Q_SIGNALS:
    void nodeAdded(const QString& id);
    void nodeRemoved(const QString& id);
    void edgeAdded(const QString& from, const QString& to);   // "node:port" strings
    void edgeRemoved(const QString& from, const QString& to);
    void nodeMoved(const QString& id);
    void nodeParamsChanged(const QString& id);
    void datasetChanged();
    void nameChanged();
    void trainingChanged();
    void runsChanged();
    void sweepsChanged();
    void modelReset();
    void analysisChanged();

private:
    void changed(); // re-analyses unless a Batch is open
    void rebuildGraph(std::vector<nc::Node> nodes, std::vector<nc::Edge> edges);
    void readDatasetInfo();

    nc::Project m_project;
    nc::GraphAnalysis m_analysis;
    nc::DatasetInfo m_datasetInfo;
    QString m_datasetError;
    int m_batchDepth = 0;
    bool m_dirty = false;
};

} // namespace nc::ui
