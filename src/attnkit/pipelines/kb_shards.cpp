#include "attnkit/pipelines/kb_shards.hpp"

#include <algorithm>
#include <cstring>

#include "attnkit/core/byte_io.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/core/gzip.hpp"

namespace attnkit::pipelines {
namespace {

constexpr char kMagic[8] = {'A', 'T', 'K', 'K', 'B', 'S', 'M', '1'};
constexpr std::uint32_t kVersion = 1;

}  // namespace

std::vector<std::uint8_t> KbManifest::serialize() const {
  std::vector<std::uint8_t> out(kMagic, kMagic + 8);
  put(out, kVersion);
  put(out, sep);
  put(out, vocab);
  put(out, static_cast<std::uint64_t>(shard_triples.size()));
  put_array(out, shard_triples);
  put_array(out, shard_checksums);
  predicates.write(out);
  predicate_trie.write(out);
  top.write(out);
  put_checksum(out);
  return out;
}

KbShards::KbShards(std::shared_ptr<const void> owner, View<const std::uint8_t> bytes, std::uint64_t vocab,
                   std::int32_t sep, const char* where)
    : file_(std::move(owner)) {
  if (bytes.size < 8 + 4 + 4 + 8 + 8 + 8) fail_file(where, ": ", bytes.size, " bytes is too short for a KB manifest");
  if (std::memcmp(bytes.data, kMagic, 8) != 0) fail_file(where, ": not an attnkit KB manifest (bad magic)");
  ByteReader in({bytes.data, bytes.size - 8}, where);
  in.get_bytes(8);
  const auto version = in.get<std::uint32_t>();
  if (version != kVersion)
    fail_file(where, ": KB manifest format version ", version, " is not supported (expected ", kVersion, ")");
  if (!checksum_matches(bytes)) fail_file(where, ": checksum mismatch (corrupted or truncated KB manifest)");
  manifest_.sep = in.get<std::int32_t>();
  manifest_.vocab = in.get<std::uint64_t>();
  if (manifest_.sep != sep || manifest_.vocab != vocab)
    fail(where,
         ": the KB shards were cut with another vocabulary; rebuild them with this model (attnkit-cli build-kb)");
  const auto shards = in.get<std::uint64_t>();
  in.get_array(manifest_.shard_triples, shards);
  in.get_array(manifest_.shard_checksums, shards);
  if (shards == 0) fail_file(where, ": a KB manifest without shards");
  manifest_.predicates = StringPool::read(in);
  manifest_.predicate_trie = decoding::CompactTrie::read(in);
  manifest_.top = decoding::CompactTrie::read(in);
  if (in.remaining() != 0) fail_file(where, ": ", in.remaining(), " unexpected bytes after the tries");
  manifest_.predicate_trie.require_values_below(static_cast<std::int64_t>(manifest_.predicates.size()), where);
  shard_bases_.push_back(0);
  for (const std::uint32_t count : manifest_.shard_triples) {
    if (count == 0) fail_file(where, ": a shard without triples");
    shard_bases_.push_back(shard_bases_.back() + count);
    if (shard_bases_.back() > INT32_MAX) fail_file(where, ": more than 2^31 triples");
  }
  std::vector<std::int64_t> value_bases(shard_bases_.begin(), shard_bases_.end() - 1);
  triples_ = std::make_unique<decoding::ShardedTrie>(std::move(manifest_.top), std::move(value_bases), where);
  subjects_ = std::make_unique<SubjectTrie>(*triples_, sep);
  shards_.resize(static_cast<std::size_t>(shards));
}

void KbShards::load(std::uint32_t shard, View<const std::uint8_t> file, const text::Tokenizer& tokenizer,
                    const char* where) {
  if (shard >= shards_.size()) fail(where, ": shard ", shard, " does not exist (the KB has ", shards_.size(), ")");
  if (shards_[shard]) return;
  if (file.size > 0 && file.data[0] == '<') fail_file(where, ": an HTML page, not a KB shard (a server's error page?)");
  std::vector<std::uint8_t> decompressed;
  View<const std::uint8_t> text = file;
  if (is_gzip(file)) {
    decompressed = gunzip(file, where, kMaxShardBytes);
    text = {decompressed.data(), decompressed.size()};
  }
  if (fnv1a(text.data, text.size) != manifest_.shard_checksums[shard])
    fail_file(where, ": checksum mismatch (a corrupted or truncated shard, or one of another build of this KB)");
  std::unique_ptr<KbIndex> index;
  try {
    KnowledgeBase kb = KnowledgeBase::parse({reinterpret_cast<const char*>(text.data), text.size});
    if (kb.size() != manifest_.shard_triples[shard])
      fail_file("it has ", kb.size(), " triples, its manifest says ", manifest_.shard_triples[shard]);
    index = std::make_unique<KbIndex>(KbIndex::build(std::move(kb), tokenizer, manifest_.sep, TrieLayout::kCompact));
  } catch (const Error& error) {
    fail_as(error.code(), where, ": ", error.what());
  }
  triples_->attach(shard, index->triples(), where);
  shards_[shard] = std::move(index);
}

std::size_t KbShards::loaded_count() const {
  return static_cast<std::size_t>(
      std::count_if(shards_.begin(), shards_.end(), [](const auto& s) { return s != nullptr; }));
}

TripleView KbShards::triple(std::int32_t value) const {
  const auto after = std::upper_bound(shard_bases_.begin(), shard_bases_.end(), static_cast<std::int64_t>(value));
  const auto shard = static_cast<std::size_t>(after - shard_bases_.begin()) - 1;
  if (value < 0 || shard >= shards_.size() || !shards_[shard]) fail("KbShards: triple ", value, " is not loaded");
  return shards_[shard]->triple(static_cast<std::int32_t>(value - shard_bases_[shard]));
}

std::size_t KbShards::trie_bytes() const {
  std::size_t bytes = triples_->memory_bytes() + manifest_.predicate_trie.memory_bytes();
  for (const auto& shard : shards_)
    if (shard) bytes += shard->trie_bytes();
  return bytes;
}

void KbShards::require_loaded() const {
  auto missing = triples_->take_missing();
  if (!missing.empty()) throw ShardsNeeded(std::move(missing));
}

}  // namespace attnkit::pipelines
