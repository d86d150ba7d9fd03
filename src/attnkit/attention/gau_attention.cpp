#include "attnkit/attention/gau_attention.hpp"

#include <cmath>

#include "attnkit/attention/tiled_attention.hpp"
#include "attnkit/core/simd.hpp"

namespace attnkit::attention {
namespace {

class ReluSquaredWeights {
 public:
  explicit ReluSquaredWeights(std::size_t head_dim) : lambda_(1.0f / std::sqrt(static_cast<float>(head_dim))) {}

  float begin_row(std::size_t r, std::size_t visible_keys) {
    inv_n_[r] = visible_keys > 0 ? 1.0f / static_cast<float>(visible_keys) : 0.0f;
    return lambda_;
  }

  void weigh(std::size_t r, float* scores, std::size_t cols, std::size_t visible, float*, std::size_t) {
    const std::size_t vec_end = simd_end(visible);
    const FloatBatch inv_n(inv_n_[r]), zero(0.0f);
    for (std::size_t j = 0; j < vec_end; j += kLanes) {
      const FloatBatch s = xsimd::max(FloatBatch::load_unaligned(scores + j), zero);
      (s * s * inv_n).store_unaligned(scores + j);
    }
    for (std::size_t j = vec_end; j < visible; ++j) {
      const float s = std::max(scores[j], 0.0f);
      scores[j] = s * s * inv_n_[r];
    }
    std::fill(scores + visible, scores + cols, 0.0f);
  }

  void finish_row(std::size_t, float*, std::size_t) {}

 private:
  float lambda_;
  float inv_n_[kQueryTile];
};

}  // namespace

void relu2_attention(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                     const AttentionMask& mask) {
  ReluSquaredWeights policy(shape.head_dim);
  tiled_attention(q, k, v, out, shape, mask, policy);
}

}  // namespace attnkit::attention
