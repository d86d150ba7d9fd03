// Validated entry points for the basic kernels: the functions bindings and users call. Each checks
// sizes against shapes and rejects NaN/Inf before running the unchecked kernel. The argument structs carry
// the JS API's field names (m, n, k, bTransposed; rows, cols, eps), and the bindings register them as is.
#pragma once
#include "attnkit/core/view.hpp"

namespace attnkit::api {

// C[m×n] = A[m×k]·B (B k×n) or A·Bᵀ (B n×k when b_transposed).
struct GemmArgs {
  ConstFloats a, b;
  Floats c;
  long long m = 0, n = 0, k = 0;
  bool b_transposed = false;
};
void gemm(const GemmArgs& args);
inline void gemm(ConstFloats a, ConstFloats b, Floats c, long long m, long long n, long long k, bool b_transposed) {
  gemm(GemmArgs{a, b, c, m, n, k, b_transposed});
}

// Row-wise softmax of rows×cols values; -inf entries are allowed (masked), NaN and +inf are not.
// input and output may be the same array.
struct SoftmaxArgs {
  ConstFloats input;
  Floats output;
  long long rows = 0, cols = 0;
};
void softmax(const SoftmaxArgs& args);
inline void softmax(ConstFloats input, Floats output, long long rows, long long cols) {
  softmax(SoftmaxArgs{input, output, rows, cols});
}

// Layer norm over rows of `cols` values with per-column gamma and beta; eps must be positive.
struct LayerNormArgs {
  ConstFloats input, gamma, beta;
  Floats output;
  long long rows = 0, cols = 0;
  double eps = 1e-12;
};
void layer_norm(const LayerNormArgs& args);
inline void layer_norm(ConstFloats input, ConstFloats gamma, ConstFloats beta, Floats output, long long rows,
                       long long cols, double eps) {
  layer_norm(LayerNormArgs{input, gamma, beta, output, rows, cols, eps});
}

}  // namespace attnkit::api
