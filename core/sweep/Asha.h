#pragma once
#include <map>
#include <mutex>
#include <vector>

namespace nc {

// Asynchronous successive halving (ASHA, Li et al. 2020; Optuna's SuccessiveHalvingPruner):
// rungs at minEpochs * eta^k epochs. A trial reaching a rung is compared only with the trials
// that reached the same rung before it (never with values from other epochs): it goes on when
// its value is among the best 1/eta of them, else it stops. Values are the best validation
// accuracy up to that epoch. No trial is stopped before minEpochs. Thread-safe.
class AshaPruner {
public:
    enum class Decision { Continue, Stop };

    AshaPruner(int minEpochs = 1, int eta = 3);

    int minEpochs() const { return m_minEpochs; }
    int eta() const { return m_eta; }
    // The rung epochs below `maxEpochs` (a trial that reaches maxEpochs is done anyway).
    std::vector<int> rungs(int maxEpochs) const;

    // Trial `trial` finished `epoch` (1-based) with best validation accuracy `value` so far.
    Decision report(int trial, int epoch, double value);
    // Puts a value reached earlier back on its rung (a resumed sweep) without deciding anything.
    void restore(int trial, int epoch, double value);
    // How many trials reached the rung at `epoch` (0 when it is not a rung).
    int reached(int epoch) const;

private:
    bool isRung(int epoch) const;
    int m_minEpochs, m_eta;
    mutable std::mutex m_mutex;
    std::map<int, std::map<int, double>> m_rungs; // epoch -> trial -> value
};

} // namespace nc
