// KBQA's subject trie as a view of its triple trie. Triple keys are "name [SEP] predicate [SEP] sense", so
// the trie of subject names is exactly the triple trie above the first [SEP]: a name is complete where
// [SEP] may follow, and its values are the triples below that [SEP]. Stored once, the subject trie costs
// nothing (it was a third of the KgCLUE tries' nodes). Names never contain the [SEP] id: the tokenizer does
// not map text to special tokens.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "attnkit/core/error.hpp"
#include "attnkit/decoding/token_trie.hpp"

namespace attnkit::pipelines {

class SubjectTrie : public decoding::TokenTrie {
 public:
  SubjectTrie(const decoding::TokenTrie& triples, std::int32_t sep) : triples_(triples), sep_(sep) {}

  void branches(std::uint32_t node, std::vector<decoding::TrieBranch>& out) const override {
    triples_.branches(node, out);
    out.erase(std::remove_if(out.begin(), out.end(), [&](const decoding::TrieBranch& b) { return b.token == sep_; }),
              out.end());
  }
  std::uint32_t child(std::uint32_t node, std::int32_t token) const override {
    return token == sep_ ? kNoNode : triples_.child(node, token);
  }
  bool has_children(std::uint32_t node) const override {
    std::vector<decoding::TrieBranch> found;
    branches(node, found);
    return !found.empty();
  }
  bool is_complete(std::uint32_t node) const override { return triples_.child(node, sep_) != kNoNode; }
  // Every triple below the name's [SEP], ascending: the order a trie of names built in KB order keeps.
  void values(std::uint32_t node, std::vector<std::int32_t>& out) const override {
    out.clear();
    const std::uint32_t below = triples_.child(node, sep_);
    if (below == kNoNode) return;
    std::vector<std::uint32_t> stack = {below};
    std::vector<decoding::TrieBranch> children;
    std::vector<std::int32_t> found;
    while (!stack.empty()) {
      const std::uint32_t at = stack.back();
      stack.pop_back();
      triples_.values(at, found);
      out.insert(out.end(), found.begin(), found.end());
      triples_.branches(at, children);
      for (const auto& c : children) stack.push_back(c.node);
    }
    std::sort(out.begin(), out.end());
  }

  // Node ids are the triple trie's (those past a [SEP] are never reached through the view).
  std::size_t node_count() const override { return triples_.node_count(); }
  // The distinct names, counted by a walk of the names' part of the trie (nothing on a hot path asks).
  std::size_t entry_count() const override {
    std::size_t count = 0;
    std::vector<std::uint32_t> stack = {root()};
    std::vector<decoding::TrieBranch> children;
    while (!stack.empty()) {
      const std::uint32_t at = stack.back();
      stack.pop_back();
      count += is_complete(at);
      branches(at, children);
      for (const auto& c : children) stack.push_back(c.node);
    }
    return count;
  }
  std::size_t memory_bytes() const override { return 0; }  // it holds nothing of its own
  std::vector<std::uint8_t> serialize() const override { fail("SubjectTrie: a view is saved with its KB index"); }

 private:
  const decoding::TokenTrie& triples_;
  std::int32_t sep_;
};

}  // namespace attnkit::pipelines
