// A persistent pool of worker threads for data-parallel loops: `parallel_for(count, body)` runs body(i) for
// every i < count on the workers and the calling thread, and returns when all are done. Threads start once
// (set_thread_count), not per call: in WebAssembly a thread is a Web Worker, far too slow to start per product.
//
// Indices are handed out one at a time from an atomic counter, so an uneven item (a long sentence) does
// not hold up the rest; which thread runs an index never changes what it computes, so results do not depend
// on the thread count. A parallel_for inside a body (a GEMM inside an attention head) runs inline.
//
// Builds without threads (WebAssembly without -pthread) run everything inline and accept only 1 thread.
#pragma once
#include <cstddef>
#include <functional>

namespace attnkit {

// Threads used by parallel_for, counting the caller; 1 until set_thread_count.
std::size_t thread_count();

// Makes `threads` (≥ 1, counting the caller) run parallel loops: starts workers the first time more are asked
// for; asking for fewer leaves the rest idle (asleep), ready for a later call. Throws Error when threads > 1
// in a build without threads, or beyond kMaxThreads.
void set_thread_count(std::size_t threads);
inline constexpr std::size_t kMaxThreads = 64;

// Runs body(i) for i in [0, count); the first exception thrown by a body is rethrown here after every
// started index finished.
void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body);

// Splits [0, total) into at most `parts` ranges of whole `granule`s (the last may be shorter), for loops whose
// items are too small to schedule one by one: body(begin, end).
void parallel_ranges(std::size_t total, std::size_t granule, std::size_t parts,
                     const std::function<void(std::size_t, std::size_t)>& body);

}  // namespace attnkit
