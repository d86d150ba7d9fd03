// The token sequences KBQA's tries hold for a knowledge base: "name [SEP] predicate [SEP] sense" per triple
// and each distinct predicate once. KbIndex builds its tries from them and the shard builder cuts a large
// KB by them, so a lazily loaded KB reaches exactly the entries an in-memory one holds.
#pragma once
#include <cstdint>
#include <vector>

#include "attnkit/core/view.hpp"
#include "attnkit/decoding/prefix_trie.hpp"
#include "attnkit/pipelines/knowledge_base.hpp"
#include "attnkit/text/tokenizer.hpp"

namespace attnkit::pipelines {

// Token sequences with their values, in the layout PrefixTrie::build takes.
struct TokenSequences {
  std::vector<std::int32_t> tokens, values;
  std::vector<std::uint32_t> offsets = {0};

  void add(View<const std::int32_t> sequence, std::int32_t value) {
    tokens.insert(tokens.end(), sequence.data, sequence.data + sequence.size);
    offsets.push_back(static_cast<std::uint32_t>(tokens.size()));
    values.push_back(value);
  }
  std::size_t size() const { return values.size(); }
  View<const std::int32_t> at(std::size_t i) const { return {tokens.data() + offsets[i], offsets[i + 1] - offsets[i]}; }
  decoding::PrefixTrie build() const {
    return decoding::PrefixTrie::build({tokens.data(), tokens.size()}, {offsets.data(), offsets.size()},
                                       {values.data(), values.size()});
  }
};

struct TripleKeys {
  TokenSequences triples;                    // value: the triple's index in the KB
  std::vector<std::uint32_t> name_lengths;   // per triple: its key's leading name tokens
  TokenSequences predicates;                 // value: index into predicate_ids
  std::vector<std::uint32_t> predicate_ids;  // the KB's string ids of its distinct predicates, first-seen order
};

// A subject name or predicate without tokens is a corrupt-file Error naming its line (1-based triple number).
TripleKeys tokenize_triples(const KnowledgeBase& kb, const text::Tokenizer& tokenizer, std::int32_t sep);

}  // namespace attnkit::pipelines
