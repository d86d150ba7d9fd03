#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "attnkit/api/kernels_api.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/kernels/layer_norm.hpp"
#include "attnkit/kernels/softmax.hpp"
#include "reference.hpp"

namespace attnkit {
namespace {

using test::max_abs_diff;
using test::random_floats;

TEST(Softmax, MatchesReferenceOnTailShapes) {
  for (std::size_t cols : {1, 3, 4, 5, 8, 17, 64, 513}) {
    const std::size_t rows = 3;
    const auto x = random_floats(rows * cols, unsigned(cols), -20.0f, 20.0f);
    std::vector<float> y(x.size());
    kernels::softmax_rows(x.data(), y.data(), rows, cols);
    EXPECT_LT(max_abs_diff(y, test::reference_softmax(x, rows, cols)), 1e-6f) << "cols=" << cols;
  }
}

TEST(Softmax, IsStableForHugeLogitsAndInPlace) {
  std::vector<float> x = {1000.0f, 1000.0f, -1000.0f, 999.0f, 1000.0f};
  kernels::softmax_rows(x.data(), x.data(), 1, x.size());
  const double e = std::exp(-1.0), z = 3 + e;
  EXPECT_NEAR(x[0], 1 / z, 1e-6);
  EXPECT_NEAR(x[2], 0.0, 1e-12);
  EXPECT_NEAR(x[3], e / z, 1e-6);
}

TEST(Softmax, FullyMaskedRowGivesZerosNotNaN) {
  const float ninf = -std::numeric_limits<float>::infinity();
  std::vector<float> x = {ninf, ninf, ninf, ninf, ninf, 0.0f, ninf, 0.0f, ninf, ninf};
  std::vector<float> y(x.size());
  api::softmax({x.data(), x.size()}, {y.data(), y.size()}, 2, 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(y[i], 0.0f);
  EXPECT_FLOAT_EQ(y[5], 0.5f);
  EXPECT_FLOAT_EQ(y[7], 0.5f);
  EXPECT_EQ(y[6], 0.0f);
}

TEST(Softmax, RejectsNaNAndPositiveInfinity) {
  std::vector<float> x = {0.0f, NAN}, y(2);
  EXPECT_THROW(api::softmax({x.data(), 2}, {y.data(), 2}, 1, 2), Error);
  x[1] = INFINITY;
  EXPECT_THROW(api::softmax({x.data(), 2}, {y.data(), 2}, 1, 2), Error);
  EXPECT_THROW(api::softmax({x.data(), 2}, {y.data(), 2}, 1, 3), Error);
}

TEST(LayerNorm, MatchesReferenceOnTailShapes) {
  for (std::size_t cols : {1, 3, 7, 8, 33, 768}) {
    const std::size_t rows = 4;
    const auto x = random_floats(rows * cols, unsigned(cols), 50.0f, 60.0f);  // large offset: centred variance
    const auto gamma = random_floats(cols, 7);
    const auto beta = random_floats(cols, 8);
    std::vector<float> y(x.size());
    kernels::layer_norm(x.data(), gamma.data(), beta.data(), y.data(), rows, cols, 1e-5f);
    EXPECT_LT(max_abs_diff(y, test::reference_layer_norm(x, gamma, beta, rows, cols, 1e-5)), 2e-4f)
        << "cols=" << cols;
  }
}

TEST(LayerNorm, HandWorkedRow) {
  // x = [1, 2, 3, 4]: mean 2.5, variance 1.25.
  std::vector<float> x = {1, 2, 3, 4}, gamma = {1, 1, 2, 1}, beta = {0, 0, 0, 1}, y(4);
  api::layer_norm({x.data(), 4}, {gamma.data(), 4}, {beta.data(), 4}, {y.data(), 4}, 1, 4, 1e-12);
  const double s = std::sqrt(1.25);
  EXPECT_NEAR(y[0], -1.5 / s, 1e-5);
  EXPECT_NEAR(y[2], 2 * 0.5 / s, 1e-5);
  EXPECT_NEAR(y[3], 1.5 / s + 1, 1e-5);
}

TEST(LayerNorm, RejectsBadEpsAndGammaLength) {
  std::vector<float> x(4, 1.0f), g(4, 1.0f), b(4, 0.0f), y(4);
  EXPECT_THROW(api::layer_norm({x.data(), 4}, {g.data(), 4}, {b.data(), 4}, {y.data(), 4}, 1, 4, 0.0), Error);
  EXPECT_THROW(api::layer_norm({x.data(), 4}, {g.data(), 3}, {b.data(), 4}, {y.data(), 4}, 1, 4, 1e-5), Error);
}

}  // namespace
}  // namespace attnkit

#include "attnkit/kernels/activations.hpp"

namespace attnkit {
namespace {

TEST(Gelu, MatchesTheErfFormulaWithin1e6) {
  std::vector<float> x;
  for (float v = -10.0f; v <= 10.0f; v += 0.0137f) x.push_back(v);
  x.push_back(0.0f);
  std::vector<float> y = x;
  kernels::gelu(y.data(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double exact = 0.5 * x[i] * (1.0 + std::erf(x[i] / std::sqrt(2.0)));
    ASSERT_NEAR(y[i], exact, 1e-6 + 1e-6 * std::fabs(exact)) << "x=" << x[i];
  }
}

}  // namespace
}  // namespace attnkit
