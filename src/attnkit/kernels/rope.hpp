// Rotary position embedding (RoFormer), interleaved pairs as GlobalPointer uses it:
// (x₂ₘ, x₂ₘ₊₁) at position p is rotated by p·θₘ, θₘ = base^{−2m/d}.
#pragma once
#include <cstddef>
#include <vector>

namespace attnkit::kernels {

// cos/sin of p·θₘ for positions [0, positions), computed once (in double) and reused: models keep one
// per head size instead of evaluating thousands of trigonometric functions per layer.
class RopeTable {
 public:
  RopeTable(std::size_t positions, std::size_t dim, double base);

  // Rotates rows of `dim` values in place; row r is at position offset + (r mod seq_len).
  // Needs offset + seq_len <= positions().
  void apply(float* x, std::size_t rows, std::size_t seq_len, std::size_t offset) const;
  std::size_t positions() const { return positions_; }

 private:
  std::size_t positions_, pairs_;
  std::vector<float> cos_, sin_;
};

// One-off form: builds the table for [position_offset, position_offset + seq_len) and applies it.
void apply_rope(float* x, std::size_t rows, std::size_t dim, std::size_t seq_len, std::size_t position_offset,
                double base);

}  // namespace attnkit::kernels
