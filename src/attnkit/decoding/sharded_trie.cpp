#include "attnkit/decoding/sharded_trie.hpp"

#include <algorithm>

#include "attnkit/core/error.hpp"

namespace attnkit::decoding {

ShardedTrie::ShardedTrie(CompactTrie top, std::vector<std::int64_t> value_bases, const char* where)
    : top_(std::move(top)), value_bases_(std::move(value_bases)) {
  const std::size_t parts = value_bases_.size();
  if (top_.node_count() >= kNoNode) fail_file(where, ": the top trie has too many nodes");
  top_.require_values_below(static_cast<std::int64_t>(parts), where);
  if (top_.is_complete(0)) fail_file(where, ": the root cannot be a cut point");
  cut_index_.assign(top_.node_count(), kNoNode);
  // Depth-first from the root, the current prefix on a stack: each cut point's prefix is recorded.
  struct Visit {
    std::uint32_t node;
    std::size_t depth;
    std::int32_t token;
  };
  std::vector<Visit> stack = {{0, 0, 0}};
  std::vector<std::int32_t> prefix;
  std::vector<TrieBranch> children;
  std::vector<std::int32_t> part;
  cut_offsets_.push_back(0);
  while (!stack.empty()) {
    const Visit at = stack.back();
    stack.pop_back();
    prefix.resize(at.depth);
    if (at.depth > 0) prefix.back() = at.token;
    top_.branches(at.node, children);
    if (top_.is_complete(at.node)) {
      top_.values(at.node, part);
      if (part.size() != 1 || !children.empty())
        fail_file(where, ": a cut point must name one part and have no children of its own");
      cut_index_[at.node] = static_cast<std::uint32_t>(cut_part_.size());
      cut_part_.push_back(static_cast<std::uint32_t>(part[0]));
      cut_tokens_.insert(cut_tokens_.end(), prefix.begin(), prefix.end());
      cut_offsets_.push_back(static_cast<std::uint32_t>(cut_tokens_.size()));
      continue;
    }
    if (children.empty()) fail_file(where, ": a branch of the top trie ends without a cut point");
    for (const auto& c : children) stack.push_back({c.node, at.depth + 1, c.token});
  }
  cut_local_.assign(cut_part_.size(), kNoNode);
  // Cut points grouped by part (counting sort), so attaching a part visits only its own.
  part_cut_offsets_.assign(parts + 1, 0);
  for (const std::uint32_t p : cut_part_) ++part_cut_offsets_[p + 1];
  for (std::size_t p = 0; p < parts; ++p) part_cut_offsets_[p + 1] += part_cut_offsets_[p];
  part_cuts_.resize(cut_part_.size());
  std::vector<std::uint32_t> fill(part_cut_offsets_.begin(), part_cut_offsets_.end() - 1);
  for (std::uint32_t i = 0; i < cut_part_.size(); ++i) part_cuts_[fill[cut_part_[i]]++] = i;
  part_base_.assign(parts, kNoNode);
  part_trie_.assign(parts, nullptr);
  next_base_ = static_cast<std::uint32_t>(top_.node_count());
}

void ShardedTrie::attach(std::uint32_t part, const TokenTrie& trie, const char* where) {
  if (part >= part_base_.size()) fail(where, ": part ", part, " does not exist (", part_base_.size(), " parts)");
  if (attached(part)) fail(where, ": part ", part, " is already attached");
  if (trie.node_count() >= kNoNode - next_base_) fail(where, ": too many trie nodes loaded at once (2^32)");
  std::vector<std::uint32_t> locals;
  for (std::uint32_t k = part_cut_offsets_[part]; k < part_cut_offsets_[part + 1]; ++k) {
    const std::uint32_t cut = part_cuts_[k];
    const std::uint32_t local =
        trie.find({cut_tokens_.data() + cut_offsets_[cut], cut_offsets_[cut + 1] - cut_offsets_[cut]});
    if (local == kNoNode) fail_file(where, ": the part lacks entries its manifest places in it");
    locals.push_back(local);
  }
  for (std::uint32_t k = part_cut_offsets_[part]; k < part_cut_offsets_[part + 1]; ++k)
    cut_local_[part_cuts_[k]] = locals[k - part_cut_offsets_[part]];
  part_base_[part] = next_base_;
  part_trie_[part] = &trie;
  attached_bases_.push_back(next_base_);
  attached_parts_.push_back(part);
  next_base_ += static_cast<std::uint32_t>(trie.node_count());
}

std::vector<std::uint32_t> ShardedTrie::take_missing() const {
  std::vector<std::uint32_t> parts = std::move(missing_);
  missing_.clear();
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  return parts;
}

bool ShardedTrie::locate(std::uint32_t node, std::uint32_t& part, std::uint32_t& local) const {
  if (node < top_.node_count()) {
    const std::uint32_t cut = cut_index_[node];
    if (cut == kNoNode) {
      part = kNoNode;
      local = node;
      return true;
    }
    part = cut_part_[cut];
    if (!attached(part)) {
      missing_.push_back(part);
      return false;
    }
    local = cut_local_[cut];
    return true;
  }
  const auto after = std::upper_bound(attached_bases_.begin(), attached_bases_.end(), node);
  if (after == attached_bases_.begin() || node >= next_base_) fail("ShardedTrie: node ", node, " does not exist");
  const std::size_t k = static_cast<std::size_t>(after - attached_bases_.begin()) - 1;
  part = attached_parts_[k];
  local = node - attached_bases_[k];
  return true;
}

void ShardedTrie::branches(std::uint32_t node, std::vector<TrieBranch>& out) const {
  std::uint32_t part, local;
  if (!locate(node, part, local)) return out.clear();
  if (part == kNoNode) return top_.branches(local, out);
  part_trie_[part]->branches(local, out);
  for (auto& b : out) b.node = global(part, b.node);
}

std::uint32_t ShardedTrie::child(std::uint32_t node, std::int32_t token) const {
  std::uint32_t part, local;
  if (!locate(node, part, local)) return kNoNode;
  if (part == kNoNode) return top_.child(local, token);
  return global(part, part_trie_[part]->child(local, token));
}

bool ShardedTrie::has_children(std::uint32_t node) const {
  std::uint32_t part, local;
  if (!locate(node, part, local)) return true;  // a cut point always has entries below it
  return part == kNoNode ? top_.has_children(local) : part_trie_[part]->has_children(local);
}

bool ShardedTrie::is_complete(std::uint32_t node) const {
  std::uint32_t part, local;
  if (!locate(node, part, local) || part == kNoNode) return false;  // the top's complete nodes are cut points
  return part_trie_[part]->is_complete(local);
}

void ShardedTrie::values(std::uint32_t node, std::vector<std::int32_t>& out) const {
  std::uint32_t part, local;
  out.clear();
  if (!locate(node, part, local) || part == kNoNode) return;
  part_trie_[part]->values(local, out);
  for (auto& v : out) v = static_cast<std::int32_t>(value_bases_[part] + v);
}

std::size_t ShardedTrie::entry_count() const {
  std::size_t count = 0;
  for (const std::uint32_t part : attached_parts_) count += part_trie_[part]->entry_count();
  return count;
}

std::size_t ShardedTrie::memory_bytes() const {
  return top_.memory_bytes() +
         sizeof(std::uint32_t) *
             (cut_index_.size() + cut_part_.size() + cut_local_.size() + cut_offsets_.size() + part_cuts_.size() +
              part_cut_offsets_.size() + part_base_.size() + attached_bases_.size() + attached_parts_.size()) +
         sizeof(std::int32_t) * cut_tokens_.size() + sizeof(std::int64_t) * value_bases_.size() +
         sizeof(const TokenTrie*) * part_trie_.size();
}

std::vector<std::uint8_t> ShardedTrie::serialize() const {
  fail("ShardedTrie: its top is saved in its KB manifest, its parts are the KB's shards");
}

}  // namespace attnkit::decoding
