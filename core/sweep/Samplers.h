#pragma once
#include "sweep/Space.h"
#include "util/Json.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nc {

enum class TrialState { Running, Completed, Pruned, Failed, Stopped };
const char* trialStateName(TrialState s);
bool parseTrialState(const std::string& s, TrialState& out);

// What a sampler learns from a finished trial: its values and how far and how well it got.
struct Observation {
    int number = 0;
    Json params = Json::object();
    TrialState state = TrialState::Completed;
    double value = 0; // best validation accuracy reached (higher is better)
    int epochs = 0;   // epochs trained (a pruned trial stopped at a rung)
};

enum class SweepStrategy { Grid, Random, Tpe };
const char* strategyName(SweepStrategy s);
bool parseStrategy(const std::string& s, SweepStrategy& out);

// Proposes the values of trial `number`. A sampler's choice depends only on its seed, the trial
// number and the observations it is given, so a resumed sweep proposes what the first run did.
class Sampler {
public:
    virtual ~Sampler() = default;
    // {key: value} for every parameter of the space; null when the sampler has nothing left
    // (a grid that has been walked).
    virtual Json propose(int number, const std::vector<Observation>& finished) = 0;
};

struct TpeOptions {
    int startupTrials = 10;  // random trials before the model is used
    int candidates = 24;     // samples drawn from l(x); the one with the highest l(x)/g(x) wins
    double priorWeight = 1.0;
};

std::unique_ptr<Sampler> makeGridSampler(const Space& space);
std::unique_ptr<Sampler> makeRandomSampler(const Space& space, std::uint64_t seed);
std::unique_ptr<Sampler> makeTpeSampler(const Space& space, std::uint64_t seed, TpeOptions options = {});
std::unique_ptr<Sampler> makeSampler(SweepStrategy strategy, const Space& space, std::uint64_t seed,
                                     TpeOptions options = {});

namespace sweepdetail {
// A generator of its own for (seed, trial, stream): reproducible, independent per trial.
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t trial, std::uint64_t stream);
double uniform01(std::uint64_t& state); // splitmix64 -> [0, 1)
// One random value of `p` (uniform on its scale).
Json randomValue(const SpaceParam& p, std::uint64_t& state);
} // namespace sweepdetail

} // namespace nc
