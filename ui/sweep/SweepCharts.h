#pragma once
#include "sweep/Sweep.h"

#include <QWidget>

#include <vector>

namespace nc::ui {

// The sweep's parallel coordinates: one axis per parameter (logarithmic where the space is) and
// one for the best validation accuracy; each trial a line coloured by its accuracy. Only the top
// k % of trials are drawn, so diverged or failed trials do not flatten the picture.
class ParallelCoordinatesView final : public QWidget {
    Q_OBJECT
  public:
    explicit ParallelCoordinatesView(QWidget* parent = nullptr);
    void setData(const nc::Space& space, const std::vector<nc::TrialRecord>& trials);
    void setTopPercent(int percent); // 1..100
    int shownTrials() const { return int(m_shown.size()); }
    QSize sizeHint() const override { return {560, 260}; }

  protected:
    void paintEvent(QPaintEvent*) override;

  private:
    void filter();
    nc::Space m_space;
    std::vector<nc::TrialRecord> m_trials, m_shown;
    int m_topPercent = 100;
};

// Validation accuracy by epoch, one line per trial; a trial stopped early ends with a cross.
class EpochCurvesView final : public QWidget {
    Q_OBJECT
  public:
    explicit EpochCurvesView(QWidget* parent = nullptr);
    void setTrials(const std::vector<nc::TrialRecord>& trials);
    QSize sizeHint() const override { return {360, 220}; }

  protected:
    void paintEvent(QPaintEvent*) override;

  private:
    std::vector<nc::TrialRecord> m_trials;
};

// How much of the spread in accuracy each parameter explains (sweep/Sweep.h parameterImportance).
class ImportanceView final : public QWidget {
    Q_OBJECT
  public:
    explicit ImportanceView(QWidget* parent = nullptr);
    void setImportance(const std::vector<std::pair<std::string, double>>& importance);
    QSize sizeHint() const override { return {300, 160}; }

  protected:
    void paintEvent(QPaintEvent*) override;

  private:
    std::vector<std::pair<std::string, double>> m_importance;
};

} // namespace nc::ui
