// What KBQA decodes over: the three tries of a knowledge base ("name [SEP] predicate [SEP] sense" → triple,
// subject names → triples, predicates → predicate) and the triples and predicates their values name.
// KbIndex holds a whole KB in memory; KbShards loads the parts of a larger one as the beam reaches them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string_view>
#include <vector>

#include "attnkit/decoding/token_trie.hpp"
#include "attnkit/pipelines/knowledge_base.hpp"

namespace attnkit::pipelines {

class KbSource {
 public:
  virtual ~KbSource() = default;
  virtual const decoding::TokenTrie& triples() const = 0;
  virtual const decoding::TokenTrie& subjects() const = 0;
  virtual const decoding::TokenTrie& predicates() const = 0;
  // The triple a value of triples() or subjects() names.
  virtual TripleView triple(std::int32_t value) const = 0;
  // The predicate a value of predicates() names.
  virtual std::string_view predicate(std::int32_t value) const = 0;
  virtual std::size_t triple_count() const = 0;
  // Bytes held by the tries (those loaded so far, for a lazy KB).
  virtual std::size_t trie_bytes() const = 0;
  // A lazy KB's tries answer "nothing here" below a part not loaded yet and note it; this throws
  // ShardsNeeded with those parts (and forgets them), so whatever was computed from such an answer is
  // dropped and recomputed once they are loaded. A KB held whole never throws.
  virtual void require_loaded() const {}
};

// Not an Error: the question can be answered once these shards of a lazy KB are loaded.
class ShardsNeeded : public std::exception {
 public:
  explicit ShardsNeeded(std::vector<std::uint32_t> shards) : shards_(std::move(shards)) {}
  const std::vector<std::uint32_t>& shards() const { return shards_; }
  const char* what() const noexcept override { return "knowledge base shards are needed (load them, then ask again)"; }

 private:
  std::vector<std::uint32_t> shards_;
};

}  // namespace attnkit::pipelines
