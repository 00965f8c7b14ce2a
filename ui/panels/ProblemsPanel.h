#pragma once
#include <QListWidget>

namespace nc::ui {

class GraphModel;

// The analysis' problems, one a line; activating one asks to select and centre its layer.
class ProblemsPanel final : public QListWidget {
    Q_OBJECT
public:
    explicit ProblemsPanel(GraphModel* model, QWidget* parent = nullptr);
    int problemCount() const { return m_count; }

Q_SIGNALS:
    void problemActivated(const QString& nodeId);
    void countChanged(int count);

private:
    void refresh();
    GraphModel* m_model;
    int m_count = -1;
};

} // namespace nc::ui
