// The seed's LCS lookahead weights on hand-worked tries.
#include <gtest/gtest.h>

#include "attnkit/decoding/lookahead.hpp"
#include "attnkit/decoding/prefix_trie.hpp"

namespace attnkit {
namespace {

decoding::PrefixTrie trie_of(const std::vector<std::vector<std::int32_t>>& entries) {
  std::vector<std::int32_t> tokens, values;
  std::vector<std::uint32_t> offsets{0};
  for (const auto& e : entries) {
    tokens.insert(tokens.end(), e.begin(), e.end());
    offsets.push_back(static_cast<std::uint32_t>(tokens.size()));
    values.push_back(static_cast<std::int32_t>(values.size()));
  }
  return decoding::PrefixTrie::build({tokens.data(), tokens.size()}, {offsets.data(), offsets.size()},
                                     {values.data(), values.size()});
}

TEST(Lookahead, WeighsEachContinuationByTheQueryTokensItsBestCompletionAdds) {
  // Entries 机构 (1 2), 机构职能 (1 2 3 4), 所属 (5 6); the question holds 机构职能 (1 2 3 4) among other tokens.
  const auto trie = trie_of({{1, 2}, {1, 2, 3, 4}, {5, 6}});
  const std::vector<std::int32_t> query = {9, 1, 2, 3, 4, 8};
  // At the root: 1 can still match 4 tokens (w = 5), 5 matches none (w = 1).
  EXPECT_EQ(decoding::lookahead_weights(trie, trie.root(), {nullptr, 0}, {query.data(), query.size()}),
            (std::vector<float>{5, 1}));
  // After 1 2 (2 matched): 3 leads to 1 2 3 4 (4 matched): w = 1 + 4 − 2 = 3.
  const std::vector<std::int32_t> prefix = {1, 2};
  const auto node = trie.find({prefix.data(), prefix.size()});
  EXPECT_EQ(decoding::lookahead_weights(trie, node, {prefix.data(), prefix.size()}, {query.data(), query.size()}),
            (std::vector<float>{3}));
  // Order matters for LCS: a query 4 3 2 1 matches at most one token of 1 2 3 4.
  const std::vector<std::int32_t> reversed = {4, 3, 2, 1};
  EXPECT_EQ(decoding::lookahead_weights(trie, trie.root(), {nullptr, 0}, {reversed.data(), reversed.size()}),
            (std::vector<float>{2, 1}));
}

TEST(Lookahead, AnEmptyQueryWeighsEverythingOne) {
  const auto trie = trie_of({{1, 2}, {3}});
  EXPECT_EQ(decoding::lookahead_weights(trie, trie.root(), {nullptr, 0}, {nullptr, 0}), (std::vector<float>{1, 1}));
}

}  // namespace
}  // namespace attnkit
