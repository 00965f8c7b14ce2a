#pragma once
// The import view: a folder (or CSV) of the user's images read into the cache with a progress
// bar and Cancel, then shown as the model will see it — classes and their counts, sample images
// per class after the size policy, the sizes found, and every file skipped with the reason —
// before "Use this dataset" puts it on the project.
#include "data/Dataset.h"

#include <QDialog>

#include <atomic>
#include <memory>
#include <thread>

class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTimer;

namespace nc::ui {

class ImportDialog : public QDialog {
    Q_OBJECT
  public:
    // `cache` names where the cache goes (the project's folder); its policy is the starting one.
    ImportDialog(const QString& spec, const nc::DatasetOptions& cache, QWidget* parent = nullptr);
    ~ImportDialog() override;

    QString spec() const { return m_spec; }
    // As used: after an import, the shape it resolved (so the project names it, and the window
    // need not look at the images again to know it).
    nc::ImportPolicy policy() const;
    bool isImporting() const { return m_busy; } // from opening until the first result is shown
    bool succeeded() const { return m_data != nullptr; }
    const nc::ImportReport& report() const { return m_report; }
    int classCount() const;
    int sampleCount() const; // thumbnails shown

    // Starts (again) with the policy in the controls; the current import is cancelled first.
    void startImport();
    void cancelImport();

  Q_SIGNALS:
    void importFinished(bool ok);

  private:
    void readControls();
    void finish(std::shared_ptr<const nc::DatasetPair> data, nc::ImportReport report, QString error, bool cancelled);
    void showReport();
    void stopWorker();

    QString m_spec;
    nc::DatasetOptions m_cache;
    nc::ImportPolicy m_policy;
    nc::ImportReport m_report;
    std::shared_ptr<const nc::DatasetPair> m_data;

    std::thread m_worker;
    std::atomic<bool> m_cancel{false};
    bool m_busy = true; // GUI thread
    std::atomic<qint64> m_done{0}, m_total{0};
    QTimer* m_poll = nullptr;

    QLabel* m_summary = nullptr;
    QComboBox* m_size = nullptr;
    QComboBox* m_channels = nullptr;
    QComboBox* m_fit = nullptr;
    QDoubleSpinBox* m_testFraction = nullptr;
    QPushButton* m_reimport = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QChartView* m_counts = nullptr;
    QWidget* m_samples = nullptr;
    QGridLayout* m_sampleGrid = nullptr;
    QLabel* m_sizes = nullptr;
    QTableWidget* m_problems = nullptr;
    QPushButton* m_use = nullptr;
};

} // namespace nc::ui
