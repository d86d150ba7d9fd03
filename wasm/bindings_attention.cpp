// Embind bindings of the attention family: softmax (with adaptive span and persistent memory), GAU relu², linear (batch and streaming), Performer, RoPE.
// Calls take the api layer's structs (tensors, dims, mask, scale, feature map) as JS objects.
#include <emscripten/bind.h>

#include "attnkit/api/attention_api.hpp"
#include "guarded.hpp"
#include "value_objects.hpp"

namespace attnkit::wasm {
namespace {

using api::AttentionDims;
using api::AttentionTensors;
using api::FeatureMapArgs;
using api::MaskArgs;
using api::PersistentArgs;
using api::SpanArgs;
using attention::AttentionScale;
using attention::LinearAttentionState;

int attention(const AttentionTensors& t, const AttentionDims& dims, const MaskArgs& mask, const AttentionScale& scale,
              const SpanArgs& span, const PersistentArgs& persistent) {
  return guarded([&] { api::attention(t.q, t.k, t.v, t.output, dims, mask, scale, span, persistent); });
}

int relu2_attention(const AttentionTensors& t, const AttentionDims& dims, const MaskArgs& mask) {
  return guarded([&] { api::relu2_attention(t.q, t.k, t.v, t.output, dims, mask); });
}

int linear_attention(const AttentionTensors& t, const AttentionDims& dims, const MaskArgs& mask,
                     const FeatureMapArgs& f) {
  return guarded(
      [&] { api::linear_attention(t.q, t.k, t.v, t.output, dims, mask, f.map, f.projection, f.features, f.eps); });
}

std::uintptr_t linear_state_create(double head_dim, double value_dim, const FeatureMapArgs& f) {
  return guarded_handle([&] {
    return api::linear_attention_state(to_integer(head_dim), to_integer(value_dim), f.map,
                                       f.projection, f.features, f.eps);
  });
}

int linear_state_step(std::uintptr_t handle, const AttentionTensors& step) {
  return guarded([&] { api::linear_state_step(object_at<LinearAttentionState>(handle), step); });
}

void linear_state_reset(std::uintptr_t handle) { object_at<LinearAttentionState>(handle).reset(); }
double linear_state_tokens(std::uintptr_t handle) {
  return static_cast<double>(object_at<LinearAttentionState>(handle).tokens());
}

int performer_projection(double features, double head_dim, double seed, const Floats& output) {
  return guarded([&] {
    api::performer_projection(to_integer(features), to_integer(head_dim), seed, output);
  });
}

int rope(const Floats& x, double seq_len, double head_dim, double position_offset, double base) {
  return guarded([&] {
    api::rope(x, to_integer(seq_len), to_integer(head_dim),
              to_integer(position_offset), base);
  });
}

// NaN when the arguments are invalid (see lastError()).
double entropy_invariant_scale(double keys, double head_dim, double train_len, double min_keys) {
  return guarded_or(std::nan(""), [&] {
    return api::entropy_invariant_scale(keys, to_integer(head_dim), train_len, min_keys);
  });
}

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_attention) {
  using namespace attnkit::wasm;  // not attnkit itself: its namespace `attention` would hide the binding
  emscripten::value_object<AttentionTensors>("AttentionTensors")
      .field("q", &AttentionTensors::q)
      .field("k", &AttentionTensors::k)
      .field("v", &AttentionTensors::v)
      .field("output", &AttentionTensors::output);

  emscripten::value_object<AttentionDims> dims("AttentionDims");
  integer_field<&AttentionDims::batch>(dims, "batch");
  integer_field<&AttentionDims::heads>(dims, "heads");
  integer_field<&AttentionDims::query_len>(dims, "queryLen");
  integer_field<&AttentionDims::key_len>(dims, "keyLen");
  integer_field<&AttentionDims::head_dim>(dims, "headDim");
  integer_field<&AttentionDims::value_dim>(dims, "valueDim");

  emscripten::value_object<MaskArgs> mask("MaskArgs");
  mask.field("causal", &MaskArgs::causal).field("keyLengths", &MaskArgs::key_lengths);
  integer_field<&MaskArgs::prefix_len>(mask, "prefixLen");

  // kind: 0 inverse √d, 1 entropy-invariant, 2 explicit `value` (attention::ScaleKind).
  emscripten::value_object<AttentionScale> scale("AttentionScale");
  enum_field<&AttentionScale::kind>(scale, "kind");
  scale.field("value", &AttentionScale::value)
      .field("trainLen", &AttentionScale::train_len)
      .field("minKeys", &AttentionScale::min_keys);

  emscripten::value_object<SpanArgs>("SpanArgs").field("size", &SpanArgs::size).field("ramp", &SpanArgs::ramp);

  emscripten::value_object<PersistentArgs> persistent("PersistentArgs");
  persistent.field("keys", &PersistentArgs::keys).field("values", &PersistentArgs::values);
  integer_field<&PersistentArgs::count>(persistent, "count");

  // map: 0 elu+1, 1 relu, 2 exp, 3 performer (attention::FeatureMap).
  emscripten::value_object<FeatureMapArgs> feature_map("FeatureMapArgs");
  enum_field<&FeatureMapArgs::map>(feature_map, "map");
  feature_map.field("projection", &FeatureMapArgs::projection).field("eps", &FeatureMapArgs::eps);
  integer_field<&FeatureMapArgs::features>(feature_map, "features");

  emscripten::function("attention", &attention);
  emscripten::function("relu2Attention", &relu2_attention);
  emscripten::function("linearAttention", &linear_attention);
  emscripten::function("linearStateCreate", &linear_state_create);
  emscripten::function("linearStateStep", &linear_state_step);
  emscripten::function("linearStateReset", &linear_state_reset);
  emscripten::function("linearStateTokens", &linear_state_tokens);
  emscripten::function("linearStateDestroy", &destroy<LinearAttentionState>);
  emscripten::function("performerProjection", &performer_projection);
  emscripten::function("rope", &rope);
  emscripten::function("entropyInvariantScale", &entropy_invariant_scale);
}
