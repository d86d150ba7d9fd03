// Two passes for the statistics (mean, then centred variance: stable for large offsets), one to write.
#include "attnkit/kernels/layer_norm.hpp"

#include <cmath>

#include "attnkit/core/simd.hpp"

namespace attnkit::kernels {

void layer_norm(const float* in, const float* gamma, const float* beta, float* out, std::size_t rows,
                std::size_t cols, float eps) {
  const std::size_t vec_end = simd_end(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* x = in + r * cols;
    float* y = out + r * cols;

    FloatBatch sum_v(0.0f);
    for (std::size_t i = 0; i < vec_end; i += kLanes) sum_v += FloatBatch::load_unaligned(x + i);
    float sum = horizontal_sum(sum_v);
    for (std::size_t i = vec_end; i < cols; ++i) sum += x[i];
    const float mean = sum / static_cast<float>(cols);

    const FloatBatch mean_v(mean);
    FloatBatch sq_v(0.0f);
    for (std::size_t i = 0; i < vec_end; i += kLanes) {
      const FloatBatch d = FloatBatch::load_unaligned(x + i) - mean_v;
      sq_v = xsimd::fma(d, d, sq_v);
    }
    float sq = horizontal_sum(sq_v);
    for (std::size_t i = vec_end; i < cols; ++i) sq += (x[i] - mean) * (x[i] - mean);
    const float inv_std = 1.0f / std::sqrt(sq / static_cast<float>(cols) + eps);

    const FloatBatch inv_std_v(inv_std);
    for (std::size_t i = 0; i < vec_end; i += kLanes) {
      const FloatBatch normed = (FloatBatch::load_unaligned(x + i) - mean_v) * inv_std_v;
      xsimd::fma(normed, FloatBatch::load_unaligned(gamma + i), FloatBatch::load_unaligned(beta + i))
          .store_unaligned(y + i);
    }
    for (std::size_t i = vec_end; i < cols; ++i) y[i] = (x[i] - mean) * inv_std * gamma[i] + beta[i];
  }
}

}  // namespace attnkit::kernels
