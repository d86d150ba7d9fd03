// Named-entity recognition: text → tokens (with offsets) → encoder → Efficient GlobalPointer → entity spans
// in code points of the original text, nested entities kept. Text longer than the model's max_length is
// read in overlapping windows, each window contributing the entities that start in its central part.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "attnkit/core/view.hpp"
#include "attnkit/model/encoder.hpp"
#include "attnkit/model/global_pointer.hpp"
#include "attnkit/text/lexicon.hpp"
#include "attnkit/text/tokenizer.hpp"

namespace attnkit::pipelines {

struct Entity {
  std::uint32_t start;  // code points, inclusive
  std::uint32_t end;    // code points, exclusive
  std::uint32_t type;   // index into labels()
  float score;          // sigmoid of the span logit: > 0.5 for every entity returned
};

class Ner {
 public:
  // The three files of a model directory; the weights are copied, so the bytes may be released after.
  Ner(std::string_view config_json, View<const std::uint8_t> safetensors, std::string_view vocab);

  // Entities sorted by start, then longer first, then type.
  std::vector<Entity> extract(std::string_view text) const;
  // extract() of each text, with the windows of all texts run through the encoder in batches of about
  // kBatchTokens tokens (see Encoder::forward_batch): the same entities and scores, fewer, larger GEMMs.
  std::vector<std::vector<Entity>> extract_many(const std::vector<std::string_view>& texts) const;
  static constexpr std::size_t kBatchTokens = 2048;
  // The head's span logits [types × n × n] for token ids (with [CLS]/[SEP]), for parity checks; `lexicon`:
  // each token's lexicon feature bits, required exactly when the model has a lexicon (see lexicon_bits).
  std::vector<float> logits(const std::vector<std::int32_t>& ids, const std::vector<std::uint32_t>& lexicon = {}) const;
  // The lexicon feature bits of text's tokens, with 0 for [CLS] and [SEP] around them (no lexicon: all 0).
  std::vector<std::uint32_t> lexicon_bits(std::string_view text) const;
  // The lexicon's words in text (empty without a lexicon); code points, as Lexicon::matches.
  std::vector<text::Lexicon::Match> lexicon_matches(std::string_view text) const;
  bool has_lexicon() const { return config_.lexicon.features() > 0; }
  const text::Lexicon& lexicon() const { return lexicon_; }
  const std::vector<std::string>& labels() const { return config_.head.labels; }

 private:
  Ner(std::string_view config_json, const model::SafeTensors& weights, text::Tokenizer tokenizer);
  // One window of a text's tokens: [first, last), keeping the entities that start in [keep_from, keep_to).
  struct Window {
    std::size_t text, first, last, keep_from, keep_to;
  };
  static void windows_of(std::size_t text, std::size_t tokens, std::size_t max_tokens, std::vector<Window>& out);
  void entities_of(const Window& w, const std::vector<text::Token>& tokens, const std::vector<float>& scores,
                   std::vector<Entity>& out) const;

  text::Tokenizer tokenizer_;  // before config_: the config is checked against the vocabulary
  model::EncoderConfig config_;
  model::Encoder encoder_;
  model::EfficientGlobalPointer head_;
  text::Lexicon lexicon_;  // no words when the model has no lexicon
  std::int32_t cls_, sep_;
};

}  // namespace attnkit::pipelines
