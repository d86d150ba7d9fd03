#include "attnkit/attention/feature_maps.hpp"

#include <cmath>

#include "attnkit/core/simd.hpp"
#include "attnkit/kernels/vector_ops.hpp"

namespace attnkit::attention {

std::size_t feature_count(const FeatureMapSpec& spec, std::size_t head_dim) {
  return spec.map == FeatureMap::kPerformer ? spec.features : head_dim;
}

bool is_exponential(FeatureMap map) { return map == FeatureMap::kExp || map == FeatureMap::kPerformer; }

void raw_features(const FeatureMapSpec& spec, const float* x, std::size_t head_dim, float* out) {
  switch (spec.map) {
    case FeatureMap::kEluPlusOne:
      for (std::size_t i = 0; i < head_dim; ++i) out[i] = x[i] > 0.0f ? x[i] + 1.0f : std::exp(x[i]);
      return;
    case FeatureMap::kRelu:
      for (std::size_t i = 0; i < head_dim; ++i) out[i] = x[i] > 0.0f ? x[i] : 0.0f;
      return;
    case FeatureMap::kExp:
      for (std::size_t i = 0; i < head_dim; ++i) out[i] = x[i];
      return;
    case FeatureMap::kPerformer: {
      // x' = x·d^{-1/4}; u_r = w_r·x' − ‖x'‖²/2 − ln √m, so that E[φ(q)·φ(k)] = exp(q·k/√d).
      const float x_scale = 1.0f / std::sqrt(std::sqrt(static_cast<float>(head_dim)));
      const float norm_sq = kernels::dot(x, x, head_dim) * x_scale * x_scale;
      const float offset = -0.5f * norm_sq - 0.5f * std::log(static_cast<float>(spec.features));
      for (std::size_t r = 0; r < spec.features; ++r)
        out[r] = kernels::dot(spec.projection + r * head_dim, x, head_dim) * x_scale + offset;
      return;
    }
  }
}

}  // namespace attnkit::attention
