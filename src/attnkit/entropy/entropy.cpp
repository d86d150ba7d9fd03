// With s = ln p over the support and weights w ∝ e^{γ s}: H(γ) = ln Z − γ E_w[s], dH/dγ = −γ Var_w[s].
// The seed's iteration, written for the accumulated γ, is exactly Newton's step γ += (H − H*)/(γ Var_w[s]);
// the safeguarded solver adds a bracket [lo, hi] (H falls as γ grows) and bisects when a step leaves it.
#include "attnkit/entropy/entropy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "attnkit/core/error.hpp"

namespace attnkit::entropy {
namespace {

struct Evaluation {
  double entropy;
  double variance;  // Var_w[s]
};

class PowerFamily {
 public:
  PowerFamily(const float* p, std::size_t n) {
    log_p_.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      if (p[i] > 0.0f) log_p_.push_back(std::log(static_cast<double>(p[i])));
    max_log_ = *std::max_element(log_p_.begin(), log_p_.end());
    argmax_count_ = std::count(log_p_.begin(), log_p_.end(), max_log_);
  }

  std::size_t support() const { return log_p_.size(); }
  std::size_t argmax_count() const { return argmax_count_; }

  Evaluation evaluate(double gamma) const {
    double z = 0.0, mean = 0.0, second = 0.0;
    for (double s : log_p_) {
      const double centred = s - max_log_;
      const double w = std::exp(gamma * centred);
      z += w;
      mean += w * centred;
      second += w * centred * centred;
    }
    mean /= z;
    second /= z;
    return {std::log(z) - gamma * mean, std::max(0.0, second - mean * mean)};
  }

 private:
  std::vector<double> log_p_;
  double max_log_ = 0.0;
  std::size_t argmax_count_ = 0;
};

// out = p^γ normalised (zeros stay zero); γ = 0 / ∞ give the uniform distribution over support / argmax.
void write_power(const float* p, float* out, std::size_t n, double gamma) {
  float max_p = 0.0f;
  for (std::size_t i = 0; i < n; ++i) max_p = std::max(max_p, p[i]);
  std::vector<double> w(n);
  double z = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] <= 0.0f) continue;
    if (std::isinf(gamma)) w[i] = p[i] == max_p ? 1.0 : 0.0;
    else w[i] = std::exp(gamma * (std::log(static_cast<double>(p[i])) - std::log(static_cast<double>(max_p))));
    z += w[i];
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(w[i] / z);
}

}  // namespace

double entropy(const float* p, std::size_t n) {
  double h = 0.0;
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] > 0.0f) h -= static_cast<double>(p[i]) * std::log(static_cast<double>(p[i]));
  return h;
}

NormalizeResult entropy_normalize(const float* p, float* out, std::size_t n, double target, SolveMethod method,
                                  double tolerance, int max_iterations, std::size_t row, const char* where) {
  if (std::none_of(p, p + n, [](float x) { return x > 0.0f; }))
    fail(where, ": row ", row, " has no positive probability");
  const PowerFamily family(p, n);
  const double lowest = std::log(static_cast<double>(family.argmax_count()));
  const double highest = std::log(static_cast<double>(family.support()));
  NormalizeResult result;
  if (target < lowest - tolerance || target > highest + tolerance) {
    fail(where, ": row ", row, ": target entropy ", target, " is not reachable by p^γ; this row's range is [",
         lowest, ", ", highest, "] (ln of its argmax count and of its support size)");
  }
  if (highest - lowest <= tolerance) {  // uniform over its support: every γ gives the same distribution
    write_power(p, out, n, 1.0);
    result.converged = true;
    return result;
  }
  if (target >= highest - tolerance) result.gamma = 0.0;
  if (target <= lowest + tolerance) result.gamma = std::numeric_limits<double>::infinity();
  if (result.gamma != 1.0) {
    write_power(p, out, n, result.gamma);
    result.converged = true;
    return result;
  }

  double gamma = 1.0, lo = 0.0, hi = std::numeric_limits<double>::infinity();
  bool seed_phase = method != SolveMethod::kNewton;
  double last_error = std::numeric_limits<double>::infinity();
  Evaluation e = family.evaluate(gamma);
  while (true) {
    const double error = e.entropy - target;
    if (std::fabs(error) <= tolerance) {
      result.converged = true;
      break;
    }
    if (result.iterations >= max_iterations) break;
    if (error > 0) lo = gamma; else hi = gamma;  // H too high ⇒ γ too small
    const double slope = gamma * e.variance;     // −dH/dγ
    double next = slope > 0.0 ? gamma + error / slope : std::numeric_limits<double>::quiet_NaN();
    if (seed_phase && (!(next > 0.0) || std::fabs(error) >= std::fabs(last_error))) {
      if (method == SolveMethod::kSeed) break;  // the seed's iteration stalled: report non-convergence
      seed_phase = false;
    }
    if (!seed_phase && !(next > lo && next < hi)) next = std::isinf(hi) ? std::max(2.0 * gamma, 1.0) : 0.5 * (lo + hi);
    last_error = error;
    gamma = next;
    e = family.evaluate(gamma);
    ++result.iterations;
  }
  result.gamma = gamma;
  write_power(p, out, n, gamma);
  return result;
}

}  // namespace attnkit::entropy
