#include "attnkit/kernels/vector_ops.hpp"

#include <cmath>
#include <limits>

#include "attnkit/core/simd.hpp"

namespace attnkit::kernels {

float vector_max(const float* x, std::size_t n) {
  const std::size_t vec_end = simd_end(n);
  float best = -std::numeric_limits<float>::infinity();
  if (vec_end > 0) {
    FloatBatch acc = FloatBatch::load_unaligned(x);
    for (std::size_t i = kLanes; i < vec_end; i += kLanes) acc = xsimd::max(acc, FloatBatch::load_unaligned(x + i));
    best = horizontal_max(acc);
  }
  for (std::size_t i = vec_end; i < n; ++i) best = x[i] > best ? x[i] : best;
  return best;
}

float exp_shifted(const float* x, float* out, std::size_t n, float shift) {
  const std::size_t vec_end = simd_end(n);
  const FloatBatch shift_v(shift);
  FloatBatch sum_v(0.0f);
  for (std::size_t i = 0; i < vec_end; i += kLanes) {
    const FloatBatch e = fast_exp(FloatBatch::load_unaligned(x + i) - shift_v);
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
  for (std::size_t i = 0; i < vec_end; i += kLanes) (FloatBatch::load_unaligned(x + i) * factor_v).store_unaligned(x + i);
  for (std::size_t i = vec_end; i < n; ++i) x[i] *= factor;
}

void axpy(float alpha, const float* x, float* y, std::size_t n) {
  const std::size_t vec_end = simd_end(n);
  const FloatBatch alpha_v(alpha);
  for (std::size_t i = 0; i < vec_end; i += kLanes)
    xsimd::fma(alpha_v, FloatBatch::load_unaligned(x + i), FloatBatch::load_unaligned(y + i)).store_unaligned(y + i);
  for (std::size_t i = vec_end; i < n; ++i) y[i] += alpha * x[i];
}

float vector_sum(const float* x, std::size_t n) {
  const std::size_t vec_end = simd_end(n);
  FloatBatch acc(0.0f);
  for (std::size_t i = 0; i < vec_end; i += kLanes) acc += FloatBatch::load_unaligned(x + i);
  float sum = horizontal_sum(acc);
  for (std::size_t i = vec_end; i < n; ++i) sum += x[i];
  return sum;
}

float dot(const float* x, const float* y, std::size_t n) {
  const std::size_t vec_end = simd_end(n);
  FloatBatch acc(0.0f);
  for (std::size_t i = 0; i < vec_end; i += kLanes)
    acc = xsimd::fma(FloatBatch::load_unaligned(x + i), FloatBatch::load_unaligned(y + i), acc);
  float sum = horizontal_sum(acc);
  for (std::size_t i = vec_end; i < n; ++i) sum += x[i] * y[i];
  return sum;
}

}  // namespace attnkit::kernels
