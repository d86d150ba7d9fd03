// Packed GEMM: B is packed into column panels of kPanelCols, A into row panels of kPanelRows, so the
// micro-kernel streams both contiguously and keeps a kPanelRows × kPanelCols tile of C in registers.
#include "attnkit/kernels/gemm.hpp"

#include <algorithm>
#include <vector>

#include "attnkit/core/simd.hpp"
#include "attnkit/core/thread_pool.hpp"

namespace attnkit::kernels {
namespace {

// 4 rows × 2 vectors = 8 accumulators: measured best in V8/TurboFan at 512³ (≈45 GFLOP/s; 6×2, 5×2, 4×3
// and 3×4 tiles spill registers and ran at 28–34).
constexpr std::size_t kPanelRows = 4;                       // rows of A (and C) per micro-tile
constexpr std::size_t kPanelVectors = 2;                    // SIMD vectors of B (and C) per micro-tile
constexpr std::size_t kPanelCols = kPanelVectors * kLanes;  // columns of B (and C) per micro-tile
constexpr std::size_t kDepthBlock = 256;                    // k per packed block: a B panel stays in L1
constexpr std::size_t kRowBlock = 96;                       // rows of A per block: they stay in L2 across B's panels
constexpr std::size_t kColBlock = 2048;                     // columns of B packed at once

// Packs columns [col0, col0+cols) × depth [d0, d0+depth) of op(B) into panels of kPanelCols.
void pack_b(const float* b, std::size_t n, std::size_t k, BLayout layout, std::size_t col0, std::size_t cols,
            std::size_t d0, std::size_t depth, float* out) {
  for (std::size_t p = 0; p < cols; p += kPanelCols) {
    const std::size_t valid = std::min(kPanelCols, cols - p);
    for (std::size_t kk = 0; kk < depth; ++kk) {
      for (std::size_t c = 0; c < kPanelCols; ++c) {
        const std::size_t col = col0 + p + c;
        float value = 0.0f;
        if (c < valid) value = layout == BLayout::kRowMajor ? b[(d0 + kk) * n + col] : b[col * k + d0 + kk];
        out[c] = value;
      }
      out += kPanelCols;
    }
  }
}

// The micro-kernel reads A straight from kPanelRows row-major rows: packing A into panels first measured no
// faster for the GEMM (WASM and native) and 4% slower for attention, whose score tiles are used once, right away.
struct RowsOfA {
  const float* rows[kPanelRows];
  std::size_t k = 0;
  float at(std::size_t r) const { return rows[r][k]; }
  void step() { ++k; }
};

// The register tile: kPanelRows × kPanelCols of C accumulated over `depth` steps, then added to (or stored
// into) C. Partial tiles at the edges go through a scratch tile.
void micro_kernel(std::size_t depth, RowsOfA pa, const float* pb, float* c, std::size_t ldc, std::size_t rows,
                  std::size_t cols, bool add_to_c) {
  FloatBatch acc[kPanelRows][kPanelVectors];
  for (std::size_t r = 0; r < kPanelRows; ++r)
    for (std::size_t v = 0; v < kPanelVectors; ++v) acc[r][v] = FloatBatch(0.0f);
  for (std::size_t kk = 0; kk < depth; ++kk) {
    FloatBatch b[kPanelVectors];
    for (std::size_t v = 0; v < kPanelVectors; ++v) b[v] = FloatBatch::load_unaligned(pb + v * kLanes);
    for (std::size_t r = 0; r < kPanelRows; ++r) {
      const FloatBatch a_r(pa.at(r));
      for (std::size_t v = 0; v < kPanelVectors; ++v) acc[r][v] = xsimd::fma(a_r, b[v], acc[r][v]);
    }
    pa.step();
    pb += kPanelCols;
  }
  if (rows == kPanelRows && cols == kPanelCols) {
    for (std::size_t r = 0; r < kPanelRows; ++r) {
      float* row = c + r * ldc;
      for (std::size_t v = 0; v < kPanelVectors; ++v) {
        if (add_to_c) acc[r][v] += FloatBatch::load_unaligned(row + v * kLanes);
        acc[r][v].store_unaligned(row + v * kLanes);
      }
    }
    return;
  }
  alignas(64) float tile[kPanelRows * kPanelCols];
  for (std::size_t r = 0; r < kPanelRows; ++r)
    for (std::size_t v = 0; v < kPanelVectors; ++v) acc[r][v].store_aligned(tile + r * kPanelCols + v * kLanes);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t j = 0; j < cols; ++j) {
      const float value = tile[r * kPanelCols + j];
      c[r * ldc + j] = add_to_c ? c[r * ldc + j] + value : value;
    }
  }
}

std::size_t round_up(std::size_t value, std::size_t multiple) { return (value + multiple - 1) / multiple * multiple; }

// Packs columns [col0, col0+cols) × depth [d0, d0+depth) of op(B) into `out`, as a PackedB of its own.
void pack_b_block(const float* b, std::size_t n, std::size_t k, BLayout b_layout, std::size_t col0, std::size_t cols,
                  std::size_t d0, std::size_t depth, PackedB& out) {
  out.cols = cols;
  out.depth = depth;
  if (out.data.size() < round_up(cols, kPanelCols) * depth) out.data.resize(round_up(cols, kPanelCols) * depth);
  pack_b(b, n, k, b_layout, col0, cols, d0, depth, out.data.data());
}

}  // namespace

std::size_t packed_panel_width() { return kPanelCols; }

void pack_b(const float* b, std::size_t n, std::size_t k, BLayout b_layout, PackedB& out) {
  pack_b_block(b, n, k, b_layout, 0, n, 0, k, out);
}

namespace {

// Products under this many multiply-adds run on the caller: waking the workers costs more than they save.
constexpr double kParallelMacs = 1 << 18;

// A worker's scratch is kept between calls (thread_local) and sized for the whole product, not for the range
// the thread happened to get: its size then does not depend on scheduling, so the heap in use after a call is
// the same every time.
void reserve_for_product(GemmScratch& scratch, std::size_t cols, std::size_t depth) {
  const std::size_t b_size = round_up(std::min(kColBlock, cols), kPanelCols) * std::min(kDepthBlock, depth);
  if (scratch.packed_b.data.size() < b_size) scratch.packed_b.data.resize(b_size);
}

void gemm_packed_rows(const float* a, std::size_t lda, std::size_t m, const PackedB& b, std::size_t col0,
                      std::size_t cols, std::size_t d0, std::size_t depth, float* c, std::size_t ldc, bool accumulate) {
  for (std::size_t dd = 0; dd < depth; dd += kDepthBlock) {
    const std::size_t chunk = std::min(kDepthBlock, depth - dd);
    const bool add_to_c = accumulate || dd > 0;
    for (std::size_t row0 = 0; row0 < m; row0 += kRowBlock) {
      const std::size_t rows = std::min(kRowBlock, m - row0);
      for (std::size_t pc = 0; pc < cols; pc += kPanelCols) {
        const float* pb = b.data.data() + (col0 + pc) / kPanelCols * kPanelCols * b.depth + (d0 + dd) * kPanelCols;
        for (std::size_t pr = 0; pr < rows; pr += kPanelRows) {
          const std::size_t valid = std::min(kPanelRows, rows - pr);
          RowsOfA panel;  // a partial panel repeats its last row; those results are not stored
          for (std::size_t r = 0; r < kPanelRows; ++r)
            panel.rows[r] = a + (row0 + pr + std::min(r, valid - 1)) * lda + dd;
          micro_kernel(chunk, panel, pb, c + (row0 + pr) * ldc + pc, ldc, valid, std::min(kPanelCols, cols - pc),
                       add_to_c);
        }
      }
    }
  }
}

}  // namespace

// With threads, the rows are split into one range per thread (whole 4-row panels): a row of C depends only on
// its row of A, summed over the same depth blocks in the same order, so results are bit-identical.
void gemm_packed_b(const float* a, std::size_t lda, std::size_t m, const PackedB& b, std::size_t col0, std::size_t cols,
                   std::size_t d0, std::size_t depth, float* c, std::size_t ldc, bool accumulate) {
  const std::size_t threads = thread_count();
  if (threads == 1 || static_cast<double>(m) * cols * depth < kParallelMacs || m < 2 * kPanelRows)
    return gemm_packed_rows(a, lda, m, b, col0, cols, d0, depth, c, ldc, accumulate);
  parallel_ranges(m, kPanelRows, threads, [&](std::size_t begin, std::size_t end) {
    gemm_packed_rows(a + begin * lda, lda, end - begin, b, col0, cols, d0, depth, c + begin * ldc, ldc, accumulate);
  });
}

void gemm(const float* a, const float* b, float* c, std::size_t m, std::size_t n, std::size_t k, BLayout b_layout,
          bool accumulate) {
  GemmScratch scratch;
  gemm(a, b, c, m, n, k, b_layout, accumulate, scratch);
}

namespace {

// B is packed one kColBlock × kDepthBlock block at a time, right before the packed product uses it, so the
// block is still in cache (packing B over its full depth first measured ~10% slower at 128×768×3072 and
// needs 2048·k floats); gemm_packed_b does the row and panel blocking. Columns [col_begin, col_end) only.
void gemm_columns(const float* a, const float* b, float* c, std::size_t m, std::size_t n, std::size_t k,
                  BLayout b_layout, bool accumulate, std::size_t col_begin, std::size_t col_end, GemmScratch& scratch) {
  for (std::size_t col0 = col_begin; col0 < col_end; col0 += kColBlock) {
    const std::size_t cols = std::min(kColBlock, col_end - col0);
    for (std::size_t d0 = 0; d0 < k; d0 += kDepthBlock) {
      const std::size_t depth = std::min(kDepthBlock, k - d0);
      pack_b_block(b, n, k, b_layout, col0, cols, d0, depth, scratch.packed_b);
      gemm_packed_b(a + d0, k, m, scratch.packed_b, 0, cols, 0, depth, c + col0, n, accumulate || d0 > 0);
    }
  }
}

}  // namespace

// With threads, the columns are split into one range per thread (whole panels): every element of C is still
// summed over the same depth blocks in the same order, so the result is bit-identical to one thread's.
// Small products (kParallelMacs) run on the caller.
void gemm(const float* a, const float* b, float* c, std::size_t m, std::size_t n, std::size_t k, BLayout b_layout,
          bool accumulate, GemmScratch& scratch) {
  const std::size_t threads = thread_count();
  if (threads == 1 || static_cast<double>(m) * n * k < kParallelMacs || n < 2 * kPanelCols)
    return gemm_columns(a, b, c, m, n, k, b_layout, accumulate, 0, n, scratch);
  parallel_ranges(n, kPanelCols, threads, [&](std::size_t begin, std::size_t end) {
    thread_local GemmScratch worker_scratch;
    reserve_for_product(worker_scratch, n, k);
    gemm_columns(a, b, c, m, n, k, b_layout, accumulate, begin, end, worker_scratch);
  });
}

}  // namespace attnkit::kernels
