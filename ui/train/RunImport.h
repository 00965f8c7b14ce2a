#pragma once
#include "util/Json.h"

#include <QHash>
#include <QObject>
#include <QString>

class QTimer;

namespace nc::ui {

class Document;

// Runs trained elsewhere (a torchrun job's run folder, local or on a mounted share) in the
// project's run history: File › Import Run… adds the folder as a run marked "imported", and
// while its metrics.jsonl has no closing event the importer watches it, so the charts follow
// the job and its row shows the outcome when it ends. The folder's best.ncmodel is then the
// run's model for Evaluate, Inspect, Compress and Deploy, as a local run's is.
class RunImporter final : public QObject {
    Q_OBJECT
  public:
    explicit RunImporter(Document* document, QObject* parent = nullptr);

    // The run entry for a folder (FORMATS.md's project runs): its settings from the start
    // event, its outcome from the closing event when there is one. "" error when it is usable.
    static nc::Json runEntry(const QString& dir, const QString& id, QString* error);
    // Adds the folder to the project's runs; returns its index, or -1 with `error` saying why.
    int importRun(const QString& dir, QString* error);
    // Looks at every followed run once (the timer does so every second): a grown metrics.jsonl
    // emits curvesChanged, a closing event records the run's outcome.
    void poll();
    bool following() const; // some imported run has not ended yet

  Q_SIGNALS:
    void curvesChanged();
    void runImported(int index);

  private:
    Document* m_doc;
    QTimer* m_timer;
    QHash<QString, qint64> m_sizes; // metrics.jsonl sizes seen, by run folder
};

} // namespace nc::ui
