#pragma once
// Inspect on a folder: every image classified by the current model, as a sortable table with
// thumbnails (least confident first is one click), exportable as the same CSV the CLI writes
// (`predict MODEL DIR --csv`); with a labelled folder, the accuracy and the confusion matrix.
#include "engine/Inspection.h"

#include <QWidget>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace nc::ui {

class ConfusionMatrixView;
class EngineController;

class FolderPredictView final : public QWidget {
    Q_OBJECT
  public:
    FolderPredictView(EngineController* engine, QWidget* parent = nullptr);

    void start(const QString& folderOrCsv, bool invert);
    bool isRunning() const { return m_running; }
    std::shared_ptr<const FolderPrediction> result() const { return m_result; }
    QString csvText() const; // what Export CSV writes
    QTableWidget* table() const { return m_table; }
    void sortLeastConfidentFirst();
    bool exportCsv(const QString& path); // false with a message shown when it cannot be written

  Q_SIGNALS:
    void finished();                        // a result or an error is shown
    void imageChosen(const QString& path); // a row double-clicked: inspect it alone

  private:
    void show(const std::shared_ptr<const FolderPrediction>& result);
    void fail(const QString& message);

    EngineController* m_engine;
    std::shared_ptr<const FolderPrediction> m_result;
    bool m_running = false;
    QLabel* m_summary;
    QProgressBar* m_progress;
    QPushButton* m_stop;
    QPushButton* m_leastConfident;
    QPushButton* m_export;
    QTableWidget* m_table;
    ConfusionMatrixView* m_confusion;
};

} // namespace nc::ui
