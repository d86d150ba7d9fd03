// Shapes and masks shared by every attention kernel. Tensors are [batch, heads, length, dim], row-major.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace attnkit::attention {

struct AttentionShape {
  std::size_t batch = 1;
  std::size_t heads = 1;
  std::size_t query_len = 0;
  std::size_t key_len = 0;
  std::size_t head_dim = 0;
  std::size_t value_dim = 0;
};

// Which keys a query may see. Every mask here leaves each query a prefix [0, end) of the keys:
// - key_lengths[b] (padding): keys at or past it are masked for batch item b;
// - causal: query i sits at position i + key_len − query_len (a KV cache precedes it) and sees keys ≤ it;
// - causal with prefix_len > 0 (prefix-LM, UniLM): the first prefix_len keys are visible to every query.
struct AttentionMask {
  bool causal = false;
  std::size_t prefix_len = 0;
  const std::int32_t* key_lengths = nullptr;  // batch values, or null for no padding
};

// The slices of q, k, v and out that belong to head h of batch item b.
struct HeadTensors {
  const float* q;
  const float* k;
  const float* v;
  float* out;
};

inline HeadTensors head_tensors(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                                std::size_t b, std::size_t h) {
  const std::size_t head = b * shape.heads + h;
  return {q + head * shape.query_len * shape.head_dim, k + head * shape.key_len * shape.head_dim,
          v + head * shape.key_len * shape.value_dim, out + head * shape.query_len * shape.value_dim};
}

// End of the visible key prefix for query `row` of batch item `b` (0 = fully masked row).
inline std::size_t visible_key_end(const AttentionShape& shape, const AttentionMask& mask, std::size_t b,
                                   std::size_t row) {
  const std::size_t limit = mask.key_lengths ? static_cast<std::size_t>(mask.key_lengths[b]) : shape.key_len;
  if (!mask.causal) return limit;
  const long long position = static_cast<long long>(row + shape.key_len) - static_cast<long long>(shape.query_len);
  const long long end = std::max(static_cast<long long>(mask.prefix_len), position + 1);
  return static_cast<std::size_t>(std::clamp(end, 0LL, static_cast<long long>(limit)));
}

}  // namespace attnkit::attention
