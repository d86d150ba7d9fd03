// Building: sort the sequences lexicographically, then expand the trie level by level. A node is a
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

namespace {

// Sequence positions in lexicographic order (input order among equal sequences): a counting sort on the
// first token, then a comparison sort inside each bucket, which is small for realistic vocabularies.
std::vector<std::uint32_t> sorted_order(View<const std::int32_t> tokens, View<const std::uint32_t> offsets,
                                        std::size_t count) {
  auto first = [&](std::uint32_t s) -> std::int64_t {
    return offsets.data[s] == offsets.data[s + 1] ? -1 : tokens.data[offsets.data[s]];
  };
  std::int64_t max_first = -1;
  for (std::uint32_t s = 0; s < count; ++s) max_first = std::max(max_first, first(s));
  // Bucket b holds first token b − 1 (bucket 0: empty sequences). Token ids beyond a sane bucket count
  // fall back to one comparison sort over everything.
  const std::size_t buckets = static_cast<std::size_t>(max_first + 2);
  std::vector<std::uint32_t> order(count);
  auto lexicographic = [&](std::uint32_t a, std::uint32_t b) {
    const bool less = std::lexicographical_compare(tokens.data + offsets.data[a], tokens.data + offsets.data[a + 1],
                                                   tokens.data + offsets.data[b], tokens.data + offsets.data[b + 1]);
    if (less) return true;
    const bool greater = std::lexicographical_compare(tokens.data + offsets.data[b], tokens.data + offsets.data[b + 1],
                                                      tokens.data + offsets.data[a], tokens.data + offsets.data[a + 1]);
    return !greater && a < b;  // equal sequences keep input order
  };
  if (buckets > 4 * count + 65536) {
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), lexicographic);
    return order;
  }
  std::vector<std::uint32_t> start(buckets + 1, 0);
  for (std::uint32_t s = 0; s < count; ++s) ++start[static_cast<std::size_t>(first(s) + 2)];
  for (std::size_t b = 1; b <= buckets; ++b) start[b] += start[b - 1];
  std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
  for (std::uint32_t s = 0; s < count; ++s) order[fill[static_cast<std::size_t>(first(s) + 1)]++] = s;
  for (std::size_t b = 0; b < buckets; ++b)
    if (start[b + 1] - start[b] > 1) std::sort(order.begin() + start[b], order.begin() + start[b + 1], lexicographic);
  return order;
}

}  // namespace

PrefixTrie PrefixTrie::build(View<const std::int32_t> tokens, View<const std::uint32_t> offsets,
                             View<const std::int32_t> values) {
  const std::size_t count = values.size;
  const std::vector<std::uint32_t> order = sorted_order(tokens, offsets, count);

  // The sequences laid out contiguously in sorted order, so each level below reads memory in order.
  std::vector<std::int32_t> sorted_tokens(offsets.data[count] - offsets.data[0]);
  std::vector<std::uint32_t> sorted_offsets(count + 1, 0);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t s = order[i];
    std::copy(tokens.data + offsets.data[s], tokens.data + offsets.data[s + 1], sorted_tokens.begin() + sorted_offsets[i]);
    sorted_offsets[i + 1] = sorted_offsets[i] + (offsets.data[s + 1] - offsets.data[s]);
  }
  auto length = [&](std::uint32_t i) { return sorted_offsets[i + 1] - sorted_offsets[i]; };
  auto at = [&](std::uint32_t i, std::uint32_t depth) { return sorted_tokens[sorted_offsets[i] + depth]; };

  // Exact node count (1 + Σ length − common prefix with the previous sorted sequence), so the arrays are
  // sized once: growing and shrinking them would touch several times the memory, and first touches of
  // fresh WASM memory are what a large build mostly pays for.
  std::size_t nodes = 1;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t common = 0;
    if (i > 0)
      while (common < length(i) && common < length(i - 1) && at(i, common) == at(i - 1, common)) ++common;
    nodes += length(i) - common;
  }
  PrefixTrie trie;
  trie.labels_.reserve(nodes);
  trie.first_child_.reserve(nodes + 1);
  trie.value_begin_.reserve(nodes + 1);
  trie.values_.reserve(count);
  std::vector<Range> level = {{0, static_cast<std::uint32_t>(count)}}, next_level;
  trie.labels_.push_back(0);
  trie.first_child_.push_back(1);
  trie.value_begin_.push_back(0);
  for (std::uint32_t depth = 0; !level.empty(); ++depth) {
    next_level.clear();
    for (const Range& node : level) {
      std::uint32_t i = node.lo;
      // Sequences ending here sort first in the range (a prefix sorts before its extensions).
      for (; i < node.hi && length(i) == depth; ++i) trie.values_.push_back(values.data[order[i]]);
      if (i > node.lo) ++trie.entries_;
      while (i < node.hi) {
        const std::int32_t token = at(i, depth);
        std::uint32_t j = i + 1;
        while (j < node.hi && at(j, depth) == token) ++j;
        trie.labels_.push_back(token);
        next_level.push_back({i, j});
        i = j;
      }
      trie.first_child_.push_back(static_cast<std::uint32_t>(trie.labels_.size()));
      trie.value_begin_.push_back(static_cast<std::uint32_t>(trie.values_.size()));
    }
    std::swap(level, next_level);
  }
  return trie;
}

std::uint32_t PrefixTrie::child(std::uint32_t node, std::int32_t token) const {
  const std::int32_t* begin = labels_.data() + first_child_[node];
  const std::int32_t* end = labels_.data() + first_child_[node + 1];
  const std::int32_t* it = std::lower_bound(begin, end, token);
  return it != end && *it == token ? static_cast<std::uint32_t>(it - labels_.data()) : kNoNode;
}

void PrefixTrie::branches(std::uint32_t node, std::vector<TrieBranch>& out) const {
  out.clear();
  for (std::uint32_t c = first_child_[node]; c < first_child_[node + 1]; ++c) out.push_back({labels_[c], c});
}

std::size_t PrefixTrie::memory_bytes() const {
  return (first_child_.capacity() + value_begin_.capacity()) * sizeof(std::uint32_t) +
         (labels_.capacity() + values_.capacity()) * sizeof(std::int32_t);
}

}  // namespace attnkit::decoding
