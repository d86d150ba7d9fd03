// config.json of an attnkit model directory: the encoder's sizes and choices and the span head.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "attnkit/attention/scale.hpp"

namespace attnkit::model {

struct HeadConfig {
  std::string type;  // "efficient_global_pointer"
  std::size_t head_size = 64;
  std::vector<std::string> labels;
};

// Word-lexicon features (scripts/attnkit_py/lexicon.py): a word found in the text sets, on each of its
// characters, the bit role · classes + class, role 0 = first character, 1 = inside, 2 = last. The encoder adds
// one learned vector per set bit ("embeddings.lexicon_embeddings.weight" [features × hidden]).
struct LexiconConfig {
  std::vector<std::string> classes;  // empty: the model has no lexicon
  // "spans": the span head adds a learned bias per (class, type) ("head.lexicon_span_bias" [classes × types])
  // to span (i, j) when token i has class c's first-character bit and token j its last-character bit.
  bool spans = false;
  static constexpr std::size_t kRoles = 3;
  std::size_t features() const { return kRoles * classes.size(); }
};

struct EncoderConfig {
  std::string model_type = "attnkit-encoder";  // or "attnkit-seq2seq" (UniLM: segments, prefix-LM, LM head)
  std::size_t segments = 0;                    // segment (token type) embeddings; 0 = none
  std::size_t vocab_size = 0, hidden_size = 0, num_layers = 0, num_heads = 0, intermediate_size = 0;
  std::size_t max_length = 512;
  double layer_norm_eps = 1e-12;
  double rope_base = 10000.0;
  attention::AttentionScale scale;
  LexiconConfig lexicon;
  HeadConfig head;  // type empty when config.json has no span head (seq2seq models)
};

// Parses and validates config.json; attnkit::Error names a missing field or a wrong type or value.
EncoderConfig parse_config(std::string_view json_text);

}  // namespace attnkit::model
