// Parameter importance: how much of the spread in best validation accuracy each parameter
// explains on its own (first-order variance share, as fANOVA's main effects).
#include "sweep/Sweep.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace nc {

std::vector<std::pair<std::string, double>> parameterImportance(const Space& space,
                                                                const std::vector<TrialRecord>& trials) {
    std::vector<const TrialRecord*> used;
    for (const TrialRecord& t : trials)
        if (t.state == TrialState::Completed || t.state == TrialState::Pruned)
            used.push_back(&t);
    std::vector<std::pair<std::string, double>> out;
    double mean = 0;
    for (const TrialRecord* t : used)
        mean += t->bestValidationAccuracy;
    mean /= std::max<std::size_t>(1, used.size());
    double total = 0;
    for (const TrialRecord* t : used)
        total += (t->bestValidationAccuracy - mean) * (t->bestValidationAccuracy - mean);
    double sum = 0;
    for (const SpaceParam& p : space.params) {
        // Each trial's group: its choice, or its quantile bin on the parameter's scale.
        std::vector<std::pair<double, double>> xy; // (position, value)
        std::map<std::string, std::vector<double>> groups;
        for (const TrialRecord* t : used) {
            if (!t->params.contains(p.key))
                continue;
            const Json& v = t->params[p.key];
            if (p.kind == SpaceParam::Kind::Choice || !v.is_number())
                groups[v.dump()].push_back(t->bestValidationAccuracy);
            else
                xy.push_back({p.log ? std::log(std::max(v.get<double>(), 1e-300)) : v.get<double>(),
                              t->bestValidationAccuracy});
        }
        if (!xy.empty()) {
            std::sort(xy.begin(), xy.end());
            const std::size_t bins = std::clamp<std::size_t>(xy.size() / 3, 1, 4);
            for (std::size_t i = 0; i < xy.size(); ++i)
                groups[std::to_string(i * bins / xy.size())].push_back(xy[i].second);
        }
        double between = 0;
        for (const auto& [key, values] : groups) {
            double m = 0;
            for (double v : values)
                m += v;
            m /= double(values.size());
            between += double(values.size()) * (m - mean) * (m - mean);
        }
        const double share = total > 0 ? between / total : 0.0;
        out.push_back({p.key, share});
        sum += share;
    }
    if (sum > 0)
        for (auto& [key, share] : out)
            share /= sum;
    return out;
}

} // namespace nc
