// Activation functions over vectors, in place.
#pragma once
#include <cstddef>

namespace attnkit::kernels {

// GELU(x) = x/2 · (1 + erf(x/√2)), the exact (erf) form BERT and PyTorch use; erf by Abramowitz & Stegun
// 7.1.26 (|error| ≤ 1.5e-7), vectorised.
void gelu(float* x, std::size_t n);

}  // namespace attnkit::kernels
