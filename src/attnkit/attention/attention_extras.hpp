// Two additions to softmax attention from the seed's articles, applied inside the fused tile loop:
// - adaptive attention span (Sukhbaatar et al., ACL 2019): per head a span z and a ramp R; a causal query at
//   position t weighs key r by m_z(t − r) = clamp((R + z − x)/R, 0, 1), x = t − r, renormalised. Keys with
//   m = 0 (x ≥ z + R) are never visited, so the cost grows with the span, not with the length.
// - persistent memory (all-attention, arXiv 1907.01470): per head `count` learned key/value vectors that every
//   query sees in addition to its context keys, whatever the mask, with no position.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>

namespace attnkit::attention {

struct AdaptiveSpan {
  const float* size = nullptr;  // z per head (heads values, each > 0), or null for no span
  float ramp = 0.0f;            // R > 0
};

struct PersistentMemory {
  const float* keys = nullptr;    // [heads, count, head_dim], shared by every batch item
  const float* values = nullptr;  // [heads, count, value_dim]
  std::size_t count = 0;
};

struct AttentionExtras {
  AdaptiveSpan span;
  PersistentMemory persistent;
};

// m_z(x) for a key at distance x ≥ 0 from its query.
inline float span_mask(float z, float ramp, float distance) {
  return std::clamp((ramp + z - distance) / ramp, 0.0f, 1.0f);
}

// The first key a query at `position` gives a positive weight: the smallest r with t − r < z + R. Computed in
// double so that a span that is an exact integer does not lose its edge key to rounding.
inline std::size_t span_first_key(float z, float ramp, std::size_t position) {
  const double first = std::floor(static_cast<double>(position) - static_cast<double>(z) - ramp) + 1.0;
  return first <= 0.0 ? 0 : std::min(static_cast<std::size_t>(first), position + 1);
}

}  // namespace attnkit::attention
