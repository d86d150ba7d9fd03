// The finite-values check runs over every input of every public call, so it is a SIMD scan: x − x is 0
// for finite x and NaN for NaN/±Inf. It tests x − x == 0 (an ordered compare, false for NaN on every
// architecture; xsimd 8.1's AVX-512 != is ordered too, so NaN != NaN is false there). The offending index
// is located only on failure.
#include <cmath>

#include "attnkit/core/error.hpp"
#include "attnkit/core/simd.hpp"

namespace attnkit {

void require_finite(const char* where, const char* name, const float* data, std::size_t count) {
  const std::size_t vec_end = simd_end(count);
  const FloatBatch zero(0.0f);
  auto finite = zero == zero;
  for (std::size_t i = 0; i < vec_end; i += kLanes) {
    const FloatBatch x = FloatBatch::load_unaligned(data + i);
    finite = finite & ((x - x) == zero);
  }
  bool all_finite = xsimd::all(finite);
  for (std::size_t i = vec_end; i < count && all_finite; ++i) all_finite = std::isfinite(data[i]);
  if (all_finite) return;
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isfinite(data[i])) fail(where, ": ", name, "[", i, "] is not finite (", data[i], ")");
  }
}

}  // namespace attnkit
