// Rotary position embedding (RoFormer), interleaved pairs as GlobalPointer uses it:
// (x₂ₘ, x₂ₘ₊₁) at position p is rotated by p·θₘ, θₘ = base^{−2m/d}.
#pragma once
#include <cstddef>

namespace attnkit::kernels {

// x holds rows of `dim` values (dim even); row r is at position position_offset + (r mod seq_len), so
// [batch, heads, seq_len, dim] tensors rotate in one call. In place.
void apply_rope(float* x, std::size_t rows, std::size_t dim, std::size_t seq_len, std::size_t position_offset,
                double base);

}  // namespace attnkit::kernels
