// The SIMD vocabulary of the kernels: one float batch type for the architecture chosen at compile time
// (SSE4.1 lowered to WASM SIMD128 under Emscripten; the host's best under a native build).
#pragma once
#include <xsimd/xsimd.hpp>

namespace attnkit {

using FloatBatch = xsimd::batch<float>;
inline constexpr std::size_t kLanes = FloatBatch::size;

// Largest multiple of the SIMD width not above n: the end of the vector loop before the scalar tail.
inline constexpr std::size_t simd_end(std::size_t n) { return n - n % kLanes; }

}  // namespace attnkit

namespace attnkit {

// xsimd 8.1 has hadd but no horizontal max; both are used once per row, so a store is cheap enough.
inline float horizontal_sum(const FloatBatch& x) { return xsimd::hadd(x); }

inline float horizontal_max(const FloatBatch& x) {
  alignas(64) float lanes[kLanes];
  x.store_aligned(lanes);
  float best = lanes[0];
  for (std::size_t i = 1; i < kLanes; ++i) best = lanes[i] > best ? lanes[i] : best;
  return best;
}

}  // namespace attnkit
