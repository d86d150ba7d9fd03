// Product-key memory: the NumPy exhaustive reference (tests/fixtures/attention.json), exact agreement of the
// product search with scoring every slot, and the api layer's checks.
#include <gtest/gtest.h>

#include <cmath>

#include "attnkit/api/memory_api.hpp"
#include "attnkit/core/error.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

using nlohmann::json;

struct Built {
  std::unique_ptr<memory::ProductKeyMemory> memory;
  std::vector<float> x;
};

Built build(const api::ProductKeyDims& d, std::uint32_t seed, long long rows) {
  const auto keys = test::xorshift_floats(d.heads * 2 * d.sub_key_count * (d.query_dim / 2), seed + 1);
  const auto values = test::xorshift_floats(d.sub_key_count * d.sub_key_count * d.value_dim, seed + 2);
  const auto weight = test::xorshift_floats(d.heads * d.query_dim * d.input_dim, seed + 3);
  const auto bias = test::xorshift_floats(d.input_dim > 0 ? d.heads * d.query_dim : 0, seed + 4);
  api::ProductKeyWeights w{{keys.data(), keys.size()}, {values.data(), values.size()}, {weight.data(), weight.size()},
                           {bias.data(), bias.size()}};
  const long long width = d.input_dim > 0 ? d.input_dim : d.heads * d.query_dim;
  return {api::product_key_memory(d, w), test::xorshift_floats(rows * width, seed)};
}

struct Results {
  std::vector<float> output, weights;
  std::vector<std::int32_t> indices;
};

Results lookup(const memory::ProductKeyMemory& m, const std::vector<float>& x, long long rows, memory::SlotSearch search) {
  const auto& s = m.shape();
  Results r{std::vector<float>(rows * s.value_dim), std::vector<float>(rows * s.heads * s.top_k),
            std::vector<std::int32_t>(rows * s.heads * s.top_k)};
  api::product_key_lookup(m, {{x.data(), x.size()}, rows, {r.output.data(), r.output.size()},
                              {r.indices.data(), r.indices.size()}, {r.weights.data(), r.weights.size()}, search});
  return r;
}

TEST(ProductKeyMemory, MatchesTheNumPyExhaustiveReference) {
  const json fixture = test::load_fixture("attention.json");
  ASSERT_EQ(fixture["productKeyMemory"].size(), 3u);
  for (const json& c : fixture["productKeyMemory"]) {
    const api::ProductKeyDims d{c["heads"], c["subKeyCount"], c["queryDim"], c["valueDim"], c["topK"], c["inputDim"]};
    const long long rows = c["rows"];
    const Built b = build(d, c["seed"], rows);
    const Results r = lookup(*b.memory, b.x, rows, memory::SlotSearch::kProduct);
    std::vector<std::int32_t> indices;
    for (const auto& row : c["indices"]) for (int i : row) indices.push_back(i);
    EXPECT_EQ(r.indices, indices);
    std::size_t at = 0;
    for (const auto& row : c["weights"]) for (double w : row) EXPECT_NEAR(r.weights[at++], w, 1e-5);
    at = 0;
    for (const auto& row : c["output"]) for (double o : row) EXPECT_NEAR(r.output[at++], o, 1e-5 + 1e-5 * std::fabs(o));
  }
}

TEST(ProductKeyMemory, ProductSearchEqualsScoringEverySlot) {
  for (const api::ProductKeyDims& d : {api::ProductKeyDims{1, 1, 2, 1, 1, 0}, api::ProductKeyDims{2, 33, 16, 5, 7, 0},
                                       api::ProductKeyDims{4, 64, 32, 8, 64, 20}, api::ProductKeyDims{1, 100, 8, 3, 32, 0}}) {
    const long long rows = 13;
    const Built b = build(d, 77, rows);
    const Results product = lookup(*b.memory, b.x, rows, memory::SlotSearch::kProduct);
    const Results exhaustive = lookup(*b.memory, b.x, rows, memory::SlotSearch::kExhaustive);
    EXPECT_EQ(product.indices, exhaustive.indices) << "n = " << d.sub_key_count;
    EXPECT_EQ(product.weights, exhaustive.weights);
    EXPECT_EQ(product.output, exhaustive.output);
  }
}

TEST(ProductKeyMemory, RejectsBadShapesWithNamedErrors) {
  const auto error_of = [](api::ProductKeyDims d) {
    try {
      api::product_key_memory(d, {});  // the shape is checked before the tensors
    } catch (const attnkit::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error_of({1, 4, 4, 2, 5, 0}).find("topK (5) must be at most subKeyCount (4)"), std::string::npos);
  EXPECT_NE(error_of({1, 4, 3, 2, 2, 0}).find("queryDim must be even"), std::string::npos);
  EXPECT_NE(error_of({0, 4, 4, 2, 2, 0}).find("heads must be > 0"), std::string::npos);
  EXPECT_NE(error_of({1, 50000, 4, 2, 2, 0}).find("subKeyCount must be at most 46340"), std::string::npos);
  const Built b = build({1, 4, 4, 2, 2, 0}, 1, 1);
  std::vector<float> x(5), out(2), weights(2);
  std::vector<std::int32_t> indices(2);
  EXPECT_THROW(api::product_key_lookup(*b.memory, {{x.data(), x.size()}, 1, {out.data(), 2}, {indices.data(), 2},
                                                   {weights.data(), 2}, memory::SlotSearch::kProduct}),
               attnkit::Error);
}

}  // namespace
}  // namespace attnkit
