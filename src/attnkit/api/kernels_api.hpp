// Validated entry points for the basic kernels: the functions bindings and users call. Each checks
// sizes against shapes and rejects NaN/Inf before running the unchecked kernel.
#pragma once
#include "attnkit/core/view.hpp"

namespace attnkit::api {

// C[m×n] = A[m×k]·B (B k×n) or A·Bᵀ (B n×k when b_transposed).
void gemm(ConstFloats a, ConstFloats b, Floats c, long long m, long long n, long long k, bool b_transposed);

// Row-wise softmax of rows×cols values; -inf entries are allowed (masked), NaN and +inf are not.
void softmax(ConstFloats in, Floats out, long long rows, long long cols);

// Layer norm over rows of `cols` values with per-column gamma and beta; eps must be positive.
void layer_norm(ConstFloats in, ConstFloats gamma, ConstFloats beta, Floats out, long long rows,
                long long cols, double eps);

}  // namespace attnkit::api
