// The transformer encoder of attnkit models (see scripts/attnkit_py/model.py): embeddings → LayerNorm →
// post-LN layers with RoPE self-attention (fused kernel, scale per config) and a GELU feed-forward.
#pragma once
#include <cstdint>
#include <vector>

#include "attnkit/kernels/gemm.hpp"
#include "attnkit/kernels/rope.hpp"
#include "attnkit/model/config.hpp"
#include "attnkit/model/safetensors.hpp"

namespace attnkit::model {

struct Linear {
  kernels::PackedB weight;  // Wᵀ packed once at load (PyTorch stores W as [out, in]); re-packing it per
                            // call cost 14% of NER latency
  std::vector<float> bias;  // [out]
  std::size_t in = 0, out = 0;
};

struct Norm {
  std::vector<float> gamma, beta;
};

// y[rows × out] = x[rows × in] · Wᵀ + b.
void apply_linear(const Linear& layer, const float* x, std::size_t rows, float* y);
Linear load_linear(const SafeTensors& st, const std::string& name, std::size_t in, std::size_t out);
Norm load_norm(const SafeTensors& st, const std::string& name, std::size_t size);

// Keys (after RoPE) and values of every layer for one sequence, so that decoding a token costs one token.
// The tokens of the first call form the prefix: they all see each other (the UniLM source); tokens added
// later see the prefix and the tokens before them (prefix-LM). Copyable: beam search reorders caches.
struct KvCache {
  std::size_t length = 0, prefix_len = 0;
  // Per layer and head (index layer·heads + head): [length × head_dim] keys and values. Sized to what is
  // used, so copying a cache (beam search does, per step) copies only the cached tokens.
  std::vector<std::vector<float>> keys, values;
};

// Tokens to append to one cached sequence (a decoding step, or a whole source).
struct CachedRun {
  KvCache* cache;
  const std::int32_t* ids;
  std::size_t count;
  std::int32_t segment;
};

class Encoder {
 public:
  Encoder(const EncoderConfig& config, const SafeTensors& weights);

  // Per token, the lexicon feature bits (LexiconConfig); required exactly when the config has a lexicon.
  using LexiconBits = std::vector<std::uint32_t>;

  // Hidden states [ids.size() × hidden_size] of one sequence (all tokens attend to all tokens).
  std::vector<float> forward(const std::vector<std::int32_t>& ids, const LexiconBits& lexicon = {}) const;
  // The same for several sequences at once, their hidden states concatenated [Σ sizes × hidden_size]: each
  // attends only to itself, while the dense layers run once over all rows (one GEMM per weight matrix, which
  // reuses each packed panel of weights across more rows). Every row equals its sequence's forward() exactly:
  // a GEMM row does not depend on the other rows.
  std::vector<float> forward_batch(const std::vector<std::vector<std::int32_t>>& sequences,
                                   const std::vector<LexiconBits>& lexicon = {}) const;
  // Appends each run's tokens to its cache and returns their hidden states, runs concatenated
  // [Σ count × hidden_size]. Runs are batched through the dense layers (one GEMM per layer for all beams).
  std::vector<float> forward_cached(const std::vector<CachedRun>& runs) const;
  KvCache new_cache() const;
  const EncoderConfig& config() const { return config_; }
  // The word embeddings [vocab × hidden] (seq2seq models tie their output layer to them).
  const std::vector<float>& word_embeddings() const { return embeddings_; }

 private:
  struct Layer {
    Linear query, key, value, output, intermediate, ffn_output;
    Norm attention_norm, output_norm;
  };
  // lexicon: per token feature bits, or null (models without a lexicon).
  void embed(const std::int32_t* ids, std::size_t n, std::int32_t segment, const std::uint32_t* lexicon,
             float* x) const;
  // lengths: the sequences' row counts in x, back to back.
  void self_attention(const Layer& layer, std::vector<float>& x, const std::vector<std::size_t>& lengths) const;
  void cached_attention(std::size_t index, std::vector<float>& x, const std::vector<CachedRun>& runs) const;
  void attention_output(const Layer& layer, const std::vector<float>& attended, std::vector<float>& x,
                        std::size_t n) const;
  void feed_forward(const Layer& layer, std::vector<float>& x, std::size_t n) const;
  void add_and_normalize(const std::vector<float>& out, const Norm& norm, std::vector<float>& x, std::size_t n) const;

  EncoderConfig config_;
  std::vector<float> embeddings_;
  std::vector<float> segment_embeddings_;  // [segments × hidden], empty when the config has none
  std::vector<float> lexicon_embeddings_;  // [lexicon features × hidden], empty when the config has none
  Norm embedding_norm_;
  std::vector<Layer> layers_;
  kernels::RopeTable rope_;
};

}  // namespace attnkit::model
