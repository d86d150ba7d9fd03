// The tile loop shared by softmax and relu² attention: for each (batch, head), query tiles × key tiles,
// scores = Q·Kᵀ by the packed GEMM, a Policy turns a row of scores into weights (in place), and
// acc += weights·V. Only a query-tile × key-tile block of scores ever exists, never n×m.
//
// Each head's K and V are packed once for all its query tiles; the row's scale λ is folded into its
// query row ((λq)·k = λ(q·k)), so scores arrive scaled.
//
// Each query row sees a window [first, end) of the keys (the mask's end; an adaptive span's first key) plus
// the persistent keys, which come first as a tile of their own. An adaptive span's ramp is added to the
// scores as log m (softmax of s + log m is m·e^s renormalised), so the policy needs no span of its own.
// A tile's key panels start at multiples of the panel width, so a few keys before a window are visited (and
// masked).
//
// Policy interface:
//   float begin_row(std::size_t r, std::size_t visible_keys);  // given the row's visible count, returns λ
//   void weigh(std::size_t r, float* scores, std::size_t cols, std::size_t lo, std::size_t hi, float* acc,
//              std::size_t dv);  // scores[lo..hi) are visible, the rest masked: write weights (0 for masked)
//   void finish_row(std::size_t r, float* acc, std::size_t dv);
#pragma once
#include <algorithm>
#include <cmath>
#include <vector>

#include "attnkit/attention/attention_extras.hpp"
#include "attnkit/attention/attention_shape.hpp"
#include "attnkit/core/thread_pool.hpp"
#include "attnkit/kernels/gemm.hpp"

namespace attnkit::attention {

inline constexpr std::size_t kQueryTile = 64;
inline constexpr std::size_t kKeyTile = 256;

// Query rows per tile. A tile visits the union of its rows' key windows, so with a short span a tall tile
// would mostly visit keys its other rows cannot see: the tile is kept near the span's width (≥ 16 rows,
// where the GEMM's 4-row micro-kernel still runs full).
inline std::size_t query_tile_rows(const AdaptiveSpan& span, std::size_t head) {
  if (span.size == nullptr) return kQueryTile;
  const double window = std::ceil(static_cast<double>(span.size[head]) + span.ramp);
  return static_cast<std::size_t>(std::clamp(window / 16, 16.0, static_cast<double>(kQueryTile))) / 4 * 4;
}

// Keys per key tile. A span's query tile sees rows + window keys; splitting those into a full tile and a short
// remainder cost a second GEMM pair and a second online-softmax rescale per row (span 256 measured 1.2× slower
// than one tile holding the whole window), so with a span the tile grows to the window, up to kMaxKeyTile.
inline constexpr std::size_t kMaxKeyTile = 1024;
inline std::size_t key_tile_cols(const AdaptiveSpan& span, std::size_t head, std::size_t rows, std::size_t panel) {
  if (span.size == nullptr) return kKeyTile;
  const double window = std::ceil(static_cast<double>(span.size[head]) + span.ramp) + static_cast<double>(rows + panel);
  return static_cast<std::size_t>(std::clamp(window, static_cast<double>(kKeyTile), static_cast<double>(kMaxKeyTile)));
}

// log m_z(x) at the integer distances inside the ramp, z < x < z + R (nearer keys have m = 1, farther ones are
// never visited): computed once per head, so the tile loop adds a table entry instead of calling log.
class SpanRamp {
 public:
  SpanRamp(float z, float ramp) : first_(static_cast<std::size_t>(std::floor(z)) + 1) {
    for (std::size_t x = first_; static_cast<double>(x) < static_cast<double>(z) + ramp; ++x) {
      const float m = span_mask(z, ramp, static_cast<float>(x));
      log_mask_.push_back(m > 0.0f ? std::log(m) : -INFINITY);
    }
  }

  // Adds log m to the scores of keys [lo, hi) (key index first_key + c) of the query at `position`.
  void apply(float* scores, std::size_t first_key, std::size_t lo, std::size_t hi, std::size_t position) const {
    for (std::size_t c = lo; c < hi; ++c) {
      const std::size_t distance = position - (first_key + c);
      if (distance < first_) break;  // keys go from far to near: the rest are inside the span
      const std::size_t at = distance - first_;
      scores[c] = at < log_mask_.size() ? scores[c] + log_mask_[at] : -INFINITY;
    }
  }

 private:
  std::size_t first_;  // the nearest distance with m < 1
  std::vector<float> log_mask_;
};

// Scratch of one thread's work unit: the score block, the output accumulator and the packed operands.
struct TileBuffers {
  std::vector<float> scores, acc, scaled_q;
  kernels::PackedB packed_k, packed_v, memory_k, memory_v;
};

// Query tiles [tile_begin, tile_end) of one (batch b, head h), each tile_rows tall.
template <typename Policy>
void attend_tiles(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                  const AttentionMask& mask, Policy& policy, const AttentionExtras& extras, std::size_t b,
                  std::size_t h, std::size_t tile_begin, std::size_t tile_end, TileBuffers& buffers) {
  const std::size_t d = shape.head_dim, dv = shape.value_dim;
  const std::size_t memory = extras.persistent.count;
  const AdaptiveSpan& span = extras.span;
  auto& [scores, acc, scaled_q, packed_k, packed_v, memory_k, memory_v] = buffers;
  scores.resize(kQueryTile * std::max(span.size != nullptr ? kMaxKeyTile : kKeyTile, memory));
  acc.resize(kQueryTile * dv);
  scaled_q.resize(kQueryTile * d);
  std::size_t row_first[kQueryTile], row_end[kQueryTile], row_position[kQueryTile];
  const std::size_t panel = kernels::packed_panel_width();

  if (memory > 0) {
    kernels::pack_b(extras.persistent.keys + h * memory * d, memory, d, kernels::BLayout::kTransposed, memory_k);
    kernels::pack_b(extras.persistent.values + h * memory * dv, dv, memory, kernels::BLayout::kRowMajor, memory_v);
  }
  const std::size_t tile_rows = query_tile_rows(span, h);
  const std::size_t key_tile = key_tile_cols(span, h, tile_rows, panel);
  const SpanRamp ramp = span.size != nullptr ? SpanRamp(span.size[h], span.ramp) : SpanRamp(0.0f, 0.0f);
  const auto [qh, kh, vh, oh] = head_tensors(q, k, v, out, shape, b, h);
  kernels::pack_b(kh, shape.key_len, d, kernels::BLayout::kTransposed, packed_k);  // op(B) = Kᵀ
  kernels::pack_b(vh, dv, shape.key_len, kernels::BLayout::kRowMajor, packed_v);
  for (std::size_t q0 = tile_begin * tile_rows; q0 < std::min(shape.query_len, tile_end * tile_rows); q0 += tile_rows) {
    const std::size_t rows = std::min(tile_rows, shape.query_len - q0);
    std::size_t tile_first = shape.key_len, tile_last = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      row_end[r] = visible_key_end(shape, mask, b, q0 + r);
      row_position[r] = q0 + r + shape.key_len - shape.query_len;  // a span is causal: query_len ≤ key_len
      row_first[r] =
          span.size != nullptr ? std::min(span_first_key(span.size[h], span.ramp, row_position[r]), row_end[r]) : 0;
      if (row_first[r] < row_end[r]) tile_first = std::min(tile_first, row_first[r]);
      tile_last = std::max(tile_last, row_end[r]);
      const float lambda = policy.begin_row(r, row_end[r] - row_first[r] + memory);
      for (std::size_t c = 0; c < d; ++c) scaled_q[r * d + c] = qh[(q0 + r) * d + c] * lambda;
    }
    std::fill(acc.begin(), acc.begin() + rows * dv, 0.0f);
    if (memory > 0) {
      kernels::gemm_packed_b(scaled_q.data(), d, rows, memory_k, 0, memory, 0, d, scores.data(), memory, false);
      for (std::size_t r = 0; r < rows; ++r)
        policy.weigh(r, scores.data() + r * memory, memory, 0, memory, acc.data() + r * dv, dv);
      kernels::gemm_packed_b(scores.data(), memory, rows, memory_v, 0, dv, 0, memory, acc.data(), dv, true);
    }
    // Packed key panels start at multiples of the panel width; keys before tile_first are masked.
    for (std::size_t k0 = tile_first < tile_last ? tile_first / panel * panel : tile_last; k0 < tile_last;
         k0 += key_tile) {
      const std::size_t cols = std::min(key_tile, tile_last - k0);
      kernels::gemm_packed_b(scaled_q.data(), d, rows, packed_k, k0, cols, 0, d, scores.data(), cols, false);
      for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t lo = std::clamp(row_first[r], k0, k0 + cols) - k0;
        const std::size_t hi = std::clamp(row_end[r], k0 + lo, k0 + cols) - k0;
        float* row_scores = scores.data() + r * cols;
        if (span.size != nullptr && lo < hi) ramp.apply(row_scores, k0, lo, hi, row_position[r]);
        policy.weigh(r, row_scores, cols, lo, hi, acc.data() + r * dv, dv);
      }
      kernels::gemm_packed_b(scores.data(), cols, rows, packed_v, 0, dv, k0, cols, acc.data(), dv, true);
    }
    for (std::size_t r = 0; r < rows; ++r) {
      policy.finish_row(r, acc.data() + r * dv, dv);
      std::copy(acc.begin() + r * dv, acc.begin() + (r + 1) * dv, oh + (q0 + r) * dv);
    }
  }
}

// Work units are (head, batch, group of query tiles). With threads, a few heads are split further into
// groups of whole tiles, so every thread has work; tiles start at the same rows as in one thread, so each
// output row is computed by exactly the same operations whatever the thread count (bit-identical).
template <typename Policy>
void tiled_attention(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                     const AttentionMask& mask, Policy& policy, const AttentionExtras& extras = {}) {
  const std::size_t pairs = shape.heads * shape.batch, threads = thread_count();
  const std::size_t most_tiles = (shape.query_len + 15) / 16;  // the shortest tile is 16 rows
  const std::size_t groups =
      threads > 1 && pairs < 2 * threads ? std::min((2 * threads + pairs - 1) / pairs, most_tiles) : 1;
  if (threads == 1 || pairs * groups == 1) {
    TileBuffers buffers;
    for (std::size_t h = 0; h < shape.heads; ++h)
      for (std::size_t b = 0; b < shape.batch; ++b)
        attend_tiles(q, k, v, out, shape, mask, policy, extras, b, h, 0, most_tiles, buffers);
    return;
  }
  parallel_for(pairs * groups, [&](std::size_t unit) {
    const std::size_t h = unit / (shape.batch * groups), b = unit / groups % shape.batch, g = unit % groups;
    const std::size_t tile_rows = query_tile_rows(extras.span, h),
                      tiles = (shape.query_len + tile_rows - 1) / tile_rows;
    thread_local TileBuffers buffers;
    Policy local = policy;  // per-row state (running max and sum) is per unit
    attend_tiles(q, k, v, out, shape, mask, local, extras, b, h, g * tiles / groups, (g + 1) * tiles / groups, buffers);
  });
}

}  // namespace attnkit::attention
