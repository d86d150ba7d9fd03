// Validated entry points for the entropy tools: rows must be probability distributions.
#pragma once
#include <cstdint>

#include "attnkit/core/view.hpp"
#include "attnkit/entropy/entropy.hpp"

namespace attnkit::api {

// out[r] = H(p[r, :]); each row non-negative, finite, summing to 1 within 1e-3.
void entropy(ConstFloats p, View<double> out, long long rows, long long cols);

// Per row: p̃ = p^γ/Σ p^γ with H(p̃) = targets[r] (targets has 1 value for all rows, or one per row).
// gammas and iterations receive each row's γ and iteration count.
void entropy_normalize(ConstFloats p, Floats out, long long rows, long long cols, View<const double> targets,
                       entropy::SolveMethod method, double tolerance, long long max_iterations, View<double> gammas,
                       View<std::int32_t> iterations);

}  // namespace attnkit::api
