#pragma once
#include <QWidget>

#include <cstdint>
#include <string>
#include <vector>

namespace nc::ui {

// A confusion matrix drawn as a heatmap: rows are true classes, columns predicted ones. Each cell
// shows its count, or its share of the row (recall on the diagonal) in the normalised view; the
// colour always follows the row share so that rare classes read as clearly as common ones.
// Clicking a cell selects it and emits cellClicked.
class ConfusionMatrixView final : public QWidget {
    Q_OBJECT
  public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);

    void setMatrix(const std::vector<std::vector<std::int64_t>>& confusion, const std::vector<std::string>& classNames);
    void setNormalised(bool normalised);
    bool isNormalised() const { return m_normalised; }
    void setSelectedCell(int trueClass, int predictedClass);
    int classCount() const { return int(m_names.size()); }
    QString cellText(int trueClass, int predictedClass) const; // as drawn
    QRect cellRect(int trueClass, int predictedClass) const;   // in widget coordinates
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  Q_SIGNALS:
    void cellClicked(int trueClass, int predictedClass);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool event(QEvent* event) override;

  private:
    struct Geometry {
        QRect grid;
        double cell = 0;
        int labelWidth = 0, headerHeight = 0;
    };
    Geometry geometry() const;
    bool cellAt(const QPoint& pos, int& t, int& p) const;
    double rowShare(int t, int p) const;

    std::vector<std::vector<std::int64_t>> m_confusion;
    std::vector<QString> m_names;
    bool m_normalised = false;
    int m_selT = -1, m_selP = -1, m_hoverT = -1, m_hoverP = -1;
};

} // namespace nc::ui
