// Embind bindings of the basic kernels (gemm, softmax, layerNorm) and the error channel.
#include <emscripten/bind.h>
#include <malloc.h>

#include "attnkit/api/kernels_api.hpp"
#include "guarded.hpp"

namespace attnkit::wasm {

std::string& last_error() {
  static std::string message;
  return message;
}

namespace {

int gemm(std::uintptr_t a, int a_count, std::uintptr_t b, int b_count, std::uintptr_t c, int c_count, int m, int n,
         int k, bool b_transposed) {
  return guarded([&] {
    api::gemm(in<float>(a, a_count), in<float>(b, b_count), out<float>(c, c_count), m, n, k, b_transposed);
  });
}

int softmax(std::uintptr_t x, std::uintptr_t y, int count, int rows, int cols) {
  return guarded([&] { api::softmax(in<float>(x, count), out<float>(y, count), rows, cols); });
}

int layer_norm(std::uintptr_t x, std::uintptr_t gamma, std::uintptr_t beta, std::uintptr_t y, int count,
               int gamma_count, int beta_count, int rows, int cols, double eps) {
  return guarded([&] {
    api::layer_norm(in<float>(x, count), in<float>(gamma, gamma_count), in<float>(beta, beta_count),
                    out<float>(y, count), rows, cols, eps);
  });
}

std::string take_last_error() { return last_error(); }

// Bytes currently allocated by malloc/new: what a leak would grow.
double heap_bytes_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_kernels) {
  using namespace attnkit::wasm;
  emscripten::function("gemm", &gemm);
  emscripten::function("softmax", &softmax);
  emscripten::function("layerNorm", &layer_norm);
  emscripten::function("lastError", &take_last_error);
  emscripten::function("heapBytesInUse", &heap_bytes_in_use);
}
