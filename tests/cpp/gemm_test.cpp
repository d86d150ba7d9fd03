#include <gtest/gtest.h>

#include <tuple>

#include "attnkit/api/kernels_api.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/kernels/gemm.hpp"
#include "reference.hpp"

namespace attnkit {
namespace {

using test::max_abs_diff;
using test::random_floats;
using test::reference_gemm;

class GemmShapes : public ::testing::TestWithParam<std::tuple<int, int, int>> {};

// Shapes cover 1, sizes below/above the SIMD width and the 4×2·lanes tile, and depths past one packed block.
INSTANTIATE_TEST_SUITE_P(TailsAndBlocks, GemmShapes,
                         ::testing::Values(std::make_tuple(1, 1, 1), std::make_tuple(3, 5, 7),
                                           std::make_tuple(6, 8, 4), std::make_tuple(13, 17, 19),
                                           std::make_tuple(64, 64, 64), std::make_tuple(97, 33, 300),
                                           std::make_tuple(130, 2100, 9), std::make_tuple(7, 9, 513)));

TEST_P(GemmShapes, MatchesScalarReferenceForBothLayouts) {
  const auto [m, n, k] = GetParam();
  const auto a = random_floats(std::size_t(m) * k, 1);
  const auto b = random_floats(std::size_t(k) * n, 2);
  for (bool transposed : {false, true}) {
    std::vector<float> c(std::size_t(m) * n, 123.0f);
    kernels::gemm(a.data(), b.data(), c.data(), m, n, k,
                  transposed ? kernels::BLayout::kTransposed : kernels::BLayout::kRowMajor);
    const auto expected = reference_gemm(a, b, m, n, k, transposed);
    EXPECT_LT(max_abs_diff(c, expected), 1e-4f * std::sqrt(float(k))) << "transposed=" << transposed;
  }
}

TEST(Gemm, AccumulateAddsToExistingOutput) {
  const std::size_t m = 5, n = 11, k = 7;
  const auto a = random_floats(m * k, 3);
  const auto b = random_floats(k * n, 4);
  std::vector<float> c(m * n, 2.0f);
  kernels::gemm(a.data(), b.data(), c.data(), m, n, k, kernels::BLayout::kRowMajor, /*accumulate=*/true);
  auto expected = reference_gemm(a, b, m, n, k, false);
  for (auto& x : expected) x += 2.0f;
  EXPECT_LT(max_abs_diff(c, expected), 1e-5f);
}

TEST(Gemm, HandWorkedTwoByTwo) {
  const std::vector<float> a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
  std::vector<float> c(4);
  api::gemm({a.data(), 4}, {b.data(), 4}, {c.data(), 4}, 2, 2, 2, false);
  EXPECT_EQ(c, (std::vector<float>{19, 22, 43, 50}));
  api::gemm({a.data(), 4}, {b.data(), 4}, {c.data(), 4}, 2, 2, 2, true);
  EXPECT_EQ(c, (std::vector<float>{17, 23, 39, 53}));
}

TEST(Gemm, RejectsBadShapesAndValuesWithNamedArguments) {
  std::vector<float> a(6, 1.0f), b(6, 1.0f), c(4);
  EXPECT_THROW(api::gemm({a.data(), 6}, {b.data(), 6}, {c.data(), 4}, 0, 2, 3, false), Error);
  EXPECT_THROW(api::gemm({a.data(), 6}, {b.data(), 6}, {c.data(), 4}, -2, 2, 3, false), Error);
  try {
    api::gemm({a.data(), 5}, {b.data(), 6}, {c.data(), 4}, 2, 2, 3, false);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("a has 5 values"), std::string::npos) << e.what();
  }
  a[4] = NAN;
  try {
    api::gemm({a.data(), 6}, {b.data(), 6}, {c.data(), 4}, 2, 2, 3, false);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("a[4] is not finite"), std::string::npos) << e.what();
  }
  EXPECT_THROW(api::gemm({a.data(), 6}, {b.data(), 6}, {c.data(), 4}, 1LL << 40, 1LL << 40, 3, false), Error);
}

}  // namespace
}  // namespace attnkit
