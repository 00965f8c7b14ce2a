#pragma once
#include "util/Json.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nc {

struct ClassMetrics {
    std::string name;
    double precision = 0, recall = 0, f1 = 0;
    std::int64_t support = 0; // true samples of this class
};

// Classification quality on a labelled set.
struct EvaluationResult {
    std::int64_t count = 0;
    double accuracy = 0;
    double loss = 0; // mean cross-entropy, when computed from logits
    double macroF1 = 0;
    std::vector<ClassMetrics> classes;
    // confusion[t][p]: samples of true class t predicted as p
    std::vector<std::vector<std::int64_t>> confusion;

    Json toJson() const;
};

// From true and predicted labels; classes with no predictions get precision 0 (as scikit-learn).
EvaluationResult computeMetrics(const std::vector<std::int64_t>& truth, const std::vector<std::int64_t>& predicted,
                                const std::vector<std::string>& classNames);

// Human-readable report: accuracy, per-class table and confusion matrix.
std::string formatMetrics(const EvaluationResult& r);

} // namespace nc
