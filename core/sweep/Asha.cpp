#include "sweep/Asha.h"

#include <algorithm>
#include <functional>

namespace nc {

AshaPruner::AshaPruner(int minEpochs, int eta) : m_minEpochs(std::max(1, minEpochs)), m_eta(std::max(2, eta)) {}

std::vector<int> AshaPruner::rungs(int maxEpochs) const {
    std::vector<int> out;
    for (long long e = m_minEpochs; e < maxEpochs; e *= m_eta)
        out.push_back(int(e));
    return out;
}

bool AshaPruner::isRung(int epoch) const {
    if (epoch < m_minEpochs)
        return false;
    long long e = m_minEpochs;
    while (e < epoch)
        e *= m_eta;
    return e == epoch;
}

AshaPruner::Decision AshaPruner::report(int trial, int epoch, double value) {
    if (!isRung(epoch))
        return Decision::Continue;
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& rung = m_rungs[epoch];
    rung[trial] = value;
    // As Optuna: the k-th best of n values at this rung, k = max(1, n / eta), is the bar.
    std::vector<double> values;
    for (const auto& [t, v] : rung)
        values.push_back(v);
    std::sort(values.begin(), values.end(), std::greater<double>());
    const std::size_t k = std::max<std::size_t>(1, values.size() / std::size_t(m_eta));
    return value >= values[k - 1] ? Decision::Continue : Decision::Stop;
}

void AshaPruner::restore(int trial, int epoch, double value) {
    if (!isRung(epoch))
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_rungs[epoch][trial] = value;
}

int AshaPruner::reached(int epoch) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_rungs.find(epoch);
    return it == m_rungs.end() ? 0 : int(it->second.size());
}

} // namespace nc
