// Validated entry points for the attention family: sizes against shapes, masks, scales and values. The
// argument structs carry the JS API's field names (queryLen, keyLen, …), and the bindings register them as is.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "attnkit/attention/feature_maps.hpp"
#include "attnkit/attention/linear_attention.hpp"
#include "attnkit/attention/scale.hpp"
#include "attnkit/core/view.hpp"

namespace attnkit::api {

// Sizes as the caller gave them (signed, so negative values are reported rather than wrapped).
struct AttentionDims {
  long long batch = 1, heads = 1, query_len = 0, key_len = 0, head_dim = 0, value_dim = 0;
};

// The four tensors of one attention call: q [B,H,Lq,d], k [B,H,Lk,d], v [B,H,Lk,dv], output [B,H,Lq,dv].
struct AttentionTensors {
  ConstFloats q, k, v;
  Floats output;
};

struct MaskArgs {
  bool causal = false;
  long long prefix_len = 0;                 // prefix-LM when causal; must be 0 otherwise
  View<const std::int32_t> key_lengths;     // empty, or one length in [0, key_len] per batch item
};

// Adaptive attention span: z per head (heads values, each finite and > 0) and the ramp R (> 0). An empty
// `size` means no span. Needs causal, and no prefixLen.
struct SpanArgs {
  ConstFloats size;
  double ramp = 0.0;
};

// Persistent memory: count key/value vectors per head, keys [H, count, d], values [H, count, dv]; count 0 = none.
struct PersistentArgs {
  ConstFloats keys, values;
  long long count = 0;
};

// Fused softmax attention. q [B,H,Lq,d], k [B,H,Lk,d], v [B,H,Lk,dv], out [B,H,Lq,dv].
void attention(ConstFloats q, ConstFloats k, ConstFloats v, Floats out, const AttentionDims& dims,
               const MaskArgs& mask, const attention::AttentionScale& scale, const SpanArgs& span = {},
               const PersistentArgs& persistent = {});

// GAU relu² attention, relu²(Q·Kᵀ/√d)/n, with the same masks.
void relu2_attention(ConstFloats q, ConstFloats k, ConstFloats v, Floats out, const AttentionDims& dims,
                     const MaskArgs& mask);

// Linear attention; `projection` (features × head_dim) is required for Performer, ignored otherwise.
void linear_attention(ConstFloats q, ConstFloats k, ConstFloats v, Floats out, const AttentionDims& dims,
                      const MaskArgs& mask, attention::FeatureMap map, ConstFloats projection, long long features,
                      double eps);

// The feature map of linear attention; `projection` (features × head_dim) is required for Performer only.
struct FeatureMapArgs {
  attention::FeatureMap map = attention::FeatureMap::kEluPlusOne;
  ConstFloats projection;
  long long features = 0;
  double eps = 1e-6;
};

// A streaming (token-by-token) causal linear attention state, validated like linear_attention.
std::unique_ptr<attention::LinearAttentionState> linear_attention_state(long long head_dim, long long value_dim,
                                                                        attention::FeatureMap map,
                                                                        ConstFloats projection, long long features,
                                                                        double eps);

// One decoding step: appends (k, v) and writes the attention of q over every token so far; q and k have
// head_dim values, v and output value_dim.
void linear_state_step(attention::LinearAttentionState& state, const AttentionTensors& step);

// The Performer projection W (features × head_dim) for a seed (an integer below 2^53).
std::vector<float> performer_projection(long long features, long long head_dim, double seed);
// The same, written into output (features × head_dim values).
void performer_projection(long long features, long long head_dim, double seed, Floats output);

// RoPE in place on rows of head_dim values; x holds whole sequences of seq_len rows.
void rope(Floats x, long long seq_len, long long head_dim, long long position_offset, double base);

// The entropy-invariant scale log_L(n)/√d for n keys.
double entropy_invariant_scale(double keys, long long head_dim, double train_len, double min_keys);

// Checks an AttentionScale's kind and parameters (explicit value finite; train_len > 1; min_keys ≥ 1).
void check_scale(const char* where, const attention::AttentionScale& scale);

}  // namespace attnkit::api
