// Embind bindings every family uses: views of WASM memory ({ address, count } objects), the error
// channel, the heap statistics the leak tests read, and the thread pool's size.
#include <emscripten/bind.h>
#include <malloc.h>

#include <cstdint>
#include <string>

#include "attnkit/core/thread_pool.hpp"
#include "guarded.hpp"
#include "last_error.hpp"
#include "value_objects.hpp"

namespace attnkit::wasm {
namespace {

std::string last_error_message() { return last_error().message; }
std::string last_error_code() { return last_error().code; }

// Bytes currently allocated by malloc/new: what a leak would grow.
double heap_bytes_in_use() { return static_cast<double>(mallinfo().uordblks); }

// The loader starts the pool once (init's `threads`); the single-thread module accepts only 1.
int set_threads(int threads) {
  return guarded([&] { attnkit::set_thread_count(static_cast<std::size_t>(threads < 1 ? 0 : threads)); });
}
int thread_count() { return static_cast<int>(attnkit::thread_count()); }

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_module) {
  using namespace attnkit::wasm;  // not all of attnkit: its namespaces (attention, entropy) would hide bindings
  namespace api = attnkit::api;
  using attnkit::View;
  register_view<const float>("ConstFloats");
  register_view<float>("Floats");
  register_view<const double>("ConstDoubles");
  register_view<double>("Doubles");
  register_view<const std::int32_t>("ConstInts");
  register_view<std::int32_t>("Ints");
  register_view<const std::uint8_t>("ConstBytes");
  register_view<const std::uint64_t>("ConstWords");
  register_view<std::uint64_t>("Words");
  emscripten::function("lastError", &last_error_message);
  emscripten::function("lastErrorCode", &last_error_code);
  emscripten::function("heapBytesInUse", &heap_bytes_in_use);
  emscripten::function("setThreads", &set_threads);
  emscripten::function("threadCount", &thread_count);
}
