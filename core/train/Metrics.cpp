#include "train/Metrics.h"

#include "util/Error.h"

#include <algorithm>
#include <cstdio>

namespace nc {

EvaluationResult computeMetrics(const std::vector<std::int64_t>& truth, const std::vector<std::int64_t>& predicted,
                                const std::vector<std::string>& classNames) {
    if (truth.size() != predicted.size())
        throw Error("metrics need as many predictions as labels");
    const std::size_t k = classNames.size();
    EvaluationResult r;
    r.count = static_cast<std::int64_t>(truth.size());
    r.confusion.assign(k, std::vector<std::int64_t>(k, 0));
    std::int64_t correct = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const auto t = truth[i], p = predicted[i];
        if (t < 0 || t >= std::int64_t(k) || p < 0 || p >= std::int64_t(k))
            throw Error("label " + std::to_string(std::max(t, p)) + " is outside the " + std::to_string(k) + " classes");
        ++r.confusion[t][p];
        correct += t == p;
    }
    r.accuracy = r.count ? double(correct) / double(r.count) : 0.0;
    double f1Sum = 0;
    for (std::size_t c = 0; c < k; ++c) {
        std::int64_t tp = r.confusion[c][c], predictedC = 0, actualC = 0;
        for (std::size_t j = 0; j < k; ++j) {
            predictedC += r.confusion[j][c];
            actualC += r.confusion[c][j];
        }
        ClassMetrics m;
        m.name = classNames[c];
        m.support = actualC;
        m.precision = predictedC ? double(tp) / double(predictedC) : 0.0;
        m.recall = actualC ? double(tp) / double(actualC) : 0.0;
        m.f1 = (m.precision + m.recall) > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
        f1Sum += m.f1;
        r.classes.push_back(m);
    }
    r.macroF1 = k ? f1Sum / double(k) : 0.0;
    return r;
}

Json EvaluationResult::toJson() const {
    Json cls = Json::array();
    for (const ClassMetrics& c : classes)
        cls.push_back({{"name", c.name}, {"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1},
                       {"support", c.support}});
    return {{"count", count}, {"accuracy", accuracy}, {"loss", loss}, {"macro_f1", macroF1},
            {"classes", cls}, {"confusion", confusion}};
}

std::string formatMetrics(const EvaluationResult& r) {
    std::string out;
    char line[256];
    std::snprintf(line, sizeof line, "accuracy %.4f on %lld images (loss %.4f, macro F1 %.4f)\n\n", r.accuracy,
                  static_cast<long long>(r.count), r.loss, r.macroF1);
    out += line;
    std::snprintf(line, sizeof line, "%-14s %9s %9s %9s %8s\n", "class", "precision", "recall", "f1", "support");
    out += line;
    for (const ClassMetrics& c : r.classes) {
        std::snprintf(line, sizeof line, "%-14.14s %9.4f %9.4f %9.4f %8lld\n", c.name.c_str(), c.precision, c.recall,
                      c.f1, static_cast<long long>(c.support));
        out += line;
    }
    out += "\nconfusion matrix (rows: true class, columns: predicted)\n";
    for (std::size_t t = 0; t < r.confusion.size(); ++t) {
        std::snprintf(line, sizeof line, "%-14.14s", r.classes[t].name.c_str());
        out += line;
        for (std::int64_t v : r.confusion[t]) {
            std::snprintf(line, sizeof line, " %6lld", static_cast<long long>(v));
            out += line;
        }
        out += "\n";
    }
    return out;
}

} // namespace nc
