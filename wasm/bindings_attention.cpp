// Embind bindings of the attention family: softmax, GAU relu², linear (batch and streaming), Performer, RoPE.
#include <emscripten/bind.h>

#include <algorithm>

#include "attnkit/api/attention_api.hpp"
#include "guarded.hpp"

namespace attnkit::wasm {
namespace {

using attention::AttentionScale;
using attention::FeatureMap;
using attention::LinearAttentionState;
using attention::ScaleKind;

struct Tensors {
  ConstFloats q, k, v;
  Floats out;
};

Tensors tensors(std::uintptr_t q, int q_count, std::uintptr_t k, int k_count, std::uintptr_t v, int v_count,
                std::uintptr_t o, int o_count) {
  return {in<float>(q, q_count), in<float>(k, k_count), in<float>(v, v_count), out<float>(o, o_count)};
}

int attention(std::uintptr_t q, int q_count, std::uintptr_t k, int k_count, std::uintptr_t v, int v_count,
              std::uintptr_t o, int o_count, int batch, int heads, int query_len, int key_len, int head_dim,
              int value_dim, bool causal, int prefix_len, std::uintptr_t key_lengths, int key_lengths_count,
              int scale_kind, double scale_value, double train_len, double min_keys) {
  return guarded([&] {
    const Tensors t = tensors(q, q_count, k, k_count, v, v_count, o, o_count);
    AttentionScale scale;
    scale.kind = static_cast<ScaleKind>(std::clamp(scale_kind, 0, 2));
    scale.value = scale_value;
    scale.train_len = train_len;
    scale.min_keys = min_keys;
    api::attention(t.q, t.k, t.v, t.out, {batch, heads, query_len, key_len, head_dim, value_dim},
                   {causal, prefix_len, in<std::int32_t>(key_lengths, key_lengths_count)}, scale);
  });
}

int relu2_attention(std::uintptr_t q, int q_count, std::uintptr_t k, int k_count, std::uintptr_t v, int v_count,
                    std::uintptr_t o, int o_count, int batch, int heads, int query_len, int key_len, int head_dim,
                    int value_dim, bool causal, int prefix_len, std::uintptr_t key_lengths, int key_lengths_count) {
  return guarded([&] {
    const Tensors t = tensors(q, q_count, k, k_count, v, v_count, o, o_count);
    api::relu2_attention(t.q, t.k, t.v, t.out, {batch, heads, query_len, key_len, head_dim, value_dim},
                         {causal, prefix_len, in<std::int32_t>(key_lengths, key_lengths_count)});
  });
}

int linear_attention(std::uintptr_t q, int q_count, std::uintptr_t k, int k_count, std::uintptr_t v, int v_count,
                     std::uintptr_t o, int o_count, int batch, int heads, int query_len, int key_len, int head_dim,
                     int value_dim, bool causal, int prefix_len, std::uintptr_t key_lengths, int key_lengths_count,
                     int feature_map,
                     std::uintptr_t projection, int projection_count, int features, double eps) {
  return guarded([&] {
    const Tensors t = tensors(q, q_count, k, k_count, v, v_count, o, o_count);
    api::linear_attention(t.q, t.k, t.v, t.out, {batch, heads, query_len, key_len, head_dim, value_dim},
                          {causal, prefix_len, in<std::int32_t>(key_lengths, key_lengths_count)},
                          static_cast<FeatureMap>(std::clamp(feature_map, 0, 3)), in<float>(projection, projection_count),
                          features, eps);
  });
}

int linear_state_create(int head_dim, int value_dim, int feature_map, std::uintptr_t projection, int projection_count,
                        int features, double eps, std::uintptr_t handle_out) {
  return guarded([&] {
    auto state = api::linear_attention_state(head_dim, value_dim, static_cast<FeatureMap>(std::clamp(feature_map, 0, 3)),
                                             in<float>(projection, projection_count), features, eps);
    *reinterpret_cast<std::uintptr_t*>(handle_out) = reinterpret_cast<std::uintptr_t>(state.release());
  });
}

// q, k, v and out are sized by the state's own dims, which the TypeScript layer checked.
int linear_state_step(std::uintptr_t handle, std::uintptr_t q, std::uintptr_t k, std::uintptr_t v, std::uintptr_t o) {
  return guarded([&] {
    reinterpret_cast<LinearAttentionState*>(handle)->step(reinterpret_cast<const float*>(q),
                                                          reinterpret_cast<const float*>(k),
                                                          reinterpret_cast<const float*>(v), reinterpret_cast<float*>(o));
  });
}

void linear_state_reset(std::uintptr_t handle) { reinterpret_cast<LinearAttentionState*>(handle)->reset(); }

int linear_state_tokens(std::uintptr_t handle) {
  return static_cast<int>(reinterpret_cast<LinearAttentionState*>(handle)->tokens());
}

void linear_state_destroy(std::uintptr_t handle) { delete reinterpret_cast<LinearAttentionState*>(handle); }

int performer_projection(int features, int head_dim, double seed, std::uintptr_t o, int o_count) {
  return guarded([&] {
    const auto w = api::performer_projection(features, head_dim, seed);
    if (w.size() != static_cast<std::size_t>(o_count)) throw std::logic_error("performerProjection: output size");
    std::copy(w.begin(), w.end(), reinterpret_cast<float*>(o));
  });
}

int rope(std::uintptr_t x, int count, int seq_len, int head_dim, int position_offset, double base) {
  return guarded([&] { api::rope(out<float>(x, count), seq_len, head_dim, position_offset, base); });
}

int entropy_invariant_scale(double keys, int head_dim, double train_len, double min_keys, std::uintptr_t o) {
  return guarded([&] {
    *reinterpret_cast<double*>(o) = api::entropy_invariant_scale(keys, head_dim, train_len, min_keys);
  });
}

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_attention) {
  using namespace attnkit::wasm;
  emscripten::function("attention", &attention);
  emscripten::function("relu2Attention", &relu2_attention);
  emscripten::function("linearAttention", &linear_attention);
  emscripten::function("linearStateCreate", &linear_state_create);
  emscripten::function("linearStateStep", &linear_state_step);
  emscripten::function("linearStateReset", &linear_state_reset);
  emscripten::function("linearStateTokens", &linear_state_tokens);
  emscripten::function("linearStateDestroy", &linear_state_destroy);
  emscripten::function("performerProjection", &performer_projection);
  emscripten::function("rope", &rope);
  emscripten::function("entropyInvariantScale", &entropy_invariant_scale);
}
