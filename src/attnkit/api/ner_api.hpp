// Validated entry points for the NER pipeline: loading a model from its files' bytes, extraction, and
// copying the results out into caller-sized buffers (every buffer's size is checked here, so a binding
// called directly cannot be made to write past one).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "attnkit/core/view.hpp"
#include "attnkit/pipelines/ner.hpp"

namespace attnkit::api {

// The three files of a model directory, as bytes (config.json and vocab.txt are UTF-8 text).
struct ModelFiles {
  View<const std::uint8_t> config, weights, vocab;
};

// A loaded model and the entities of its last extraction, held until the caller copies them out.
struct NerSession {
  pipelines::Ner ner;
  std::vector<pipelines::Entity> last;
};

// Checks that each file's view is usable (sizes are checked by the parsers); `where` names the caller.
void require_files(const char* where, const ModelFiles& files);

std::unique_ptr<NerSession> load_ner(const ModelFiles& files);

// Extracts the entities of UTF-8 text into session.last and returns how many there are.
std::size_t ner_extract(NerSession& session, View<const std::uint8_t> text);

// Extracts the entities of several UTF-8 texts (back to back, with their byte lengths) into session.last,
// text after text, writes each text's entity count into counts (one per text) and returns the total.
std::size_t ner_extract_many(NerSession& session, View<const std::uint8_t> texts, View<const std::int32_t> lengths,
                             View<std::int32_t> counts);

// Copies the last entities out as [start, end, type] per entity (ints: 3·count) and their scores
// (count), then releases them: results are read once, so the session does not hold their memory.
void ner_take_entities(NerSession& session, View<std::int32_t> ints, Floats scores);

// The head's span logits [labels × n × n] of n token ids (with [CLS]/[SEP]) written into output; `lexicon`
// holds each token's lexicon feature bits (n of them) for a model with a lexicon, and is empty otherwise.
void ner_logits(const NerSession& session, View<const std::int32_t> ids, View<const std::int32_t> lexicon,
                Floats output);

// The lexicon feature bits of UTF-8 text's tokens, 0 for [CLS] and [SEP] around them, written into output
// (room for at least code points + 2: every token covers a code point); returns how many were written.
std::size_t ner_lexicon_bits(const NerSession& session, View<const std::uint8_t> text, View<std::int32_t> output);

// The name of entity type `index`.
const std::string& ner_label(const NerSession& session, long long index);

}  // namespace attnkit::api
