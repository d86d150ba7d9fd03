// The SIMD math helpers of core/simd.hpp against the C library, over their whole input range.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "attnkit/core/simd.hpp"

namespace attnkit {
namespace {

// Distance in units in the last place between two positive floats.
std::int64_t ulps_apart(float a, float b) {
  std::int32_t ia, ib;
  std::memcpy(&ia, &a, sizeof a);
  std::memcpy(&ib, &b, sizeof b);
  return std::llabs(static_cast<std::int64_t>(ia) - ib);
}

float lane0(const FloatBatch& v) {
  alignas(kBatchAlignment) float lanes[kLanes];
  v.store_aligned(lanes);
  return lanes[0];
}

TEST(SimdMath, ExpNonpositiveIsWithin3UlpOfExpDownToTheSmallestNormalResult) {
  std::int64_t worst = 0;
  float worst_x = 0.0f;
  // Every 97th float in [−87.33, 0]: 10⁷ arguments spread over all exponents, plus both ends.
  const float lowest = -87.33f;
  std::uint32_t bits;
  std::memcpy(&bits, &lowest, sizeof bits);
  for (std::uint32_t b = 0x80000000u; b <= bits; b = b + 97 > bits && b != bits ? bits : b + 97) {
    float x;
    std::memcpy(&x, &b, sizeof x);  // −0, then ever more negative floats
    const float expected = static_cast<float>(std::exp(static_cast<double>(x)));
    const std::int64_t apart = ulps_apart(lane0(exp_nonpositive(FloatBatch(x))), expected);
    if (apart > worst) worst = apart, worst_x = x;
  }
  EXPECT_LE(worst, 3) << "at x = " << worst_x;
}

TEST(SimdMath, ExpNonpositiveIsZeroForMinusInfinityAndBelowTheNormalRange) {
  for (float x : {-std::numeric_limits<float>::infinity(), -1e30f, -200.0f, -88.0f, -87.4f})
    EXPECT_EQ(lane0(exp_nonpositive(FloatBatch(x))), 0.0f) << "x = " << x;
  EXPECT_NEAR(lane0(exp_nonpositive(FloatBatch(0.0f))), 1.0f, 2e-7f);
  EXPECT_NEAR(lane0(exp_nonpositive(FloatBatch(-1.0f))), std::exp(-1.0f), 2e-7f);
}

TEST(SimdMath, MaxOfNumbersIsTheLargerLaneByLane) {
  alignas(kBatchAlignment) float a[kLanes], b[kLanes], out[kLanes];
  for (std::size_t i = 0; i < kLanes; ++i) {
    a[i] = i % 2 ? -std::numeric_limits<float>::infinity() : static_cast<float>(i);
    b[i] = static_cast<float>(kLanes - i) - 0.5f;
  }
  max_of_numbers(FloatBatch::load_aligned(a), FloatBatch::load_aligned(b)).store_aligned(out);
  for (std::size_t i = 0; i < kLanes; ++i) EXPECT_EQ(out[i], std::fmax(a[i], b[i])) << "lane " << i;
}

}  // namespace
}  // namespace attnkit
