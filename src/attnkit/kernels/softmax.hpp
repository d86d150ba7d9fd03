// Row-wise softmax, numerically stable (the row maximum is subtracted before exponentiating).
#pragma once
#include <cstddef>

namespace attnkit::kernels {

// out[r, :] = softmax(in[r, :]) for each of `rows` rows of `cols` values; in and out may alias.
// A row that is entirely -inf (fully masked) gives zeros, not NaN.
void softmax_rows(const float* in, float* out, std::size_t rows, std::size_t cols);

}  // namespace attnkit::kernels
