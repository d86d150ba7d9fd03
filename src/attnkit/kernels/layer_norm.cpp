// Two passes for the statistics (mean, then centred variance: stable for large offsets), one to write.
#include "attnkit/kernels/layer_norm.hpp"

#include <cmath>

#include "attnkit/core/vector_loop.hpp"
#include "attnkit/kernels/vector_ops.hpp"

namespace attnkit::kernels {

void layer_norm(const float* in, const float* gamma, const float* beta, float* out, std::size_t rows, std::size_t cols,
                float eps) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* x = in + r * cols;
    const float mean = vector_sum(x, cols) / static_cast<float>(cols);

    const FloatBatch mean_v(mean);
    const auto add_squared_deviation = [mean_v](const FloatBatch& sum, const FloatBatch& v) {
      const FloatBatch d = v - mean_v;
      return xsimd::fma(d, d, sum);
    };
    // Padding with the mean gives the padded lanes a deviation of exactly 0.
    const float sq = horizontal_sum(reduce_batches(cols, mean, FloatBatch(0.0f), add_squared_deviation, x));
    const FloatBatch inv_std_v(1.0f / std::sqrt(sq / static_cast<float>(cols) + eps));

    const auto normalise = [mean_v, inv_std_v](const FloatBatch& v, const FloatBatch& g, const FloatBatch& b) {
      return xsimd::fma((v - mean_v) * inv_std_v, g, b);
    };
    map_batches(cols, 0.0f, out + r * cols, normalise, x, gamma, beta);
  }
}

}  // namespace attnkit::kernels
