// PrefixTrie against a naive set-of-prefixes model; serialisation round trips and corruption.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "attnkit/api/decoding_api.hpp"
#include "attnkit/core/error.hpp"
#include "decoding_helpers.hpp"

namespace attnkit {
namespace {

using decoding::PrefixTrie;
using Seq = std::vector<std::int32_t>;

std::unique_ptr<PrefixTrie> build(const test::Sequences& s) {
  return api::build_trie({s.flat.data(), s.flat.size()}, {s.lengths.data(), s.lengths.size()},
                         {s.values.data(), s.values.size()});
}

// The naive model: for every prefix of every entry, the set of next tokens, and the values of each entry.
struct NaiveTrie {
  std::map<Seq, std::set<std::int32_t>> next;
  std::map<Seq, std::vector<std::int32_t>> values;
  explicit NaiveTrie(const test::Sequences& s) {
    for (std::size_t i = 0; i < s.items.size(); ++i) {
      const Seq& seq = s.items[i];
      for (std::size_t k = 0; k <= seq.size(); ++k) {
        auto& n = next[Seq(seq.begin(), seq.begin() + k)];
        if (k < seq.size()) n.insert(seq[k]);
      }
      values[seq].push_back(s.values[i]);
    }
  }
};

void expect_same_as_naive(const PrefixTrie& trie, const NaiveTrie& naive) {
  for (const auto& [prefix, tokens] : naive.next) {
    const std::uint32_t node = trie.find({prefix.data(), prefix.size()});
    ASSERT_NE(node, PrefixTrie::kNoNode);
    const auto next = trie.next_tokens(node);
    ASSERT_EQ(Seq(next.data, next.data + next.size), Seq(tokens.begin(), tokens.end()));
    const auto it = naive.values.find(prefix);
    ASSERT_EQ(trie.is_complete(node), it != naive.values.end());
    if (it != naive.values.end()) {
      const auto v = trie.values(node);
      ASSERT_EQ(Seq(v.data, v.data + v.size), it->second);  // duplicates keep every value, in input order
    }
  }
  EXPECT_EQ(trie.entry_count(), naive.values.size());
  EXPECT_EQ(trie.node_count(), naive.next.size());
}

TEST(PrefixTrie, AgreesWithANaiveSetOfPrefixesOnRandomTries) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const auto s = test::random_sequences(1 + seed * 13, 0, 6, 2 + seed % 9, seed);
    const auto trie = build(s);
    const NaiveTrie naive(s);
    expect_same_as_naive(*trie, naive);
    // Prefixes that are not in the naive model are not in the trie either.
    std::mt19937 rng(seed);
    for (int i = 0; i < 50; ++i) {
      Seq probe(rng() % 5);
      for (auto& t : probe) t = static_cast<std::int32_t>(rng() % (3 + seed % 9));
      EXPECT_EQ(trie->find({probe.data(), probe.size()}) != PrefixTrie::kNoNode, naive.next.count(probe) > 0);
    }
  }
}

TEST(PrefixTrie, EmptyTrieAndEmptySequence) {
  const auto empty = api::build_trie({}, {}, {});
  EXPECT_EQ(empty->entry_count(), 0u);
  EXPECT_EQ(empty->node_count(), 1u);
  EXPECT_EQ(empty->child_count(0), 0u);
  const std::int32_t zero_length = 0;
  const auto only_empty = api::build_trie({}, {&zero_length, 1}, {});
  EXPECT_TRUE(only_empty->is_complete(0));
  EXPECT_EQ(only_empty->values(0).data[0], 0);
}

TEST(PrefixTrie, SerialisationRoundTripsExactly) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const auto s = test::random_sequences(200, 0, 10, 50, seed);
    const auto trie = build(s);
    const auto bytes = trie->serialize();
    const auto copy = api::deserialize_trie({bytes.data(), bytes.size()});
    EXPECT_EQ(copy->serialize(), bytes);
    expect_same_as_naive(*copy, NaiveTrie(s));
  }
}

TEST(PrefixTrie, RejectsEveryTruncationAndEveryFlippedByte) {
  const auto s = test::random_sequences(30, 1, 5, 9, 3);
  const auto bytes = build(s)->serialize();
  for (std::size_t len = 0; len < bytes.size(); ++len) EXPECT_THROW(api::deserialize_trie({bytes.data(), len}), Error);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto corrupted = bytes;
    corrupted[i] ^= 0x5A;
    EXPECT_THROW(api::deserialize_trie({corrupted.data(), corrupted.size()}), Error) << "byte " << i;
  }
}

TEST(PrefixTrie, RandomBytesNeverCrashDeserialisation) {
  std::mt19937 rng(7);
  const auto valid = build(test::random_sequences(10, 1, 4, 6, 2))->serialize();
  for (int i = 0; i < 2000; ++i) {
    std::vector<std::uint8_t> bytes = i % 2 ? valid : std::vector<std::uint8_t>(rng() % 200);
    for (auto& b : bytes)
      if (i % 2 == 0 || rng() % 16 == 0) b = static_cast<std::uint8_t>(rng());
    try {
      api::deserialize_trie({bytes.data(), bytes.size()});
    } catch (const Error&) {
    }
  }
}

TEST(PrefixTrieApi, RejectsBadInputWithNamedArguments) {
  const std::vector<std::int32_t> tokens = {1, 2, 3}, lengths = {2, 2}, negative = {1, -2, 3}, ok_lengths = {3};
  EXPECT_THROW(api::build_trie({tokens.data(), 3}, {lengths.data(), 2}, {}), Error);  // lengths sum to 4
  EXPECT_THROW(api::build_trie({negative.data(), 3}, {ok_lengths.data(), 1}, {}), Error);
  const auto trie = api::build_trie({tokens.data(), 3}, {ok_lengths.data(), 1}, {});
  const std::vector<std::int32_t> unknown = {1, 9};
  try {
    api::require_prefix("PrefixTrie.next", *trie, {unknown.data(), unknown.size()});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "PrefixTrie.next: prefix [1, 9] is not in the trie (no entry starts with it)");
  }
}

}  // namespace
}  // namespace attnkit

namespace attnkit {
namespace {

// Every committed fuzz seed (valid tries and past crash inputs) deserialises or throws attnkit::Error.
TEST(PrefixTrie, FuzzCorpusInputsAreHandled) {
  const std::filesystem::path corpus = std::filesystem::path(ATTNKIT_FIXTURES_DIR) / ".." / "fuzz" / "corpus" / "trie";
  std::size_t files = 0, valid = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++files;
    try {
      api::deserialize_trie({bytes.data(), bytes.size()});
      ++valid;
    } catch (const Error&) {
    }
  }
  EXPECT_GE(files, 5u);
  EXPECT_GE(valid, 4u);  // the seeds written from real tries
}

}  // namespace
}  // namespace attnkit
