// The one vector-loop skeleton of the kernels: full batches straight from memory, plus the n % kLanes
// leftovers as one padded batch through the same vector math, so an element's result never depends on
// whether it falls in the body or the tail (a scalar tail with its own math made it depend on that).
#pragma once
#include <cstddef>

#include "attnkit/core/simd.hpp"

namespace attnkit {

// The leftovers of a vector of n elements (those past simd_end(n)), read and written as one batch whose
// other lanes are padding. When n ≥ kLanes the batch is the vector's last kLanes elements, an in-bounds
// unaligned access with the lanes that are not leftovers masked; a shorter vector goes through a stack copy.
// No library call either way: a variable-length stack copy compiled to memcpy + memset, 3× the time.
class PartialBatch {
 public:
  explicit PartialBatch(std::size_t n) : n_(n), offset_(n >= kLanes ? n - kLanes : 0), live_(live_lanes(n)) {}

  // x's leftovers, the padding lanes set to `fill`.
  FloatBatch load(const float* x, float fill) const {
    if (n_ >= kLanes) return xsimd::select(live_, FloatBatch::load_unaligned(x + offset_), FloatBatch(fill));
    alignas(kBatchAlignment) float lanes[kLanes];
    for (std::size_t i = 0; i < kLanes; ++i) lanes[i] = i < n_ ? x[i] : fill;
    return FloatBatch::load_aligned(lanes);
  }

  // Writes v's leftover lanes to out and leaves every other element of out as it is.
  void store(float* out, const FloatBatch& v) const {
    if (n_ >= kLanes) {
      xsimd::select(live_, v, FloatBatch::load_unaligned(out + offset_)).store_unaligned(out + offset_);
      return;
    }
    alignas(kBatchAlignment) float lanes[kLanes];
    v.store_aligned(lanes);
    for (std::size_t i = 0; i < kLanes; ++i)
      if (i < n_) out[i] = lanes[i];
  }

 private:
  // The top n % kLanes lanes: where the leftovers sit among the last kLanes elements.
  static FloatBatch::batch_bool_type live_lanes(std::size_t n) {
    alignas(kBatchAlignment) static constexpr float kLaneIndex[16] = {0, 1, 2,  3,  4,  5,  6,  7,
                                                                      8, 9, 10, 11, 12, 13, 14, 15};
    static_assert(kLanes <= 16, "a float batch has at most 16 lanes");
    return FloatBatch::load_aligned(kLaneIndex) >= FloatBatch(static_cast<float>(kLanes - n % kLanes));
  }

  std::size_t n_;
  std::size_t offset_;
  FloatBatch::batch_bool_type live_;
};

// out[i] = op(in[i]...) for i < n, a batch at a time. The leftovers' padding lanes hold `fill` (op sees
// them, so a fill that op treats as neutral keeps side effects such as a running sum exact) and are not
// stored. out may be one of the inputs.
// The leftovers go first: their batch overlaps the last full one, whose elements it writes back unchanged
// (the body then overwrites them), and reading out before the body has stored there avoids a load that
// straddles a recent store (a store-forwarding stall, measured 2× on a 67-element axpy).
template <typename Op, typename... Inputs>
void map_batches(std::size_t n, float fill, float* out, Op op, const Inputs*... in) {
  const std::size_t end = simd_end(n);
  if (end != n) {
    const PartialBatch leftovers(n);
    leftovers.store(out, op(leftovers.load(in, fill)...));
  }
  for (std::size_t i = 0; i < end; i += kLanes) op(FloatBatch::load_unaligned(in + i)...).store_unaligned(out + i);
}

// acc = step(acc, in[i]...) over the batches of [0, n). The leftovers' padding lanes hold `fill`, which
// must leave acc unchanged: 0 for sums and dot products, −inf for a maximum.
template <typename Acc, typename Step, typename... Inputs>
Acc reduce_batches(std::size_t n, float fill, Acc acc, Step step, const Inputs*... in) {
  const std::size_t end = simd_end(n);
  for (std::size_t i = 0; i < end; i += kLanes) acc = step(acc, FloatBatch::load_unaligned(in + i)...);
  if (end == n) return acc;
  const PartialBatch leftovers(n);
  return step(acc, leftovers.load(in, fill)...);
}

}  // namespace attnkit
