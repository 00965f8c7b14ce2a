#include "train/Optimizers.h"

#include "util/Error.h"

#include <cmath>

namespace nc {

Optimizer::Optimizer(const TrainConfig& config, NamedTensors parameters)
    : m_params(std::move(parameters)), m_slots(m_params.size()) {
    Group g{"", config, {}, 0};
    for (std::size_t i = 0; i < m_params.size(); ++i)
        g.members.push_back(i);
    m_groups.push_back(std::move(g));
}

Optimizer::Optimizer(NamedTensors parameters, const std::vector<OptimizerGroup>& groups)
    : m_params(std::move(parameters)), m_slots(m_params.size()) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < m_params.size(); ++i)
        index[m_params[i].first] = i;
    for (const OptimizerGroup& og : groups) {
        Group g{og.name, og.config, {}, 0};
        for (const std::string& name : og.parameters) {
            auto it = index.find(name);
            if (it == index.end())
                throw Error("optimizer group " + og.name + ": no parameter " + name);
            g.members.push_back(it->second);
        }
        m_groups.push_back(std::move(g));
    }
    if (m_groups.empty())
        m_groups.push_back(Group{"", TrainConfig(), {}, 0});
}

void Optimizer::zeroGrad() {
    for (auto& [name, p] : m_params)
        p.mutable_grad().reset();
}

torch::Tensor& Optimizer::slot(std::size_t i, const char* name) {
    auto it = m_slots[i].find(name);
    if (it == m_slots[i].end())
        it = m_slots[i].emplace(name, torch::zeros_like(m_params[i].second, torch::MemoryFormat::Preserve)).first;
    return it->second;
}

void Optimizer::step(double lr, std::size_t group) {
    torch::NoGradGuard noGrad;
    Group& grp = m_groups.at(group);
    ++grp.steps;
    const TrainConfig& c = grp.config;
    const double wd = c.weightDecay;
    const double bias1 = 1.0 - std::pow(c.beta1, double(grp.steps));
    const double bias2 = 1.0 - std::pow(c.beta2, double(grp.steps));
    for (std::size_t i : grp.members) {
        torch::Tensor& p = m_params[i].second;
        if (!p.grad().defined())
            continue;
        torch::Tensor g = p.grad();
        switch (c.optimizer) {
        case OptimizerKind::SGD:
        case OptimizerKind::Nesterov: {
            if (wd != 0)
                g = g.add(p, wd);
            if (c.momentum != 0) {
                const bool first = m_slots[i].empty();
                torch::Tensor& buf = slot(i, "momentum_buffer");
                if (first)
                    buf.copy_(g);
                else
                    buf.mul_(c.momentum).add_(g);
                g = c.optimizer == OptimizerKind::Nesterov ? g.add(buf, c.momentum) : buf;
            }
            p.add_(g, -lr);
            break;
        }
        case OptimizerKind::Adam:
        case OptimizerKind::AdamW: {
            if (c.optimizer == OptimizerKind::AdamW)
                p.mul_(1.0 - lr * wd);
            else if (wd != 0)
                g = g.add(p, wd);
            torch::Tensor& m = slot(i, "exp_avg");
            torch::Tensor& v = slot(i, "exp_avg_sq");
            m.mul_(c.beta1).add_(g, 1.0 - c.beta1);
            v.mul_(c.beta2).addcmul_(g, g, 1.0 - c.beta2);
            const torch::Tensor denom = (v.sqrt() / std::sqrt(bias2)).add_(c.eps);
            p.addcdiv_(m, denom, -lr / bias1);
            break;
        }
        case OptimizerKind::RMSprop: {
            // torch.optim.RMSprop defaults: alpha 0.99, eps 1e-8, no momentum, not centred.
            if (wd != 0)
                g = g.add(p, wd);
            torch::Tensor& sq = slot(i, "square_avg");
            sq.mul_(0.99).addcmul_(g, g, 0.01);
            p.addcdiv_(g, sq.sqrt().add_(c.eps), -lr);
            break;
        }
        }
    }
}

NamedTensors Optimizer::state() const {
    NamedTensors out;
    for (std::size_t i = 0; i < m_params.size(); ++i)
        for (const auto& [slotName, t] : m_slots[i])
            out.emplace_back(m_params[i].first + "/" + slotName, t);
    if (m_groups.size() > 1)
        for (const Group& g : m_groups)
            out.emplace_back("@" + g.name + "/steps", torch::tensor(g.steps, torch::kInt64));
    return out;
}

void Optimizer::loadState(const NamedTensors& state, std::int64_t steps, const std::string& what) {
    torch::NoGradGuard noGrad;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < m_params.size(); ++i)
        index[m_params[i].first] = i;
    for (auto& s : m_slots)
        s.clear();
    for (Group& g : m_groups)
        g.steps = steps;
    for (const auto& [name, t] : state) {
        if (!name.empty() && name[0] == '@') { // a group's step count
            bool known = false;
            for (Group& g : m_groups)
                if (name == "@" + g.name + "/steps" && t.numel() == 1) {
                    g.steps = t.to(torch::kCPU).to(torch::kInt64).item<std::int64_t>();
                    known = true;
                }
            if (!known)
                throw Error(what + ": optimizer state '" + name + "' belongs to no training phase of this run");
            continue;
        }
        const auto slash = name.rfind('/');
        auto it = index.find(name.substr(0, slash));
        if (slash == std::string::npos || it == index.end())
            throw Error(what + ": optimizer state '" + name + "' belongs to no parameter of this network");
        const torch::Tensor& p = m_params[it->second].second;
        if (t.sizes() != p.sizes())
            throw Error(what + ": optimizer state '" + name + "' does not match its parameter's shape");
        // In the parameter's own memory format (channels-last weights), as a fresh slot would be,
        // so a resumed step runs the same kernels on the same layout as an uninterrupted one.
        m_slots[it->second][name.substr(slash + 1)] =
            torch::empty_like(p, torch::MemoryFormat::Preserve).copy_(t.to(p.device(), p.scalar_type()));
    }
}

} // namespace nc
