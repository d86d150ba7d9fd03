// The thread pool, and the kernels that use it: every index runs exactly once, errors come back to the
// caller, and the threaded GEMM and attention give bit-identical results to one thread.
#include "attnkit/core/thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "attnkit/attention/gau_attention.hpp"
#include "attnkit/attention/softmax_attention.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/kernels/gemm.hpp"

namespace attnkit {
namespace {

// Restores one thread after each test, so other suites run as before.
class ThreadPoolTest : public ::testing::Test {
 protected:
  void TearDown() override { set_thread_count(1); }
};

std::vector<float> random_values(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> out(n);
  for (auto& x : out) x = normal(rng);
  return out;
}

TEST_F(ThreadPoolTest, RunsEveryIndexOnceOnSeveralThreads) {
  for (std::size_t threads : {1u, 2u, 4u}) {
    set_thread_count(threads);
    EXPECT_EQ(thread_count(), threads);
    std::vector<std::atomic<int>> hits(1000);
    std::mutex mutex;
    std::set<std::thread::id> ids;
    parallel_for(hits.size(), [&](std::size_t i) {
      hits[i].fetch_add(1);
      std::lock_guard<std::mutex> lock(mutex);
      ids.insert(std::this_thread::get_id());
    });
    for (const auto& h : hits) ASSERT_EQ(h.load(), 1);
    EXPECT_LE(ids.size(), threads);
  }
}

TEST_F(ThreadPoolTest, ManyLoopsInARowReuseTheWorkers) {
  set_thread_count(3);
  std::atomic<long> total{0};
  for (int loop = 0; loop < 2000; ++loop) parallel_for(7, [&](std::size_t i) { total += static_cast<long>(i); });
  EXPECT_EQ(total.load(), 2000L * 21);
}

TEST_F(ThreadPoolTest, ABodysExceptionReachesTheCaller) {
  set_thread_count(2);
  EXPECT_THROW(parallel_for(100,
                            [](std::size_t i) {
                              if (i == 37) fail("item ", i, " failed");
                            }),
               Error);
  std::atomic<int> after{0};
  parallel_for(10, [&](std::size_t) { ++after; });  // the pool still works
  EXPECT_EQ(after.load(), 10);
}

TEST_F(ThreadPoolTest, ANestedLoopRunsInline) {
  set_thread_count(2);
  std::atomic<int> inner{0};
  parallel_for(4, [&](std::size_t) { parallel_for(5, [&](std::size_t) { ++inner; }); });
  EXPECT_EQ(inner.load(), 20);
}

TEST_F(ThreadPoolTest, RejectsThreadCountsOutOfRange) {
  EXPECT_THROW(set_thread_count(0), Error);
  EXPECT_THROW(set_thread_count(kMaxThreads + 1), Error);
  EXPECT_EQ(thread_count(), 1u);
}

TEST_F(ThreadPoolTest, RangesCoverTheTotalInWholeGranules) {
  set_thread_count(3);
  std::vector<std::atomic<int>> hits(1001);
  std::atomic<int> parts{0};
  parallel_ranges(hits.size(), 8, 3, [&](std::size_t begin, std::size_t end) {
    EXPECT_EQ(begin % 8, 0u);
    ++parts;
    for (std::size_t i = begin; i < end; ++i) ++hits[i];
  });
  for (const auto& h : hits) ASSERT_EQ(h.load(), 1);
  EXPECT_EQ(parts.load(), 3);
}

TEST_F(ThreadPoolTest, ThreadedGemmIsBitIdentical) {
  const std::size_t m = 37, n = 301, k = 290;  // edges in every dimension, two depth blocks
  const auto a = random_values(m * k, 1), b = random_values(k * n, 2);
  for (const auto layout : {kernels::BLayout::kRowMajor, kernels::BLayout::kTransposed}) {
    std::vector<float> one(m * n), three(m * n);
    set_thread_count(1);
    kernels::gemm(a.data(), b.data(), one.data(), m, n, k, layout);
    set_thread_count(3);
    kernels::gemm(a.data(), b.data(), three.data(), m, n, k, layout);
    EXPECT_EQ(one, three);
  }
}

TEST_F(ThreadPoolTest, ThreadedPackedProductSplitsRowsBitIdentically) {
  const std::size_t m = 301, n = 200, k = 130;  // as the encoder's layers: weights packed once, many rows
  const auto a = random_values(m * k, 6), b = random_values(k * n, 7);
  kernels::PackedB packed;
  kernels::pack_b(b.data(), n, k, kernels::BLayout::kRowMajor, packed);
  const auto run = [&](std::size_t threads) {
    set_thread_count(threads);
    std::vector<float> c(m * n);
    kernels::gemm_packed_b(a.data(), k, m, packed, 0, n, 0, k, c.data(), n, false);
    return c;
  };
  const auto one = run(1);
  EXPECT_EQ(one, run(2));
  EXPECT_EQ(one, run(3));
  std::vector<float> reference(m * n);
  set_thread_count(1);
  kernels::gemm(a.data(), b.data(), reference.data(), m, n, k, kernels::BLayout::kRowMajor);
  EXPECT_EQ(one, reference);
}

TEST_F(ThreadPoolTest, ThreadedAttentionIsBitIdentical) {
  using namespace attention;
  AttentionShape shape;
  shape.batch = 1;  // 3 heads < 2 × threads: heads are split into groups of query tiles too
  shape.heads = 3;
  shape.query_len = 300;
  shape.key_len = 300;
  shape.head_dim = 32;
  shape.value_dim = 24;
  const auto q = random_values(shape.heads * 300 * 32, 3), k = random_values(shape.heads * 300 * 32, 4);
  const auto v = random_values(shape.heads * 300 * 24, 5);
  const float span_sizes[3] = {40.0f, 120.0f, 500.0f};
  AttentionExtras with_span;
  with_span.span.size = span_sizes;
  with_span.span.ramp = 16.0f;
  AttentionScale entropy_invariant;
  entropy_invariant.kind = ScaleKind::kEntropyInvariant;
  for (const bool causal : {false, true}) {
    AttentionMask mask;
    mask.causal = causal;
    const auto run = [&](std::size_t threads, int variant) {
      set_thread_count(threads);
      std::vector<float> out(shape.heads * 300 * 24);
      if (variant == 0) softmax_attention(q.data(), k.data(), v.data(), out.data(), shape, mask, {});
      if (variant == 1) softmax_attention(q.data(), k.data(), v.data(), out.data(), shape, mask, entropy_invariant);
      if (variant == 2) relu2_attention(q.data(), k.data(), v.data(), out.data(), shape, mask);
      if (variant == 3) softmax_attention(q.data(), k.data(), v.data(), out.data(), shape, mask, {}, with_span);
      return out;
    };
    for (int variant = 0; variant < (causal ? 4 : 3); ++variant) {
      const auto one = run(1, variant);
      EXPECT_EQ(one, run(2, variant)) << "variant " << variant << (causal ? " causal" : "");
      EXPECT_EQ(one, run(4, variant)) << "variant " << variant << (causal ? " causal" : "");
    }
  }
}

}  // namespace
}  // namespace attnkit
