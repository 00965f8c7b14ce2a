#pragma once
#include "engine/Inspection.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace nc::ui {

class ConfusionMatrixView;
class Document;
class EngineController;

// The Evaluate tab: runs the current model (a run's live or final weights, or an opened best
// model) on the project dataset's test split on the engine thread, then shows accuracy, a
// per-class precision/recall/F1/support table and the confusion matrix as a heatmap (counts or
// row-normalised). Clicking a cell fills a gallery with those test images (true class = row,
// predicted = column) and their confidences, sortable; clicking an image asks to inspect it.
class EvaluateTab final : public QWidget {
    Q_OBJECT
  public:
    EvaluateTab(Document* doc, EngineController* engine, QWidget* parent = nullptr);
    ~EvaluateTab() override;

    void evaluate(); // the project's dataset, current model
    // Evaluates as soon as the model being opened arrives (or shows why it could not be opened).
    void evaluateWhenModelArrives();
    const EvaluationReport* report() const { return m_report.get(); }
    ConfusionMatrixView* matrix() const { return m_matrix; }
    QListWidget* gallery() const { return m_gallery; }
    QTableWidget* classTable() const { return m_table; }
    QString summaryText() const; // the accuracy line, as shown
    QString message() const;     // the last error, empty if none
    void showCell(int trueClass, int predictedClass); // as a click on the matrix does
    void openGalleryItem(int row);                    // as a click on an image does

  Q_SIGNALS:
    void evaluated(); // a report (or an error) is shown
    void inspectRequested(const std::vector<std::uint8_t>& chw, const QString& what);

  private:
    void onModelChanged(const ModelInfo& info);
    void onFinished(const std::shared_ptr<const EvaluationReport>& report);
    void onFailed(const QString& message);
    void fillGallery();
    void setBusy(bool busy);

    Document* m_doc;
    EngineController* m_engine;
    std::shared_ptr<const EvaluationReport> m_report;
    QLabel* m_modelLabel;
    QPushButton* m_run;
    QProgressBar* m_progress;
    QLabel* m_summary;
    QString m_reportSummary; // m_summary's text for m_report, before any note about a newer model
    QLabel* m_message;
    QTableWidget* m_table;
    ConfusionMatrixView* m_matrix;
    QComboBox* m_normalise;
    QLabel* m_galleryTitle;
    QComboBox* m_sort;
    QListWidget* m_gallery;
    std::vector<std::int64_t> m_galleryIndices; // test-set indices shown, in gallery order
    int m_cellTrue = -1, m_cellPredicted = -1;
    bool m_evaluateOnModel = false;
};

} // namespace nc::ui
