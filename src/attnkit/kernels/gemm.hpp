// General matrix multiply, f32, row-major: C = A·B or C = A·Bᵀ, packed and register-blocked for SIMD.
#pragma once
#include <cstddef>
#include <vector>

namespace attnkit::kernels {

// How B is stored: kRowMajor is k×n (C = A·B); kTransposed is n×k (C = A·Bᵀ, as Q·Kᵀ needs).
enum class BLayout { kRowMajor, kTransposed };

// Packing buffers, kept by callers that multiply many small tiles so no call allocates.
struct GemmScratch {
  std::vector<float> packed_a;
  std::vector<float> packed_b;
};

// C[m×n] = A[m×k] · op(B). When accumulate is true, C += A·op(B) instead of overwriting C.
// Inputs are assumed valid (positive sizes, non-overlapping C); the checked entry point is api::gemm.
void gemm(const float* a, const float* b, float* c, std::size_t m, std::size_t n, std::size_t k,
          BLayout b_layout, bool accumulate, GemmScratch& scratch);

// The same with its own scratch, for one-off products.
void gemm(const float* a, const float* b, float* c, std::size_t m, std::size_t n, std::size_t k,
          BLayout b_layout, bool accumulate = false);

}  // namespace attnkit::kernels
