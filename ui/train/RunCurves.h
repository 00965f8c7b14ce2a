#pragma once
#include "train/Trainer.h"

#include <QList>
#include <QMap>
#include <QPointF>
#include <QString>

namespace nc::ui {

// The curves of one run, x in epochs (a batch sits at epoch - 1 + batch / batches): what the
// charts draw, built live from training events or read back from a run's metrics.jsonl.
struct RunCurves {
    QList<QPointF> batchLoss, batchAccuracy, learningRate;
    QList<QPointF> trainLoss, trainAccuracy, validationLoss, validationAccuracy;
    // A generative run's loss nodes per batch and on the validation split (nats per image), and
    // "p:<node>": the discriminator's mean σ(score) at an AdversarialLoss (D(x), D(G(z))).
    QMap<QString, QList<QPointF>> batchTerms, validationTerms;

    void addBatch(const nc::BatchEvent& e);
    void addEpoch(const nc::EpochEvent& e);
    // A resumed run starts again at the beginning of the epoch it stopped in: its later batches go.
    void dropBatchesAfter(double epoch);
    bool isEmpty() const { return batchLoss.isEmpty() && validationLoss.isEmpty(); }

    // Reads a metrics.jsonl (FORMATS.md); lines it cannot parse are skipped. `error` gets why
    // the file could not be read at all.
    static RunCurves fromMetricsFile(const QString& path, QString* error = nullptr);
};

double batchX(const nc::BatchEvent& e);

// An exponential moving average with bias correction (TensorBoard's smoothing), so the first
// points are not pulled towards zero.
class Smoother {
  public:
    explicit Smoother(double weight = 0.9) : m_weight(weight) {}
    double add(double value);
    void reset() {
        m_average = 0;
        m_count = 0;
    }
    static QList<QPointF> smooth(const QList<QPointF>& raw, double weight = 0.9);

  private:
    double m_weight;
    double m_average = 0;
    int m_count = 0;
};

} // namespace nc::ui
