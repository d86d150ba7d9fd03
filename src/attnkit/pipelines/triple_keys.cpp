#include "attnkit/pipelines/triple_keys.hpp"

#include <unordered_map>

#include "attnkit/core/error.hpp"

namespace attnkit::pipelines {

TripleKeys tokenize_triples(const KnowledgeBase& kb, const text::Tokenizer& tokenizer, std::int32_t sep) {
  if (kb.size() > static_cast<std::size_t>(INT32_MAX)) fail("knowledge base: more than 2^31 triples");
  TripleKeys keys;
  // Predicates repeat thousands of times and a subject's triples are usually adjacent: tokenize each once.
  std::unordered_map<std::uint32_t, std::uint32_t> predicate_index;  // string id → index in predicate_ids
  std::uint32_t last_subject = UINT32_MAX;
  std::vector<std::int32_t> name, sense, key;
  for (std::size_t i = 0; i < kb.size(); ++i) {
    const TripleIds ids = kb.ids(i);
    const TripleView t = kb.triple(i);
    if (ids.subject != last_subject) {
      const SubjectParts parts = split_subject(t.subject);
      name = tokenizer.ids(parts.name);
      sense = tokenizer.ids(parts.sense);
      last_subject = ids.subject;
      if (name.empty())
        fail_file("knowledge base line ", i + 1, ": the subject name \"", parts.name, "\" has no tokens");
    }
    auto found = predicate_index.find(ids.predicate);
    if (found == predicate_index.end()) {
      const auto tokens = tokenizer.ids(t.predicate);
      if (tokens.empty())
        fail_file("knowledge base line ", i + 1, ": the predicate \"", t.predicate, "\" has no tokens");
      const auto index = static_cast<std::uint32_t>(keys.predicate_ids.size());
      keys.predicates.add({tokens.data(), tokens.size()}, static_cast<std::int32_t>(index));
      keys.predicate_ids.push_back(ids.predicate);
      found = predicate_index.emplace(ids.predicate, index).first;
    }
    key = name;
    key.push_back(sep);
    const auto predicate = keys.predicates.at(found->second);
    key.insert(key.end(), predicate.data, predicate.data + predicate.size);
    key.push_back(sep);
    key.insert(key.end(), sense.begin(), sense.end());
    keys.triples.add({key.data(), key.size()}, static_cast<std::int32_t>(i));
    keys.name_lengths.push_back(static_cast<std::uint32_t>(name.size()));
  }
  return keys;
}

}  // namespace attnkit::pipelines
