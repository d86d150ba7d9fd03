// GELU as one vector function, applied to full batches and the padded last batch alike.
#include "attnkit/kernels/activations.hpp"

#include "attnkit/core/vector_loop.hpp"

namespace attnkit::kernels {
namespace {

// erf(z) = 1 − (a1·t + … + a5·t⁵)·e^{−z²}, t = 1/(1 + p·z), for z ≥ 0; odd symmetry for z < 0.
constexpr float kP = 0.3275911f, kA1 = 0.254829592f, kA2 = -0.284496736f, kA3 = 1.421413741f, kA4 = -1.453152027f,
                kA5 = 1.061405429f;

FloatBatch gelu_batch(const FloatBatch& v) {
  const FloatBatch half(0.5f), one(1.0f), inv_sqrt2(0.70710678118654752f);
  const FloatBatch z = v * inv_sqrt2, a = xsimd::abs(z);
  const FloatBatch t = one / xsimd::fma(FloatBatch(kP), a, one);
  FloatBatch poly = xsimd::fma(FloatBatch(kA5), t, FloatBatch(kA4));
  poly = xsimd::fma(poly, t, FloatBatch(kA3));
  poly = xsimd::fma(poly, t, FloatBatch(kA2));
  poly = xsimd::fma(poly, t, FloatBatch(kA1)) * t;
  const FloatBatch erf_abs = one - poly * fast_exp(-(a * a));
  const FloatBatch erf = xsimd::select(z < FloatBatch(0.0f), -erf_abs, erf_abs);
  return half * v * (one + erf);
}

}  // namespace

void gelu(float* x, std::size_t n) {
  const auto gelu_of = [](const FloatBatch& v) { return gelu_batch(v); };
  map_batches(n, 0.0f, x, gelu_of, x);
}

}  // namespace attnkit::kernels
