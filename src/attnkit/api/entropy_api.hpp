// Validated entry points for the entropy tools: rows must be probability distributions. The argument
// structs carry the JS API's field names, and the bindings register them as is.
#pragma once
#include <cstdint>

#include "attnkit/core/view.hpp"
#include "attnkit/entropy/entropy.hpp"

namespace attnkit::api {

// output[r] = H(p[r, :]); each row non-negative, finite, summing to 1 within 1e-3.
struct EntropyArgs {
  ConstFloats p;
  View<double> output;
  long long rows = 0, cols = 0;
};
void entropy(const EntropyArgs& args);
inline void entropy(ConstFloats p, View<double> output, long long rows, long long cols) {
  entropy(EntropyArgs{p, output, rows, cols});
}

// Per row: p̃ = p^γ/Σ p^γ with H(p̃) = targets[r] (targets has 1 value for all rows, or one per row).
// gammas and iterations receive each row's γ and iteration count.
struct EntropyNormalizeArgs {
  ConstFloats p;
  Floats output;
  long long rows = 0, cols = 0;
  View<const double> targets;
  entropy::SolveMethod method = entropy::SolveMethod::kAuto;
  double tolerance = 1e-6;
  long long max_iterations = 50;
  View<double> gammas;
  View<std::int32_t> iterations;
};
void entropy_normalize(const EntropyNormalizeArgs& args);
inline void entropy_normalize(ConstFloats p, Floats output, long long rows, long long cols, View<const double> targets,
                              entropy::SolveMethod method, double tolerance, long long max_iterations,
                              View<double> gammas, View<std::int32_t> iterations) {
  entropy_normalize(EntropyNormalizeArgs{p, output, rows, cols, targets, method, tolerance, max_iterations, gammas,
                                         iterations});
}

}  // namespace attnkit::api
