// Properties of the attention family that need no fixture: streaming = causal, Performer convergence,
// scale identities, tiling invariance, and the validation messages.
#include <gtest/gtest.h>

#include <cmath>

#include "attnkit/api/attention_api.hpp"
#include "attnkit/attention/linear_attention.hpp"
#include "attnkit/attention/performer.hpp"
#include "attnkit/attention/softmax_attention.hpp"
#include "attnkit/core/error.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

using namespace attention;

TEST(EntropyInvariantScale, EqualsInverseSqrtDimAtTheTrainingLength) {
  EXPECT_NEAR(entropy_invariant_scale(512, 64, 512), 1.0 / 8.0, 1e-12);
  EXPECT_NEAR(entropy_invariant_scale(1024, 64, 512), 10.0 / 9.0 / 8.0, 1e-12);  // log_512(1024) = 10/9
  EXPECT_NEAR(entropy_invariant_scale(4, 64, 512, 16), std::log(16) / std::log(512) / 8.0, 1e-12);  // floored
}

TEST(LinearAttentionState, StreamingEqualsTheCausalFormForEveryFeatureMap) {
  const std::size_t n = 37, d = 16, dv = 24;
  const auto q = test::xorshift_floats(n * d, 1), k = test::xorshift_floats(n * d, 2), v = test::xorshift_floats(n * dv, 3);
  const auto w = performer_projection(40, d, 7);
  for (FeatureMap map : {FeatureMap::kEluPlusOne, FeatureMap::kRelu, FeatureMap::kExp, FeatureMap::kPerformer}) {
    LinearAttentionOptions options;
    options.feature_map = {map, w.data(), 40};
    std::vector<float> causal(n * dv), streamed(n * dv);
    AttentionMask mask;
    mask.causal = true;
    linear_attention(q.data(), k.data(), v.data(), causal.data(), {1, 1, n, n, d, dv}, mask, options);
    LinearAttentionState state(d, dv, options);
    for (std::size_t i = 0; i < n; ++i) state.step(&q[i * d], &k[i * d], &v[i * dv], &streamed[i * dv]);
    EXPECT_EQ(state.tokens(), n);
    for (std::size_t i = 0; i < causal.size(); ++i) ASSERT_NEAR(causal[i], streamed[i], 1e-6) << int(map) << " " << i;
  }
}

TEST(Performer, ProjectionIsOrthogonalWithinBlocksAndReproducible) {
  const std::size_t d = 8;
  const auto w = performer_projection(20, d, 42);
  EXPECT_EQ(w, performer_projection(20, d, 42));
  EXPECT_NE(w, performer_projection(20, d, 43));
  for (std::size_t a = 0; a < d; ++a)
    for (std::size_t b = a + 1; b < d; ++b) {
      double dot = 0;
      for (std::size_t c = 0; c < d; ++c) dot += w[a * d + c] * w[b * d + c];
      EXPECT_NEAR(dot, 0.0, 1e-4);
    }
}

// Mean |Performer − softmax| attention output over a small problem, for m random features.
double performer_error(std::size_t m, std::uint64_t seed) {
  const std::size_t n = 64, d = 16;
  const auto q = test::xorshift_floats(n * d, 11, -0.7, 0.7), k = test::xorshift_floats(n * d, 12, -0.7, 0.7);
  const auto v = test::xorshift_floats(n * d, 13);
  std::vector<float> exact(n * d), approx(n * d);
  softmax_attention(q.data(), k.data(), v.data(), exact.data(), {1, 1, n, n, d, d}, {}, {});
  const auto w = performer_projection(m, d, seed);
  LinearAttentionOptions options;
  options.feature_map = {FeatureMap::kPerformer, w.data(), m};
  linear_attention(q.data(), k.data(), v.data(), approx.data(), {1, 1, n, n, d, d}, {}, options);
  double err = 0;
  for (std::size_t i = 0; i < exact.size(); ++i) err += std::fabs(exact[i] - approx[i]);
  return err / exact.size();
}

TEST(Performer, ErrorAgainstSoftmaxAttentionFallsAsFeaturesGrow) {
  double previous = 1e9;
  for (std::size_t m : {16, 64, 256, 1024}) {
    double err = 0;
    for (std::uint64_t seed = 1; seed <= 4; ++seed) err += performer_error(m, seed) / 4;
    EXPECT_LT(err, previous) << "m=" << m;
    previous = err;
  }
  EXPECT_LT(previous, 0.02);
}

TEST(SoftmaxAttention, KeyTilingDoesNotChangeTheResult) {
  // 300 keys span three key tiles; one query against them equals a plain softmax over all keys.
  const std::size_t n = 300, d = 8;
  const auto q = test::xorshift_floats(d, 5, -3, 3), k = test::xorshift_floats(n * d, 6, -3, 3), v = test::xorshift_floats(n, 7);
  std::vector<float> out(1);
  softmax_attention(q.data(), k.data(), v.data(), out.data(), {1, 1, 1, n, d, 1}, {}, {});
  std::vector<double> s(n);
  double mx = -1e300, z = 0, o = 0;
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t c = 0; c < d; ++c) s[j] += double(q[c]) * k[j * d + c] / std::sqrt(double(d));
    mx = std::max(mx, s[j]);
  }
  for (std::size_t j = 0; j < n; ++j) z += std::exp(s[j] - mx), o += std::exp(s[j] - mx) * v[j];
  EXPECT_NEAR(out[0], o / z, 1e-5);
}

TEST(AttentionApi, RejectsBadShapesMasksAndValues) {
  std::vector<float> x(64, 0.5f), out(64);
  const ConstFloats in{x.data(), x.size()};
  const Floats o{out.data(), out.size()};
  const api::AttentionDims good{1, 2, 4, 4, 8, 8};
  EXPECT_NO_THROW(api::attention(in, in, in, o, good, {}, {}));
  auto message = [&](auto&& call) {
    try {
      call();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([&] { api::attention(in, in, in, o, {1, 2, 4, 4, 0, 8}, {}, {}); }),
            "attention: headDim must be > 0, got 0");
  EXPECT_EQ(message([&] { api::attention(in, in, in, o, {1, 2, 4, 4, 8, 4}, {}, {}); }),
            "attention: v has 64 values, expected batch*heads*keyLen*valueDim = 32");
  std::int32_t too_long = 5;
  EXPECT_EQ(message([&] { api::attention(in, in, in, o, good, {false, 0, {&too_long, 1}}, {}); }),
            "attention: keyLengths[0] must be in [0, keyLen = 4], got 5");
  EXPECT_EQ(message([&] { api::attention(in, in, in, o, good, {false, 2, {}}, {}); }),
            "attention: prefixLen (prefix-LM) needs causal: true; without it every key is visible anyway");
  AttentionScale bad_scale;
  bad_scale.kind = ScaleKind::kEntropyInvariant;
  bad_scale.train_len = 1;
  EXPECT_EQ(message([&] { api::attention(in, in, in, o, good, {}, bad_scale); }),
            "attention: trainLen must be a finite number > 1, got 1");
  x[3] = INFINITY;
  EXPECT_EQ(message([&] { api::attention(in, in, in, o, good, {}, {}); }), "attention: q[3] is not finite (inf)");
  x[3] = 0.5f;
  const ConstFloats half_in{x.data(), 32};
  const Floats half_out{out.data(), 32};
  EXPECT_EQ(message([&] {
              api::linear_attention(half_in, in, in, half_out, {1, 1, 4, 8, 8, 8}, {true, 0, {}}, FeatureMap::kExp, {}, 0, 0);
            }),
            "linearAttention: causal linear attention needs queryLen == keyLen (got 4 and 8); use LinearAttentionState to "
            "decode token by token");
  EXPECT_EQ(message([&] { api::linear_attention(in, in, in, o, good, {}, FeatureMap::kPerformer, {}, 4, 0); }),
            "linearAttention: projection has 0 values, expected features*headDim = 32");
  EXPECT_EQ(message([&] { api::rope(o, 4, 7, 0, 10000); }), "rope: headDim must be even (values rotate in pairs), got 7");
}

}  // namespace
}  // namespace attnkit
