// The SIMD vocabulary of the kernels: one float batch type for the architecture chosen at compile time
// (SSE4.1 lowered to WASM SIMD128 under Emscripten; the host's best under a native build).
#pragma once
#include <cstddef>
#include <cstdint>
#include <xsimd/xsimd.hpp>

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

// e^x for a batch, accurate to ~2 ulp, flushing to 0 below −87.3 (so e^{−inf} = 0).
// xsimd::exp needs a float→int conversion that Emscripten 3.1.6 lowers to a scalar lrint loop (a third of
// attention's time went there); here 2^n is built from n's bits: adding 1.5·2²³ puts round(n) in the low
// mantissa bits, so integer subtract/shift give the exponent field using only SIMD128 operations.
// Range reduction and polynomial are Cephes' expf (x = n·ln2 + r, |r| ≤ ln2/2).
inline FloatBatch fast_exp(const FloatBatch& x) {
  using IntBatch = xsimd::batch<std::int32_t>;
  const FloatBatch clamped = xsimd::min(x, FloatBatch(88.3762626647949f));
  const FloatBatch n = xsimd::nearbyint(clamped * FloatBatch(1.44269504088896341f));
  FloatBatch r = xsimd::fma(n, FloatBatch(-0.693359375f), clamped);
  r = xsimd::fma(n, FloatBatch(2.12194440e-4f), r);
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

}  // namespace attnkit
