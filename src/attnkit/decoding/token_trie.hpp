// What constrained decoding needs from a trie over token-id sequences, whatever its layout: the tokens
// allowed after a node and the nodes they lead to, whether a sequence ends at a node, and its values.
// PrefixTrie (flat arrays, fastest), CompactTrie (succinct, ~5× smaller) and views such as KBQA's
// subject trie implement it; beam search, the LCS lookahead and KBQA read tries only through it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "attnkit/core/view.hpp"

namespace attnkit::decoding {

enum class TrieLayout {
  kCompact,  // CompactTrie: succinct, ~5× smaller (the default for knowledge bases)
  kFlat,     // PrefixTrie: plain arrays, the fastest lookups and the reference the compact layout is tested against
};

struct TrieBranch {
  std::int32_t token;
  std::uint32_t node;
};

class TokenTrie {
 public:
  static constexpr std::uint32_t kNoNode = 0xFFFFFFFFu;

  virtual ~TokenTrie() = default;
  std::uint32_t root() const { return 0; }
  // The tokens allowed after `node`, ascending, each with the node it leads to (replaces `out`).
  virtual void branches(std::uint32_t node, std::vector<TrieBranch>& out) const = 0;
  // The node reached by `token` from `node`, or kNoNode.
  virtual std::uint32_t child(std::uint32_t node, std::int32_t token) const = 0;
  virtual bool has_children(std::uint32_t node) const = 0;
  virtual bool is_complete(std::uint32_t node) const = 0;
  // The values of the sequences ending exactly at `node`, in input order (replaces `out`; empty if none).
  virtual void values(std::uint32_t node, std::vector<std::int32_t>& out) const = 0;

  virtual std::size_t node_count() const = 0;
  virtual std::size_t entry_count() const = 0;  // distinct sequences
  virtual std::size_t memory_bytes() const = 0;
  // Versioned, checksummed bytes (each layout its own magic; api::deserialize_trie reads either).
  virtual std::vector<std::uint8_t> serialize() const = 0;

  // The node reached by the whole prefix, or kNoNode.
  std::uint32_t find(View<const std::int32_t> prefix) const {
    std::uint32_t node = root();
    for (std::size_t i = 0; i < prefix.size && node != kNoNode; ++i) node = child(node, prefix.data[i]);
    return node;
  }
};

}  // namespace attnkit::decoding
