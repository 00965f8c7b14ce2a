// Grid and random sampling, and what every sampler shares (names, per-trial random streams).
#include "sweep/Samplers.h"

#include <algorithm>
#include <cmath>

namespace nc {

namespace {
const char* const kStates[] = {"running", "completed", "pruned", "failed", "stopped"};
const char* const kStrategies[] = {"grid", "random", "tpe"};

class GridSampler final : public Sampler {
public:
    explicit GridSampler(const Space& space) : m_space(space) {
        for (const SpaceParam& p : m_space.params)
            m_values.push_back(p.gridValues());
    }
    // Trial n is grid point n, the first parameter varying slowest.
    Json propose(int number, const std::vector<Observation>&) override {
        if (number < 0 || std::size_t(number) >= m_space.gridSize())
            return nullptr;
        Json out = Json::object();
        std::size_t rest = std::size_t(number);
        for (std::size_t i = m_values.size(); i-- > 0;) {
            out[m_space.params[i].key] = m_values[i][rest % m_values[i].size()];
            rest /= m_values[i].size();
        }
        return out;
    }

private:
    Space m_space;
    std::vector<std::vector<Json>> m_values;
};

class RandomSampler final : public Sampler {
public:
    RandomSampler(const Space& space, std::uint64_t seed) : m_space(space), m_seed(seed) {}
    Json propose(int number, const std::vector<Observation>&) override {
        Json out = Json::object();
        for (std::size_t i = 0; i < m_space.params.size(); ++i) {
            std::uint64_t state = sweepdetail::mixSeed(m_seed, std::uint64_t(number), i);
            out[m_space.params[i].key] = sweepdetail::randomValue(m_space.params[i], state);
        }
        return out;
    }

private:
    Space m_space;
    std::uint64_t m_seed;
};
} // namespace

const char* trialStateName(TrialState s) { return kStates[static_cast<int>(s)]; }

bool parseTrialState(const std::string& s, TrialState& out) {
    for (int i = 0; i < 5; ++i)
        if (s == kStates[i]) {
            out = static_cast<TrialState>(i);
            return true;
        }
    return false;
}

const char* strategyName(SweepStrategy s) { return kStrategies[static_cast<int>(s)]; }

bool parseStrategy(const std::string& s, SweepStrategy& out) {
    for (int i = 0; i < 3; ++i)
        if (s == kStrategies[i]) {
            out = static_cast<SweepStrategy>(i);
            return true;
        }
    return false;
}

std::unique_ptr<Sampler> makeGridSampler(const Space& space) { return std::make_unique<GridSampler>(space); }

std::unique_ptr<Sampler> makeRandomSampler(const Space& space, std::uint64_t seed) {
    return std::make_unique<RandomSampler>(space, seed);
}

std::unique_ptr<Sampler> makeSampler(SweepStrategy strategy, const Space& space, std::uint64_t seed,
                                     TpeOptions options) {
    switch (strategy) {
    case SweepStrategy::Grid: return makeGridSampler(space);
    case SweepStrategy::Random: return makeRandomSampler(space, seed);
    case SweepStrategy::Tpe: return makeTpeSampler(space, seed, options);
    }
    return makeRandomSampler(space, seed);
}

namespace sweepdetail {

std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t trial, std::uint64_t stream) {
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ull ^ (trial + 1) * 0xBF58476D1CE4E5B9ull ^
                      (stream + 1) * 0x94D049BB133111EBull;
    x ^= x >> 31;
    return x;
}

double uniform01(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return double(z >> 11) * (1.0 / 9007199254740992.0);
}

Json randomValue(const SpaceParam& p, std::uint64_t& state) {
    const double u = uniform01(state);
    switch (p.kind) {
    case SpaceParam::Kind::Choice:
        return p.choices[std::min(p.choices.size() - 1, std::size_t(u * double(p.choices.size())))];
    case SpaceParam::Kind::Int: {
        const std::int64_t lo = std::int64_t(p.low), count = (std::int64_t(p.high) - lo) / p.step + 1;
        if (!p.log)
            return lo + std::min(count - 1, std::int64_t(u * double(count))) * p.step;
        // Uniform in log(value) over [low - step/2, high + step/2], then the nearest step.
        const double a = std::log(std::max(p.low - 0.5 * double(p.step), 0.5 * p.low));
        const double b = std::log(p.high + 0.5 * double(p.step));
        const double x = std::exp(a + u * (b - a));
        const std::int64_t k = std::clamp<std::int64_t>(std::llround((x - p.low) / double(p.step)), 0, count - 1);
        return lo + k * p.step;
    }
    case SpaceParam::Kind::Float:
        if (p.log)
            return std::exp(std::log(p.low) + u * (std::log(p.high) - std::log(p.low)));
        return p.low + u * (p.high - p.low);
    }
    return nullptr;
}

} // namespace sweepdetail

} // namespace nc
