// UniLM-style seq2seq (see scripts/attnkit_py/seq2seq.py): one Encoder with segment embeddings under the
// prefix-LM mask; BERT's LM head (dense → GELU → LayerNorm → tied word embeddings + bias) mixed with a copy
// head (pointer-generator): p(w) = g·softmax(logits)(w) + (1 − g)·max(Σ_{i: src_i = w} a_i, 1e-30).
// Decoding keeps a KV cache per hypothesis, so a step runs one token per beam, all beams batched.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "attnkit/model/encoder.hpp"

namespace attnkit::model {

// What the copy head reads from the source: keys of the copyable tokens and their ids.
struct CopySource {
  std::vector<float> keys;        // [count × hidden]: copy_key(final hidden state)
  std::vector<std::int32_t> ids;  // the tokens, source positions 1 … n − 2 ([CLS] and the last [SEP] excluded)
};

// One hypothesis: its KV cache and the question's copy source (shared by all hypotheses of a question).
struct DecoderState {
  KvCache cache;
  std::shared_ptr<const CopySource> source;
};

// The next-token distributions of `rows` states. Only log_prob(row, id) is exact per id, so a constrained
// search pays for the allowed ids only.
struct NextTokens {
  std::size_t rows = 0, vocab = 0;
  std::vector<float> logits;                  // [rows × vocab] generation logits
  std::vector<float> copy;                    // [rows × vocab] copy probabilities (0 for ids not in the source)
  std::vector<float> log_normaliser;          // [rows] logsumexp of the row's logits
  std::vector<float> log_gate, log_not_gate;  // [rows] log g, log(1 − g)
  float log_prob(std::size_t row, std::int32_t id) const;
  // The largest log_prob(row, id) over the whole vocabulary: what the model would write, unconstrained.
  float max_log_prob(std::size_t row) const;
};

class Seq2Seq {
 public:
  static constexpr std::int32_t kSourceSegment = 0, kTargetSegment = 1;

  Seq2Seq(const EncoderConfig& config, const SafeTensors& weights);

  // A state holding `source` ([CLS] question [SEP]) as the prefix; `next` gets the first target token's distribution.
  DecoderState start(const std::vector<std::int32_t>& source, NextTokens& next) const;
  // Appends tokens[i] to *states[i] (target segment); `next` gets one row per state.
  void step(const std::vector<DecoderState*>& states, const std::vector<std::int32_t>& tokens, NextTokens& next) const;
  // Appends a run of target tokens to one state (a forced prefix); `next` gets the distribution after it.
  void extend(DecoderState& state, const std::vector<std::int32_t>& tokens, NextTokens& next) const;
  // Full recomputation (no incremental decoding): log p [target.size() × vocab], row t predicting target[t]
  // from the source and target[0..t).
  std::vector<float> log_probs(const std::vector<std::int32_t>& source, const std::vector<std::int32_t>& target) const;

  const EncoderConfig& config() const { return encoder_.config(); }
  std::size_t vocab_size() const { return encoder_.config().vocab_size; }

 private:
  // next ← the distributions of `rows` hidden states; row r copies from *sources[r].
  void heads(const float* hidden, const std::vector<const CopySource*>& sources, NextTokens& next) const;

  Encoder encoder_;
  Linear transform_, output_;  // output_: the tied word embeddings (packed once) + lm_head.bias
  Norm norm_;
  Linear copy_query_, copy_key_, copy_gate_;
};

}  // namespace attnkit::model
