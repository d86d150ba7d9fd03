// Layer normalisation over the last axis: y = (x − mean) / sqrt(var + eps) · gamma + beta.
#pragma once
#include <cstddef>

namespace attnkit::kernels {

// Normalises each of `rows` rows of `cols` values; gamma and beta have `cols` values; in and out may
// alias. The variance is the biased one (divided by cols), as PyTorch's LayerNorm uses.
void layer_norm(const float* in, const float* gamma, const float* beta, float* out, std::size_t rows,
                std::size_t cols, float eps);

}  // namespace attnkit::kernels
