#pragma once
// Internal to core/data: integers from mt19937_64 alone. std::uniform_int_distribution differs
// between standard libraries, and a seed must name the same data, split and batch everywhere.
#include <cstdint>
#include <limits>
#include <random>

namespace nc::detail {

// Uniform integer in [0, n) by rejection sampling.
inline std::uint64_t below(std::mt19937_64& g, std::uint64_t n) {
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    std::uint64_t x;
    do {
        x = g();
    } while (x >= limit);
    return x % n;
}

// Uniform integer in [lo, hi].
inline int between(std::mt19937_64& g, int lo, int hi) {
    return lo + static_cast<int>(below(g, static_cast<std::uint64_t>(hi - lo + 1)));
}

} // namespace nc::detail
