// Fused multi-head softmax attention with online (streaming) softmax over key tiles.
#pragma once
#include "attnkit/attention/attention_extras.hpp"
#include "attnkit/attention/attention_shape.hpp"
#include "attnkit/attention/scale.hpp"

namespace attnkit::attention {

// out = softmax(λ·Q·Kᵀ, masked)·V per (batch, head). q: [B,H,Lq,d], k: [B,H,Lk,d], v: [B,H,Lk,dv],
// out: [B,H,Lq,dv]. A fully masked query row gives zeros. Inputs are assumed valid (see api::attention).
// `extras`: an adaptive span (causal only) and persistent memory; n for the entropy-invariant scale counts the
// keys a query weighs above 0, persistent ones included.
void softmax_attention(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                       const AttentionMask& mask, const AttentionScale& scale, const AttentionExtras& extras = {});

}  // namespace attnkit::attention
