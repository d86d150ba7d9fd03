// relu² attention (GAU) as a weighting policy of the shared tile loop: relu(q·k/√d)² / n per visible key.
#include "attnkit/attention/gau_attention.hpp"

#include <cmath>

#include "attnkit/attention/tiled_attention.hpp"
#include "attnkit/core/vector_loop.hpp"

namespace attnkit::attention {
namespace {

class ReluSquaredWeights {
 public:
  explicit ReluSquaredWeights(std::size_t head_dim) : lambda_(1.0f / std::sqrt(static_cast<float>(head_dim))) {}

  float begin_row(std::size_t r, std::size_t visible_keys) {
    inv_n_[r] = visible_keys > 0 ? 1.0f / static_cast<float>(visible_keys) : 0.0f;
    return lambda_;
  }

  void weigh(std::size_t r, float* scores, std::size_t cols, std::size_t lo, std::size_t hi, float*, std::size_t) {
    const FloatBatch inv_n(inv_n_[r]), zero(0.0f);
    const auto relu_squared = [inv_n, zero](const FloatBatch& s) {
      const FloatBatch positive = xsimd::max(s, zero);
      return positive * positive * inv_n;
    };
    map_batches(hi - lo, 0.0f, scores + lo, relu_squared, scores + lo);
    std::fill(scores, scores + lo, 0.0f);
    std::fill(scores + hi, scores + cols, 0.0f);
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
