// Cuts a knowledge base into KbShards' shards and manifest, streaming, so a KB of tens of millions of
// triples is never held whole (`attnkit-cli build-kb --shards` drives it, writing the buckets to disk):
//   1. route(): the KB's lines in order, in chunks that end at line ends. Each triple goes to the bucket of
//      its subject name's first token, so a bucket holds whole subtrees of the triple trie; take_bucket()
//      hands over each bucket's lines routed so far, to be appended to that bucket's file.
//   2. cut(): each bucket's lines, once all are routed, cut into shards; returns each shard's text.
//   3. manifest(): the top of the trie down to every shard's cut points, and the predicates.
// Cutting: the bucket's keys sorted, a node of the trie is split into its children while it has more than
// `shard_triples` triples below it and its prefix is still within the subject name (a subject's triples
// are never cut apart); siblings small enough are packed together into one shard.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "attnkit/core/string_pool.hpp"
#include "attnkit/pipelines/triple_keys.hpp"
#include "attnkit/text/tokenizer.hpp"

namespace attnkit::pipelines {

class KbShardBuilder {
 public:
  KbShardBuilder(text::Tokenizer tokenizer, std::int32_t sep, std::size_t shard_triples, std::size_t buckets);

  // Lines of the KB, in order and whole; a bad line is a corrupt-file Error naming its line number.
  void route(std::string_view lines);
  // The lines routed to `bucket` since the last call, "S ||| P ||| O\n" each.
  std::string take_bucket(std::size_t bucket);
  // All the lines routed to one bucket, in order: appends their shards; returns each shard's text.
  std::vector<std::string> cut(std::string_view bucket_lines);
  // Once every bucket is cut. Only once: it hands the predicates over.
  std::vector<std::uint8_t> manifest(std::uint64_t vocab_fingerprint);

  const text::Tokenizer& tokenizer() const { return tokenizer_; }
  std::size_t bucket_count() const { return buckets_.size(); }
  std::size_t triple_count() const { return triples_; }
  std::size_t shard_count() const { return shard_triples_.size(); }
  std::size_t cut_count() const { return cuts_.size(); }

 private:
  struct Run {
    std::size_t begin, end;  // into the sorted order
  };
  void split(const TripleKeys& keys, const std::vector<std::uint32_t>& order, std::size_t begin, std::size_t end,
             std::size_t depth, const KnowledgeBase& kb, std::vector<std::string>& out);
  void emit(const TripleKeys& keys, const std::vector<std::uint32_t>& order, const std::vector<Run>& pack,
            std::size_t depth, const KnowledgeBase& kb, std::vector<std::string>& out);

  text::Tokenizer tokenizer_;
  std::int32_t sep_;
  std::size_t target_;
  std::vector<std::string> buckets_;
  std::size_t lines_ = 0, triples_ = 0;
  StringPoolBuilder predicates_;
  std::vector<bool> predicate_checked_;
  std::string last_subject_;
  std::size_t last_bucket_ = 0;
  TokenSequences cuts_;  // each cut point's prefix, its shard the value
  std::vector<std::uint32_t> shard_triples_;
  std::vector<std::uint64_t> shard_checksums_;
};

}  // namespace attnkit::pipelines
