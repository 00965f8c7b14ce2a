#pragma once
// Internal to train/: the optimizers of DESIGN §6 with their state as named tensors, so a
// checkpoint stores them in safetensors and a resumed run continues bit for bit. The update
// rules follow torch.optim (single-tensor path) so results compare with PyTorch.
#include "train/TrainConfig.h"

#include <torch/types.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace nc {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// One group of parameters with its own settings and step count (a training phase's optimizer).
struct OptimizerGroup {
    std::string name;
    TrainConfig config;
    std::vector<std::string> parameters; // names, as in the Optimizer's NamedTensors
};

class Optimizer {
public:
    Optimizer(const TrainConfig& config, NamedTensors parameters);
    // Several groups (training phases), each stepped on its own; parameters in no group are
    // never updated. Throws nc::Error for a name that is not among `parameters`.
    Optimizer(NamedTensors parameters, const std::vector<OptimizerGroup>& groups);

    void zeroGrad();
    void step(double learningRate, std::size_t group = 0);
    std::int64_t steps() const { return m_groups.front().steps; }

    // State tensors named "<parameter>/<slot>" (e.g. "conv1.weight/exp_avg"); with several
    // groups also "@<group>/steps" (each group's step count, for Adam's bias correction).
    NamedTensors state() const;
    void loadState(const NamedTensors& state, std::int64_t steps, const std::string& what);

private:
    struct Group {
        std::string name;
        TrainConfig config;
        std::vector<std::size_t> members;
        std::int64_t steps = 0;
    };
    torch::Tensor& slot(std::size_t i, const char* name);

    NamedTensors m_params;
    // Per parameter, slot name -> tensor; a map keeps references stable while slots are added.
    std::vector<std::map<std::string, torch::Tensor>> m_slots;
    std::vector<Group> m_groups;
};


} // namespace nc
