// A compact prefix trie over token-id sequences (the "Seq2Seq + prefix tree" decoding constraint).
// Flat arrays in breadth-first order: the children of node i are the consecutive nodes
// [first_child[i], first_child[i+1]), sorted by the token that leads to them, so a node costs 12 bytes
// (first child, incoming label, value offset) and lookups are binary searches.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "attnkit/core/view.hpp"
#include "attnkit/decoding/token_trie.hpp"

namespace attnkit::decoding {

class PrefixTrie : public TokenTrie {
 public:
  // Builds from sequences tokens[offsets[i] .. offsets[i+1]) with values[i] (offsets has count+1 entries).
  // Unsorted input and duplicates are fine: a sequence added twice keeps both values, in input order.
  static PrefixTrie build(View<const std::int32_t> tokens, View<const std::uint32_t> offsets,
                          View<const std::int32_t> values);

  std::uint32_t child(std::uint32_t node, std::int32_t token) const override;
  void branches(std::uint32_t node, std::vector<TrieBranch>& out) const override;
  bool has_children(std::uint32_t node) const override { return child_count(node) > 0; }
  void values(std::uint32_t node, std::vector<std::int32_t>& out) const override {
    const auto found = values(node);
    out.assign(found.data, found.data + found.size);
  }

  // Children of `node` are the nodes first_child(node) + i, i < child_count(node), in next_tokens order.
  std::uint32_t first_child(std::uint32_t node) const { return first_child_[node]; }
  std::uint32_t child_count(std::uint32_t node) const { return first_child_[node + 1] - first_child_[node]; }
  // Tokens allowed after `node`, ascending.
  View<const std::int32_t> next_tokens(std::uint32_t node) const {
    return {labels_.data() + first_child_[node], child_count(node)};
  }
  bool is_complete(std::uint32_t node) const override { return value_begin_[node + 1] > value_begin_[node]; }
  // The values of the sequences ending exactly at `node` (empty if none), without copying.
  View<const std::int32_t> values(std::uint32_t node) const {
    return {values_.data() + value_begin_[node], value_begin_[node + 1] - value_begin_[node]};
  }

  std::size_t node_count() const override { return labels_.size(); }
  std::size_t entry_count() const override { return entries_; }
  std::size_t value_count() const { return values_.size(); }
  std::size_t memory_bytes() const override;
  std::int32_t label(std::uint32_t node) const { return labels_[node]; }  // the token leading to a non-root node

  // Versioned, checksummed bytes; deserialize rejects anything truncated, corrupted or structurally
  // invalid (so a walk can never loop or index out of range) with attnkit::Error; `where` names the caller.
  std::vector<std::uint8_t> serialize() const override;
  static bool is_serialized(View<const std::uint8_t> bytes);  // starts with this format's magic
  static PrefixTrie deserialize(View<const std::uint8_t> bytes, const char* where = "PrefixTrie::deserialize");

 private:
  std::vector<std::uint32_t> first_child_;  // node_count + 1
  std::vector<std::int32_t> labels_;        // node_count; labels_[0] (the root) is unused
  std::vector<std::uint32_t> value_begin_;  // node_count + 1
  std::vector<std::int32_t> values_;
  std::size_t entries_ = 0;
};

}  // namespace attnkit::decoding
