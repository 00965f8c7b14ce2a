#pragma once
#include "train/RunCurves.h"

#include <QList>
#include <QMap>
#include <QStringList>
#include <QWidget>

class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QXYSeries;

namespace nc::ui {

// The Train tab's live charts (Qt Charts): loss per batch (faint raw + smoothed) with
// validation loss per epoch, training and validation accuracy, and the learning rate. Axes
// follow the data, hovering a line shows the nearest point's values, and other runs can be
// overlaid for comparison. The GUI feeds it about 4 times per second. Per-batch lines show at
// most kMaxShownPoints points (every 2^k-th batch plus the latest one) so that a repaint costs
// the same after 100 batches as after 100,000; curves() and the CSV keep every batch.
class TrainingCharts final : public QWidget {
    Q_OBJECT
  public:
    struct Overlay {
        QString name;
        RunCurves curves;
    };

    explicit TrainingCharts(QWidget* parent = nullptr);

    void clear(); // drops the live run's curves
    void addBatches(const QList<nc::BatchEvent>& batches);
    void addEpoch(const nc::EpochEvent& epoch);
    void showRun(const RunCurves& curves);        // replaces the live curves with a recorded run
    void setOverlays(const QList<Overlay>& runs); // drawn dashed beside the live curves
    // A generative network has no accuracy: its panel is hidden for such a run.
    void setAccuracyShown(bool shown);
    bool accuracyShown() const;
    const RunCurves& curves() const { return m_curves; }
    int overlaySeriesCount() const { return int(m_overlaySeries.size()); } // lines of compared runs

    static constexpr int kMaxShownPoints = 500;

    // A generative run's loss nodes (a VAE's reconstruction and KL, a GAN's adversarial losses,
    // smoothed, with their validation values as dots) and, for a GAN, the discriminator's mean
    // σ(score) at each AdversarialLoss (D(x) beside D(G(z))), each in a panel of its own that
    // shows once the run reports them.
    bool termsShown() const;
    bool verdictsShown() const;
    QStringList termKeys() const { return m_termLines.keys(); } // "recon", "kl", "p:d_real", …

    // Points shown in one of the live series: "lossRaw", "lossSmoothed", "lossValidation",
    // "accuracyTrain", "accuracyValidation", "learningRate", "term:<key>" (a loss node's smoothed
    // line, or a "p:<node>" verdict).
    int pointCount(const QString& series) const;
    const QXYSeries* liveSeries(const QString& series) const; // nullptr for an unknown name

    bool saveImage(const QString& path) const;               // PNG of all three charts
    bool saveCsv(const QString& path, QString* error) const; // series,epoch,value rows

  private:
    struct Panel {
        QChart* chart = nullptr;
        QChartView* view = nullptr;
        QValueAxis* x = nullptr;
        QValueAxis* y = nullptr;
    };
    Panel makePanel(const QString& title, const QString& yTitle);
    QLineSeries* addLine(Panel& panel, const QString& name, const QString& objectName, QColor color,
                         qreal width);
    QScatterSeries* addDots(Panel& panel, const QString& name, QColor color);
    void watchHover(QXYSeries* series, const QString& valueName);
    // A per-batch line drawn from a full-resolution list: every stride-th point plus the latest.
    struct Decimated {
        QXYSeries* series = nullptr;
        int stride = 1;
        qsizetype consumed = 0; // points of the full list already looked at
        bool tail = false;      // the last shown point is the latest one, off the stride
    };
    static void showDecimated(Decimated& line, const QList<QPointF>& all);
    void rescale(Panel& panel);
    void rebuildLive();
    void applyTheme();
    struct TermLine {
        QLineSeries* line = nullptr;
        QScatterSeries* validation = nullptr;
        Decimated shown;
        QList<QPointF> smoothed; // full resolution
        Smoother smoother;
    };
    TermLine& termLine(const QString& key);
    void updateTerms();  // extends each term's line from m_curves
    void clearTerms();

    Panel m_loss, m_accuracy, m_terms, m_verdicts, m_rate;
    QMap<QString, TermLine> m_termLines;
    QLineSeries *m_lossRaw, *m_lossSmoothed, *m_lossValidation;
    QScatterSeries* m_lossValidationDots;
    QLineSeries *m_accuracyTrain, *m_accuracyValidation;
    QScatterSeries* m_accuracyValidationDots;
    QLineSeries* m_learningRate;
    QList<QXYSeries*> m_overlaySeries;
    RunCurves m_curves;
    Smoother m_lossSmoother, m_accuracySmoother;
    QList<QPointF> m_smoothedLoss, m_smoothedAccuracy; // full resolution, like m_curves
    Decimated m_shownRaw, m_shownSmoothed, m_shownAccuracy, m_shownRate;
};

} // namespace nc::ui
