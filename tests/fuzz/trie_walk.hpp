// For the fuzz targets: every node of a trie visited, its values and branches read; a branch that does not
// lead forward (to a larger node id, as breadth-first and sharded tries number them) would let a walk loop.
#pragma once
#include <cstdint>
#include <vector>

#include "attnkit/decoding/token_trie.hpp"

namespace attnkit::fuzz {

inline void walk(const decoding::TokenTrie& trie) {
  std::vector<std::uint32_t> stack = {trie.root()};
  std::vector<decoding::TrieBranch> branches;
  std::vector<std::int32_t> values;
  while (!stack.empty()) {
    const std::uint32_t node = stack.back();
    stack.pop_back();
    trie.values(node, values);
    trie.branches(node, branches);
    for (const auto& b : branches) {
      if (b.node <= node) __builtin_trap();
      stack.push_back(b.node);
    }
  }
}

}  // namespace attnkit::fuzz
