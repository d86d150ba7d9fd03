// UniLM-style seq2seq (see scripts/attnkit_py/seq2seq.py): one Encoder with segment embeddings under the
// prefix-LM mask, and BERT's LM head (dense → GELU → LayerNorm → tied word embeddings + bias). Decoding
// keeps a KV cache per hypothesis, so a step runs one token per beam, all beams batched.
#pragma once
#include <cstdint>
#include <vector>

#include "attnkit/model/encoder.hpp"

namespace attnkit::model {

class Seq2Seq {
 public:
  static constexpr std::int32_t kSourceSegment = 0, kTargetSegment = 1;

  Seq2Seq(const EncoderConfig& config, const SafeTensors& weights);

  // A cache holding `source` (as the prefix) and, in next_logits, the logits [vocab] of the first target token.
  KvCache start(const std::vector<std::int32_t>& source, std::vector<float>& next_logits) const;
  // Appends tokens[i] to *caches[i] (target segment) and writes logits [caches.size() × vocab] of the next tokens.
  void step(const std::vector<KvCache*>& caches, const std::vector<std::int32_t>& tokens,
            std::vector<float>& logits) const;
  // Appends a run of target tokens to one cache (a forced prefix); returns the logits [vocab] after it.
  void extend(KvCache& cache, const std::vector<std::int32_t>& tokens, std::vector<float>& next_logits) const;
  // Full recomputation (no incremental decoding): logits [target.size() × vocab], row t predicting target[t]
  // from the source and target[0..t).
  std::vector<float> logits(const std::vector<std::int32_t>& source, const std::vector<std::int32_t>& target) const;

  const EncoderConfig& config() const { return encoder_.config(); }
  std::size_t vocab_size() const { return encoder_.config().vocab_size; }

 private:
  void lm_head(const float* hidden, std::size_t rows, std::vector<float>& logits) const;

  Encoder encoder_;
  Linear transform_, output_;  // output_: the tied word embeddings (packed once) + lm_head.bias
  Norm norm_;
};

}  // namespace attnkit::model
