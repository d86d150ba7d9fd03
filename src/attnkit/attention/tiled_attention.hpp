// The tile loop shared by softmax and relu² attention: for each (batch, head), query tiles × key tiles,
// scores = Q·Kᵀ by the packed GEMM, a Policy turns a row of scores into weights (in place), and
// acc += weights·V. Only a query-tile × key-tile block of scores ever exists, never n×m.
//
// Policy interface:
//   void begin_row(std::size_t r, std::size_t visible_keys);           // the row's whole visible count
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
inline constexpr std::size_t kKeyTile = 128;

template <typename Policy>
void tiled_attention(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                     const AttentionMask& mask, Policy& policy) {
  const std::size_t d = shape.head_dim, dv = shape.value_dim;
  std::vector<float> scores(kQueryTile * kKeyTile);
  std::vector<float> acc(kQueryTile * dv);
  std::size_t row_end[kQueryTile];
  kernels::GemmScratch scratch;

  for (std::size_t b = 0; b < shape.batch; ++b) {
    for (std::size_t h = 0; h < shape.heads; ++h) {
      const std::size_t head = b * shape.heads + h;
      const float* qh = q + head * shape.query_len * d;
      const float* kh = k + head * shape.key_len * d;
      const float* vh = v + head * shape.key_len * dv;
      float* oh = out + head * shape.query_len * dv;
      for (std::size_t q0 = 0; q0 < shape.query_len; q0 += kQueryTile) {
        const std::size_t rows = std::min(kQueryTile, shape.query_len - q0);
        std::size_t tile_end = 0;
        for (std::size_t r = 0; r < rows; ++r) {
          row_end[r] = visible_key_end(shape, mask, b, q0 + r);
          tile_end = std::max(tile_end, row_end[r]);
          policy.begin_row(r, row_end[r]);
        }
        std::fill(acc.begin(), acc.begin() + rows * dv, 0.0f);
        for (std::size_t k0 = 0; k0 < tile_end; k0 += kKeyTile) {
          const std::size_t cols = std::min(kKeyTile, tile_end - k0);
          kernels::gemm(qh + q0 * d, kh + k0 * d, scores.data(), rows, cols, d, kernels::BLayout::kTransposed,
                        false, scratch);
          for (std::size_t r = 0; r < rows; ++r) {
            const std::size_t visible = row_end[r] > k0 ? std::min(cols, row_end[r] - k0) : 0;
            policy.weigh(r, scores.data() + r * cols, cols, visible, acc.data() + r * dv, dv);
          }
          kernels::gemm(scores.data(), vh + k0 * dv, acc.data(), rows, dv, cols, kernels::BLayout::kRowMajor, true,
                        scratch);
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
