// Shannon entropy (natural log) of distributions, and entropy normalisation (kexue.fm 8829): the power
// transform p̃ᵢ = pᵢ^γ / Σ pⱼ^γ with γ solved so that H(p̃) equals a target.
#pragma once
#include <cstddef>

namespace attnkit::entropy {

// H(p) = −Σ pᵢ ln pᵢ (0·ln 0 = 0), computed in double.
double entropy(const float* p, std::size_t n);

enum class SolveMethod {
  kAuto,    // the seed's iteration while it converges, then safeguarded Newton/bisection
  kSeed,    // only the seed's iteration γ = 1 + (H* − H)/(H² − Σ p (ln p)²), p ← p^γ/Σ p^γ
  kNewton,  // only Newton on γ with a bisection bracket
};

struct NormalizeResult {
  double gamma = 1.0;   // total exponent applied to the input
  int iterations = 0;   // entropy evaluations after the first
  bool converged = false;
};

// Writes p̃ into out (may alias p). The target must lie in the reachable range [ln |argmax|, ln |support|]
// (the ends give the uniform distribution over the argmax set / the support); otherwise attnkit::Error
// names the range. `row` and `where` (the caller's name) are only used in messages.
NormalizeResult entropy_normalize(const float* p, float* out, std::size_t n, double target, SolveMethod method,
                                  double tolerance, int max_iterations, std::size_t row = 0,
                                  const char* where = "entropy normalisation");

}  // namespace attnkit::entropy
