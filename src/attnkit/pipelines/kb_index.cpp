#include "attnkit/pipelines/kb_index.hpp"

#include <cstring>
#include <string>

#include "attnkit/core/byte_io.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/pipelines/subject_trie.hpp"
#include "attnkit/pipelines/triple_keys.hpp"

namespace attnkit::pipelines {
namespace {

constexpr char kMagic[8] = {'A', 'T', 'K', 'K', 'B', 'I', 'X', '1'};
constexpr std::uint32_t kVersion = 1;

}  // namespace

std::uint64_t vocab_fingerprint(const text::Tokenizer& tokenizer) {
  std::uint64_t hash = fnv1a(nullptr, 0);
  for (std::size_t i = 0; i < tokenizer.vocab_size(); ++i) {
    const std::string& token = tokenizer.token(static_cast<std::int32_t>(i));
    hash = fnv1a(reinterpret_cast<const std::uint8_t*>(token.data()), token.size(), hash);
    const std::uint8_t newline = '\n';
    hash = fnv1a(&newline, 1, hash);
  }
  return hash;
}

KbIndex KbIndex::build(KnowledgeBase kb, const text::Tokenizer& tokenizer, std::int32_t sep, TrieLayout layout) {
  KbIndex index;
  index.kb_ = std::make_unique<KnowledgeBase>(std::move(kb));
  TripleKeys keys = tokenize_triples(*index.kb_, tokenizer, sep);
  index.predicate_ids_ = std::move(keys.predicate_ids);
  if (layout == TrieLayout::kFlat) {
    TokenSequences subjects;
    for (std::size_t i = 0; i < keys.triples.size(); ++i)
      subjects.add({keys.triples.at(i).data, keys.name_lengths[i]}, static_cast<std::int32_t>(i));
    index.triples_ = std::make_unique<decoding::PrefixTrie>(keys.triples.build());
    index.subjects_ = std::make_unique<decoding::PrefixTrie>(subjects.build());
    index.predicates_ = std::make_unique<decoding::PrefixTrie>(keys.predicates.build());
    return index;
  }
  index.hold_compact(decoding::CompactTrie::from(keys.triples.build()),
                     decoding::CompactTrie::from(keys.predicates.build()), sep);
  return index;
}

void KbIndex::hold_compact(decoding::CompactTrie triples, decoding::CompactTrie predicates, std::int32_t sep) {
  auto triple_trie = std::make_unique<decoding::CompactTrie>(std::move(triples));
  auto predicate_trie = std::make_unique<decoding::CompactTrie>(std::move(predicates));
  compact_triples_ = triple_trie.get();
  compact_predicates_ = predicate_trie.get();
  subjects_ = std::make_unique<SubjectTrie>(*triple_trie, sep);
  triples_ = std::move(triple_trie);
  predicates_ = std::move(predicate_trie);
}

std::size_t KbIndex::trie_bytes() const {
  return triples_->memory_bytes() + subjects_->memory_bytes() + predicates_->memory_bytes();  // a view holds 0
}

std::vector<std::uint8_t> KbIndex::serialize(std::uint64_t vocab, std::int32_t sep) const {
  if (!compact_triples_) fail("KbIndex::serialize: only the compact layout is written to index files");
  std::vector<std::uint8_t> out(kMagic, kMagic + 8);
  put(out, kVersion);
  put(out, sep);
  put(out, vocab);
  kb_->write(out);
  put(out, static_cast<std::uint64_t>(predicate_ids_.size()));
  put_array(out, predicate_ids_);
  compact_triples_->write(out);
  compact_predicates_->write(out);
  put_checksum(out);
  return out;
}

KbIndex KbIndex::open(std::shared_ptr<const void> owner, View<const std::uint8_t> bytes, std::uint64_t vocab,
                      std::int32_t sep, const char* where) {
  if (bytes.size < 8 + 4 + 4 + 8 + 8) fail_file(where, ": ", bytes.size, " bytes is too short for a KB index");
  if (std::memcmp(bytes.data, kMagic, 8) != 0) fail_file(where, ": not an attnkit KB index (bad magic)");
  ByteReader in({bytes.data, bytes.size - 8}, where);  // from the file's start: its arrays are 8-aligned there
  in.get_bytes(8);
  const auto version = in.get<std::uint32_t>();
  if (version != kVersion)
    fail_file(where, ": KB index format version ", version, " is not supported (expected ", kVersion, ")");
  if (!checksum_matches(bytes)) fail_file(where, ": checksum mismatch (corrupted or truncated KB index)");
  if (in.get<std::int32_t>() != sep || in.get<std::uint64_t>() != vocab)
    fail(where, ": the KB index was built with another vocabulary; rebuild it with this model (attnkit-cli build-kb)");
  KbIndex index;
  index.file_ = std::move(owner);
  index.kb_ = std::make_unique<KnowledgeBase>(KnowledgeBase::read(in));
  in.get_array(index.predicate_ids_, in.get<std::uint64_t>());
  for (const std::uint32_t id : index.predicate_ids_)
    if (id >= index.kb_->strings().size()) fail_file(where, ": a predicate refers to a missing string");
  auto triples = decoding::CompactTrie::read(in);
  auto predicates = decoding::CompactTrie::read(in);
  triples.require_values_below(static_cast<std::int64_t>(index.kb_->size()), where);
  predicates.require_values_below(static_cast<std::int64_t>(index.predicate_ids_.size()), where);
  if (in.remaining() != 0) fail_file(where, ": ", in.remaining(), " unexpected bytes after the tries");
  index.hold_compact(std::move(triples), std::move(predicates), sep);
  return index;
}

}  // namespace attnkit::pipelines
