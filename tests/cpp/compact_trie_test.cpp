// The PrefixTrie semantics, run against both implementations of TokenTrie (flat PrefixTrie and succinct
// CompactTrie) with a naive set-of-prefixes model as the reference; CompactTrie keeps PrefixTrie's node
// numbering; its bit vectors against naive rank/select; reading corrupt bytes.
#include "attnkit/decoding/compact_trie.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "attnkit/core/bit_vector.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/decoding/beam_search.hpp"
#include "attnkit/decoding/lookahead.hpp"
#include "decoding_helpers.hpp"

namespace attnkit {
namespace {

using decoding::CompactTrie;
using decoding::PrefixTrie;
using decoding::TokenTrie;
using Seq = std::vector<std::int32_t>;

PrefixTrie flat_of(const test::Sequences& s) {
  std::vector<std::uint32_t> offsets = {0};
  for (const auto length : s.lengths) offsets.push_back(offsets.back() + static_cast<std::uint32_t>(length));
  return PrefixTrie::build({s.flat.data(), s.flat.size()}, {offsets.data(), offsets.size()},
                           {s.values.data(), s.values.size()});
}

std::unique_ptr<TokenTrie> make(const test::Sequences& s, bool compact) {
  if (compact) return std::make_unique<CompactTrie>(CompactTrie::from(flat_of(s)));
  return std::make_unique<PrefixTrie>(flat_of(s));
}

class TokenTries : public testing::TestWithParam<bool> {};  // false: PrefixTrie, true: CompactTrie

TEST_P(TokenTries, AgreeWithANaiveSetOfPrefixesOnRandomTries) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const auto s = test::random_sequences(1 + seed * 13, 0, 6, 2 + seed % 9, seed);
    const auto trie = make(s, GetParam());
    test::expect_same_as_naive(*trie, s);
    std::mt19937 rng(seed);
    for (int i = 0; i < 50; ++i) {  // tokens outside the alphabet and absent prefixes are not found
      Seq probe(rng() % 5);
      for (auto& t : probe) t = static_cast<std::int32_t>(rng() % (5 + seed % 9)) - 1;
      bool present = false;
      for (const auto& item : s.items)
        present |= item.size() >= probe.size() && std::equal(probe.begin(), probe.end(), item.begin());
      EXPECT_EQ(trie->find({probe.data(), probe.size()}) != TokenTrie::kNoNode, present);
    }
  }
}

TEST_P(TokenTries, HandleLargeVocabulariesNegativeValuesAndEmptyTries) {
  auto s = test::random_sequences(3000, 1, 12, 21128, 11);  // BERT-sized ids: 15-bit labels
  for (std::size_t i = 0; i < s.values.size(); ++i)
    s.values[i] = static_cast<std::int32_t>(i % 7 == 0 ? -1000000 + i : i * 3);
  test::expect_same_as_naive(*make(s, GetParam()), s);
  const auto empty = make(test::Sequences{}, GetParam());
  EXPECT_FALSE(empty->has_children(0));
  EXPECT_FALSE(empty->is_complete(0));
  test::Sequences only_empty;
  only_empty.items = {{}};
  only_empty.lengths = {0};
  only_empty.values = {5};
  test::expect_same_as_naive(*make(only_empty, GetParam()), only_empty);
}

TEST_P(TokenTries, ConstrainedBeamSearchAndLookaheadSeeTheSameTrie) {
  const auto s = test::random_sequences(400, 1, 8, 40, 5);
  const PrefixTrie flat = flat_of(s);
  const auto trie = make(s, GetParam());
  decoding::BeamSearchOptions options;
  options.beams = 6;
  options.top_k = 6;
  options.vocab_size = 40;
  options.eos_id = 0;
  options.max_length = 10;
  const auto run = [&](const TokenTrie& t) {
    options.trie = &t;
    return decoding::beam_search(options, [&](const std::vector<decoding::Hypothesis>& live, float* out) {
      for (std::size_t h = 0; h < live.size(); ++h) test::pseudo_model(live[h].tokens, 40, 3, out + h * 40);
    });
  };
  const auto expected = run(flat), got = run(*trie);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].tokens, expected[i].tokens);
    EXPECT_EQ(got[i].log_prob, expected[i].log_prob);
  }
  const Seq query = {3, 7, 11, 2};
  for (std::uint32_t node : {0u, 1u, 5u})
    EXPECT_EQ(decoding::lookahead_weights(*trie, node, {}, {query.data(), query.size()}),
              decoding::lookahead_weights(flat, node, {}, {query.data(), query.size()}));
}

INSTANTIATE_TEST_SUITE_P(FlatAndCompact, TokenTries, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& info) { return info.param ? "Compact" : "Flat"; });

TEST(CompactTrie, KeepsThePrefixTrieNodeNumberingInLessThanAThirdOfTheBytes) {
  const auto s = test::random_sequences(5000, 3, 16, 5000, 9);
  const PrefixTrie flat = flat_of(s);
  const CompactTrie compact = CompactTrie::from(flat);
  ASSERT_EQ(compact.node_count(), flat.node_count());
  EXPECT_EQ(compact.entry_count(), flat.entry_count());
  std::vector<decoding::TrieBranch> a, b;
  for (std::uint32_t node = 0; node < flat.node_count(); ++node) {
    flat.branches(node, a);
    compact.branches(node, b);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) ASSERT_TRUE(a[i].token == b[i].token && a[i].node == b[i].node);
  }
  // 13-bit labels + ~4 bits of structure a node, against 96 bits; a tree this bushy (5,000 random labels,
  // 7 nodes an entry) is the worst case: KgCLUE's tries shrink 6×.
  EXPECT_LT(compact.memory_bytes() * 3, flat.memory_bytes());
}

TEST(CompactTrie, WriteReadRoundTripsAndCorruptionIsAnErrorNeverACrash) {
  const auto s = test::random_sequences(300, 0, 9, 60, 4);
  const CompactTrie trie = CompactTrie::from(flat_of(s));
  std::vector<std::uint8_t> bytes;
  trie.write(bytes);
  ByteReader in({bytes.data(), bytes.size()}, "test trie");
  const CompactTrie copy = CompactTrie::read(in);
  EXPECT_EQ(in.remaining(), 0u);
  test::expect_same_as_naive(copy, s);
  for (std::size_t len = 0; len < bytes.size(); len += 7) {
    ByteReader cut({bytes.data(), len}, "test trie");
    EXPECT_THROW(CompactTrie::read(cut), Error);
  }
  // Flipped bytes either fail validation or give a trie whose every walk stays in range (ASan checks).
  std::mt19937 rng(1);
  std::vector<decoding::TrieBranch> branches;
  std::vector<std::int32_t> values;
  for (int trial = 0; trial < 3000; ++trial) {
    auto corrupted = bytes;
    for (int flips = 1 + static_cast<int>(rng() % 3); flips > 0; --flips)
      corrupted[rng() % corrupted.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
    try {
      ByteReader reader({corrupted.data(), corrupted.size()}, "test trie");
      const CompactTrie t = CompactTrie::read(reader);
      for (std::uint32_t node = 0; node < t.node_count(); ++node) {
        t.branches(node, branches);
        for (const auto& b : branches) ASSERT_GT(b.node, node);
        t.values(node, values);
      }
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("test trie"), std::string::npos) << e.what();
    }
  }
}

TEST(BitVector, RankAndSelectAgreeWithCounting) {
  std::mt19937 rng(2);
  for (std::size_t size : {0, 1, 63, 64, 65, 511, 512, 513, 5000}) {
    for (int density : {1, 50, 99}) {
      BitVector bits;
      std::vector<bool> naive;
      for (std::size_t i = 0; i < size; ++i) {
        naive.push_back(static_cast<int>(rng() % 100) < density);
        bits.push_back(naive.back());
      }
      bits.finish();
      std::size_t ones = 0, zeros = 0;
      for (std::size_t i = 0; i <= size; ++i) {
        ASSERT_EQ(bits.rank1(i), ones) << size << " " << i;
        if (i == size) break;
        if (naive[i]) {
          ++ones;
        } else {
          ASSERT_EQ(bits.select0(zeros), i);
          ASSERT_EQ(bits.next_zero(i), i);
          ++zeros;
        }
      }
      EXPECT_EQ(bits.ones(), ones);
      EXPECT_EQ(bits.zeros(), zeros);
    }
  }
}

}  // namespace
}  // namespace attnkit
