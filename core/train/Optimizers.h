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

class Optimizer {
public:
    Optimizer(const TrainConfig& config, NamedTensors parameters);

    void zeroGrad();
    void step(double learningRate);
    std::int64_t steps() const { return m_steps; }

    // State tensors named "<parameter>/<slot>" (e.g. "conv1.weight/exp_avg").
    NamedTensors state() const;
    void loadState(const NamedTensors& state, std::int64_t steps, const std::string& what);

private:
    torch::Tensor& slot(std::size_t i, const char* name);

    TrainConfig m_config;
    NamedTensors m_params;
    // Per parameter, slot name -> tensor; a map keeps references stable while slots are added.
    std::vector<std::map<std::string, torch::Tensor>> m_slots;
    std::int64_t m_steps = 0;
};


} // namespace nc
