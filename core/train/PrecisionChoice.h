#pragma once
// Which floating-point precision a run trains in, and why (DESIGN §6, issue 20). "auto" means
// bf16 autocast where the CPU runs bfloat16 natively (avx512_bf16 or AMX), fp32 elsewhere.
#include "train/TrainConfig.h"

#include <string>

namespace nc {

// What a run will use: never Precision::Auto.
struct PrecisionChoice {
    Precision precision = Precision::FP32;
    Precision requested = Precision::FP32;
    std::string nativeFeature; // "amx_bf16" or "avx512_bf16" when the CPU has one, else empty
    bool onCpu = true;
    std::string reason; // one English sentence for the CLI and logs (the GUI words its own)
};

// The CPU's feature flags as /proc/cpuinfo names them ("avx2 avx512f avx512_bf16 ...").
// NC_CPU_FLAGS, when set, replaces them (tests, and "what would auto pick on a CPU without
// bf16"); without /proc/cpuinfo they come from cpuid on x86.
std::string cpuFlags();

// The native bfloat16 feature among `flags` ("amx_bf16" before "avx512_bf16"), or "".
std::string nativeBf16Feature(const std::string& flags);

// Resolves `requested` for `device` on a CPU with these flags.
PrecisionChoice choosePrecision(Precision requested, const std::string& device, const std::string& flags);
// ... on this machine (cpuFlags()).
PrecisionChoice choosePrecision(const TrainConfig& config);

} // namespace nc
