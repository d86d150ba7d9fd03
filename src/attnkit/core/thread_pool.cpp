#include "attnkit/core/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>

#include "attnkit/core/error.hpp"

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define ATTNKIT_NO_THREADS 1
#else
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace attnkit {
namespace {

#ifndef ATTNKIT_NO_THREADS

// Set on pool workers and on a caller while it runs a loop: a nested parallel_for runs inline.
thread_local bool inside_parallel_loop = false;

// Waiting spins this many rounds before sleeping: a product that follows right after the last one (the next
// layer's GEMM) then starts without a futex wake-up, which costs tens of µs between Web Workers.
constexpr int kSpinRounds = 20000;

class Pool {
 public:
  explicit Pool(std::size_t workers) : active_workers_(workers) {
    threads_.reserve(workers);
    for (std::size_t w = 0; w < workers; ++w) threads_.emplace_back([this, w] { work_loop(w); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

  std::size_t workers() const { return threads_.size(); }
  std::size_t threads() const { return active_workers_ + 1; }
  // Fewer threads take part without stopping any: a stopped WebAssembly thread's worker returns to
  // Emscripten's pool only once the page's event loop runs, so stopping and restarting would deadlock.
  void use_workers(std::size_t workers) { active_workers_ = std::min(workers, threads_.size()); }

  void run(std::size_t count, const std::function<void(std::size_t)>& body) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      body_ = &body;
      count_ = count;
      next_.store(0, std::memory_order_relaxed);
      busy_workers_.store(active_workers_, std::memory_order_relaxed);
      run_workers_ = active_workers_;
      error_ = nullptr;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    run_indices();
    for (int spin = 0; spin < kSpinRounds && busy_workers_.load(std::memory_order_acquire) != 0; ++spin) {
    }
    if (busy_workers_.load(std::memory_order_acquire) != 0) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [&] { return busy_workers_.load(std::memory_order_acquire) == 0; });
    }
    body_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void run_indices() {
    for (std::size_t i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < count_;) {
      try {
        (*body_)(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
        next_.store(count_, std::memory_order_relaxed);  // start no more indices
      }
    }
  }

  void work_loop(std::size_t index) {
    inside_parallel_loop = true;
    std::uint64_t seen = 0;
    for (;;) {
      std::uint64_t generation = generation_.load(std::memory_order_acquire);
      for (int spin = 0; spin < kSpinRounds && generation == seen; ++spin)
        generation = generation_.load(std::memory_order_acquire);
      if (generation == seen) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
        generation = generation_.load(std::memory_order_acquire);
      }
      seen = generation;
      if (stopping_) return;
      if (index >= run_workers_) continue;  // not taking part in this loop
      run_indices();
      if (busy_workers_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);  // the caller may be about to wait: notify under the lock
        done_.notify_one();
      }
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::size_t> next_{0}, busy_workers_{0};
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::size_t count_ = 0;
  std::size_t active_workers_, run_workers_ = 0;
  std::exception_ptr error_;
  bool stopping_ = false;
};

std::unique_ptr<Pool>& pool() {
  static std::unique_ptr<Pool> instance;
  return instance;
}

#endif

void run_inline(std::size_t count, const std::function<void(std::size_t)>& body) {
  for (std::size_t i = 0; i < count; ++i) body(i);
}

}  // namespace

#ifdef ATTNKIT_NO_THREADS

std::size_t thread_count() { return 1; }
void set_thread_count(std::size_t threads) {
  if (threads != 1)
    fail("set_thread_count: this build has no threads (asked for ", threads,
         "); load the threaded build (it needs SharedArrayBuffer, i.e. a cross-origin isolated page)");
}
void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body) { run_inline(count, body); }

#else

std::size_t thread_count() { return pool() ? pool()->threads() : 1; }

void set_thread_count(std::size_t threads) {
  if (threads < 1 || threads > kMaxThreads)
    fail("set_thread_count: threads must be between 1 and ", kMaxThreads, ", got ", threads);
  if (inside_parallel_loop) fail("set_thread_count: called from inside a parallel loop");
  if (pool() && threads - 1 <= pool()->workers()) return pool()->use_workers(threads - 1);
  pool().reset();  // joins the old workers first
  if (threads > 1) pool() = std::make_unique<Pool>(threads - 1);
}

void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body) {
  if (count <= 1 || !pool() || pool()->threads() == 1 || inside_parallel_loop) return run_inline(count, body);
  inside_parallel_loop = true;
  try {
    pool()->run(count, body);
  } catch (...) {
    inside_parallel_loop = false;
    throw;
  }
  inside_parallel_loop = false;
}

#endif

void parallel_ranges(std::size_t total, std::size_t granule, std::size_t parts,
                     const std::function<void(std::size_t, std::size_t)>& body) {
  const std::size_t granules = (total + granule - 1) / granule;
  parts = std::max<std::size_t>(1, std::min(parts, granules));
  const std::size_t per_part = (granules + parts - 1) / parts;
  const std::size_t count = (granules + per_part - 1) / per_part;
  parallel_for(count, [&](std::size_t p) {
    const std::size_t begin = p * per_part * granule;
    body(begin, std::min(total, begin + per_part * granule));
  });
}

}  // namespace attnkit
