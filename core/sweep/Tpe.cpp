// The Tree-structured Parzen Estimator as Optuna's TPESampler describes it (univariate): finished
// trials are split at the gamma quantile into good and bad, each side becomes a Parzen estimator
// per parameter (l for good, g for bad, with a prior component), and of `candidates` values
// drawn from l the one with the highest l(x)/g(x) is proposed. The first trials are random.
#include "sweep/Samplers.h"

#include <algorithm>
#include <cmath>

namespace nc {

namespace {

using sweepdetail::uniform01;

double normalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double standardNormal(std::uint64_t& state) {
    const double u1 = std::max(uniform01(state), 1e-300), u2 = uniform01(state);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
}

// Optuna's default_weights: the last 25 observations weigh 1, older ones ramp up to it.
std::vector<double> observationWeights(std::size_t n) {
    std::vector<double> w(n, 1.0);
    if (n <= 25)
        return w;
    const std::size_t ramp = n - 25;
    for (std::size_t i = 0; i < ramp; ++i)
        w[i] = ramp == 1 ? 1.0 / double(n) : 1.0 / double(n) + (1.0 - 1.0 / double(n)) * double(i) / double(ramp - 1);
    return w;
}

// A numeric parameter on the sampler's scale: log(value) for log ranges; an int's values are the
// centres of bins one step wide.
struct Axis {
    const SpaceParam* p;
    double lo = 0, hi = 0;
    bool discrete = false;

    explicit Axis(const SpaceParam& param) : p(&param) {
        discrete = param.kind == SpaceParam::Kind::Int;
        const double half = discrete ? 0.5 * double(param.step) : 0.0;
        const double a = param.low - half, b = param.high + half;
        lo = param.log ? std::log(std::max(a, discrete ? 0.5 * param.low : param.low)) : a;
        hi = param.log ? std::log(b) : b;
    }
    double toAxis(double v) const { return p->log ? std::log(v) : v; }
    Json fromAxis(double x) const {
        double v = p->log ? std::exp(x) : x;
        if (!discrete)
            return std::clamp(v, p->low, p->high);
        const std::int64_t count = (std::int64_t(p->high) - std::int64_t(p->low)) / p->step + 1;
        const std::int64_t k = std::clamp<std::int64_t>(std::llround((v - p->low) / double(p->step)), 0, count - 1);
        return std::int64_t(p->low) + k * p->step;
    }
    // The bin of an int value on the axis.
    std::pair<double, double> bin(double v) const {
        const double half = 0.5 * double(p->step);
        const double a = p->log ? std::log(std::max(v - half, std::exp(lo))) : v - half;
        const double b = p->log ? std::log(v + half) : v + half;
        return {a, b};
    }
};

struct Parzen {
    std::vector<double> mu, sigma, weight;

    Parzen(const Axis& axis, const std::vector<double>& xs, double priorWeight) {
        const std::size_t n = xs.size();
        std::vector<std::size_t> order(n);
        for (std::size_t i = 0; i < n; ++i)
            order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return xs[a] < xs[b]; });
        std::vector<double> s(n);
        for (std::size_t r = 0; r < n; ++r) {
            const double x = xs[order[r]];
            const double left = r == 0 ? axis.lo : xs[order[r - 1]];
            const double right = r + 1 == n ? axis.hi : xs[order[r + 1]];
            // Endpoints do not count as neighbours when there are real ones (consider_endpoints off).
            double d = std::max(x - left, right - x);
            if (n >= 2 && r == 0)
                d = right - x;
            else if (n >= 2 && r + 1 == n)
                d = x - left;
            s[order[r]] = d;
        }
        const double range = axis.hi - axis.lo;
        const double minSigma = range / std::min(100.0, 1.0 + double(n)), maxSigma = range;
        const std::vector<double> w = observationWeights(n);
        for (std::size_t i = 0; i < n; ++i) {
            mu.push_back(xs[i]);
            sigma.push_back(std::clamp(s[i], minSigma, maxSigma));
            weight.push_back(w[i]);
        }
        mu.push_back(0.5 * (axis.lo + axis.hi)); // the prior: one wide component over the range
        sigma.push_back(maxSigma);
        weight.push_back(priorWeight);
        double total = 0;
        for (double v : weight)
            total += v;
        for (double& v : weight)
            v /= total;
    }

    double sample(const Axis& axis, std::uint64_t& state) const {
        double u = uniform01(state), acc = 0;
        std::size_t k = weight.size() - 1;
        for (std::size_t i = 0; i < weight.size(); ++i) {
            acc += weight[i];
            if (u < acc) {
                k = i;
                break;
            }
        }
        for (int attempt = 0; attempt < 200; ++attempt) { // truncated to the range
            const double x = mu[k] + sigma[k] * standardNormal(state);
            if (x >= axis.lo && x <= axis.hi)
                return x;
        }
        return axis.lo + uniform01(state) * (axis.hi - axis.lo);
    }

    // log density (continuous) or log mass of the value's bin (int) under the truncated mixture.
    double logDensity(const Axis& axis, double value) const {
        double total = 0;
        for (std::size_t k = 0; k < mu.size(); ++k) {
            const double z = normalCdf((axis.hi - mu[k]) / sigma[k]) - normalCdf((axis.lo - mu[k]) / sigma[k]);
            double p;
            if (axis.discrete) {
                const auto [a, b] = axis.bin(value);
                p = normalCdf((b - mu[k]) / sigma[k]) - normalCdf((a - mu[k]) / sigma[k]);
            } else {
                const double x = axis.toAxis(value), t = (x - mu[k]) / sigma[k];
                p = std::exp(-0.5 * t * t) / (sigma[k] * std::sqrt(2.0 * 3.14159265358979323846));
            }
            total += weight[k] * p / std::max(z, 1e-300);
        }
        return std::log(std::max(total, 1e-300));
    }
};

// A choice parameter: each observation a kernel with most of its mass on its own value.
struct CategoricalParzen {
    std::vector<double> probability;

    CategoricalParzen(std::size_t k, const std::vector<std::size_t>& observed, double priorWeight) {
        const std::vector<double> w = observationWeights(observed.size());
        probability.assign(k, priorWeight / double(k)); // the prior component, uniform
        double total = priorWeight;
        for (std::size_t i = 0; i < observed.size(); ++i) {
            for (std::size_t c = 0; c < k; ++c)
                probability[c] += w[i] * (priorWeight / double(k) + (c == observed[i] ? 1.0 : 0.0)) / (priorWeight + 1.0);
            total += w[i];
        }
        for (double& p : probability)
            p /= total;
    }
    std::size_t sample(std::uint64_t& state) const {
        double u = uniform01(state), acc = 0;
        for (std::size_t c = 0; c < probability.size(); ++c) {
            acc += probability[c];
            if (u < acc)
                return c;
        }
        return probability.size() - 1;
    }
};

// Better first: completed by value, then pruned by how far they got and their value; failed last.
bool better(const Observation& a, const Observation& b) {
    auto rank = [](TrialState s) { return s == TrialState::Completed ? 0 : s == TrialState::Pruned ? 1 : 2; };
    if (rank(a.state) != rank(b.state))
        return rank(a.state) < rank(b.state);
    if (a.state == TrialState::Pruned && a.epochs != b.epochs)
        return a.epochs > b.epochs;
    if (a.value != b.value)
        return a.value > b.value;
    return a.number < b.number;
}

class TpeSampler final : public Sampler {
public:
    TpeSampler(const Space& space, std::uint64_t seed, TpeOptions options)
        : m_space(space), m_seed(seed), m_options(options) {}

    Json propose(int number, const std::vector<Observation>& finished) override {
        std::vector<Observation> obs;
        for (const Observation& o : finished)
            if (o.state == TrialState::Completed || o.state == TrialState::Pruned || o.state == TrialState::Failed)
                obs.push_back(o);
        Json out = Json::object();
        if (int(obs.size()) < m_options.startupTrials) {
            for (std::size_t i = 0; i < m_space.params.size(); ++i) {
                std::uint64_t state = sweepdetail::mixSeed(m_seed, std::uint64_t(number), i);
                out[m_space.params[i].key] = sweepdetail::randomValue(m_space.params[i], state);
            }
            return out;
        }
        std::sort(obs.begin(), obs.end(), better);
        const std::size_t below = std::min<std::size_t>(std::size_t(std::ceil(0.1 * double(obs.size()))), 25);
        std::vector<Observation> good(obs.begin(), obs.begin() + std::ptrdiff_t(below));
        std::vector<Observation> bad(obs.begin() + std::ptrdiff_t(below), obs.end());
        // Weights follow trial order (older observations weigh less), as Optuna's do.
        auto byNumber = [](const Observation& a, const Observation& b) { return a.number < b.number; };
        std::sort(good.begin(), good.end(), byNumber);
        std::sort(bad.begin(), bad.end(), byNumber);
        for (std::size_t i = 0; i < m_space.params.size(); ++i) {
            std::uint64_t state = sweepdetail::mixSeed(m_seed, std::uint64_t(number), 1000 + i);
            out[m_space.params[i].key] = proposeOne(m_space.params[i], good, bad, state);
        }
        return out;
    }

private:
    Json proposeOne(const SpaceParam& p, const std::vector<Observation>& good, const std::vector<Observation>& bad,
                    std::uint64_t& state) const {
        if (p.kind == SpaceParam::Kind::Choice) {
            auto indices = [&](const std::vector<Observation>& list) {
                std::vector<std::size_t> out;
                for (const Observation& o : list)
                    for (std::size_t c = 0; c < p.choices.size(); ++c)
                        if (o.params.contains(p.key) && o.params[p.key] == p.choices[c])
                            out.push_back(c);
                return out;
            };
            const CategoricalParzen l(p.choices.size(), indices(good), m_options.priorWeight);
            const CategoricalParzen g(p.choices.size(), indices(bad), m_options.priorWeight);
            std::size_t best = 0;
            double bestScore = -1e300;
            for (int i = 0; i < m_options.candidates; ++i) {
                const std::size_t c = l.sample(state);
                const double score = std::log(l.probability[c]) - std::log(g.probability[c]);
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            return p.choices[best];
        }
        const Axis axis(p);
        auto points = [&](const std::vector<Observation>& list) {
            std::vector<double> out;
            for (const Observation& o : list)
                if (o.params.contains(p.key) && o.params[p.key].is_number() && p.contains(o.params[p.key]))
                    out.push_back(axis.toAxis(o.params[p.key].get<double>()));
            return out;
        };
        const Parzen l(axis, points(good), m_options.priorWeight), g(axis, points(bad), m_options.priorWeight);
        Json best;
        double bestScore = -1e300;
        for (int i = 0; i < m_options.candidates; ++i) {
            const Json candidate = axis.fromAxis(l.sample(axis, state));
            const double v = candidate.get<double>();
            const double score = l.logDensity(axis, v) - g.logDensity(axis, v);
            if (score > bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    Space m_space;
    std::uint64_t m_seed;
    TpeOptions m_options;
};

} // namespace

std::unique_ptr<Sampler> makeTpeSampler(const Space& space, std::uint64_t seed, TpeOptions options) {
    return std::make_unique<TpeSampler>(space, seed, options);
}

} // namespace nc
