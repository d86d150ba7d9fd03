// Random tries and a deterministic pseudo-model for the decoding tests.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "attnkit/core/view.hpp"
#include "attnkit/decoding/prefix_trie.hpp"
#include "attnkit/decoding/token_trie.hpp"

namespace attnkit::test {

struct Sequences {
  std::vector<std::vector<std::int32_t>> items;
  std::vector<std::int32_t> flat, lengths, values;
};

// count sequences of length [min_len, max_len] over ids [first_id, vocab); some repeated, some prefixes of others.
inline Sequences random_sequences(std::size_t count, int min_len, int max_len, int vocab, unsigned seed, int first_id = 1) {
  std::mt19937 rng(seed);
  Sequences s;
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<std::int32_t> seq;
    if (i > 0 && rng() % 5 == 0) {  // a duplicate or a prefix of an earlier sequence
      seq = s.items[rng() % s.items.size()];
      if (rng() % 2 && seq.size() > 1) seq.resize(1 + rng() % (seq.size() - 1));
    } else {
      const int len = min_len + static_cast<int>(rng() % (max_len - min_len + 1));
      for (int t = 0; t < len; ++t) seq.push_back(first_id + static_cast<std::int32_t>(rng() % (vocab - first_id)));
    }
    s.items.push_back(seq);
    s.flat.insert(s.flat.end(), seq.begin(), seq.end());
    s.lengths.push_back(static_cast<std::int32_t>(seq.size()));
    s.values.push_back(static_cast<std::int32_t>(1000 + i));
  }
  return s;
}

// A trie against the naive model of its sequences: for every prefix of every entry, the next tokens
// (ascending, each child() agreeing) and the values of the entries ending there (duplicates keep every
// value, in input order).
inline void expect_same_as_naive(const decoding::TokenTrie& trie, const Sequences& s) {
  using Seq = std::vector<std::int32_t>;
  std::map<Seq, std::set<std::int32_t>> next;
  std::map<Seq, Seq> values;
  for (std::size_t i = 0; i < s.items.size(); ++i) {
    for (std::size_t k = 0; k <= s.items[i].size(); ++k) {
      auto& n = next[Seq(s.items[i].begin(), s.items[i].begin() + static_cast<std::ptrdiff_t>(k))];
      if (k < s.items[i].size()) n.insert(s.items[i][k]);
    }
    values[s.items[i]].push_back(s.values[i]);
  }
  std::vector<decoding::TrieBranch> branches;
  Seq found;
  for (const auto& [prefix, tokens] : next) {
    const std::uint32_t node = trie.find({prefix.data(), prefix.size()});
    ASSERT_NE(node, decoding::TokenTrie::kNoNode);
    trie.branches(node, branches);
    Seq allowed;
    for (const auto& b : branches) {
      allowed.push_back(b.token);
      EXPECT_EQ(trie.child(node, b.token), b.node);
    }
    ASSERT_EQ(allowed, Seq(tokens.begin(), tokens.end()));
    EXPECT_EQ(trie.has_children(node), !tokens.empty());
    const auto entry = values.find(prefix);
    ASSERT_EQ(trie.is_complete(node), entry != values.end());
    trie.values(node, found);
    EXPECT_EQ(found, entry == values.end() ? Seq{} : entry->second);
  }
  EXPECT_EQ(trie.entry_count(), values.size());
  EXPECT_EQ(trie.node_count(), next.size());
}

// log p(token | prefix): log-softmax of pseudo-random logits seeded by the prefix (deterministic).
inline void pseudo_model(const std::vector<std::int32_t>& prefix, std::size_t vocab, unsigned salt, float* out) {
  std::uint64_t h = 1469598103934665603ULL ^ salt;
  for (auto t : prefix) h = (h ^ static_cast<std::uint64_t>(t + 7)) * 1099511628211ULL;
  std::mt19937_64 rng(h);
  std::uniform_real_distribution<double> logit(-3.0, 3.0);
  double z = 0;
  std::vector<double> l(vocab);
  for (auto& x : l) z += std::exp(x = logit(rng));
  for (std::size_t i = 0; i < vocab; ++i) out[i] = static_cast<float>(l[i] - std::log(z));
}

}  // namespace attnkit::test
