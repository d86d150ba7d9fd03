// Each operation is one lambda handed to the shared vector loop (core/vector_loop.hpp); the reductions
// pad their last batch with the operation's neutral value.
#include "attnkit/kernels/vector_ops.hpp"

#include <limits>

#include "attnkit/core/vector_loop.hpp"

namespace attnkit::kernels {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

}  // namespace

float vector_max(const float* x, std::size_t n) {
  const auto larger = [](const FloatBatch& best, const FloatBatch& v) { return max_of_numbers(best, v); };
  return horizontal_max(reduce_batches(n, kNegInf, FloatBatch(kNegInf), larger, x));
}

float exp_shifted(const float* x, float* out, std::size_t n, float shift) {
  const FloatBatch shift_v(shift);
  FloatBatch sum_v(0.0f);
  const auto exp_and_add = [shift_v, &sum_v](const FloatBatch& v) {
    const FloatBatch e = exp_nonpositive(v - shift_v);
    sum_v += e;
    return e;
  };
  // Padding with −inf makes the padded lanes e^{−inf} = 0, so they add nothing to the sum.
  map_batches(n, kNegInf, out, exp_and_add, x);
  return horizontal_sum(sum_v);
}

void scale_in_place(float* x, std::size_t n, float factor) {
  const FloatBatch factor_v(factor);
  const auto scale = [factor_v](const FloatBatch& v) { return v * factor_v; };
  map_batches(n, 0.0f, x, scale, x);
}

void axpy(float alpha, const float* x, float* y, std::size_t n) {
  const FloatBatch alpha_v(alpha);
  const auto multiply_add = [alpha_v](const FloatBatch& xv, const FloatBatch& yv) {
    return xsimd::fma(alpha_v, xv, yv);
  };
  map_batches(n, 0.0f, y, multiply_add, x, y);
}

float vector_sum(const float* x, std::size_t n) {
  const auto add = [](const FloatBatch& sum, const FloatBatch& v) { return sum + v; };
  return horizontal_sum(reduce_batches(n, 0.0f, FloatBatch(0.0f), add, x));
}

float dot(const float* x, const float* y, std::size_t n) {
  const auto multiply_add = [](const FloatBatch& sum, const FloatBatch& xv, const FloatBatch& yv) {
    return xsimd::fma(xv, yv, sum);
  };
  return horizontal_sum(reduce_batches(n, 0.0f, FloatBatch(0.0f), multiply_add, x, y));
}

}  // namespace attnkit::kernels
