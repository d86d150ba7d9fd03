// The attention kernels against NumPy reference outputs (tests/fixtures/attention.json).
#include <gtest/gtest.h>

#include <cmath>

#include "attnkit/api/attention_api.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

using attention::AttentionScale;
using attention::FeatureMap;
using attention::ScaleKind;
using nlohmann::json;

AttentionScale scale_from(const json& j) {
  AttentionScale s;
  const std::string kind = j.value("kind", "inv-sqrt-d");
  if (kind == "explicit") s.kind = ScaleKind::kExplicit, s.value = j["value"];
  if (kind == "entropy-invariant") {
    s.kind = ScaleKind::kEntropyInvariant;
    s.train_len = j.value("trainLen", 512.0);
    s.min_keys = j.value("minKeys", 1.0);
  }
  return s;
}

FeatureMap feature_map_from(const std::string& name) {
  if (name == "relu") return FeatureMap::kRelu;
  if (name == "exp") return FeatureMap::kExp;
  return FeatureMap::kEluPlusOne;
}

TEST(AttentionFixtures, EveryKernelMaskAndScaleMatchesNumPy) {
  const json fixture = test::load_fixture("attention.json");
  ASSERT_GE(fixture["attention"].size(), 24u);
  for (const json& c : fixture["attention"]) {
    const json& d = c["dims"];
    api::AttentionDims dims{d["batch"], d["heads"], d["queryLen"], d["keyLen"], d["headDim"], d["valueDim"]};
    const std::size_t heads = dims.batch * dims.heads;
    const std::uint32_t seed = c["seed"];
    const auto q = test::xorshift_floats(heads * dims.query_len * dims.head_dim, seed);
    const auto k = test::xorshift_floats(heads * dims.key_len * dims.head_dim, seed + 1);
    const auto v = test::xorshift_floats(heads * dims.key_len * dims.value_dim, seed + 2);
    std::vector<float> out(heads * dims.query_len * dims.value_dim, NAN);
    std::vector<std::int32_t> key_lengths = c["mask"].value("keyLengths", std::vector<std::int32_t>{});
    api::MaskArgs mask{c["mask"].value("causal", false), c["mask"].value("prefixLen", 0LL),
                       {key_lengths.data(), key_lengths.size()}};
    const std::string kind = c["kind"];
    // Adaptive span and persistent memory (softmax only), and the tighter bound they are held to.
    const std::vector<float> span_size = c.contains("span") ? c["span"]["size"].get<std::vector<float>>() : std::vector<float>{};
    const long long memory = c.value("persistent", 0LL);
    const auto memory_keys = test::xorshift_floats(dims.heads * memory * dims.head_dim, seed + 3);
    const auto memory_values = test::xorshift_floats(dims.heads * memory * dims.value_dim, seed + 4);
    const double tolerance = c.contains("span") || memory > 0 ? 1e-5 : 2e-4;
    if (kind == "softmax") {
      const api::SpanArgs span{{span_size.data(), span_size.size()}, c.contains("span") ? c["span"]["ramp"].get<double>() : 0.0};
      const api::PersistentArgs persistent{{memory_keys.data(), memory_keys.size()},
                                           {memory_values.data(), memory_values.size()}, memory};
      api::attention({q.data(), q.size()}, {k.data(), k.size()}, {v.data(), v.size()}, {out.data(), out.size()}, dims,
                     mask, scale_from(c["scale"]), span, persistent);
    } else if (kind == "relu2") {
      api::relu2_attention({q.data(), q.size()}, {k.data(), k.size()}, {v.data(), v.size()}, {out.data(), out.size()},
                           dims, mask);
    } else {
      api::linear_attention({q.data(), q.size()}, {k.data(), k.size()}, {v.data(), v.size()}, {out.data(), out.size()},
                            dims, mask, feature_map_from(c["featureMap"]), {}, 0, 1e-6);
    }
    const auto& rows = c["rows"];
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::size_t row = rows[i];
      const std::vector<double> expected = c["expected"][i];
      for (std::size_t j = 0; j < expected.size(); ++j) {
        // Relative to the value scale (inputs in [-2, 2)); float32 accumulation over ≤ 513 keys.
        ASSERT_NEAR(out[row * dims.value_dim + j], expected[j], tolerance + tolerance * std::fabs(expected[j]))
            << kind << " case seed " << seed << " row " << row << " col " << j;
      }
    }
  }
}

TEST(RopeFixtures, MatchNumPyInterleavedRotation) {
  const json fixture = test::load_fixture("attention.json");
  for (const json& c : fixture["rope"]) {
    auto x = test::xorshift_floats(c["count"], c["seed"]);
    const long long hd = c["headDim"];
    api::rope({x.data(), x.size()}, c["seqLen"], hd, c["positionOffset"], c["base"]);
    for (std::size_t i = 0; i < c["rows"].size(); ++i) {
      const std::size_t row = c["rows"][i];
      const std::vector<double> expected = c["expected"][i];
      for (long long j = 0; j < hd; ++j) ASSERT_NEAR(x[row * hd + j], expected[j], 1e-5) << "row " << row;
    }
  }
}

}  // namespace
}  // namespace attnkit
