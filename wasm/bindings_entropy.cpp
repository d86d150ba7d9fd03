// Embind bindings of the entropy tools.
#include <emscripten/bind.h>

#include <algorithm>

#include "attnkit/api/entropy_api.hpp"
#include "guarded.hpp"

namespace attnkit::wasm {
namespace {

int entropy(std::uintptr_t p, int count, int rows, int cols, std::uintptr_t o) {
  return guarded([&] { api::entropy(in<float>(p, count), out<double>(o, rows), rows, cols); });
}

int entropy_normalize(std::uintptr_t p, std::uintptr_t o, int count, int rows, int cols, std::uintptr_t targets,
                      int targets_count, int method, double tolerance, int max_iterations, std::uintptr_t gammas,
                      std::uintptr_t iterations) {
  return guarded([&] {
    api::entropy_normalize(in<float>(p, count), out<float>(o, count), rows, cols, in<double>(targets, targets_count),
                           static_cast<entropy::SolveMethod>(std::clamp(method, 0, 2)), tolerance, max_iterations,
                           out<double>(gammas, rows), out<std::int32_t>(iterations, rows));
  });
}

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_entropy) {
  using namespace attnkit::wasm;
  emscripten::function("entropy", &entropy);
  emscripten::function("entropyNormalize", &entropy_normalize);
}
