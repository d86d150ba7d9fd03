// BioHash: n-gram features and codes identical to scripts/train_biohash.py on its fixture (tests/fixtures/
// biohash.json, computed with the shipped weights), and the code table's search against a brute-force ranking.
#include <gtest/gtest.h>

#include <algorithm>
#include <bitset>
#include <cstdio>
#include <numeric>

#include "attnkit/api/hashing_api.hpp"
#include "attnkit/core/error.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

using nlohmann::json;

std::unique_ptr<hashing::BioHash> shipped_hash() {
  const std::string dir = std::string(ATTNKIT_MODELS_DIR) + "/biohash-kgclue/";
  static const std::string config = test::read_file(dir + "config.json");
  static const std::string weights = test::read_file(dir + "model.safetensors");
  return api::load_biohash({{reinterpret_cast<const std::uint8_t*>(config.data()), config.size()},
                            {reinterpret_cast<const std::uint8_t*>(weights.data()), weights.size()}});
}

TEST(BioHash, FeaturesAndCodesEqualThePythonReference) {
  const auto hash = shipped_hash();
  const json fixture = test::load_fixture("biohash.json");
  ASSERT_GE(fixture["cases"].size(), 30u);
  for (const json& c : fixture["cases"]) {
    const std::string text = c["text"];
    const auto features = hashing::ngram_features(text, hash->shape().buckets);
    ASSERT_EQ(features.size(), c["features"].size()) << text;
    for (std::size_t i = 0; i < features.size(); ++i) {
      EXPECT_EQ(features[i].bucket, c["features"][i][0].get<std::uint32_t>()) << text;
      EXPECT_EQ(features[i].count, c["features"][i][1].get<float>()) << text;
    }
    std::vector<std::uint64_t> code(hash->words());
    hash->encode(text, code.data());
    for (std::size_t w = 0; w < code.size(); ++w) {
      char hex[19];
      std::snprintf(hex, sizeof hex, "0x%016llx", static_cast<unsigned long long>(code[w]));
      EXPECT_EQ(std::string(hex), c["code"][w].get<std::string>()) << text << " word " << w;
    }
    std::size_t bits = 0;
    for (std::uint64_t word : code) bits += std::bitset<64>(word).count();
    EXPECT_EQ(bits, hash->shape().active);
  }
}

// Codes with a random number of random bits, so both metrics see many ties.
std::vector<std::uint64_t> random_codes(std::size_t count, std::size_t words, std::uint32_t seed) {
  const auto noise = test::xorshift_floats(count * words * 64, seed, 0.0, 1.0);
  std::vector<std::uint64_t> codes(count * words);
  for (std::size_t i = 0; i < codes.size() * 64; ++i)
    if (noise[i] < 0.12) codes[i / 64] |= std::uint64_t{1} << (i % 64);
  return codes;
}

TEST(CodeTable, TopKEqualsABruteForceRanking) {
  for (std::size_t words : {1u, 3u, 4u, 8u}) {
    const std::size_t n = 3000;
    const auto codes = random_codes(n, words, 5 + static_cast<std::uint32_t>(words));
    const auto queries = random_codes(20, words, 99);
    auto table = api::code_table(static_cast<long long>(64 * words));
    api::code_table_add(*table, {codes.data(), codes.size()});
    for (auto metric : {hashing::CodeMetric::kOverlap, hashing::CodeMetric::kHamming}) {
      const long long k = 25;
      std::vector<std::int32_t> indices(20 * k), scores(20 * k);
      api::code_table_search(*table, {{queries.data(), queries.size()}, k, metric, {indices.data(), indices.size()},
                                      {scores.data(), scores.size()}});
      for (std::size_t q = 0; q < 20; ++q) {
        std::vector<int> score(n);
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t w = 0; w < words; ++w) {
            const std::uint64_t a = codes[i * words + w], b = queries[q * words + w];
            score[i] += static_cast<int>(std::bitset<64>(metric == hashing::CodeMetric::kOverlap ? a & b : a ^ b).count());
          }
        std::vector<std::int32_t> order(n);
        std::iota(order.begin(), order.end(), 0);
        const int sign = metric == hashing::CodeMetric::kOverlap ? -1 : 1;
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return sign * score[a] < sign * score[b]; });
        for (long long i = 0; i < k; ++i) {
          EXPECT_EQ(indices[q * k + i], order[i]) << "words " << words << " query " << q << " rank " << i;
          EXPECT_EQ(scores[q * k + i], score[order[i]]);
        }
      }
    }
  }
}

TEST(CodeTable, FewerEntriesThanTopKAndBadSizes) {
  auto table = api::code_table(128);
  const std::vector<std::uint64_t> codes = {1, 0, 3, 0};
  api::code_table_add(*table, {codes.data(), codes.size()});
  std::vector<std::int32_t> indices(4), scores(4);
  api::code_table_search(*table, {{codes.data(), 2}, 4, hashing::CodeMetric::kOverlap, {indices.data(), 4}, {scores.data(), 4}});
  EXPECT_EQ(indices, (std::vector<std::int32_t>{0, 1, -1, -1}));
  EXPECT_EQ(scores, (std::vector<std::int32_t>{1, 1, -1, -1}));
  EXPECT_THROW(api::code_table(100), attnkit::Error);
  EXPECT_THROW(api::code_table(0), attnkit::Error);
  EXPECT_THROW(api::code_table_add(*table, {codes.data(), 3}), attnkit::Error);
}

}  // namespace
}  // namespace attnkit
