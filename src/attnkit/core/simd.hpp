// The SIMD vocabulary of the kernels: one float batch type for the architecture chosen at compile time
// (SSE4.1 lowered to WASM SIMD128 under Emscripten; the host's best under a native build).
#pragma once
#include <cstddef>
#include <cstdint>
#include <xsimd/xsimd.hpp>
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace attnkit {

using FloatBatch = xsimd::batch<float>;
inline constexpr std::size_t kLanes = FloatBatch::size;
// For stack arrays of one batch's lanes, so they can be loaded and stored aligned.
inline constexpr std::size_t kBatchAlignment = FloatBatch::arch_type::alignment();

// Largest multiple of the SIMD width not above n: where the full batches end and the leftovers begin.
inline constexpr std::size_t simd_end(std::size_t n) { return n - n % kLanes; }

// xsimd 8.1 has hadd but no horizontal max; both are used once per row, so a store is cheap enough.
inline float horizontal_sum(const FloatBatch& x) { return xsimd::hadd(x); }

inline float horizontal_max(const FloatBatch& x) {
  alignas(kBatchAlignment) float lanes[kLanes];
  x.store_aligned(lanes);
  float best = lanes[0];
  for (std::size_t i = 1; i < kLanes; ++i) best = lanes[i] > best ? lanes[i] : best;
  return best;
}

// x − n·ln2 in two steps (Cody–Waite): ln2's high part has few mantissa bits, so n times it is exact.
inline FloatBatch minus_n_ln2(const FloatBatch& x, const FloatBatch& n) {
  return xsimd::fma(n, FloatBatch(2.12194440e-4f), xsimd::fma(n, FloatBatch(-0.693359375f), x));
}

// e^x for a batch, accurate to ~2 ulp, flushing to 0 below −87.3 (so e^{−inf} = 0).
// xsimd::exp needs a float→int conversion that Emscripten 3.1.6 lowers to a scalar lrint loop (a third of
// attention's time went there); here 2^n is built from n's bits: adding 1.5·2²³ puts round(n) in the low
// mantissa bits, so integer subtract/shift give the exponent field using only SIMD128 operations.
// Range reduction and polynomial are Cephes' expf (x = n·ln2 + r, |r| ≤ ln2/2).
inline FloatBatch fast_exp(const FloatBatch& x) {
  using IntBatch = xsimd::batch<std::int32_t>;
  const FloatBatch clamped = xsimd::min(x, FloatBatch(88.3762626647949f));
  const FloatBatch n = xsimd::nearbyint(clamped * FloatBatch(1.44269504088896341f));
  const FloatBatch r = minus_n_ln2(clamped, n);
  FloatBatch p(1.9875691500e-4f);
  p = xsimd::fma(p, r, FloatBatch(1.3981999507e-3f));
  p = xsimd::fma(p, r, FloatBatch(8.3334519073e-3f));
  p = xsimd::fma(p, r, FloatBatch(4.1665795894e-2f));
  p = xsimd::fma(p, r, FloatBatch(1.6666665459e-1f));
  p = xsimd::fma(p, r, FloatBatch(5.0000001201e-1f));
  p = xsimd::fma(p, r * r, r + FloatBatch(1.0f));
  const FloatBatch magic(12582912.0f);  // 1.5·2²³
  const IntBatch exponent = xsimd::bitwise_cast<IntBatch>(n + magic) - xsimd::bitwise_cast<IntBatch>(magic);
  const FloatBatch scale = xsimd::bitwise_cast<FloatBatch>((exponent + IntBatch(127)) << 23);
  return xsimd::select(x < FloatBatch(-87.3365447505531f), FloatBatch(0.0f), p * scale);
}

// max(a, b) for operands that are never NaN. Emscripten lowers _mm_max_ps (what xsimd::max emits) to a compare
// and a bitselect, to keep x86's NaN rule; without NaNs WASM's f32x4.pmax is the same value in one instruction.
inline FloatBatch max_of_numbers(const FloatBatch& a, const FloatBatch& b) {
#if defined(__wasm_simd128__)
  return FloatBatch((__m128)wasm_f32x4_pmax((v128_t)a.data, (v128_t)b.data));  // vector casts are bit casts
#else
  return xsimd::max(a, b);
#endif
}

// e^x for x ≤ 0 (softmax: scores minus their maximum), within 3 ulp; 0 below −87.3 and for −inf. Cheaper
// than fast_exp, in which the online softmax spent a fifth of attention's time: no clamp above, a degree-5
// polynomial (a minimax fit of e^r on |r| ≤ ln2/2 with p(0) = 1, relative error 1.7e-7 evaluated in f32), 2^n added to
// the result's exponent bits as an integer, and the underflow zeroed with one AND (no select).
inline FloatBatch exp_nonpositive(const FloatBatch& x) {
  using IntBatch = xsimd::batch<std::int32_t>;
  const FloatBatch magic(12582912.0f);  // 1.5·2²³: adding it leaves round(t) in the low mantissa bits
  const FloatBatch rounded = x * FloatBatch(1.44269504088896341f) + magic;
  const FloatBatch n = rounded - magic;
  const FloatBatch r = minus_n_ln2(x, n);
  FloatBatch p(8.290315047e-03f);
  p = xsimd::fma(p, r, FloatBatch(4.189793020e-02f));
  p = xsimd::fma(p, r, FloatBatch(1.666763574e-01f));
  p = xsimd::fma(p, r, FloatBatch(4.999915063e-01f));
  p = xsimd::fma(p, r, FloatBatch(9.999997020e-01f));
  p = xsimd::fma(p, r, FloatBatch(1.0f));  // e^0 = 1 exactly: the row maximum's weight
  // rounded's low bits hold n (two's complement), and shifting left by 23 drops the magic's bits: n·2²³.
  const IntBatch scaled = xsimd::bitwise_cast<IntBatch>(p) + (xsimd::bitwise_cast<IntBatch>(rounded) << 23);
  const FloatBatch result = xsimd::bitwise_cast<FloatBatch>(scaled);
  const auto representable = x >= FloatBatch(-87.3365447505531f);
#if defined(__wasm_simd128__)
  return FloatBatch((__m128)wasm_v128_and((v128_t)result.data, (v128_t)representable.data));
#else
  return xsimd::select(representable, result, FloatBatch(0.0f));
#endif
}

}  // namespace attnkit
