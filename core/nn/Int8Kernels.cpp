// uint8 × int8 GEMM with fused requantisation (nn/Int8Kernels.h).
//
// The micro-kernel keeps R rows × 16 outputs of int32 sums in registers and walks the depth in
// groups of 4: one 64-byte load of packed weights per group, one 32-bit broadcast of each row's 4
// inputs, and one multiply-add per row (VNNI's vpdpbusd; on AVX2 vpmaddubsw + vpmaddwd, whose
// 16-bit pair sums stay exact while |weight| ≤ 64, which is why the quantiser keeps weights in
// ±64). The last step subtracts the input zero point's share, scales, rounds half to even, adds
// the output zero point and clamps, sixteen outputs at a time.
#include "nn/Int8Kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

#if defined(__x86_64__) && defined(__GNUC__)
// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own _mm512_undefined_* values.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#define NC_INT8_X86 1
#endif

namespace nc::int8 {

namespace {

constexpr std::int64_t kBlock = 16; // outputs per block

std::int32_t load32(const std::uint8_t* p) {
    std::int32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// The 4 inputs of group g of a row, zero beyond the depth when the row cannot be over-read.
std::int32_t tail32(const std::uint8_t* row, std::int64_t start, std::int64_t depth) {
    std::int32_t v = 0;
    std::memcpy(&v, row + start, std::size_t(depth - start));
    return v;
}

// The per-block constants of the last step, padded to 16 outputs.
struct BlockConstants {
    alignas(64) float scale[kBlock] = {};
    alignas(64) float bias[kBlock] = {};
    alignas(64) std::int32_t zeroShare[kBlock] = {};
    int count = 0;
};

BlockConstants blockConstants(const PackedWeights& w, const Requant& r, std::int64_t block) {
    BlockConstants c;
    const std::int64_t first = block * kBlock;
    c.count = int(std::min<std::int64_t>(kBlock, w.rows - first));
    for (int j = 0; j < c.count; ++j) {
        c.scale[j] = r.scale[first + j];
        c.bias[j] = r.bias ? r.bias[first + j] : 0.0f;
        c.zeroShare[j] = r.inZero * w.rowSums[std::size_t(first + j)];
    }
    return c;
}

std::uint8_t requantOne(std::int32_t acc, std::int32_t zeroShare, float scale, float bias, const Requant& r) {
    const float y = std::fma(float(acc - zeroShare), scale, bias);
    const std::int32_t q = std::int32_t(std::nearbyint(y)) + r.outZero;
    return std::uint8_t(std::clamp(q, r.relu ? r.outZero : 0, 255));
}

#ifdef NC_INT8_X86

// ---- AVX-512 VNNI ---------------------------------------------------------------------------

// R rows × B blocks of 16 outputs (B = 2 shares each row's broadcast between two blocks).
template <int R, int B>
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void
vnniRows(const std::uint8_t* a, std::int64_t lda, const std::int64_t* offsets, const PackedWeights& w,
         std::int64_t block, std::int64_t fullGroups, const BlockConstants* c, const Requant& r, std::uint8_t* out,
         std::int64_t ldo) {
    __m512i acc[R][B];
#pragma GCC unroll 8
    for (int i = 0; i < R; ++i)
#pragma GCC unroll 2
        for (int k = 0; k < B; ++k)
            acc[i][k] = _mm512_setzero_si512();
    const std::int8_t* wb = w.data.data() + block * w.groups * 64;
    const std::int64_t nextBlock = w.groups * 64;
    std::int64_t g = 0;
    for (; g < fullGroups; ++g) {
        __m512i wv[B];
#pragma GCC unroll 2
        for (int k = 0; k < B; ++k)
            wv[k] = _mm512_loadu_si512(wb + k * nextBlock + g * 64);
        const std::uint8_t* ag = a + (offsets ? offsets[g] : g * 4);
#pragma GCC unroll 8
        for (int i = 0; i < R; ++i) {
            const __m512i av = _mm512_set1_epi32(load32(ag + i * lda));
#pragma GCC unroll 2
            for (int k = 0; k < B; ++k)
                acc[i][k] = _mm512_dpbusd_epi32(acc[i][k], av, wv[k]);
        }
    }
    if (g < w.groups) { // the depth's last, partial group
#pragma GCC unroll 8
        for (int i = 0; i < R; ++i) {
            const __m512i av = _mm512_set1_epi32(tail32(a + i * lda, g * 4, w.depth));
#pragma GCC unroll 2
            for (int k = 0; k < B; ++k)
                acc[i][k] = _mm512_dpbusd_epi32(acc[i][k], av, _mm512_loadu_si512(wb + k * nextBlock + g * 64));
        }
    }
    const __m512i zp = _mm512_set1_epi32(r.outZero), lo = _mm512_set1_epi32(r.relu ? r.outZero : 0),
                  hi = _mm512_set1_epi32(255);
#pragma GCC unroll 2
    for (int k = 0; k < B; ++k) {
        const __m512 scale = _mm512_load_ps(c[k].scale), bias = _mm512_load_ps(c[k].bias);
        const __m512i share = _mm512_load_si512(c[k].zeroShare);
        const __mmask16 mask = __mmask16((1u << c[k].count) - 1u);
#pragma GCC unroll 8
        for (int i = 0; i < R; ++i) {
            const __m512 y = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[i][k], share)), scale, bias);
            __m512i q = _mm512_add_epi32(_mm512_cvtps_epi32(y), zp); // rounds half to even
            q = _mm512_min_epi32(_mm512_max_epi32(q, lo), hi);
            _mm_mask_storeu_epi8(out + i * ldo + (block + k) * kBlock, mask, _mm512_cvtepi32_epi8(q));
        }
    }
}

// All rows for blocks block .. block + B − 1: R rows at a time, then the remainder.
template <int R, int B>
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void
vnniPanel(const std::uint8_t* a, std::int64_t m, std::int64_t lda, const std::int64_t* offsets, const PackedWeights& w,
          std::int64_t block, std::int64_t fullGroups, const BlockConstants* c, const Requant& r, std::uint8_t* out,
          std::int64_t ldo) {
    std::int64_t i = 0;
    for (; i + R <= m; i += R)
        vnniRows<R, B>(a + i * lda, lda, offsets, w, block, fullGroups, c, r, out + i * ldo, ldo);
    const std::uint8_t* ar = a + i * lda;
    std::uint8_t* o = out + i * ldo;
    switch (m - i) {
    case 7: vnniRows<7, B>(ar, lda, offsets, w, block, fullGroups, c, r, o, ldo); break;
    case 6: vnniRows<6, B>(ar, lda, offsets, w, block, fullGroups, c, r, o, ldo); break;
    case 5: vnniRows<5, B>(ar, lda, offsets, w, block, fullGroups, c, r, o, ldo); break;
    case 4: vnniRows<4, B>(ar, lda, offsets, w, block, fullGroups, c, r, o, ldo); break;
    case 3: vnniRows<3, B>(ar, lda, offsets, w, block, fullGroups, c, r, o, ldo); break;
    case 2: vnniRows<2, B>(ar, lda, offsets, w, block, fullGroups, c, r, o, ldo); break;
    case 1: vnniRows<1, B>(ar, lda, offsets, w, block, fullGroups, c, r, o, ldo); break;
    default: break;
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void
gemmVnni(const std::uint8_t* a, std::int64_t m, std::int64_t lda, const std::int64_t* offsets, const PackedWeights& w,
         const Requant& r, std::uint8_t* out, std::int64_t ldo, std::int64_t fullGroups) {
    const std::int64_t blocks = (w.rows + kBlock - 1) / kBlock;
    std::int64_t b = 0;
    for (; b + 2 <= blocks; b += 2) {
        const BlockConstants c[2] = {blockConstants(w, r, b), blockConstants(w, r, b + 1)};
        vnniPanel<6, 2>(a, m, lda, offsets, w, b, fullGroups, c, r, out, ldo);
    }
    if (b < blocks) {
        const BlockConstants c = blockConstants(w, r, b);
        vnniPanel<8, 1>(a, m, lda, offsets, w, b, fullGroups, &c, r, out, ldo);
    }
}

// ---- AVX2 -----------------------------------------------------------------------------------

template <int R>
__attribute__((target("avx2,fma"))) void avx2Rows(const std::uint8_t* a, std::int64_t lda,
                                                   const std::int64_t* offsets, const PackedWeights& w,
                                                   std::int64_t block, std::int64_t fullGroups,
                                                   const BlockConstants& c, const Requant& r, std::uint8_t* out,
                                                   std::int64_t ldo) {
    __m256i acc0[R], acc1[R];
#pragma GCC unroll 8
    for (int i = 0; i < R; ++i)
        acc0[i] = acc1[i] = _mm256_setzero_si256();
    const __m256i ones = _mm256_set1_epi16(1);
    const std::int8_t* wb = w.data.data() + block * w.groups * 64;
    for (std::int64_t g = 0; g < w.groups; ++g) {
        const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb + g * 64));
        const __m256i w1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb + g * 64 + 32));
    #pragma GCC unroll 8
        for (int i = 0; i < R; ++i) {
            const __m256i av = _mm256_set1_epi32(
                g < fullGroups ? load32(a + (offsets ? offsets[g] : g * 4) + i * lda) : tail32(a + i * lda, g * 4, w.depth));
            acc0[i] = _mm256_add_epi32(acc0[i], _mm256_madd_epi16(_mm256_maddubs_epi16(av, w0), ones));
            acc1[i] = _mm256_add_epi32(acc1[i], _mm256_madd_epi16(_mm256_maddubs_epi16(av, w1), ones));
        }
    }
    const __m256 s0 = _mm256_load_ps(c.scale), s1 = _mm256_load_ps(c.scale + 8);
    const __m256 b0 = _mm256_load_ps(c.bias), b1 = _mm256_load_ps(c.bias + 8);
    const __m256i z0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(c.zeroShare));
    const __m256i z1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(c.zeroShare + 8));
    const __m256i zp = _mm256_set1_epi32(r.outZero), lo = _mm256_set1_epi32(r.relu ? r.outZero : 0),
                  hi = _mm256_set1_epi32(255);
#pragma GCC unroll 8
    for (int i = 0; i < R; ++i) {
        __m256i q0 = _mm256_cvtps_epi32(_mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(acc0[i], z0)), s0, b0));
        __m256i q1 = _mm256_cvtps_epi32(_mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(acc1[i], z1)), s1, b1));
        q0 = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(q0, zp), lo), hi);
        q1 = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(q1, zp), lo), hi);
        // 16 int32 in 0..255 to 16 bytes in order.
        const __m256i words = _mm256_permute4x64_epi64(_mm256_packs_epi32(q0, q1), 0xD8);
        const __m256i bytes = _mm256_packus_epi16(words, words);
        const __m128i packed =
            _mm_unpacklo_epi64(_mm256_castsi256_si128(bytes), _mm256_extracti128_si256(bytes, 1));
        std::uint8_t* o = out + i * ldo + block * kBlock;
        if (c.count == kBlock) {
            _mm_storeu_si128(reinterpret_cast<__m128i*>(o), packed);
        } else {
            alignas(16) std::uint8_t tmp[16];
            _mm_store_si128(reinterpret_cast<__m128i*>(tmp), packed);
            std::memcpy(o, tmp, std::size_t(c.count));
        }
    }
}

__attribute__((target("avx2,fma"))) void gemmAvx2(const std::uint8_t* a, std::int64_t m, std::int64_t lda,
                                                   const std::int64_t* offsets, const PackedWeights& w,
                                                   const Requant& r, std::uint8_t* out, std::int64_t ldo,
                                                   std::int64_t fullGroups) {
    const std::int64_t blocks = (w.rows + kBlock - 1) / kBlock;
    for (std::int64_t b = 0; b < blocks; ++b) {
        const BlockConstants c = blockConstants(w, r, b);
        std::int64_t i = 0;
        for (; i + 4 <= m; i += 4)
            avx2Rows<4>(a + i * lda, lda, offsets, w, b, fullGroups, c, r, out + i * ldo, ldo);
        switch (m - i) {
        case 3: avx2Rows<3>(a + i * lda, lda, offsets, w, b, fullGroups, c, r, out + i * ldo, ldo); break;
        case 2: avx2Rows<2>(a + i * lda, lda, offsets, w, b, fullGroups, c, r, out + i * ldo, ldo); break;
        case 1: avx2Rows<1>(a + i * lda, lda, offsets, w, b, fullGroups, c, r, out + i * ldo, ldo); break;
        default: break;
        }
    }
}

bool hasVnni() {
    static const bool yes = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                            __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
    return yes;
}
bool hasAvx2() {
    static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return yes;
}

#endif // NC_INT8_X86

} // namespace

const char* kernelIsa() {
#ifdef NC_INT8_X86
    if (hasVnni())
        return "avx512-vnni";
    if (hasAvx2())
        return "avx2";
#endif
    return "";
}

PackedWeights pack(const std::int8_t* w, std::int64_t rows, std::int64_t depth) {
    PackedWeights p;
    p.rows = rows;
    p.depth = depth;
    p.groups = (depth + 3) / 4;
    const std::int64_t blocks = (rows + kBlock - 1) / kBlock;
    p.data.assign(std::size_t(blocks * p.groups * 64), 0);
    p.rowSums.assign(std::size_t(rows), 0);
    for (std::int64_t o = 0; o < rows; ++o) {
        const std::int64_t block = o / kBlock, col = o % kBlock;
        for (std::int64_t k = 0; k < depth; ++k) {
            const std::int8_t v = w[o * depth + k];
            p.data[std::size_t(((block * p.groups + k / 4) * kBlock + col) * 4 + k % 4)] = v;
            p.rowSums[std::size_t(o)] += v;
            p.maxMagnitude = std::max(p.maxMagnitude, std::abs(std::int32_t(v)));
        }
    }
    return p;
}

bool gemmWith(const char* isa, const std::uint8_t* a, std::int64_t m, std::int64_t lda, const PackedWeights& w,
              const Requant& r, std::uint8_t* out, std::int64_t ldo, const std::int64_t* offsets) {
#ifdef NC_INT8_X86
    const std::int64_t fullGroups = offsets || lda >= 4 * w.groups ? w.groups : w.depth / 4;
    const std::string_view name(isa);
    if (name == "avx512-vnni" && hasVnni()) {
        gemmVnni(a, m, lda, offsets, w, r, out, ldo, fullGroups);
        return true;
    }
    if (name == "avx2" && hasAvx2() && w.maxMagnitude <= 64) {
        gemmAvx2(a, m, lda, offsets, w, r, out, ldo, fullGroups);
        return true;
    }
#endif
    return false;
}

bool gemm(const std::uint8_t* a, std::int64_t m, std::int64_t lda, const PackedWeights& w, const Requant& r,
          std::uint8_t* out, std::int64_t ldo, const std::int64_t* offsets) {
    return available() && gemmWith(kernelIsa(), a, m, lda, w, r, out, ldo, offsets);
}

void gemmReference(const std::uint8_t* a, std::int64_t m, std::int64_t lda, const std::int8_t* w, std::int64_t rows,
                   std::int64_t depth, const Requant& r, std::uint8_t* out, std::int64_t ldo) {
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t o = 0; o < rows; ++o) {
            std::int32_t acc = 0, sum = 0;
            for (std::int64_t k = 0; k < depth; ++k) {
                acc += std::int32_t(a[i * lda + k]) * std::int32_t(w[o * depth + k]);
                sum += w[o * depth + k];
            }
            out[i * ldo + o] = requantOne(acc, r.inZero * sum, r.scale[o], r.bias ? r.bias[o] : 0.0f, r);
        }
}

} // namespace nc::int8
