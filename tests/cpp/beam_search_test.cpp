// Beam search: constrained results are entries, wide beams equal exhaustive scoring, greedy = argmax.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "attnkit/api/decoding_api.hpp"
#include "attnkit/core/error.hpp"
#include "decoding_helpers.hpp"

namespace attnkit {
namespace {

using decoding::FinishedHypothesis;
using decoding::Hypothesis;

constexpr std::int32_t kEos = 0;

std::vector<FinishedHypothesis> run(const api::BeamArgs& args, const decoding::TokenTrie* trie, unsigned salt) {
  auto search = api::beam_search(args, trie);
  std::vector<float> lp;
  while (!search->done()) {
    lp.resize(search->live().size() * args.vocab_size);
    for (std::size_t h = 0; h < search->live().size(); ++h)
      test::pseudo_model(search->live()[h].tokens, args.vocab_size, salt, lp.data() + h * args.vocab_size);
    search->advance(lp.data(), lp.size());
  }
  return search->results();
}

// Σ log p(t | prefix) + log p(EOS | entry), normalised by length^α: the score of a complete entry.
double exhaustive_score(const std::vector<std::int32_t>& entry, std::size_t vocab, unsigned salt, double alpha) {
  std::vector<float> lp(vocab);
  double total = 0;
  std::vector<std::int32_t> prefix;
  for (std::size_t i = 0; i <= entry.size(); ++i) {
    test::pseudo_model(prefix, vocab, salt, lp.data());
    total += i < entry.size() ? lp[entry[i]] : lp[kEos];
    if (i < entry.size()) prefix.push_back(entry[i]);
  }
  return total / std::pow(std::max<double>(entry.size(), 1), alpha);
}

TEST(BeamSearch, ConstrainedResultsAreCompleteEntriesAndWideBeamsAreExhaustive) {
  for (unsigned seed = 1; seed <= 15; ++seed) {
    const auto s = test::random_sequences(5 + seed, 1, 6, 12, seed);
    const auto trie = api::build_trie({s.flat.data(), s.flat.size()}, {s.lengths.data(), s.lengths.size()}, {});
    for (double alpha : {0.0, 1.0}) {
      api::BeamArgs args;
      args.vocab_size = 12;
      args.eos_id = kEos;
      args.max_length = 7;  // entries have ≤ 6 tokens, so each gets its EOS step (at max_length none is taken)
      args.length_penalty = alpha;
      args.beams = static_cast<long long>(trie->entry_count());
      args.top_k = std::min<long long>(3, args.beams);
      const auto results = run(args, trie.get(), seed);
      ASSERT_FALSE(results.empty());
      for (const auto& r : results) {
        ASSERT_NE(r.node, decoding::PrefixTrie::kNoNode);
        EXPECT_TRUE(trie->is_complete(trie->find({r.tokens.data(), r.tokens.size()})));
        EXPECT_NEAR(r.score, exhaustive_score(r.tokens, 12, seed, alpha), 1e-4);
      }
      double best = -1e300;
      for (const auto& entry : s.items) best = std::max(best, exhaustive_score(entry, 12, seed, alpha));
      EXPECT_NEAR(results[0].score, best, 1e-4) << "seed " << seed << " alpha " << alpha;
      for (std::size_t i = 1; i < results.size(); ++i) EXPECT_GE(results[i - 1].score, results[i].score);
    }
  }
}

TEST(BeamSearch, NarrowConstrainedBeamsStillOnlyProduceEntries) {
  const auto s = test::random_sequences(300, 2, 8, 40, 9);
  const auto trie = api::build_trie({s.flat.data(), s.flat.size()}, {s.lengths.data(), s.lengths.size()}, {});
  api::BeamArgs args;
  args.vocab_size = 40;
  args.beams = 3;
  args.top_k = 3;
  args.max_length = 8;
  for (const auto& r : run(args, trie.get(), 5))
    EXPECT_TRUE(trie->is_complete(trie->find({r.tokens.data(), r.tokens.size()})));
}

TEST(BeamSearch, GreedyIsBeamOneAndPicksTheArgmaxEachStep) {
  api::BeamArgs args;
  args.vocab_size = 10;
  args.beams = 1;
  args.top_k = 1;
  args.max_length = 5;
  args.length_penalty = 0;
  const auto result = run(args, nullptr, 4);
  ASSERT_EQ(result.size(), 1u);
  std::vector<std::int32_t> prefix;
  std::vector<float> lp(10);
  for (std::size_t step = 0; step < 5; ++step) {
    test::pseudo_model(prefix, 10, 4, lp.data());
    const auto best = static_cast<std::int32_t>(std::max_element(lp.begin(), lp.end()) - lp.begin());
    if (best == kEos) break;
    prefix.push_back(best);
  }
  EXPECT_EQ(result[0].tokens, prefix);
}

TEST(BeamSearch, RejectsBadStepsAndOptions) {
  api::BeamArgs args;
  args.vocab_size = 4;
  auto search = api::beam_search(args, nullptr);
  std::vector<float> lp(3, -1.0f);
  EXPECT_THROW(search->advance(lp.data(), 3), Error);  // wrong length
  lp = {-1.0f, NAN, -1.0f, -1.0f};
  EXPECT_THROW(search->advance(lp.data(), 4), Error);
  lp = {-1.0f, -1.0f, -1.0f, -1.0f};
  EXPECT_NO_THROW(search->advance(lp.data(), 4));  // still usable after errors
  args.beams = 0;
  EXPECT_THROW(api::beam_search(args, nullptr), Error);
  args.beams = 2;
  args.eos_id = 4;
  EXPECT_THROW(api::beam_search(args, nullptr), Error);
  args.eos_id = 0;
  const auto empty = api::build_trie({}, {}, {});
  EXPECT_THROW(api::beam_search(args, empty.get()), Error);
}

}  // namespace
}  // namespace attnkit
