// A knowledge base too large to load at once, as `attnkit-cli build-kb --shards` cuts it: a small manifest
// opened up front, and shards loaded the first time the beam reaches them (KBQA's askAsync fetches them).
//
// The triple trie's top, down to the cut points, is in the manifest; below each cut point the entries live
// in one shard. A shard file is gzip'd KB text ("S ||| P ||| O" lines): its triples, by subject name and then
// KB order, a few thousand of them. Its tries are built when it is loaded, so on disk a shard costs what
// gzip of its lines costs and the whole index about what gzip of the KB does. A subject's triples are never
// cut apart, and keep their KB order within the shard, so answers are those of the KB in memory.
//
// Manifest: "ATKKBSM1", version, [SEP] id, vocabulary fingerprint, per shard its triple count and the
// FNV-1a 64 of its text, the predicates (string pool) and their compact trie, the top trie (compact; a
// cut point's value is its shard), then the FNV-1a 64 checksum of everything before it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "attnkit/core/string_pool.hpp"
#include "attnkit/core/view.hpp"
#include "attnkit/decoding/sharded_trie.hpp"
#include "attnkit/pipelines/kb_index.hpp"
#include "attnkit/pipelines/kb_source.hpp"
#include "attnkit/pipelines/subject_trie.hpp"
#include "attnkit/text/tokenizer.hpp"

namespace attnkit::pipelines {

struct KbManifest {
  std::uint64_t vocab = 0;  // vocab_fingerprint() of the tokenizer the shards were cut with
  std::int32_t sep = 0;
  std::vector<std::uint32_t> shard_triples;
  std::vector<std::uint64_t> shard_checksums;  // FNV-1a 64 of each shard's text
  StringPool predicates;                       // the KB's distinct predicates, first-seen order
  decoding::CompactTrie predicate_trie;        // their tokens → index in predicates
  decoding::CompactTrie top;                   // the triple trie down to the cut points (values: shards)

  std::vector<std::uint8_t> serialize() const;
};

class KbShards : public KbSource {
 public:
  // Reads the manifest's bytes in place while `owner` keeps them alive; checks its checksum, the
  // vocabulary and [SEP] id, and its structure (corrupt-file or invalid-argument Errors naming `where`).
  KbShards(std::shared_ptr<const void> owner, View<const std::uint8_t> manifest, std::uint64_t vocab, std::int32_t sep,
           const char* where);

  std::size_t shard_count() const { return shards_.size(); }
  bool loaded(std::uint32_t shard) const { return shard < shards_.size() && shards_[shard] != nullptr; }
  // Loads shard `shard` from its file (gzip'd text, or the text itself): checks the text against the manifest
  // (checksum, triple count, the entries its cut points lead to), then builds its tries; a corrupt-file Error naming
  // `where` otherwise, and nothing changes.
  void load(std::uint32_t shard, View<const std::uint8_t> file, const text::Tokenizer& tokenizer, const char* where);
  // A shard's text decompresses to at most this (a decompression bomb is an Error, not a tab's memory).
  static constexpr std::size_t kMaxShardBytes = std::size_t{1} << 28;
  std::size_t loaded_count() const;

  const decoding::TokenTrie& triples() const override { return *triples_; }
  const decoding::TokenTrie& subjects() const override { return *subjects_; }
  const decoding::TokenTrie& predicates() const override { return manifest_.predicate_trie; }
  TripleView triple(std::int32_t value) const override;
  std::string_view predicate(std::int32_t value) const override {
    return manifest_.predicates.get(static_cast<std::uint32_t>(value));
  }
  std::size_t triple_count() const override { return static_cast<std::size_t>(shard_bases_.back()); }
  std::size_t trie_bytes() const override;
  void require_loaded() const override;

 private:
  std::shared_ptr<const void> file_;
  KbManifest manifest_;
  std::vector<std::int64_t> shard_bases_;  // shard s's triples are values [bases[s], bases[s + 1])
  std::unique_ptr<decoding::ShardedTrie> triples_;
  std::unique_ptr<SubjectTrie> subjects_;
  std::vector<std::unique_ptr<KbIndex>> shards_;  // null until loaded
};

}  // namespace attnkit::pipelines
