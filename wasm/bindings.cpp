// Embind bindings: typed-array addresses and shapes in, status codes out. No algorithm lives here.
// Every call is guarded: a C++ exception becomes status 1 plus lastError(), which the TypeScript layer
// throws as a JS Error, so nothing unwinds into JS and the module keeps working.
#include <emscripten/bind.h>

#include <cstdint>
#include <new>
#include <string>

#include "attnkit/api/kernels_api.hpp"

namespace {

std::string g_last_error;

template <typename Body>
int guarded(Body&& body) {
  try {
    body();
    return 0;
  } catch (const std::bad_alloc&) {
    g_last_error = "out of memory: the request needs more WebAssembly memory than is available";
  } catch (const std::exception& error) {
    g_last_error = error.what();
  } catch (...) {
    g_last_error = "unknown C++ exception";
  }
  return 1;
}

attnkit::ConstFloats in_floats(std::uintptr_t address, int count) {
  return {reinterpret_cast<const float*>(address), static_cast<std::size_t>(count)};
}
attnkit::Floats out_floats(std::uintptr_t address, int count) {
  return {reinterpret_cast<float*>(address), static_cast<std::size_t>(count)};
}

int gemm(std::uintptr_t a, int a_count, std::uintptr_t b, int b_count, std::uintptr_t c, int c_count, int m,
         int n, int k, bool b_transposed) {
  return guarded([&] {
    attnkit::api::gemm(in_floats(a, a_count), in_floats(b, b_count), out_floats(c, c_count), m, n, k,
                       b_transposed);
  });
}

int softmax(std::uintptr_t in, std::uintptr_t out, int count, int rows, int cols) {
  return guarded([&] { attnkit::api::softmax(in_floats(in, count), out_floats(out, count), rows, cols); });
}

int layer_norm(std::uintptr_t in, std::uintptr_t gamma, std::uintptr_t beta, std::uintptr_t out, int count,
               int gamma_count, int beta_count, int rows, int cols, double eps) {
  return guarded([&] {
    attnkit::api::layer_norm(in_floats(in, count), in_floats(gamma, gamma_count), in_floats(beta, beta_count),
                             out_floats(out, count), rows, cols, eps);
  });
}

std::string last_error() { return g_last_error; }

}  // namespace

EMSCRIPTEN_BINDINGS(attnkit) {
  emscripten::function("gemm", &gemm);
  emscripten::function("softmax", &softmax);
  emscripten::function("layerNorm", &layer_norm);
  emscripten::function("lastError", &last_error);
}
