// General matrix multiply, f32, row-major: C = A·B or C = A·Bᵀ, packed and register-blocked for SIMD.
#pragma once
#include <cstddef>
#include <vector>

namespace attnkit::kernels {

// How B is stored: kRowMajor is k×n (C = A·B); kTransposed is n×k (C = A·Bᵀ, as Q·Kᵀ needs).
enum class BLayout { kRowMajor, kTransposed };

// op(B) packed once into column panels over its full depth, for operands reused across many products
// (attention packs each head's K and V once for all its query tiles).
struct PackedB {
  std::vector<float> data;
  std::size_t cols = 0;
  std::size_t depth = 0;
};

// gemm()'s packing buffer, kept by callers that multiply many times so no call allocates.
struct GemmScratch {
  PackedB packed_b;  // the block of op(B) being multiplied
};

// C[m×n] = A[m×k] · op(B). When accumulate is true, C += A·op(B) instead of overwriting C.
// Inputs are assumed valid (positive sizes, non-overlapping C); the checked entry point is api::gemm.
void gemm(const float* a, const float* b, float* c, std::size_t m, std::size_t n, std::size_t k, BLayout b_layout,
          bool accumulate, GemmScratch& scratch);

// The same with its own scratch, for one-off products.
void gemm(const float* a, const float* b, float* c, std::size_t m, std::size_t n, std::size_t k, BLayout b_layout,
          bool accumulate = false);

// Width of a packed column panel: products on a PackedB must start at a multiple of it.
std::size_t packed_panel_width();

// Packs all n columns of op(B) (depth k) into `out`.
void pack_b(const float* b, std::size_t n, std::size_t k, BLayout b_layout, PackedB& out);

// C[m×cols] (+)= A[m×depth] · op(B)[d0 .. d0+depth, col0 .. col0+cols], A row-major with leading dimension
// lda, C with ldc; col0 must be a multiple of packed_panel_width().
void gemm_packed_b(const float* a, std::size_t lda, std::size_t m, const PackedB& b, std::size_t col0, std::size_t cols,
                   std::size_t d0, std::size_t depth, float* c, std::size_t ldc, bool accumulate);

}  // namespace attnkit::kernels
