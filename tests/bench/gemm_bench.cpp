// Native Google Benchmark for the GEMM kernel (the WASM figures come from scripts/bench.mjs).
#include <benchmark/benchmark.h>

#include <vector>

#include "attnkit/kernels/gemm.hpp"

static void BM_Gemm(benchmark::State& state) {
  const std::size_t n = state.range(0);
  std::vector<float> a(n * n, 0.5f), b(n * n, 0.25f), c(n * n);
  for (auto _ : state) {
    attnkit::kernels::gemm(a.data(), b.data(), c.data(), n, n, n, attnkit::kernels::BLayout::kRowMajor);
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
}
BENCHMARK(BM_Gemm)->Arg(128)->Arg(512);
