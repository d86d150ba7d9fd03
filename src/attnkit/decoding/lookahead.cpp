#include "attnkit/decoding/lookahead.hpp"

#include <algorithm>

namespace attnkit::decoding {
namespace {

// One step of the LCS table: row[j] = LCS(sequence, query[0..j)) → the same with `token` appended.
void extend(const std::vector<int>& row, std::int32_t token, View<const std::int32_t> query, std::vector<int>& out) {
  out.assign(row.size(), 0);
  for (std::size_t j = 1; j < row.size(); ++j)
    out[j] = query.data[j - 1] == token ? row[j - 1] + 1 : std::max(out[j - 1], row[j]);
}

}  // namespace

std::vector<float> lookahead_weights(const TokenTrie& trie, std::uint32_t node, View<const std::int32_t> prefix,
                                     View<const std::int32_t> query) {
  std::vector<int> base(query.size + 1, 0), scratch;
  for (std::size_t i = 0; i < prefix.size; ++i) {
    extend(base, prefix.data[i], query, scratch);
    base.swap(scratch);
  }
  const int matched = base.back();
  std::vector<TrieBranch> allowed, children;
  trie.branches(node, allowed);
  std::vector<float> weights(allowed.size(), 1.0f);
  // Depth-first through each child's subtree with one LCS row per depth: a node popped at depth d finds
  // its parent's row at d − 1 (siblings are popped only after the whole subtree before them). LCS only
  // grows along a path, so the best completion is the best complete node.
  struct Frame { std::uint32_t node; std::int32_t token; std::size_t depth; };
  std::vector<std::vector<int>> rows = {base};
  std::vector<Frame> stack;
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    int best = matched;
    stack.push_back({allowed[i].node, allowed[i].token, 1});
    while (!stack.empty()) {
      const Frame frame = stack.back();
      stack.pop_back();
      if (rows.size() <= frame.depth) rows.resize(frame.depth + 1);
      extend(rows[frame.depth - 1], frame.token, query, rows[frame.depth]);
      if (trie.is_complete(frame.node)) best = std::max(best, rows[frame.depth].back());
      trie.branches(frame.node, children);
      for (const TrieBranch& c : children) stack.push_back({c.node, c.token, frame.depth + 1});
    }
    weights[i] = static_cast<float>(1 + best - matched);
  }
  return weights;
}

}  // namespace attnkit::decoding
