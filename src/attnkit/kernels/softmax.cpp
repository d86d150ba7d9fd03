// Three SIMD passes per row: maximum, exp-and-sum, scale.
#include "attnkit/kernels/softmax.hpp"

#include <cmath>
#include <limits>

#include "attnkit/core/simd.hpp"

namespace attnkit::kernels {
namespace {

float row_max(const float* x, std::size_t n) {
  const std::size_t vec_end = simd_end(n);
  float best = -std::numeric_limits<float>::infinity();
  if (vec_end > 0) {
    FloatBatch acc = FloatBatch::load_unaligned(x);
    for (std::size_t i = kLanes; i < vec_end; i += kLanes)
      acc = xsimd::max(acc, FloatBatch::load_unaligned(x + i));
    best = horizontal_max(acc);
  }
  for (std::size_t i = vec_end; i < n; ++i) best = x[i] > best ? x[i] : best;
  return best;
}

// out = exp(x - shift); returns the sum of out.
float exp_shifted(const float* x, float* out, std::size_t n, float shift) {
  const std::size_t vec_end = simd_end(n);
  const FloatBatch shift_v(shift);
  FloatBatch sum_v(0.0f);
  for (std::size_t i = 0; i < vec_end; i += kLanes) {
    const FloatBatch e = xsimd::exp(FloatBatch::load_unaligned(x + i) - shift_v);
    e.store_unaligned(out + i);
    sum_v += e;
  }
  float sum = horizontal_sum(sum_v);
  for (std::size_t i = vec_end; i < n; ++i) {
    out[i] = std::exp(x[i] - shift);
    sum += out[i];
  }
  return sum;
}

void scale_in_place(float* x, std::size_t n, float factor) {
  const std::size_t vec_end = simd_end(n);
  const FloatBatch factor_v(factor);
  for (std::size_t i = 0; i < vec_end; i += kLanes)
    (FloatBatch::load_unaligned(x + i) * factor_v).store_unaligned(x + i);
  for (std::size_t i = vec_end; i < n; ++i) x[i] *= factor;
}

}  // namespace

void softmax_rows(const float* in, float* out, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* x = in + r * cols;
    float* y = out + r * cols;
    const float shift = row_max(x, cols);
    if (shift == -std::numeric_limits<float>::infinity()) {
      for (std::size_t i = 0; i < cols; ++i) y[i] = 0.0f;
      continue;
    }
    const float sum = exp_shifted(x, y, cols, shift);
    scale_in_place(y, cols, 1.0f / sum);
  }
}

}  // namespace attnkit::kernels
