#include "attnkit/kernels/rope.hpp"

#include <cmath>

namespace attnkit::kernels {

RopeTable::RopeTable(std::size_t positions, std::size_t dim, double base)
    : positions_(positions), pairs_(dim / 2), cos_(positions * pairs_), sin_(positions * pairs_) {
  for (std::size_t p = 0; p < positions; ++p) {
    for (std::size_t m = 0; m < pairs_; ++m) {
      const double angle = static_cast<double>(p) * std::pow(base, -2.0 * static_cast<double>(m) / static_cast<double>(dim));
      cos_[p * pairs_ + m] = static_cast<float>(std::cos(angle));
      sin_[p * pairs_ + m] = static_cast<float>(std::sin(angle));
    }
  }
}

void RopeTable::apply(float* x, std::size_t rows, std::size_t seq_len, std::size_t offset) const {
  const std::size_t dim = 2 * pairs_;
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = x + r * dim;
    const std::size_t position = offset + r % seq_len;
    const float* c = &cos_[position * pairs_];
    const float* s = &sin_[position * pairs_];
    for (std::size_t m = 0; m < pairs_; ++m) {
      const float x0 = row[2 * m], x1 = row[2 * m + 1];
      row[2 * m] = x0 * c[m] - x1 * s[m];
      row[2 * m + 1] = x1 * c[m] + x0 * s[m];
    }
  }
}

void apply_rope(float* x, std::size_t rows, std::size_t dim, std::size_t seq_len, std::size_t position_offset,
                double base) {
  RopeTable(position_offset + seq_len, dim, base).apply(x, rows, seq_len, position_offset);
}

}  // namespace attnkit::kernels
