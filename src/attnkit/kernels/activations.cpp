#include "attnkit/kernels/activations.hpp"

#include <cmath>

#include "attnkit/core/simd.hpp"

namespace attnkit::kernels {
namespace {

// erf(z) = 1 − (a1·t + … + a5·t⁵)·e^{−z²}, t = 1/(1 + p·z), for z ≥ 0; odd symmetry for z < 0.
constexpr float kP = 0.3275911f, kA1 = 0.254829592f, kA2 = -0.284496736f, kA3 = 1.421413741f, kA4 = -1.453152027f,
                kA5 = 1.061405429f;

float erf_scalar(float z) {
  const float a = std::fabs(z), t = 1.0f / (1.0f + kP * a);
  const float poly = ((((kA5 * t + kA4) * t + kA3) * t + kA2) * t + kA1) * t;
  const float y = 1.0f - poly * std::exp(-a * a);
  return z < 0 ? -y : y;
}

}  // namespace

void gelu(float* x, std::size_t n) {
  const std::size_t vec_end = simd_end(n);
  const FloatBatch half(0.5f), one(1.0f), inv_sqrt2(0.70710678118654752f), p(kP);
  for (std::size_t i = 0; i < vec_end; i += kLanes) {
    const FloatBatch v = FloatBatch::load_unaligned(x + i);
    const FloatBatch z = v * inv_sqrt2, a = xsimd::abs(z);
    const FloatBatch t = one / xsimd::fma(p, a, one);
    FloatBatch poly = xsimd::fma(FloatBatch(kA5), t, FloatBatch(kA4));
    poly = xsimd::fma(poly, t, FloatBatch(kA3));
    poly = xsimd::fma(poly, t, FloatBatch(kA2));
    poly = xsimd::fma(poly, t, FloatBatch(kA1)) * t;
    const FloatBatch erf_abs = one - poly * fast_exp(-(a * a));
    const FloatBatch erf = xsimd::select(z < FloatBatch(0.0f), -erf_abs, erf_abs);
    (half * v * (one + erf)).store_unaligned(x + i);
  }
  for (std::size_t i = vec_end; i < n; ++i) x[i] = 0.5f * x[i] * (1.0f + erf_scalar(x[i] * 0.70710678118654752f));
}

}  // namespace attnkit::kernels
