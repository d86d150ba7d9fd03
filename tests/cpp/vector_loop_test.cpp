// The shared vector loop (core/vector_loop.hpp) and the kernels routed through it: an element's result is
// the same bits whether it falls in a full batch or in the padded last one, and matches a scalar reference.
#include "attnkit/core/vector_loop.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "attnkit/attention/gau_attention.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/kernels/activations.hpp"
#include "attnkit/kernels/layer_norm.hpp"
#include "attnkit/kernels/vector_ops.hpp"
#include "reference.hpp"

namespace attnkit {
namespace {

using test::random_floats;

// Lengths with at least one full batch and a partial last one, for whatever kLanes this build has.
const std::size_t kTailLengths[] = {kLanes + 1, 2 * kLanes + kLanes / 2 + 1, 3 * kLanes - 1};

// n random values whose tail (the last n % kLanes, past simd_end(n)) repeats the start of the body.
std::vector<float> tail_repeats_body(std::size_t n, unsigned seed, float lo, float hi) {
  std::vector<float> x = random_floats(n, seed, lo, hi);
  for (std::size_t i = simd_end(n); i < n; ++i) x[i] = x[i - simd_end(n)];
  return x;
}

std::uint32_t bits(float value) {
  std::uint32_t out;
  std::memcpy(&out, &value, sizeof out);
  return out;
}

// Each tail element of out has exactly the bits of the body element its input repeats.
void expect_tail_bits_equal_body(const std::vector<float>& out, std::size_t n) {
  for (std::size_t i = simd_end(n); i < n; ++i)
    EXPECT_EQ(bits(out[i]), bits(out[i - simd_end(n)]))
        << "n=" << n << " tail index " << i << ": " << out[i] << " vs " << out[i - simd_end(n)];
}

TEST(VectorLoop, MapBatchesWritesTheFirstNElementsAndNothingPastThem) {
  for (std::size_t n = 0; n <= 3 * kLanes; ++n) {
    const std::vector<float> x = random_floats(n, unsigned(n));  // exactly n: ASan catches a read past it
    std::vector<float> out(n + kLanes, -7.0f);
    const auto add_one = [](const FloatBatch& v) { return v + FloatBatch(1.0f); };
    map_batches(n, 0.0f, out.data(), add_one, x.data());
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], x[i] + 1.0f) << "n=" << n << " i=" << i;
    for (std::size_t i = n; i < out.size(); ++i) EXPECT_EQ(out[i], -7.0f) << "n=" << n << " i=" << i;
  }
}

TEST(VectorLoop, ReduceBatchesPadsTheLastBatchWithTheGivenNeutralValue) {
  const float neg_inf = -std::numeric_limits<float>::infinity();
  const auto larger = [](const FloatBatch& best, const FloatBatch& v) { return xsimd::max(best, v); };
  for (std::size_t n = 1; n <= 3 * kLanes; ++n) {
    const std::vector<float> x = random_floats(n, unsigned(n), -9.0f, -1.0f);  // all negative: a 0 pad would win
    float expected = neg_inf;
    for (float v : x) expected = std::fmax(expected, v);
    EXPECT_EQ(horizontal_max(reduce_batches(n, neg_inf, FloatBatch(neg_inf), larger, x.data())), expected) << "n=" << n;
  }
}

TEST(VectorLoopTail, ExpShiftedGivesTheBodysBitsInTheTailAndMatchesStdExp) {
  for (std::size_t n : kTailLengths) {
    for (unsigned seed = 0; seed < 50; ++seed) {
      const std::vector<float> x = tail_repeats_body(n, seed, -30.0f, 5.0f);
      std::vector<float> out(n);
      const float sum = kernels::exp_shifted(x.data(), out.data(), n, 5.0f);
      expect_tail_bits_equal_body(out, n);
      double expected_sum = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double exact = std::exp(double(x[i] - 5.0f));  // x − shift is rounded to float first, as in the kernel
        expected_sum += exact;
        ASSERT_NEAR(out[i], exact, 1e-6 * exact) << "x=" << x[i];
      }
      EXPECT_NEAR(sum, expected_sum, 1e-5 * expected_sum);
    }
  }
}

TEST(VectorLoopTail, ExpShiftedPaddingAddsNothingToTheSum) {
  for (std::size_t n = 1; n <= 3 * kLanes; ++n) {
    const std::vector<float> x(n, 0.0f);
    std::vector<float> out(n);
    EXPECT_EQ(kernels::exp_shifted(x.data(), out.data(), n, 0.0f), float(n)) << "n=" << n;
  }
}

TEST(VectorLoopTail, ScaleInPlaceIsTheCorrectlyRoundedProductEverywhere) {
  for (std::size_t n : kTailLengths) {
    std::vector<float> x = tail_repeats_body(n, unsigned(n), -100.0f, 100.0f);
    const std::vector<float> original = x;
    kernels::scale_in_place(x.data(), n, 0.3f);
    expect_tail_bits_equal_body(x, n);
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(x[i], original[i] * 0.3f) << "i=" << i;
  }
}

TEST(VectorLoopTail, AxpyGivesTheBodysBitsInTheTailAndMatchesTheExactSum) {
  for (std::size_t n : kTailLengths) {
    for (unsigned seed = 0; seed < 20; ++seed) {
      const std::vector<float> x = tail_repeats_body(n, seed, -10.0f, 10.0f);
      std::vector<float> y = tail_repeats_body(n, seed + 100, -10.0f, 10.0f);
      const std::vector<float> y0 = y;
      kernels::axpy(0.7f, x.data(), y.data(), n);
      expect_tail_bits_equal_body(y, n);
      for (std::size_t i = 0; i < n; ++i) {
        const double exact = 0.7 * double(x[i]) + double(y0[i]);
        EXPECT_NEAR(y[i], exact, 2e-6 * (std::fabs(exact) + 1.0)) << "i=" << i;
      }
    }
  }
}

TEST(VectorLoopTail, GeluGivesTheBodysBitsInTheTailAndMatchesTheErfFormula) {
  for (std::size_t n : kTailLengths) {
    for (unsigned seed = 0; seed < 50; ++seed) {
      const std::vector<float> x = tail_repeats_body(n, seed, -6.0f, 6.0f);
      std::vector<float> y = x;
      kernels::gelu(y.data(), n);
      expect_tail_bits_equal_body(y, n);
      for (std::size_t i = 0; i < n; ++i) {
        const double exact = 0.5 * x[i] * (1.0 + std::erf(x[i] / std::sqrt(2.0)));
        ASSERT_NEAR(y[i], exact, 1e-6 + 1e-6 * std::fabs(exact)) << "x=" << x[i];
      }
    }
  }
}

TEST(VectorLoopTail, LayerNormGivesTheBodysBitsInTheTailAndMatchesTheReference) {
  for (std::size_t n : kTailLengths) {
    const std::vector<float> x = tail_repeats_body(n, unsigned(n), 50.0f, 60.0f);
    const std::vector<float> gamma = tail_repeats_body(n, 7, 0.5f, 1.5f);
    const std::vector<float> beta = tail_repeats_body(n, 8, -1.0f, 1.0f);
    std::vector<float> y(n);
    kernels::layer_norm(x.data(), gamma.data(), beta.data(), y.data(), 1, n, 1e-5f);
    expect_tail_bits_equal_body(y, n);
    EXPECT_LT(test::max_abs_diff(y, test::reference_layer_norm(x, gamma, beta, 1, n, 1e-5)), 2e-4f) << "n=" << n;
  }
}

TEST(VectorLoopTail, Relu2AttentionWeighsAKeyTheSameInTheBodyAndTheTail) {
  // Keys 0 and n−1 are equal; V's one-hot rows make out = (weight of key 0, weight of key n−1).
  const std::size_t d = 4;
  for (std::size_t n : kTailLengths) {
    for (unsigned seed = 0; seed < 20; ++seed) {
      const std::vector<float> q = random_floats(d, seed, -1.0f, 1.0f);
      std::vector<float> k = random_floats(n * d, seed + 1000, -1.0f, 1.0f), v(n * 2, 0.0f), out(2);
      std::copy(k.begin(), k.begin() + d, k.end() - d);
      v[0] = 1.0f;
      v[(n - 1) * 2 + 1] = 1.0f;
      attention::AttentionShape shape;
      shape.query_len = 1;
      shape.key_len = n;
      shape.head_dim = d;
      shape.value_dim = 2;
      attention::relu2_attention(q.data(), k.data(), v.data(), out.data(), shape, {});
      EXPECT_EQ(bits(out[0]), bits(out[1])) << "n=" << n << ": " << out[0] << " vs " << out[1];
      double score = 0;
      for (std::size_t c = 0; c < d; ++c) score += double(q[c]) * k[c];
      const double relu = std::fmax(score / std::sqrt(double(d)), 0.0);
      EXPECT_NEAR(out[0], relu * relu / double(n), 1e-6) << "n=" << n;
    }
  }
}

TEST(VectorLoopTail, ReductionsMatchDoublePrecisionSumsAtEveryLength) {
  for (std::size_t n = 1; n <= 3 * kLanes + 1; ++n) {
    const std::vector<float> x = random_floats(n, unsigned(n), -2.0f, -1.0f);
    const std::vector<float> y = random_floats(n, unsigned(n) + 50, 1.0f, 2.0f);
    double sum = 0, product = 0, best = -INFINITY;
    for (std::size_t i = 0; i < n; ++i) {
      sum += x[i];
      product += double(x[i]) * y[i];
      best = std::fmax(best, x[i]);
    }
    EXPECT_NEAR(kernels::vector_sum(x.data(), n), sum, 1e-5 * n) << "n=" << n;
    EXPECT_NEAR(kernels::dot(x.data(), y.data(), n), product, 1e-5 * n) << "n=" << n;
    EXPECT_EQ(kernels::vector_max(x.data(), n), float(best)) << "n=" << n;
  }
  EXPECT_EQ(kernels::vector_max(nullptr, 0), -std::numeric_limits<float>::infinity());
}

TEST(VectorLoopTail, RequireFiniteFindsANonFiniteValueInTheTail) {
  for (std::size_t n : kTailLengths) {
    std::vector<float> x = random_floats(n, unsigned(n));
    EXPECT_NO_THROW(require_finite("test", "x", x.data(), n));
    for (float bad : {NAN, INFINITY, -INFINITY}) {
      x[n - 1] = bad;
      EXPECT_THROW(require_finite("test", "x", x.data(), n), Error) << "n=" << n;
    }
  }
}

}  // namespace
}  // namespace attnkit
