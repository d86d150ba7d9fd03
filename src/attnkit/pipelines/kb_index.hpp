// What KBQA decodes over: a knowledge base and its three tries, over "name [SEP] predicate [SEP] sense"
// (→ triple), subject names (→ triples) and predicates (→ index into predicates()). Built from a KB and the
// model's tokenizer, or opened from an index file that `attnkit-cli build-kb` wrote once, offline, so a
// page opens a million-triple KB without tokenizing it.
//
// Index file: "ATKKBIX1", version, the [SEP] id and a fingerprint of the vocabulary it was tokenized
// with, the KB (string pool + packed triple ids), the predicate list, the compact triple and predicate
// tries, then an FNV-1a 64 checksum of everything before it.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "attnkit/core/view.hpp"
#include "attnkit/decoding/compact_trie.hpp"
#include "attnkit/decoding/prefix_trie.hpp"
#include "attnkit/pipelines/kb_source.hpp"
#include "attnkit/pipelines/knowledge_base.hpp"
#include "attnkit/text/tokenizer.hpp"

namespace attnkit::pipelines {

// Compact: two CompactTries, the subject trie a view of the triple trie. Flat: three PrefixTries.
using decoding::TrieLayout;

// Identifies a vocabulary by its tokens in id order: an index is only valid with the one it was built with.
std::uint64_t vocab_fingerprint(const text::Tokenizer& tokenizer);

class KbIndex : public KbSource {
 public:
  static KbIndex build(KnowledgeBase kb, const text::Tokenizer& tokenizer, std::int32_t sep, TrieLayout layout);
  // Compact layout only. `vocab` is vocab_fingerprint() of the tokenizer it was built with.
  std::vector<std::uint8_t> serialize(std::uint64_t vocab, std::int32_t sep) const;
  // Reads the file's bytes in place, keeping `owner` (whatever holds them) alive. Checks the checksum, the
  // vocabulary and [SEP] id, and every structure: a bad file is an attnkit::Error naming `where`
  // (corrupt-file, or invalid-argument for an index of another vocabulary).
  static KbIndex open(std::shared_ptr<const void> owner, View<const std::uint8_t> bytes, std::uint64_t vocab,
                      std::int32_t sep, const char* where);

  const KnowledgeBase& kb() const { return *kb_; }
  const decoding::TokenTrie& triples() const override { return *triples_; }
  const decoding::TokenTrie& subjects() const override { return *subjects_; }
  const decoding::TokenTrie& predicates() const override { return *predicates_; }
  TripleView triple(std::int32_t value) const override { return kb_->triple(static_cast<std::size_t>(value)); }
  // Predicate trie values index the distinct predicates in first-seen order.
  std::string_view predicate(std::int32_t value) const override {
    return kb_->strings().get(predicate_ids_[static_cast<std::size_t>(value)]);
  }
  std::size_t triple_count() const override { return kb_->size(); }
  std::size_t trie_bytes() const override;
  TrieLayout layout() const { return compact_triples_ ? TrieLayout::kCompact : TrieLayout::kFlat; }

 private:
  KbIndex() = default;
  // Owns the two compact tries and makes the subject trie a view of the triple trie.
  void hold_compact(decoding::CompactTrie triples, decoding::CompactTrie predicates, std::int32_t sep);

  std::shared_ptr<const void> file_;  // the index file's bytes, when read in place
  std::unique_ptr<KnowledgeBase> kb_;
  std::vector<std::uint32_t> predicate_ids_;
  std::unique_ptr<decoding::TokenTrie> triples_, subjects_, predicates_;
  const decoding::CompactTrie* compact_triples_ = nullptr;  // the same objects as triples_ / predicates_
  const decoding::CompactTrie* compact_predicates_ = nullptr;
};

}  // namespace attnkit::pipelines
