#include "attnkit/pipelines/kb_shard_builder.hpp"

#include <algorithm>

#include "attnkit/core/byte_io.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/pipelines/kb_shards.hpp"

namespace attnkit::pipelines {
namespace {

bool only_blanks(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

void append_line(std::string& out, const TripleView& t) {
  out.append(t.subject).append(" ||| ").append(t.predicate).append(" ||| ").append(t.object).push_back('\n');
}

}  // namespace

KbShardBuilder::KbShardBuilder(text::Tokenizer tokenizer, std::int32_t sep, std::size_t shard_triples,
                               std::size_t buckets)
    : tokenizer_(std::move(tokenizer)), sep_(sep), target_(shard_triples), buckets_(buckets) {
  if (shard_triples < 1 || buckets < 1) fail("KbShardBuilder: shard_triples and buckets must be at least 1");
}

void KbShardBuilder::route(std::string_view lines) {
  const std::size_t first_line = lines_ + 1;
  lines_ +=
      static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n')) + (!lines.empty() && lines.back() != '\n');
  if (only_blanks(lines)) return;
  const KnowledgeBase kb = KnowledgeBase::parse(lines, first_line);
  for (std::size_t i = 0; i < kb.size(); ++i) {
    const TripleView t = kb.triple(i);
    if (t.subject != last_subject_) {
      const auto name = tokenizer_.ids(split_subject(t.subject).name);
      if (name.empty()) fail_file("knowledge base: the subject name of \"", t.subject, "\" has no tokens");
      last_subject_ = std::string(t.subject);
      last_bucket_ = static_cast<std::size_t>(name[0]) % buckets_.size();
    }
    const std::uint32_t predicate = predicates_.intern(t.predicate);
    if (predicate == predicate_checked_.size()) {
      if (tokenizer_.ids(t.predicate).empty())
        fail_file("knowledge base: the predicate \"", t.predicate, "\" has no tokens");
      predicate_checked_.push_back(true);
    }
    append_line(buckets_[last_bucket_], t);
  }
  triples_ += kb.size();
}

std::string KbShardBuilder::take_bucket(std::size_t bucket) {
  if (bucket >= buckets_.size()) fail("KbShardBuilder: bucket ", bucket, " does not exist");
  std::string lines;
  lines.swap(buckets_[bucket]);
  return lines;
}

std::vector<std::string> KbShardBuilder::cut(std::string_view bucket_lines) {
  std::vector<std::string> shards;
  if (only_blanks(bucket_lines)) return shards;
  const KnowledgeBase kb = KnowledgeBase::parse(bucket_lines);
  const TripleKeys keys = tokenize_triples(kb, tokenizer_, sep_);
  std::vector<std::uint32_t> order(kb.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto x = keys.triples.at(a), y = keys.triples.at(b);
    return std::lexicographical_compare(x.data, x.data + x.size, y.data, y.data + y.size);
  });
  split(keys, order, 0, order.size(), 0, kb, shards);
  return shards;
}

void KbShardBuilder::split(const TripleKeys& keys, const std::vector<std::uint32_t>& order, std::size_t begin,
                           std::size_t end, std::size_t depth, const KnowledgeBase& kb, std::vector<std::string>& out) {
  // The children of the node the keys order[begin, end) share `depth` tokens of: one run each.
  std::vector<Run> pack;
  std::size_t packed = 0;
  const auto flush = [&] {
    if (!pack.empty()) emit(keys, order, pack, depth, kb, out);
    pack.clear();
    packed = 0;
  };
  const auto token_at = [&](std::size_t k) { return keys.triples.at(order[k]).data[depth]; };
  for (std::size_t i = begin; i < end;) {
    std::size_t j = i + 1;
    while (j < end && token_at(j) == token_at(i)) ++j;
    const std::size_t size = j - i;
    // Splitting the child looks at its token `depth + 1`: allowed while its prefix is within the name.
    if (size > target_ && depth + 1 <= keys.name_lengths[order[i]]) {
      flush();
      split(keys, order, i, j, depth + 1, kb, out);
    } else {
      if (packed + size > target_) flush();
      pack.push_back({i, j});
      packed += size;
    }
    i = j;
  }
  flush();
}

void KbShardBuilder::emit(const TripleKeys& keys, const std::vector<std::uint32_t>& order, const std::vector<Run>& pack,
                          std::size_t depth, const KnowledgeBase& kb, std::vector<std::string>& out) {
  const auto shard = static_cast<std::int32_t>(shard_triples_.size());
  std::vector<std::uint32_t> members;
  for (const Run& run : pack) {
    const auto key = keys.triples.at(order[run.begin]);
    cuts_.add({key.data, depth + 1}, shard);
    members.insert(members.end(), order.begin() + static_cast<std::ptrdiff_t>(run.begin),
                   order.begin() + static_cast<std::ptrdiff_t>(run.end));
  }
  // By subject name, then KB order: a subject's triples stay in KB order, as the KB in memory holds them.
  std::sort(members.begin(), members.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto x = keys.triples.at(a), y = keys.triples.at(b);
    const std::size_t xn = keys.name_lengths[a], yn = keys.name_lengths[b];
    if (std::lexicographical_compare(x.data, x.data + xn, y.data, y.data + yn)) return true;
    if (std::lexicographical_compare(y.data, y.data + yn, x.data, x.data + xn)) return false;
    return a < b;
  });
  std::string text;
  for (const std::uint32_t i : members) append_line(text, kb.triple(i));
  shard_triples_.push_back(static_cast<std::uint32_t>(members.size()));
  shard_checksums_.push_back(fnv1a(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  out.push_back(std::move(text));
}

std::vector<std::uint8_t> KbShardBuilder::manifest(std::uint64_t vocab_fingerprint) {
  if (shard_triples_.empty()) fail_file("knowledge base: no triples");
  KbManifest manifest;
  manifest.vocab = vocab_fingerprint;
  manifest.sep = sep_;
  manifest.shard_triples = shard_triples_;
  manifest.shard_checksums = shard_checksums_;
  manifest.predicates = predicates_.take();
  TokenSequences predicates;
  for (std::uint32_t i = 0; i < manifest.predicates.size(); ++i) {
    const auto tokens = tokenizer_.ids(manifest.predicates.get(i));
    predicates.add({tokens.data(), tokens.size()}, static_cast<std::int32_t>(i));
  }
  manifest.predicate_trie = decoding::CompactTrie::from(predicates.build());
  manifest.top = decoding::CompactTrie::from(cuts_.build());
  return manifest.serialize();
}

}  // namespace attnkit::pipelines
