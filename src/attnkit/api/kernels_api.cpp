#include "attnkit/api/kernels_api.hpp"

#include <cmath>
#include <limits>

#include "attnkit/api/checks.hpp"
#include "attnkit/kernels/gemm.hpp"
#include "attnkit/kernels/layer_norm.hpp"
#include "attnkit/kernels/softmax.hpp"

namespace attnkit::api {

void gemm(const GemmArgs& args) {
  const char* where = "gemm";
  const auto& [a, b, c, m, n, k, b_transposed] = args;
  const std::size_t a_count = matrix_count(where, "m", m, "k", k);
  const std::size_t b_count = matrix_count(where, "k", k, "n", n);
  const std::size_t c_count = matrix_count(where, "m", m, "n", n);
  require_size(where, "a", a, a_count, "m*k");
  require_size(where, "b", b, b_count, b_transposed ? "n*k" : "k*n");
  require_size(where, "c", c, c_count, "m*n");
  require_finite(where, "a", a.data, a.size);
  require_finite(where, "b", b.data, b.size);
  kernels::gemm(a.data, b.data, c.data, static_cast<std::size_t>(m), static_cast<std::size_t>(n),
                static_cast<std::size_t>(k),
                b_transposed ? kernels::BLayout::kTransposed : kernels::BLayout::kRowMajor);
}

void softmax(const SoftmaxArgs& args) {
  const char* where = "softmax";
  const auto& [in, out, rows, cols] = args;
  const std::size_t count = matrix_count(where, "rows", rows, "cols", cols);
  require_size(where, "input", in, count, "rows*cols");
  require_size(where, "output", out, count, "rows*cols");
  for (std::size_t i = 0; i < count; ++i) {
    const float x = in.data[i];
    if (std::isnan(x) || x == std::numeric_limits<float>::infinity())
      fail(where, ": input[", i, "] is ", x, " (only finite values and -inf for masked entries are allowed)");
  }
  kernels::softmax_rows(in.data, out.data, static_cast<std::size_t>(rows), static_cast<std::size_t>(cols));
}

void layer_norm(const LayerNormArgs& args) {
  const char* where = "layerNorm";
  const auto& [in, gamma, beta, out, rows, cols, eps] = args;
  const std::size_t count = matrix_count(where, "rows", rows, "cols", cols);
  require_size(where, "input", in, count, "rows*cols");
  require_size(where, "output", out, count, "rows*cols");
  require_size(where, "gamma", gamma, static_cast<std::size_t>(cols), "cols");
  require_size(where, "beta", beta, static_cast<std::size_t>(cols), "cols");
  if (!(eps > 0.0) || !std::isfinite(eps)) fail(where, ": eps must be a positive finite number, got ", eps);
  require_finite(where, "input", in.data, in.size);
  require_finite(where, "gamma", gamma.data, gamma.size);
  require_finite(where, "beta", beta.data, beta.size);
  kernels::layer_norm(in.data, gamma.data, beta.data, out.data, static_cast<std::size_t>(rows),
                      static_cast<std::size_t>(cols), static_cast<float>(eps));
}

}  // namespace attnkit::api
