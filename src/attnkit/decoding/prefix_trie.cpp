// Building: sort sequence indices lexicographically, then expand the trie level by level. A node is a
// range of sorted sequences sharing its prefix; its children are the runs of equal next tokens in that
// range, appended consecutively, which is what makes the breadth-first layout contiguous.
#include "attnkit/decoding/prefix_trie.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "attnkit/core/error.hpp"

namespace attnkit::decoding {
namespace {

struct Range {
  std::uint32_t lo, hi;  // sorted sequence positions sharing this node's prefix
};

}  // namespace

PrefixTrie PrefixTrie::build(View<const std::int32_t> tokens, View<const std::uint32_t> offsets,
                             View<const std::int32_t> values) {
  const std::size_t count = values.size;
  auto length = [&](std::uint32_t s) { return offsets.data[s + 1] - offsets.data[s]; };
  auto at = [&](std::uint32_t s, std::uint32_t depth) { return tokens.data[offsets.data[s] + depth]; };

  std::vector<std::uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::lexicographical_compare(tokens.data + offsets.data[a], tokens.data + offsets.data[a + 1],
                                        tokens.data + offsets.data[b], tokens.data + offsets.data[b + 1]);
  });

  PrefixTrie trie;
  std::vector<Range> level = {{0, static_cast<std::uint32_t>(count)}}, next_level;
  trie.labels_.push_back(0);
  trie.first_child_.push_back(1);
  trie.value_begin_.push_back(0);
  for (std::uint32_t depth = 0; !level.empty(); ++depth) {
    next_level.clear();
    for (const Range& node : level) {
      std::uint32_t i = node.lo;
      // Sequences ending here sort first in the range (a prefix sorts before its extensions).
      for (; i < node.hi && length(order[i]) == depth; ++i) trie.values_.push_back(values.data[order[i]]);
      if (i > node.lo) ++trie.entries_;
      while (i < node.hi) {
        const std::int32_t token = at(order[i], depth);
        std::uint32_t j = i + 1;
        while (j < node.hi && at(order[j], depth) == token) ++j;
        trie.labels_.push_back(token);
        next_level.push_back({i, j});
        i = j;
      }
      trie.first_child_.push_back(static_cast<std::uint32_t>(trie.labels_.size()));
      trie.value_begin_.push_back(static_cast<std::uint32_t>(trie.values_.size()));
    }
    std::swap(level, next_level);
  }
  trie.first_child_.shrink_to_fit();
  trie.labels_.shrink_to_fit();
  trie.value_begin_.shrink_to_fit();
  trie.values_.shrink_to_fit();
  return trie;
}

std::uint32_t PrefixTrie::child(std::uint32_t node, std::int32_t token) const {
  const std::int32_t* begin = labels_.data() + first_child_[node];
  const std::int32_t* end = labels_.data() + first_child_[node + 1];
  const std::int32_t* it = std::lower_bound(begin, end, token);
  return it != end && *it == token ? static_cast<std::uint32_t>(it - labels_.data()) : kNoNode;
}

std::uint32_t PrefixTrie::find(View<const std::int32_t> prefix) const {
  std::uint32_t node = root();
  for (std::size_t i = 0; i < prefix.size && node != kNoNode; ++i) node = child(node, prefix.data[i]);
  return node;
}

std::size_t PrefixTrie::memory_bytes() const {
  return (first_child_.capacity() + value_begin_.capacity()) * sizeof(std::uint32_t) +
         (labels_.capacity() + values_.capacity()) * sizeof(std::int32_t);
}

}  // namespace attnkit::decoding
