#include "attnkit/api/attention_api.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "attnkit/api/checks.hpp"
#include "attnkit/attention/gau_attention.hpp"
#include "attnkit/attention/linear_attention.hpp"
#include "attnkit/attention/performer.hpp"
#include "attnkit/attention/softmax_attention.hpp"
#include "attnkit/kernels/rope.hpp"

namespace attnkit::api {
namespace {

using attention::AttentionMask;
using attention::AttentionShape;

struct Checked {
  AttentionShape shape;
  AttentionMask mask;
};

// Validates dims, tensor sizes, values and the mask; returns the unsigned shape and the kernel mask.
Checked check_attention(const char* where, ConstFloats q, ConstFloats k, ConstFloats v, Floats out,
                        const AttentionDims& dims, const MaskArgs& mask_args) {
  const std::size_t heads_total = matrix_count(where, "batch", dims.batch, "heads", dims.heads);
  const std::size_t q_rows = checked_product(where, heads_total, matrix_count(where, "queryLen", dims.query_len, "headDim", dims.head_dim));
  const std::size_t k_rows = checked_product(where, heads_total, matrix_count(where, "keyLen", dims.key_len, "headDim", dims.head_dim));
  const std::size_t v_rows = checked_product(where, heads_total, matrix_count(where, "keyLen", dims.key_len, "valueDim", dims.value_dim));
  const std::size_t o_rows = checked_product(where, heads_total, matrix_count(where, "queryLen", dims.query_len, "valueDim", dims.value_dim));
  require_size(where, "q", q, q_rows, "batch*heads*queryLen*headDim");
  require_size(where, "k", k, k_rows, "batch*heads*keyLen*headDim");
  require_size(where, "v", v, v_rows, "batch*heads*keyLen*valueDim");
  require_size(where, "output", out, o_rows, "batch*heads*queryLen*valueDim");
  require_finite(where, "q", q.data, q.size);
  require_finite(where, "k", k.data, k.size);
  require_finite(where, "v", v.data, v.size);

  Checked checked;
  checked.shape = {static_cast<std::size_t>(dims.batch), static_cast<std::size_t>(dims.heads),
                   static_cast<std::size_t>(dims.query_len), static_cast<std::size_t>(dims.key_len),
                   static_cast<std::size_t>(dims.head_dim), static_cast<std::size_t>(dims.value_dim)};
  if (mask_args.prefix_len < 0 || mask_args.prefix_len > dims.key_len)
    fail(where, ": prefixLen must be in [0, keyLen = ", dims.key_len, "], got ", mask_args.prefix_len);
  if (mask_args.prefix_len > 0 && !mask_args.causal)
    fail(where, ": prefixLen (prefix-LM) needs causal: true; without it every key is visible anyway");
  if (mask_args.key_lengths.size > 0) {
    require_size(where, "keyLengths", mask_args.key_lengths, checked.shape.batch, "batch");
    for (std::size_t b = 0; b < mask_args.key_lengths.size; ++b) {
      const long long length = mask_args.key_lengths.data[b];
      if (length < 0 || length > dims.key_len)
        fail(where, ": keyLengths[", b, "] must be in [0, keyLen = ", dims.key_len, "], got ", length);
    }
  }
  checked.mask.causal = mask_args.causal;
  checked.mask.prefix_len = static_cast<std::size_t>(mask_args.prefix_len);
  checked.mask.key_lengths = mask_args.key_lengths.size > 0 ? mask_args.key_lengths.data : nullptr;
  return checked;
}

attention::AdaptiveSpan check_span(const char* where, const SpanArgs& span, const AttentionDims& dims,
                                   const MaskArgs& mask) {
  if (span.size.size == 0) return {};
  require_size(where, "span.size", span.size, static_cast<std::size_t>(dims.heads), "heads");
  if (!mask.causal) fail(where, ": an adaptive span needs causal: true (it masks keys by their distance back)");
  if (mask.prefix_len > 0) fail(where, ": an adaptive span cannot be combined with prefixLen");
  for (std::size_t h = 0; h < span.size.size; ++h) {
    const float z = span.size.data[h];
    if (!(z > 0.0f) || !std::isfinite(z)) fail(where, ": span.size[", h, "] must be a finite number > 0, got ", z);
  }
  if (!(span.ramp > 0.0) || !std::isfinite(span.ramp) || span.ramp > 3.0e38)
    fail(where, ": span.ramp must be a finite number > 0, got ", span.ramp);
  return {span.size.data, static_cast<float>(span.ramp)};
}

attention::PersistentMemory check_persistent(const char* where, const PersistentArgs& memory, const AttentionDims& dims) {
  if (memory.count < 0) fail(where, ": persistent.count must be >= 0, got ", memory.count);
  if (memory.count == 0) {
    if (memory.keys.size > 0 || memory.values.size > 0)
      fail(where, ": persistent.count is 0 but persistent keys or values were given");
    return {};
  }
  const std::size_t rows = matrix_count(where, "heads", dims.heads, "persistent.count", memory.count);
  require_size(where, "persistent.keys", memory.keys, checked_product(where, rows, static_cast<std::size_t>(dims.head_dim)),
               "heads*persistent.count*headDim");
  require_size(where, "persistent.values", memory.values,
               checked_product(where, rows, static_cast<std::size_t>(dims.value_dim)), "heads*persistent.count*valueDim");
  require_finite(where, "persistent.keys", memory.keys.data, memory.keys.size);
  require_finite(where, "persistent.values", memory.values.data, memory.values.size);
  return {memory.keys.data, memory.values.data, static_cast<std::size_t>(memory.count)};
}

attention::LinearAttentionOptions linear_options(const char* where, long long head_dim, attention::FeatureMap map,
                                                ConstFloats projection, long long features, double eps) {
  require_known(where, "featureMap", map, attention::FeatureMap::kPerformer);
  if (!(eps >= 0.0) || !std::isfinite(eps)) fail(where, ": eps must be a finite number >= 0, got ", eps);
  attention::LinearAttentionOptions options;
  options.feature_map.map = map;
  options.eps = static_cast<float>(eps);
  if (map == attention::FeatureMap::kPerformer) {
    const std::size_t count = matrix_count(where, "features", features, "headDim", head_dim);
    require_size(where, "projection", projection, count, "features*headDim");
    require_finite(where, "projection", projection.data, projection.size);
    options.feature_map.projection = projection.data;
    options.feature_map.features = static_cast<std::size_t>(features);
  }
  return options;
}

// The linear-attention kernels hold features × (per-feature values) floats of scratch or state; on wasm32 that
// product must be checked here, or it could wrap around to a small allocation the kernel then overruns. Too
// large is an out-of-memory failure, as when a container is asked for more than the address space.
void check_feature_memory(const attention::LinearAttentionOptions& options, long long head_dim, double per_feature) {
  const bool performer = options.feature_map.map == attention::FeatureMap::kPerformer;
  const double features = performer ? static_cast<double>(options.feature_map.features) : static_cast<double>(head_dim);
  if (features * per_feature > static_cast<double>(std::numeric_limits<std::size_t>::max() / sizeof(float)))
    throw std::length_error("linear attention: features x values per feature exceed the address space");
}

}  // namespace

std::unique_ptr<attention::LinearAttentionState> linear_attention_state(long long head_dim, long long value_dim,
                                                                        attention::FeatureMap map,
                                                                        ConstFloats projection, long long features,
                                                                        double eps) {
  const char* where = "LinearAttentionState";
  matrix_count(where, "headDim", head_dim, "valueDim", value_dim);
  const auto options = linear_options(where, head_dim, map, projection, features, eps);
  check_feature_memory(options, head_dim, static_cast<double>(value_dim) + 2.0);
  return std::make_unique<attention::LinearAttentionState>(static_cast<std::size_t>(head_dim),
                                                           static_cast<std::size_t>(value_dim), options);
}

void linear_state_step(attention::LinearAttentionState& state, const AttentionTensors& step) {
  const char* where = "LinearAttentionState.step";
  require_size(where, "q", step.q, state.head_dim(), "headDim");
  require_size(where, "k", step.k, state.head_dim(), "headDim");
  require_size(where, "v", step.v, state.value_dim(), "valueDim");
  require_size(where, "output", step.output, state.value_dim(), "valueDim");
  state.step(step.q.data, step.k.data, step.v.data, step.output.data);
}

void check_scale(const char* where, const attention::AttentionScale& scale) {
  require_known(where, "scale kind", scale.kind, attention::ScaleKind::kExplicit);
  if (scale.kind == attention::ScaleKind::kExplicit && !std::isfinite(scale.value))
    fail(where, ": scale must be a finite number, got ", scale.value);
  if (scale.kind == attention::ScaleKind::kEntropyInvariant) {
    if (!(scale.train_len > 1.0) || !std::isfinite(scale.train_len))
      fail(where, ": trainLen must be a finite number > 1, got ", scale.train_len);
    if (!(scale.min_keys >= 1.0) || !std::isfinite(scale.min_keys))
      fail(where, ": minKeys must be a finite number >= 1, got ", scale.min_keys);
  }
}

void attention(ConstFloats q, ConstFloats k, ConstFloats v, Floats out, const AttentionDims& dims,
               const MaskArgs& mask, const attention::AttentionScale& scale, const SpanArgs& span,
               const PersistentArgs& persistent) {
  const char* where = "attention";
  check_scale(where, scale);
  const Checked c = check_attention(where, q, k, v, out, dims, mask);
  attention::AttentionExtras extras;
  extras.span = check_span(where, span, dims, mask);
  extras.persistent = check_persistent(where, persistent, dims);
  attention::softmax_attention(q.data, k.data, v.data, out.data, c.shape, c.mask, scale, extras);
}

void relu2_attention(ConstFloats q, ConstFloats k, ConstFloats v, Floats out, const AttentionDims& dims,
                     const MaskArgs& mask) {
  const Checked c = check_attention("gauAttention", q, k, v, out, dims, mask);
  attention::relu2_attention(q.data, k.data, v.data, out.data, c.shape, c.mask);
}

void linear_attention(ConstFloats q, ConstFloats k, ConstFloats v, Floats out, const AttentionDims& dims,
                      const MaskArgs& mask, attention::FeatureMap map, ConstFloats projection, long long features,
                      double eps) {
  const char* where = "linearAttention";
  const Checked c = check_attention(where, q, k, v, out, dims, mask);
  if (mask.prefix_len > 0) fail(where, ": prefixLen (prefix-LM) is not supported by linear attention");
  if (mask.causal && dims.query_len != dims.key_len)
    fail(where, ": causal linear attention needs queryLen == keyLen (got ", dims.query_len, " and ", dims.key_len,
         "); use LinearAttentionState to decode token by token");
  const auto options = linear_options(where, dims.head_dim, map, projection, features, eps);
  check_feature_memory(options, dims.head_dim,
                       static_cast<double>(dims.key_len) + static_cast<double>(dims.value_dim) +
                           static_cast<double>(dims.query_len) + 2.0);
  attention::linear_attention(q.data, k.data, v.data, out.data, c.shape, c.mask, options);
}

std::vector<float> performer_projection(long long features, long long head_dim, double seed) {
  const char* where = "performerProjection";
  matrix_count(where, "features", features, "headDim", head_dim);
  if (!(seed >= 0.0) || seed > 9007199254740991.0 || std::floor(seed) != seed)
    fail(where, ": seed must be an integer in [0, 2^53), got ", seed);
  return attention::performer_projection(static_cast<std::size_t>(features), static_cast<std::size_t>(head_dim),
                                         static_cast<std::uint64_t>(seed));
}

void performer_projection(long long features, long long head_dim, double seed, Floats output) {
  const char* where = "performerProjection";
  require_size(where, "output", output, matrix_count(where, "features", features, "headDim", head_dim),
               "features*headDim");
  const auto w = performer_projection(features, head_dim, seed);
  std::copy(w.begin(), w.end(), output.data);
}

void rope(Floats x, long long seq_len, long long head_dim, long long position_offset, double base) {
  const char* where = "rope";
  const std::size_t per_sequence = matrix_count(where, "seqLen", seq_len, "headDim", head_dim);
  if (head_dim % 2 != 0) fail(where, ": headDim must be even (values rotate in pairs), got ", head_dim);
  if (x.size == 0 || x.size % per_sequence != 0)
    fail(where, ": x has ", x.size, " values, expected a positive multiple of seqLen*headDim = ", per_sequence);
  if (position_offset < 0) fail(where, ": positionOffset must be >= 0, got ", position_offset);
  if (!(base > 1.0) || !std::isfinite(base)) fail(where, ": base must be a finite number > 1, got ", base);
  require_finite(where, "x", x.data, x.size);
  kernels::apply_rope(x.data, x.size / static_cast<std::size_t>(head_dim), static_cast<std::size_t>(head_dim),
                      static_cast<std::size_t>(seq_len), static_cast<std::size_t>(position_offset), base);
}

double entropy_invariant_scale(double keys, long long head_dim, double train_len, double min_keys) {
  const char* where = "entropyInvariantScale";
  require_positive(where, "headDim", head_dim);
  if (!(keys >= 1.0) || !std::isfinite(keys)) fail(where, ": keys must be a finite number >= 1, got ", keys);
  attention::AttentionScale scale;
  scale.kind = attention::ScaleKind::kEntropyInvariant;
  scale.train_len = train_len;
  scale.min_keys = min_keys;
  check_scale(where, scale);
  return attention::entropy_invariant_scale(keys, static_cast<std::size_t>(head_dim), train_len, min_keys);
}

}  // namespace attnkit::api
