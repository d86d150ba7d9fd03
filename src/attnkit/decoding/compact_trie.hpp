// A PrefixTrie in succinct form, for the large immutable tries of a knowledge base: the same nodes in the
// same breadth-first order (so node ids, tokens and values are identical), stored as
//   - LOUDS: each node's child count in unary, 2 bits a node (+0.5 for select samples), where PrefixTrie
//     spends 32 bits on first_child; the children of node i are still the consecutive ids
//     1 + c_0 + … + c_{i−1} onwards;
//   - labels as indices into the trie's sorted token alphabet, ⌈log2 |alphabet|⌉ bits each (13 for KgCLUE's
//     4,400 tokens) instead of 32; the indices keep token order, so siblings stay binary-searchable;
//   - one "complete" bit a node with rank, and values per entry in unary plus bit-packed values.
// Measured on the KgCLUE KB's triple and predicate tries: 2.5 bytes a node against PrefixTrie's 12 (README,
// "Compact tries and KB index files").
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "attnkit/core/bit_vector.hpp"
#include "attnkit/core/packed_ints.hpp"
#include "attnkit/decoding/prefix_trie.hpp"
#include "attnkit/decoding/token_trie.hpp"

namespace attnkit::decoding {

class CompactTrie : public TokenTrie {
 public:
  CompactTrie() = default;
  static CompactTrie from(const PrefixTrie& trie);

  void branches(std::uint32_t node, std::vector<TrieBranch>& out) const override;
  std::uint32_t child(std::uint32_t node, std::int32_t token) const override;
  bool has_children(std::uint32_t node) const override {
    const auto range = children_.range(node);
    return range.end > range.begin;
  }
  bool is_complete(std::uint32_t node) const override { return complete_[node]; }
  void values(std::uint32_t node, std::vector<std::int32_t>& out) const override;

  std::size_t node_count() const override { return labels_.size(); }
  std::size_t entry_count() const override { return complete_.ones(); }
  std::size_t value_count() const { return values_.size(); }
  std::size_t memory_bytes() const override;
  // Every value in [0, limit), else a corrupt-file Error naming `where` (a file's values index its tables).
  void require_values_below(std::int64_t limit, const char* where) const;

  // Appends the trie to a larger file; read() reads it in place (the reader's bytes must outlive the
  // trie) and checks sizes and structure (children after their parent,
  // siblings strictly ascending, labels and values in range), so a corrupt file is an attnkit::Error with
  // `in.where()` in its message and never an out-of-range read or an endless walk.
  void write(std::vector<std::uint8_t>& out) const;
  static CompactTrie read(ByteReader& in);
  // On its own: "ATKCTRI1", version, write(), FNV-1a 64 checksum. deserialize() keeps a copy of the bytes.
  std::vector<std::uint8_t> serialize() const override;
  static bool is_serialized(View<const std::uint8_t> bytes);
  static CompactTrie deserialize(View<const std::uint8_t> bytes, const char* where);

 private:
  std::int32_t token_of(std::uint32_t node) const { return alphabet_[labels_.get(node)]; }
  void validate(const char* where) const;

  UnaryCounts children_;                // child count per node, breadth-first (LOUDS)
  PackedInts labels_;                   // per node: index into alphabet_ (the root's is 0, unused)
  std::vector<std::int32_t> alphabet_;  // the distinct labels, ascending
  BitVector complete_;                  // per node: a sequence ends here
  UnaryCounts value_counts_;            // per complete node, in node order: how many values
  PackedInts values_;                   // value − value_base_, entries in node order
  std::int64_t value_base_ = 0;
  std::shared_ptr<const std::vector<std::uint8_t>> bytes_;  // what a deserialized trie reads in place
};

}  // namespace attnkit::decoding
