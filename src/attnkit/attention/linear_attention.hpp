// Linear attention o_i = φ(q_i)ᵀ Σ_j φ(k_j) v_jᵀ / φ(q_i)ᵀ Σ_j φ(k_j) (kexue.fm 7546): non-causal with
// two GEMMs, causal as running sums, and the running-sum state itself for token-by-token decoding.
#pragma once
#include <cstddef>
#include <vector>

#include "attnkit/attention/attention_shape.hpp"
#include "attnkit/attention/feature_maps.hpp"

namespace attnkit::attention {

struct LinearAttentionOptions {
  FeatureMapSpec feature_map;
  float eps = 1e-6f;  // added to the denominator of the relu map, which can be 0
};

// The "RNN view": S = Σ φ(k_j) v_jᵀ and z = Σ φ(k_j) over the tokens seen so far. Exponential maps keep a
// running shift c (the largest key log-feature seen) and rescale S, z by e^{c−c'} when it grows.
class LinearAttentionState {
 public:
  LinearAttentionState(std::size_t head_dim, std::size_t value_dim, const LinearAttentionOptions& options);

  void append_key(const float* k, const float* v);
  void query(const float* q, float* out);  // out[value_dim] = attention of q over the keys appended so far
  void step(const float* q, const float* k, const float* v, float* out) {
    append_key(k, v);
    query(q, out);
  }
  void reset();
  std::size_t tokens() const { return tokens_; }
  std::size_t head_dim() const { return head_dim_; }
  std::size_t value_dim() const { return value_dim_; }

 private:
  std::size_t head_dim_, value_dim_, features_;
  LinearAttentionOptions options_;
  std::vector<float> projection_;  // owned copy for Performer, so the state outlives the caller's array
  std::vector<float> kv_sum_;      // S: features × value_dim
  std::vector<float> k_sum_;       // z: features
  std::vector<float> phi_;         // scratch: features
  float shift_;
  std::size_t tokens_ = 0;
};

// Masks: key_lengths (padding) and causal (query i sees keys ≤ i; causal needs query_len == key_len).
// prefix_len is not supported by linear attention (the API rejects it).
void linear_attention(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                      const AttentionMask& mask, const LinearAttentionOptions& options);

}  // namespace attnkit::attention
