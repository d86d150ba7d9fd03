// The tile loop shared by softmax and relu² attention: for each (batch, head), query tiles × key tiles,
// scores = Q·Kᵀ by the packed GEMM, a Policy turns a row of scores into weights (in place), and
// acc += weights·V. Only a query-tile × key-tile block of scores ever exists, never n×m.
//
// Each head's K and V are packed once for all its query tiles; the row's scale λ is folded into its
// query row ((λq)·k = λ(q·k)), so scores arrive scaled.
//
// Policy interface:
//   float begin_row(std::size_t r, std::size_t visible_keys);  // given the row's visible count, returns λ
//   void weigh(std::size_t r, float* scores, std::size_t cols, std::size_t visible, float* acc, std::size_t dv);
//       // scores[0..visible) are visible, [visible..cols) masked: write weights (0 for masked)
//   void finish_row(std::size_t r, float* acc, std::size_t dv);
#pragma once
#include <algorithm>
#include <vector>

#include "attnkit/attention/attention_shape.hpp"
#include "attnkit/kernels/gemm.hpp"

namespace attnkit::attention {

inline constexpr std::size_t kQueryTile = 64;
inline constexpr std::size_t kKeyTile = 256;

template <typename Policy>
void tiled_attention(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                     const AttentionMask& mask, Policy& policy) {
  const std::size_t d = shape.head_dim, dv = shape.value_dim;
  std::vector<float> scores(kQueryTile * kKeyTile);
  std::vector<float> acc(kQueryTile * dv);
  std::vector<float> scaled_q(kQueryTile * d);
  std::size_t row_end[kQueryTile];
  kernels::GemmScratch scratch;
  kernels::PackedB packed_k, packed_v;

  for (std::size_t b = 0; b < shape.batch; ++b) {
    for (std::size_t h = 0; h < shape.heads; ++h) {
      const auto [qh, kh, vh, oh] = head_tensors(q, k, v, out, shape, b, h);
      kernels::pack_b(kh, shape.key_len, d, kernels::BLayout::kTransposed, packed_k);  // op(B) = Kᵀ
      kernels::pack_b(vh, dv, shape.key_len, kernels::BLayout::kRowMajor, packed_v);
      for (std::size_t q0 = 0; q0 < shape.query_len; q0 += kQueryTile) {
        const std::size_t rows = std::min(kQueryTile, shape.query_len - q0);
        std::size_t tile_end = 0;
        for (std::size_t r = 0; r < rows; ++r) {
          row_end[r] = visible_key_end(shape, mask, b, q0 + r);
          tile_end = std::max(tile_end, row_end[r]);
          const float lambda = policy.begin_row(r, row_end[r]);
          for (std::size_t c = 0; c < d; ++c) scaled_q[r * d + c] = qh[(q0 + r) * d + c] * lambda;
        }
        std::fill(acc.begin(), acc.begin() + rows * dv, 0.0f);
        for (std::size_t k0 = 0; k0 < tile_end; k0 += kKeyTile) {
          const std::size_t cols = std::min(kKeyTile, tile_end - k0);
          kernels::gemm_packed_b(scaled_q.data(), d, rows, packed_k, k0, cols, 0, d, scores.data(), cols, false,
                                 scratch);
          for (std::size_t r = 0; r < rows; ++r) {
            const std::size_t visible = row_end[r] > k0 ? std::min(cols, row_end[r] - k0) : 0;
            policy.weigh(r, scores.data() + r * cols, cols, visible, acc.data() + r * dv, dv);
          }
          kernels::gemm_packed_b(scores.data(), cols, rows, packed_v, 0, dv, k0, cols, acc.data(), dv, true, scratch);
        }
        for (std::size_t r = 0; r < rows; ++r) {
          policy.finish_row(r, acc.data() + r * dv, dv);
          std::copy(acc.begin() + r * dv, acc.begin() + (r + 1) * dv, oh + (q0 + r) * dv);
        }
      }
    }
  }
}

}  // namespace attnkit::attention
