#pragma once
#include "train/PrecisionChoice.h"

#include <QLabel>

namespace nc::ui {

// One line in the Train tab saying which precision training uses and why: before a run what
// "auto" (or the setting) resolves to on this machine; during a run what the run chose; after
// a bf16 run fell back, that it now trains in fp32. The English reason is its tooltip.
class PrecisionLabel final : public QLabel {
    Q_OBJECT
  public:
    explicit PrecisionLabel(QWidget* parent = nullptr);

    void showPlanned(const nc::TrainConfig& config); // no run: what Start would use here
    void showRun(const nc::PrecisionChoice& choice);  // the run's own choice
    void showFallback(const nc::PrecisionChoice& choice);
    nc::Precision shownPrecision() const { return m_precision; }

  private:
    QString describe(const nc::PrecisionChoice& choice) const;
    nc::Precision m_precision = nc::Precision::FP32;
};

} // namespace nc::ui
