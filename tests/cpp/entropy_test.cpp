// Entropy and entropy normalisation: hand-worked values, the NumPy bisection reference, both solvers.
#include <gtest/gtest.h>

#include <cmath>

#include "attnkit/api/entropy_api.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/entropy/entropy.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

using entropy::SolveMethod;

std::vector<float> softmax_of_logits(std::size_t n, std::uint32_t seed, double spread) {
  const auto logits = test::xorshift_floats(n, seed, -spread, spread);
  double mx = -1e300, z = 0;
  for (float x : logits) mx = std::max(mx, double(x));
  std::vector<double> e(n);
  for (std::size_t i = 0; i < n; ++i) z += (e[i] = std::exp(logits[i] - mx));
  std::vector<float> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = float(e[i] / z);
  return p;
}

TEST(Entropy, HandWorkedValues) {
  const std::vector<float> uniform(8, 0.125f), one_hot = {0, 1, 0}, half = {0.5f, 0.5f, 0.0f};
  EXPECT_NEAR(entropy::entropy(uniform.data(), 8), std::log(8.0), 1e-9);
  EXPECT_EQ(entropy::entropy(one_hot.data(), 3), 0.0);
  EXPECT_NEAR(entropy::entropy(half.data(), 3), std::log(2.0), 1e-9);
}

TEST(EntropyNormalize, MatchesTheNumPyBisectionReferenceWithinTenIterations) {
  const auto fixture = test::load_fixture("attention.json");
  for (const auto& c : fixture["entropyNormalize"]) {
    const std::size_t n = c["cols"];
    const auto p = softmax_of_logits(n, c["seed"], c["spread"]);
    const double target = c["target"];
    for (SolveMethod method : {SolveMethod::kAuto, SolveMethod::kSeed, SolveMethod::kNewton}) {
      std::vector<float> out(n);
      const auto result = entropy::entropy_normalize(p.data(), out.data(), n, target, method, 1e-6, 50);
      ASSERT_TRUE(result.converged) << "n=" << n << " target=" << target << " method=" << int(method);
      EXPECT_LE(result.iterations, 10) << "n=" << n << " target=" << target << " method=" << int(method);
      EXPECT_NEAR(entropy::entropy(out.data(), n), target, 1e-5);
      EXPECT_NEAR(result.gamma, double(c["gamma"]), 1e-4 * double(c["gamma"]));
      const std::vector<double> expected = c["expected"][0];
      for (std::size_t i = 0; i < expected.size(); ++i) ASSERT_NEAR(out[i], expected[i], 1e-6 + 1e-4 * expected[i]);
    }
  }
}

TEST(EntropyNormalize, EdgeDistributionsAndUnreachableTargets) {
  std::vector<float> out(4);
  const std::vector<float> one_hot = {0, 0, 1, 0};
  EXPECT_TRUE(entropy::entropy_normalize(one_hot.data(), out.data(), 4, 0.0, SolveMethod::kAuto, 1e-6, 10).converged);
  EXPECT_EQ(out, one_hot);
  try {
    entropy::entropy_normalize(one_hot.data(), out.data(), 4, 0.5, SolveMethod::kAuto, 1e-6, 10, 3);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("row 3: target entropy 0.5 is not reachable"), std::string::npos) << e.what();
  }
  const std::vector<float> uniform(4, 0.25f);
  EXPECT_TRUE(entropy::entropy_normalize(uniform.data(), out.data(), 4, std::log(4.0), SolveMethod::kAuto, 1e-6, 10).converged);
  EXPECT_THROW(entropy::entropy_normalize(uniform.data(), out.data(), 4, 1.0, SolveMethod::kAuto, 1e-6, 10), Error);
  // Zeros stay zero; the ends of the range give uniform over the support and over the argmax set.
  const std::vector<float> with_zero = {0.5f, 0.3f, 0.0f, 0.2f};
  entropy::entropy_normalize(with_zero.data(), out.data(), 4, std::log(3.0), SolveMethod::kAuto, 1e-6, 10);
  EXPECT_EQ(out[2], 0.0f);
  EXPECT_NEAR(out[0], 1 / 3.0, 1e-6);
  entropy::entropy_normalize(with_zero.data(), out.data(), 4, 0.0, SolveMethod::kAuto, 1e-6, 10);
  EXPECT_EQ(out, (std::vector<float>{1, 0, 0, 0}));
  const std::vector<float> zeros(4, 0.0f);
  EXPECT_THROW(entropy::entropy_normalize(zeros.data(), out.data(), 4, 0.0, SolveMethod::kAuto, 1e-6, 10), Error);
}

TEST(EntropyApi, RejectsNonDistributionsAndOutOfRangeTargets) {
  std::vector<float> p = {0.5f, 0.6f}, out(2);
  std::vector<double> h(1), gammas(1), target = {0.3};
  std::vector<std::int32_t> iterations(1);
  EXPECT_THROW(api::entropy({p.data(), 2}, {h.data(), 1}, 1, 2), Error);  // sums to 1.1
  p = {0.5f, 0.5f};
  api::entropy({p.data(), 2}, {h.data(), 1}, 1, 2);
  EXPECT_NEAR(h[0], std::log(2.0), 1e-9);
  target = {0.8};  // > ln 2
  EXPECT_THROW(api::entropy_normalize({p.data(), 2}, {out.data(), 2}, 1, 2, {target.data(), 1}, SolveMethod::kAuto, 1e-6,
                                      10, {gammas.data(), 1}, {iterations.data(), 1}),
               Error);
  p = {-0.5f, 1.5f};
  EXPECT_THROW(api::entropy({p.data(), 2}, {h.data(), 1}, 1, 2), Error);
}

}  // namespace
}  // namespace attnkit
