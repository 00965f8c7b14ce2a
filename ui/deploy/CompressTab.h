#pragma once
#include "graph/Project.h"

#include <QWidget>

#include <atomic>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

class QChart;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QScatterSeries;
class QSpinBox;
class QTableWidget;
class QValueAxis;

namespace nc::ui {

class EngineController;

// The Compress tab: makes smaller variants of a trained model (int8 quantisation, channel
// pruning, unstructured sparsity; core/train/Compression.h, the library behind
// `neuralcanvas-cli compress`) and shows every variant in one table (parameters, file size raw
// and zlib-compressed, MFLOPs, test accuracy, batch-1 and batch-64 latency measured in the app)
// beside an accuracy-vs-size chart, with Export, Serve and Open as Project for the selected row.
// The work runs on the engine thread; a fine-tune can be cancelled, leaving no file behind.
class CompressTab final : public QWidget {
    Q_OBJECT
  public:
    CompressTab(EngineController* engine, QWidget* parent = nullptr);
    ~CompressTab() override;

    // The model offered when nothing was chosen here (the Train tab's selected or newest run's).
    void setModelProvider(std::function<QString()> provider) { m_provider = std::move(provider); }
    // The open project and its path: its dataset, import policy and training settings are what
    // the variants are calibrated, fine-tuned and tested with.
    void setProjectProvider(std::function<std::pair<Project, QString>()> provider) { m_project = std::move(provider); }
    void setModelPath(const QString& path); // as a user's choice
    QString modelPath() const;
    void setFinetuneEpochs(int epochs);
    void setTestImages(int images); // 0 = the whole test split
    void setPruneShare(double share);
    void setSparsity(double sparsity);

    void measureOriginal(); // the chosen model itself, as the table's reference row
    void makeInt8();
    void makePruned();
    void makeSparse();
    void cancel(); // stops a fine-tune after its current batch
    bool isBusy() const { return m_busy; }

    int rowCount() const;
    QString cellText(int row, int column) const;
    QString variantPath(int row) const; // the .ncmodel of a row
    QString projectPath(int row) const; // the .ncproj written beside it
    int chartPoints() const;
    QString statusText() const;

    enum Column { Name, Parameters, FileSize, Compressed, Mflops, Accuracy, Batch1, Batch64, Columns };

  Q_SIGNALS:
    void variantAdded(int row);
    void failed(const QString& message);
    void busyChanged(bool busy);
    void exportRequested(const QString& modelPath);
    void serveRequested(const QString& modelPath);
    void openProjectRequested(const QString& projectPath);

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    struct Variant;
    enum class Kind { Original, Int8, Pruned, Sparse };
    void make(Kind kind);
    void addRow(const Variant& v);
    void setBusy(bool busy);
    int selectedRow() const;
    void updateButtons();

    EngineController* m_engine;
    std::function<QString()> m_provider;
    std::function<std::pair<Project, QString>()> m_project;
    bool m_chosen = false;
    bool m_busy = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QLineEdit* m_model;
    QSpinBox* m_epochs;
    QSpinBox* m_testImages;
    QDoubleSpinBox* m_share;
    QCheckBox* m_residual;
    QDoubleSpinBox* m_sparsity;
    QPushButton* m_measure;
    QPushButton* m_int8;
    QPushButton* m_prune;
    QPushButton* m_sparse;
    QPushButton* m_cancelButton;
    QLabel* m_status;
    QTableWidget* m_table;
    QPushButton* m_export;
    QPushButton* m_serve;
    QPushButton* m_open;
    QChart* m_chart;
    std::vector<QScatterSeries*> m_points; // one per row with a test accuracy
    QValueAxis* m_x;
    QValueAxis* m_y;
    std::vector<std::pair<QString, QString>> m_paths; // per row: model, project
};

} // namespace nc::ui
