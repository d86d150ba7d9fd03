// Online softmax per query row: running max m, running sum ℓ and the output accumulator are rescaled
// by e^{m−m'} whenever a key tile raises the maximum (m' = max(m, tile max)).
#include "attnkit/attention/softmax_attention.hpp"

#include <cmath>
#include <limits>

#include "attnkit/attention/tiled_attention.hpp"
#include "attnkit/kernels/vector_ops.hpp"

namespace attnkit::attention {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

class OnlineSoftmax {
 public:
  OnlineSoftmax(const AttentionScale& scale, std::size_t head_dim) : scale_(scale), head_dim_(head_dim) {}

  float begin_row(std::size_t r, std::size_t visible_keys) {
    max_[r] = kNegInf;
    sum_[r] = 0.0f;
    return static_cast<float>(attention_scale(scale_, head_dim_, visible_keys));
  }

  void weigh(std::size_t r, float* scores, std::size_t cols, std::size_t lo, std::size_t hi, float* acc,
             std::size_t dv) {
    std::fill(scores, scores + lo, 0.0f);
    std::fill(scores + hi, scores + cols, 0.0f);
    if (lo == hi) return;
    const float new_max = std::max(max_[r], kernels::vector_max(scores + lo, hi - lo));
    if (new_max == kNegInf) {  // every visible key weighted 0 (an adaptive span's ramp end)
      std::fill(scores + lo, scores + hi, 0.0f);
      return;
    }
    const float tile_sum = kernels::exp_shifted(scores + lo, scores + lo, hi - lo, new_max);
    if (max_[r] != kNegInf && max_[r] != new_max) {
      const float correction = std::exp(max_[r] - new_max);
      kernels::scale_in_place(acc, dv, correction);
      sum_[r] *= correction;
    }
    sum_[r] += tile_sum;
    max_[r] = new_max;
  }

  void finish_row(std::size_t r, float* acc, std::size_t dv) {
    kernels::scale_in_place(acc, dv, sum_[r] > 0.0f ? 1.0f / sum_[r] : 0.0f);
  }

 private:
  AttentionScale scale_;
  std::size_t head_dim_;
  float max_[kQueryTile];
  float sum_[kQueryTile];
};

}  // namespace

void softmax_attention(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                       const AttentionMask& mask, const AttentionScale& scale, const AttentionExtras& extras) {
  OnlineSoftmax policy(scale, shape.head_dim);
  tiled_attention(q, k, v, out, shape, mask, policy, extras);
}

}  // namespace attnkit::attention
