// GAU / FLASH attention weights (kexue.fm 8934, 9019): A = relu²(Q·Kᵀ/√s) / n.
// The softmax variant the seed recommends instead, softmax(log_L(n)·Q·Kᵀ/√s), is softmax_attention with
// the entropy-invariant scale.
#pragma once
#include "attnkit/attention/attention_shape.hpp"

namespace attnkit::attention {

// out = relu²(Q·Kᵀ/√d)/n · V, n = the number of keys each query sees (mask-aware); masked keys weigh 0.
void relu2_attention(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                     const AttentionMask& mask);

}  // namespace attnkit::attention
