#include "attnkit/api/entropy_api.hpp"

#include <cmath>

#include "attnkit/api/checks.hpp"

namespace attnkit::api {
namespace {

void check_distributions(const char* where, ConstFloats p, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    double sum = 0.0;
    for (std::size_t j = 0; j < cols; ++j) {
      const float x = p.data[r * cols + j];
      if (!std::isfinite(x) || x < 0.0f)
        fail(where, ": p[", r * cols + j, "] = ", x, " is not a probability (finite and >= 0)");
      sum += x;
    }
    if (std::fabs(sum - 1.0) > 1e-3) fail(where, ": row ", r, " sums to ", sum, ", not 1");
  }
}

}  // namespace

void entropy(const EntropyArgs& args) {
  const char* where = "entropy";
  const auto& [p, out, rows, cols] = args;
  const std::size_t count = matrix_count(where, "rows", rows, "cols", cols);
  require_size(where, "p", p, count, "rows*cols");
  require_size(where, "output", out, static_cast<std::size_t>(rows), "rows");
  check_distributions(where, p, static_cast<std::size_t>(rows), static_cast<std::size_t>(cols));
  for (std::size_t r = 0; r < out.size; ++r) out.data[r] = entropy::entropy(p.data + r * cols, static_cast<std::size_t>(cols));
}

void entropy_normalize(const EntropyNormalizeArgs& args) {
  const char* where = "entropyNormalize";
  const auto& [p, out, rows, cols, targets, method, tolerance, max_iterations, gammas, iterations] = args;
  require_known(where, "method", method, entropy::SolveMethod::kNewton);
  const std::size_t count = matrix_count(where, "rows", rows, "cols", cols);
  const std::size_t n_rows = static_cast<std::size_t>(rows), n_cols = static_cast<std::size_t>(cols);
  require_size(where, "p", p, count, "rows*cols");
  require_size(where, "output", out, count, "rows*cols");
  require_size(where, "gammas", gammas, n_rows, "rows");
  require_size(where, "iterations", iterations, n_rows, "rows");
  if (targets.size != 1 && targets.size != n_rows)
    fail(where, ": target has ", targets.size, " values, expected 1 or rows = ", n_rows);
  if (!(tolerance > 0.0) || !std::isfinite(tolerance)) fail(where, ": tolerance must be a finite number > 0, got ", tolerance);
  if (max_iterations < 1 || max_iterations > 10000)
    fail(where, ": maxIterations must be in [1, 10000], got ", max_iterations);
  const double max_entropy = std::log(static_cast<double>(n_cols));
  for (std::size_t i = 0; i < targets.size; ++i) {
    const double t = targets.data[i];
    if (!std::isfinite(t) || t < 0.0 || t > max_entropy + 1e-12)
      fail(where, ": target[", i, "] = ", t, " is outside [0, ln cols = ", max_entropy, "]");
  }
  check_distributions(where, p, n_rows, n_cols);
  for (std::size_t r = 0; r < n_rows; ++r) {
    const double target = targets.data[targets.size == 1 ? 0 : r];
    const auto result = entropy::entropy_normalize(p.data + r * n_cols, out.data + r * n_cols, n_cols, target, method,
                                                   tolerance, static_cast<int>(max_iterations), r, where);
    if (!result.converged)
      fail(where, ": row ", r, " did not reach the target within ", max_iterations, " iterations");
    gammas.data[r] = result.gamma;
    iterations.data[r] = result.iterations;
  }
}

}  // namespace attnkit::api
