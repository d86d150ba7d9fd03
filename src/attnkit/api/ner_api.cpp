#include "attnkit/api/ner_api.hpp"

#include <algorithm>

#include "attnkit/api/checks.hpp"

namespace attnkit::api {

void require_files(const char* where, const ModelFiles& files) {
  require_data(where, "config", files.config);
  require_data(where, "weights", files.weights);
  require_data(where, "vocab", files.vocab);
}

std::unique_ptr<NerSession> load_ner(const ModelFiles& files) {
  require_files("NER.load", files);
  return std::make_unique<NerSession>(
      NerSession{pipelines::Ner(text_of(files.config), files.weights, text_of(files.vocab)), {}});
}

std::size_t ner_extract(NerSession& session, View<const std::uint8_t> text) {
  require_data("NER.extract", "text", text);
  session.last = session.ner.extract(text_of(text));
  return session.last.size();
}

std::size_t ner_extract_many(NerSession& session, View<const std::uint8_t> texts, View<const std::int32_t> lengths,
                             View<std::int32_t> counts) {
  const char* where = "NER.extractMany";
  const std::vector<std::string_view> list = texts_of(where, texts, lengths);
  require_size(where, "counts", counts, list.size(), "texts");
  session.last.clear();
  const auto found = session.ner.extract_many(list);
  for (std::size_t t = 0; t < found.size(); ++t) {
    counts.data[t] = static_cast<std::int32_t>(found[t].size());
    session.last.insert(session.last.end(), found[t].begin(), found[t].end());
  }
  return session.last.size();
}

void ner_take_entities(NerSession& session, View<std::int32_t> ints, Floats scores) {
  const char* where = "NER.extract";
  const std::size_t count = session.last.size();
  require_size(where, "ints", ints, checked_product(where, count, 3), "3*entities");
  require_size(where, "scores", scores, count, "entities");
  std::int32_t* int_out = ints.data;
  for (std::size_t e = 0; e < count; ++e) {
    const auto& entity = session.last[e];
    *int_out++ = static_cast<std::int32_t>(entity.start);
    *int_out++ = static_cast<std::int32_t>(entity.end);
    *int_out++ = static_cast<std::int32_t>(entity.type);
    scores.data[e] = entity.score;
  }
  std::vector<pipelines::Entity>().swap(session.last);
}

void ner_logits(const NerSession& session, View<const std::int32_t> ids, View<const std::int32_t> lexicon,
                Floats output) {
  const char* where = "NER.logits";
  if (ids.size == 0) fail(where, ": ids must not be empty");
  require_data(where, "ids", ids);
  const std::size_t cells = checked_product(where, ids.size, ids.size);
  require_size(where, "output", output, checked_product(where, session.ner.labels().size(), cells), "labels*n*n");
  if (session.ner.has_lexicon() && lexicon.size == 0)
    fail(where, ": this model has a lexicon: pass each token's lexicon features (NER.lexiconFeatures)");
  if (!session.ner.has_lexicon() && lexicon.size != 0) fail(where, ": this model has no lexicon; pass no features");
  if (lexicon.size != 0) {
    require_data(where, "lexicon", lexicon);
    require_size(where, "lexicon", lexicon, ids.size, "ids");
  }
  std::vector<std::uint32_t> bits(lexicon.data, lexicon.data + lexicon.size);
  const auto logits = session.ner.logits({ids.data, ids.data + ids.size}, bits);
  std::copy(logits.begin(), logits.end(), output.data);
}

std::size_t ner_lexicon_bits(const NerSession& session, View<const std::uint8_t> text, View<std::int32_t> output) {
  const char* where = "NER.lexiconFeatures";
  require_data(where, "text", text);
  require_data(where, "output", output);
  const auto bits = session.ner.lexicon_bits(text_of(text));
  if (bits.size() > output.size)
    fail(where, ": output has room for ", output.size, " tokens, the text has ", bits.size());
  std::copy(bits.begin(), bits.end(), output.data);
  return bits.size();
}

const std::string& ner_label(const NerSession& session, long long index) {
  const auto& labels = session.ner.labels();
  if (index < 0 || static_cast<unsigned long long>(index) >= labels.size())
    fail("NER.labels: index ", index, " is outside [0, ", labels.size(), ")");
  return labels[static_cast<std::size_t>(index)];
}

}  // namespace attnkit::api
