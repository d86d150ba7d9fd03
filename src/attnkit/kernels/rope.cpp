// cos/sin are computed once per (position, pair) in double and reused across all rows at that position.
#include "attnkit/kernels/rope.hpp"

#include <cmath>
#include <vector>

namespace attnkit::kernels {

void apply_rope(float* x, std::size_t rows, std::size_t dim, std::size_t seq_len, std::size_t position_offset,
                double base) {
  const std::size_t pairs = dim / 2;
  std::vector<float> cos_table(seq_len * pairs), sin_table(seq_len * pairs);
  for (std::size_t p = 0; p < seq_len; ++p) {
    for (std::size_t m = 0; m < pairs; ++m) {
      const double angle = static_cast<double>(position_offset + p) * std::pow(base, -2.0 * m / dim);
      cos_table[p * pairs + m] = static_cast<float>(std::cos(angle));
      sin_table[p * pairs + m] = static_cast<float>(std::sin(angle));
    }
  }
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = x + r * dim;
    const float* c = &cos_table[(r % seq_len) * pairs];
    const float* s = &sin_table[(r % seq_len) * pairs];
    for (std::size_t m = 0; m < pairs; ++m) {
      const float x0 = row[2 * m], x1 = row[2 * m + 1];
      row[2 * m] = x0 * c[m] - x1 * s[m];
      row[2 * m + 1] = x1 * c[m] + x0 * s[m];
    }
  }
}

}  // namespace attnkit::kernels
