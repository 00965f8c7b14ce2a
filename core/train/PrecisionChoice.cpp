#include "train/PrecisionChoice.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace nc {

namespace {
bool hasWord(const std::string& flags, const std::string& word) {
    std::istringstream in(flags);
    for (std::string w; in >> w;)
        if (w == word)
            return true;
    return false;
}

std::string cpuidFlags() {
    std::string out;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if (b & (1u << 16))
            out += " avx512f";
        if (d & (1u << 22))
            out += " amx_bf16";
    }
    if (__get_cpuid_count(7, 1, &a, &b, &c, &d) && (a & (1u << 5)))
        out += " avx512_bf16";
#endif
    return out;
}
} // namespace

std::string cpuFlags() {
    if (const char* injected = std::getenv("NC_CPU_FLAGS"))
        return injected;
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("flags", 0) == 0) {
            const auto colon = line.find(':');
            return colon == std::string::npos ? std::string() : line.substr(colon + 1);
        }
    return cpuidFlags();
}

std::string nativeBf16Feature(const std::string& flags) {
    for (const char* f : {"amx_bf16", "avx512_bf16"})
        if (hasWord(flags, f))
            return f;
    return {};
}

PrecisionChoice choosePrecision(Precision requested, const std::string& device, const std::string& flags) {
    PrecisionChoice c;
    c.requested = requested;
    c.onCpu = device.rfind("cuda", 0) != 0;
    c.nativeFeature = nativeBf16Feature(flags);
    switch (requested) {
    case Precision::FP32:
        c.precision = Precision::FP32;
        c.reason = "fp32, as set in the training settings";
        break;
    case Precision::BF16:
        c.precision = Precision::BF16;
        c.reason = "bf16, as set in the training settings";
        if (!c.onCpu)
            c.reason += " (this build runs bf16 autocast on the CPU only: the GPU trains in fp32)";
        else if (c.nativeFeature.empty())
            c.reason += " (this CPU has no native bfloat16, avx512_bf16 or AMX: expect it to be slower than fp32)";
        break;
    case Precision::Auto:
        if (!c.onCpu) {
            c.precision = Precision::FP32;
            c.reason = "auto: fp32, because bf16 autocast runs on the CPU only in this build";
        } else if (!c.nativeFeature.empty()) {
            c.precision = Precision::BF16;
            c.reason = "auto: bf16, because this CPU runs bfloat16 natively (" + c.nativeFeature + ")";
        } else {
            c.precision = Precision::FP32;
            c.reason = "auto: fp32, because this CPU has no native bfloat16 (no avx512_bf16 or AMX), "
                       "where bf16 would be emulated and slower";
        }
        break;
    }
    return c;
}

PrecisionChoice choosePrecision(const TrainConfig& config) {
    return choosePrecision(config.precision, config.device, cpuFlags());
}

} // namespace nc
