#pragma once
#include <QHash>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QVBoxLayout;

namespace nc::ui {

class GraphScene;

// Edits the selected layer's parameters (one widget per parameter kind, with the registry's
// ranges); with nothing selected it shows the project's dataset choice. A thin view: every
// edit goes to GraphEditor as an undo command, and the panel follows the model's signals.
class PropertiesPanel final : public QWidget {
    Q_OBJECT
public:
    explicit PropertiesPanel(GraphScene* scene, QWidget* parent = nullptr);
    QString currentNode() const { return m_nodeId; }
    QWidget* editorFor(const QString& param) const { return m_editors.value(param); }
    QComboBox* datasetBox() const { return m_dataset; }

Q_SIGNALS:
    // A folder or CSV of the user's own images was chosen: the window shows the import view.
    void importRequested(const QString& spec);

private:
    void rebuild();
    void buildNodeForm(const QString& id);
    void buildProjectForm();
    void refreshValues();
    void refreshInfo();
    void clearForm();

    GraphScene* m_scene;
    QVBoxLayout* m_layout;
    QWidget* m_form = nullptr;
    QString m_nodeId;
    QHash<QString, QWidget*> m_editors;
    QLabel* m_info = nullptr;
    QPointer<QComboBox> m_dataset;
};

} // namespace nc::ui
