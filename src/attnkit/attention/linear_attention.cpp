#include "attnkit/attention/linear_attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "attnkit/kernels/gemm.hpp"
#include "attnkit/kernels/vector_ops.hpp"

namespace attnkit::attention {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// φ(q) for one query: exponential maps subtract the row's own maximum (it cancels in the ratio).
void query_features(const FeatureMapSpec& spec, const float* q, std::size_t head_dim, float* phi) {
  raw_features(spec, q, head_dim, phi);
  const std::size_t f = feature_count(spec, head_dim);
  if (is_exponential(spec.map)) kernels::exp_shifted(phi, phi, f, kernels::vector_max(phi, f));
}

// out = num / (den + eps); a zero denominator (nothing visible) gives zeros.
void divide_row(float* out, std::size_t dv, float den) {
  kernels::scale_in_place(out, dv, den > 0.0f ? 1.0f / den : 0.0f);
}

}  // namespace

LinearAttentionState::LinearAttentionState(std::size_t head_dim, std::size_t value_dim,
                                           const LinearAttentionOptions& options)
    : head_dim_(head_dim),
      value_dim_(value_dim),
      features_(feature_count(options.feature_map, head_dim)),
      options_(options) {
  if (options.feature_map.projection) {
    projection_.assign(options.feature_map.projection, options.feature_map.projection + features_ * head_dim);
    options_.feature_map.projection = projection_.data();
  }
  kv_sum_.resize(features_ * value_dim);
  k_sum_.resize(features_);
  phi_.resize(features_);
  reset();
}

void LinearAttentionState::reset() {
  std::fill(kv_sum_.begin(), kv_sum_.end(), 0.0f);
  std::fill(k_sum_.begin(), k_sum_.end(), 0.0f);
  shift_ = kNegInf;
  tokens_ = 0;
}

void LinearAttentionState::append_key(const float* k, const float* v) {
  raw_features(options_.feature_map, k, head_dim_, phi_.data());
  if (is_exponential(options_.feature_map.map)) {
    const float new_shift = std::max(shift_, kernels::vector_max(phi_.data(), features_));
    if (shift_ != kNegInf && new_shift != shift_) {
      const float correction = std::exp(shift_ - new_shift);
      kernels::scale_in_place(kv_sum_.data(), kv_sum_.size(), correction);
      kernels::scale_in_place(k_sum_.data(), features_, correction);
    }
    shift_ = new_shift;
    kernels::exp_shifted(phi_.data(), phi_.data(), features_, shift_);
  }
  for (std::size_t f = 0; f < features_; ++f) kernels::axpy(phi_[f], v, kv_sum_.data() + f * value_dim_, value_dim_);
  kernels::axpy(1.0f, phi_.data(), k_sum_.data(), features_);
  ++tokens_;
}

void LinearAttentionState::query(const float* q, float* out) {
  query_features(options_.feature_map, q, head_dim_, phi_.data());
  std::fill(out, out + value_dim_, 0.0f);
  for (std::size_t f = 0; f < features_; ++f) kernels::axpy(phi_[f], kv_sum_.data() + f * value_dim_, out, value_dim_);
  const float eps = options_.feature_map.map == FeatureMap::kRelu ? options_.eps : 0.0f;
  divide_row(out, value_dim_, kernels::dot(phi_.data(), k_sum_.data(), features_) + eps);
}

namespace {

// Non-causal: KV = Φ(K)ᵀ·V and z = Σ φ(k_j) once per head, then out = Φ(Q)·KV / Φ(Q)·z.
void non_causal_head(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                     std::size_t keys, const LinearAttentionOptions& options, std::vector<float>& scratch) {
  const FeatureMapSpec& spec = options.feature_map;
  const std::size_t d = shape.head_dim, dv = shape.value_dim, f = feature_count(spec, d), n = shape.query_len;
  if (keys == 0) {
    std::fill(out, out + n * dv, 0.0f);
    return;
  }
  scratch.resize(f * keys + f * dv + f + n * f + f);
  float* phi_k_t = scratch.data();  // f × keys (transposed, the A operand of Φ(K)ᵀ·V)
  float* kv = phi_k_t + f * keys;   // f × dv
  float* z = kv + f * dv;           // f
  float* phi_q = z + f;             // n × f
  float* row = phi_q + n * f;       // f
  float shift = kNegInf;
  for (std::size_t j = 0; j < keys; ++j) {
    raw_features(spec, k + j * d, d, row);
    for (std::size_t i = 0; i < f; ++i) phi_k_t[i * keys + j] = row[i];
    if (is_exponential(spec.map)) shift = std::max(shift, kernels::vector_max(row, f));
  }
  for (std::size_t i = 0; i < f; ++i) {
    float* features_i = phi_k_t + i * keys;
    z[i] = is_exponential(spec.map) ? kernels::exp_shifted(features_i, features_i, keys, shift)
                                    : kernels::vector_sum(features_i, keys);
  }
  kernels::gemm(phi_k_t, v, kv, f, dv, keys, kernels::BLayout::kRowMajor);
  for (std::size_t i = 0; i < n; ++i) query_features(spec, q + i * d, d, phi_q + i * f);
  kernels::gemm(phi_q, kv, out, n, dv, f, kernels::BLayout::kRowMajor);
  const float eps = spec.map == FeatureMap::kRelu ? options.eps : 0.0f;
  for (std::size_t i = 0; i < n; ++i) divide_row(out + i * dv, dv, kernels::dot(phi_q + i * f, z, f) + eps);
}

}  // namespace

void linear_attention(const float* q, const float* k, const float* v, float* out, const AttentionShape& shape,
                      const AttentionMask& mask, const LinearAttentionOptions& options) {
  const std::size_t d = shape.head_dim, dv = shape.value_dim;
  std::vector<float> scratch;
  LinearAttentionState state(d, dv, options);
  for (std::size_t b = 0; b < shape.batch; ++b) {
    const std::size_t keys = mask.key_lengths ? static_cast<std::size_t>(mask.key_lengths[b]) : shape.key_len;
    for (std::size_t h = 0; h < shape.heads; ++h) {
      const auto [qh, kh, vh, oh] = head_tensors(q, k, v, out, shape, b, h);
      if (!mask.causal) {
        non_causal_head(qh, kh, vh, oh, shape, keys, options, scratch);
        continue;
      }
      state.reset();
      for (std::size_t i = 0; i < shape.query_len; ++i) {
        if (i < keys) state.append_key(kh + i * d, vh + i * dv);
        state.query(qh + i * d, oh + i * dv);
      }
    }
  }
}

}  // namespace attnkit::attention
