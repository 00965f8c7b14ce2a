// The app's own uint8 × int8 matrix kernel for the int8 executor (nn/Quantize.cpp): a GEMM with
// the requantisation fused into its last step, which also reads a convolution's windows in place
// (no im2col copy), so a small convolution or a dense layer is one pass over memory. LibTorch's
// oneDNN kernels spend about 40 µs of fixed cost on every dense layer and run convolutions with
// one or six input channels slower than their float ones (docs/PERFORMANCE.md).
//
// Plain C++ (no torch): AVX-512 VNNI and AVX2 paths chosen at run time; on a CPU with neither,
// `available()` is false and the executor keeps LibTorch's kernels.
#pragma once

#include <cstdint>
#include <vector>

namespace nc::int8 {

// The instruction set the kernels use on this CPU: "avx512-vnni", "avx2", or "" (none).
const char* kernelIsa();
inline bool available() { return kernelIsa()[0] != '\0'; }

// A weight matrix (rows = outputs, depth = inputs), laid out for the kernels: blocks of 16
// outputs, each of depth/4 groups of 16 × 4 bytes (one output's 4 consecutive inputs per 32-bit
// lane), the depth padded with zero weights to a multiple of 4.
struct PackedWeights {
    std::int64_t rows = 0, depth = 0, groups = 0; // groups = ceil(depth / 4)
    std::vector<std::int8_t> data;
    std::vector<std::int32_t> rowSums; // each output's sum of weights (the input zero point's share)
    std::int32_t maxMagnitude = 0;     // the largest |weight|: the AVX2 path needs ≤ 64 (see pack)
};

// w: rows × depth int8 weights, row-major.
PackedWeights pack(const std::int8_t* w, std::int64_t rows, std::int64_t depth);

// The requantisation of an output: y = (Σ a·w − inZero·rowSum) · scale[o] + bias[o], rounded half
// to even, plus outZero, clamped to 0..255 (to outZero..255 with relu).
struct Requant {
    const float* scale = nullptr; // per output: input scale × weight scale / output scale
    const float* bias = nullptr;  // per output: bias / output scale (or nullptr)
    std::int32_t inZero = 0, outZero = 0;
    bool relu = false;
};

// out[i·ldo + o] for i < m, o < w.rows, from the uint8 rows a[i·lda + k], k < w.depth. A row is
// read up to the next multiple of 4 bytes only when lda ≥ 4·w.groups; else its tail is read byte
// by byte. With offsets, row i's inputs 4g … 4g+3 are instead the 4 bytes at a + i·lda + offsets[g]
// (all 4 read): a convolution reads its windows straight from a padded channels-last image this
// way, each kernel row's bytes being contiguous. Returns false (and writes nothing) when the CPU
// has no path for these weights: no AVX2, or weights beyond ±64 without VNNI (16-bit pair sums
// would saturate).
bool gemm(const std::uint8_t* a, std::int64_t m, std::int64_t lda, const PackedWeights& w, const Requant& r,
          std::uint8_t* out, std::int64_t ldo, const std::int64_t* offsets = nullptr);

// The same result, one multiply at a time (tests; and the path named by isa when forced).
void gemmReference(const std::uint8_t* a, std::int64_t m, std::int64_t lda, const std::int8_t* w,
                   std::int64_t rows, std::int64_t depth, const Requant& r, std::uint8_t* out, std::int64_t ldo);
// gemm on a named path ("avx512-vnni" or "avx2"); false when this CPU lacks it (tests).
bool gemmWith(const char* isa, const std::uint8_t* a, std::int64_t m, std::int64_t lda, const PackedWeights& w,
              const Requant& r, std::uint8_t* out, std::int64_t ldo, const std::int64_t* offsets = nullptr);

} // namespace nc::int8
