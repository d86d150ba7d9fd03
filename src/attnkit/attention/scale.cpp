#include "attnkit/attention/scale.hpp"

#include <algorithm>
#include <cmath>

namespace attnkit::attention {

double entropy_invariant_scale(double keys, std::size_t head_dim, double train_len, double min_keys) {
  return std::log(std::max(keys, min_keys)) / std::log(train_len) / std::sqrt(static_cast<double>(head_dim));
}

double attention_scale(const AttentionScale& scale, std::size_t head_dim, std::size_t visible_keys) {
  switch (scale.kind) {
    case ScaleKind::kExplicit:
      return scale.value;
    case ScaleKind::kEntropyInvariant:
      return entropy_invariant_scale(static_cast<double>(visible_keys), head_dim, scale.train_len, scale.min_keys);
    case ScaleKind::kInverseSqrtDim:
      break;
  }
  return 1.0 / std::sqrt(static_cast<double>(head_dim));
}

}  // namespace attnkit::attention
