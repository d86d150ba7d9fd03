// Scalar references for the kernels, in double precision: what the SIMD code is compared against.
#pragma once
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

namespace attnkit::test {

inline std::vector<float> random_floats(std::size_t count, unsigned seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> out(count);
  for (auto& x : out) x = dist(rng);
  return out;
}

// C = A·B (B k×n) or A·Bᵀ (B n×k).
inline std::vector<float> reference_gemm(const std::vector<float>& a, const std::vector<float>& b, std::size_t m,
                                         std::size_t n, std::size_t k, bool b_transposed) {
  std::vector<float> c(m * n);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double sum = 0;
      for (std::size_t p = 0; p < k; ++p)
        sum += double(a[i * k + p]) * double(b_transposed ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = float(sum);
    }
  return c;
}

inline std::vector<float> reference_softmax(const std::vector<float>& x, std::size_t rows, std::size_t cols) {
  std::vector<float> y(x.size());
  for (std::size_t r = 0; r < rows; ++r) {
    double mx = -INFINITY;
    for (std::size_t j = 0; j < cols; ++j) mx = std::fmax(mx, x[r * cols + j]);
    double sum = 0;
    for (std::size_t j = 0; j < cols; ++j) sum += std::exp(double(x[r * cols + j]) - mx);
    for (std::size_t j = 0; j < cols; ++j) y[r * cols + j] = float(std::exp(double(x[r * cols + j]) - mx) / sum);
  }
  return y;
}

inline std::vector<float> reference_layer_norm(const std::vector<float>& x, const std::vector<float>& gamma,
                                               const std::vector<float>& beta, std::size_t rows, std::size_t cols,
                                               double eps) {
  std::vector<float> y(x.size());
  for (std::size_t r = 0; r < rows; ++r) {
    double mean = 0, var = 0;
    for (std::size_t j = 0; j < cols; ++j) mean += x[r * cols + j];
    mean /= cols;
    for (std::size_t j = 0; j < cols; ++j) var += (x[r * cols + j] - mean) * (x[r * cols + j] - mean);
    var /= cols;
    for (std::size_t j = 0; j < cols; ++j)
      y[r * cols + j] = float((x[r * cols + j] - mean) / std::sqrt(var + eps) * gamma[j] + beta[j]);
  }
  return y;
}

inline float max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::fmax(worst, std::fabs(a[i] - b[i]));
  return worst;
}

}  // namespace attnkit::test
