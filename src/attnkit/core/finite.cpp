// The finite-values check runs over every input of every public call, so it is a SIMD scan: x − x is 0
// for finite x and NaN for NaN/±Inf. It tests x − x == 0 (an ordered compare, false for NaN on every
// architecture; xsimd 8.1's AVX-512 != is ordered too, so NaN != NaN is false there). The offending index
// is located only on failure.
#include <cmath>

#include "attnkit/core/error.hpp"
#include "attnkit/core/vector_loop.hpp"

namespace attnkit {

void require_finite(const char* where, const char* name, const float* data, std::size_t count) {
  const FloatBatch zero(0.0f);
  const auto still_finite = [zero](const auto& finite, const FloatBatch& x) { return finite & ((x - x) == zero); };
  // The last batch is padded with 0, which is finite.
  if (xsimd::all(reduce_batches(count, 0.0f, zero == zero, still_finite, data))) return;
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isfinite(data[i])) fail(where, ": ", name, "[", i, "] is not finite (", data[i], ")");
  }
}

}  // namespace attnkit
