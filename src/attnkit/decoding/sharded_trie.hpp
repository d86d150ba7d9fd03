// A trie whose subtrees live in parts loaded one at a time, for knowledge bases too large to load whole.
// The top trie holds every prefix down to the cut points; a cut point is a complete node of the top trie
// whose value is the part holding everything below it. A part is a trie of the whole sequences below its
// cut points (their prefixes included), so it can be built from its entries alone.
//
// Node ids: the top trie's own, then each attached part's nodes from a base assigned as it is attached.
// A cut point's id stands for the node of its prefix in its part. Below a part not attached yet the trie
// answers "nothing here" (no branches, not complete, no values) and notes the part: take_missing() says
// which parts a caller must attach before its answers are whole (KbSource::require_loaded).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "attnkit/decoding/compact_trie.hpp"

namespace attnkit::decoding {

class ShardedTrie : public TokenTrie {
 public:
  // `top`'s values are part ids in [0, value_bases.size()); part p's own values are offset by
  // value_bases[p]. A cut point with children, or the root as a cut point, is a corrupt-file Error naming
  // `where`.
  ShardedTrie(CompactTrie top, std::vector<std::int64_t> value_bases, const char* where);

  // Attaches part `part` (kept alive by the caller while this trie lives); each of its cut points' prefixes
  // must lead to a node of it, else a corrupt-file Error naming `where`.
  void attach(std::uint32_t part, const TokenTrie& trie, const char* where);
  bool attached(std::uint32_t part) const { return part_base_[part] != kNoNode; }
  std::size_t part_count() const { return part_base_.size(); }
  // The parts read below but not attached since the last call, ascending.
  std::vector<std::uint32_t> take_missing() const;

  void branches(std::uint32_t node, std::vector<TrieBranch>& out) const override;
  std::uint32_t child(std::uint32_t node, std::int32_t token) const override;
  bool has_children(std::uint32_t node) const override;
  bool is_complete(std::uint32_t node) const override;
  void values(std::uint32_t node, std::vector<std::int32_t>& out) const override;

  std::size_t node_count() const override { return next_base_; }  // the top's and the attached parts'
  std::size_t entry_count() const override;                       // the attached parts'
  std::size_t memory_bytes() const override;                      // the top's and its tables (parts are their owners')
  std::vector<std::uint8_t> serialize() const override;           // an Error: the top is saved in its manifest
  const CompactTrie& top() const { return top_; }

 private:
  // Where a node of this trie is: its part (kNoNode for the top) and its id there, a cut point resolved to
  // its part's node. Returns false for a cut point whose part is not attached (noting it).
  bool locate(std::uint32_t node, std::uint32_t& part, std::uint32_t& local) const;
  std::uint32_t global(std::uint32_t part, std::uint32_t local) const {
    return local == kNoNode ? kNoNode : part_base_[part] + local;
  }

  CompactTrie top_;
  std::vector<std::int64_t> value_bases_;
  std::vector<std::uint32_t> cut_index_;    // per top node: its index among the cut points, or kNoNode
  std::vector<std::uint32_t> cut_part_;     // per cut point: its part
  std::vector<std::uint32_t> cut_local_;    // per cut point: its node in its part (kNoNode until attached)
  std::vector<std::int32_t> cut_tokens_;    // the cut points' prefixes, back to back
  std::vector<std::uint32_t> cut_offsets_;  // prefix of cut point i: cut_tokens_[cut_offsets_[i], [i + 1])
  std::vector<std::uint32_t> part_cuts_, part_cut_offsets_;  // cut points of part p: part_cuts_[offsets[p], [p + 1])
  std::vector<std::uint32_t> part_base_;  // per part: the id of its node 0 here, kNoNode until attached
  std::vector<const TokenTrie*> part_trie_;
  std::vector<std::uint32_t> attached_bases_, attached_parts_;  // in attach order (bases ascending)
  std::uint32_t next_base_ = 0;
  mutable std::vector<std::uint32_t> missing_;
};

}  // namespace attnkit::decoding
