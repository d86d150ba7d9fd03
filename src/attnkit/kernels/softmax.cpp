// Per row: maximum, exp-and-sum, scale (three SIMD passes from vector_ops).
#include "attnkit/kernels/softmax.hpp"

#include <limits>

#include "attnkit/kernels/vector_ops.hpp"

namespace attnkit::kernels {

void softmax_rows(const float* in, float* out, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* x = in + r * cols;
    float* y = out + r * cols;
    const float shift = vector_max(x, cols);
    if (shift == -std::numeric_limits<float>::infinity()) {
      for (std::size_t i = 0; i < cols; ++i) y[i] = 0.0f;
      continue;
    }
    scale_in_place(y, cols, 1.0f / exp_shifted(x, y, cols, shift));
  }
}

}  // namespace attnkit::kernels
