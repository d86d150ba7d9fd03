// Trie serialisation in both layouts: round trips, truncation and corruption; the api layer's messages.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "attnkit/api/decoding_api.hpp"
#include "attnkit/core/error.hpp"
#include "decoding_helpers.hpp"

namespace attnkit {
namespace {

using decoding::PrefixTrie;
using decoding::TrieLayout;

class TrieLayouts : public testing::TestWithParam<TrieLayout> {
 protected:
  std::unique_ptr<decoding::TokenTrie> build(const test::Sequences& s) const {
    return api::build_trie({s.flat.data(), s.flat.size()}, {s.lengths.data(), s.lengths.size()},
                           {s.values.data(), s.values.size()}, GetParam());
  }
};

TEST_P(TrieLayouts, EmptyTrieAndEmptySequence) {
  const auto empty = api::build_trie({}, {}, {}, GetParam());
  EXPECT_EQ(empty->entry_count(), 0u);
  EXPECT_EQ(empty->node_count(), 1u);
  EXPECT_FALSE(empty->has_children(0));
  const std::int32_t zero_length = 0;
  const auto only_empty = api::build_trie({}, {&zero_length, 1}, {}, GetParam());
  EXPECT_TRUE(only_empty->is_complete(0));
  std::vector<std::int32_t> values;
  only_empty->values(0, values);
  EXPECT_EQ(values, std::vector<std::int32_t>{0});
}

TEST_P(TrieLayouts, SerialisationRoundTripsExactly) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const auto s = test::random_sequences(200, 0, 10, 50, seed);
    const auto trie = build(s);
    const auto bytes = trie->serialize();
    const auto copy = api::deserialize_trie({bytes.data(), bytes.size()});
    EXPECT_EQ(copy->serialize(), bytes);
    test::expect_same_as_naive(*copy, s);
  }
}

TEST_P(TrieLayouts, RejectsEveryTruncationAndEveryFlippedByte) {
  const auto s = test::random_sequences(30, 1, 5, 9, 3);
  const auto bytes = build(s)->serialize();
  for (std::size_t len = 0; len < bytes.size(); ++len) EXPECT_THROW(api::deserialize_trie({bytes.data(), len}), Error);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto corrupted = bytes;
    corrupted[i] ^= 0x5A;
    EXPECT_THROW(api::deserialize_trie({corrupted.data(), corrupted.size()}), Error) << "byte " << i;
  }
}

TEST_P(TrieLayouts, RandomBytesNeverCrashDeserialisation) {
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

INSTANTIATE_TEST_SUITE_P(FlatAndCompact, TrieLayouts, testing::Values(TrieLayout::kFlat, TrieLayout::kCompact),
                         [](const testing::TestParamInfo<TrieLayout>& info) {
                           return info.param == TrieLayout::kFlat ? "Flat" : "Compact";
                         });

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
