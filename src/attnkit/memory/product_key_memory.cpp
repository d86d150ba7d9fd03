// The product search keeps ties in one order everywhere: a higher score first, then the lower slot (or
// sub-key) index, so the product and exhaustive searches agree slot for slot, not just in score.
#include "attnkit/memory/product_key_memory.hpp"

#include <algorithm>
#include <cmath>

#include "attnkit/kernels/gemm.hpp"
#include "attnkit/kernels/vector_ops.hpp"

namespace attnkit::memory {
namespace {

template <typename Slot>
bool ranks_before(const Slot& a, const Slot& b) {
  return a.score > b.score || (a.score == b.score && a.index < b.index);
}

// Moves the k best of slots[0..n) to the front, best first.
template <typename Slot>
void keep_best(Slot* slots, std::size_t n, std::size_t k) {
  std::partial_sort(slots, slots + k, slots + n, ranks_before<Slot>);
}

}  // namespace

ProductKeyMemory::ProductKeyMemory(const ProductKeyShape& shape, std::vector<float> sub_keys, std::vector<float> values,
                                   std::vector<float> query_weight, std::vector<float> query_bias)
    : shape_(shape),
      sub_keys_(std::move(sub_keys)),
      values_(std::move(values)),
      query_weight_(std::move(query_weight)),
      query_bias_(std::move(query_bias)) {}

std::size_t ProductKeyMemory::input_width() const {
  return shape_.input_dim > 0 ? shape_.input_dim : shape_.heads * shape_.query_dim;
}

const float* ProductKeyMemory::sub_key(std::size_t head, std::size_t half, std::size_t i) const {
  const std::size_t half_dim = shape_.query_dim / 2;
  return sub_keys_.data() + ((head * 2 + half) * shape_.sub_keys + i) * half_dim;
}

// scratch: 2n + k² slots (the two halves' sub-key scores, then the k × k candidates).
void ProductKeyMemory::best_by_product(std::size_t head, const float* query, Slot* best, Slot* scratch) const {
  const std::size_t n = shape_.sub_keys, k = shape_.top_k, half_dim = shape_.query_dim / 2;
  Slot* halves[2] = {scratch, scratch + n};
  for (std::size_t half = 0; half < 2; ++half) {
    for (std::size_t i = 0; i < n; ++i)
      halves[half][i] = {kernels::dot(query + half * half_dim, sub_key(head, half, i), half_dim),
                         static_cast<std::int32_t>(i)};
    keep_best(halves[half], n, k);
  }
  // Slot (i, j) scores s1_i + s2_j; rounding is monotone, so a pair outside the k × k best cannot beat one inside.
  Slot* candidates = scratch + 2 * n;
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b)
      candidates[a * k + b] = {halves[0][a].score + halves[1][b].score,
                               static_cast<std::int32_t>(halves[0][a].index * n + halves[1][b].index)};
  keep_best(candidates, k * k, k);
  std::copy(candidates, candidates + k, best);
}

void ProductKeyMemory::best_by_exhaustive(std::size_t head, const float* query, Slot* best) const {
  const std::size_t n = shape_.sub_keys, k = shape_.top_k, half_dim = shape_.query_dim / 2;
  // A running k best, kept as a heap whose top is the worst of them.
  std::size_t kept = 0;
  const auto worse_first = [](const Slot& a, const Slot& b) { return ranks_before(a, b); };
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      // Both halves scored again for every slot: the full d_q products of a flat memory.
      const float first = kernels::dot(query, sub_key(head, 0, i), half_dim);
      const Slot slot{first + kernels::dot(query + half_dim, sub_key(head, 1, j), half_dim),
                      static_cast<std::int32_t>(i * n + j)};
      if (kept < k) {
        best[kept++] = slot;
        std::push_heap(best, best + kept, worse_first);
      } else if (ranks_before(slot, best[0])) {
        std::pop_heap(best, best + k, worse_first);
        best[k - 1] = slot;
        std::push_heap(best, best + k, worse_first);
      }
    }
  }
  std::sort_heap(best, best + k, worse_first);
}

void ProductKeyMemory::lookup(const float* x, std::size_t rows, const MemoryLookup& out, SlotSearch search) const {
  const std::size_t heads = shape_.heads, k = shape_.top_k, dq = shape_.query_dim, dv = shape_.value_dim;
  std::vector<float> queries;
  const float* query_rows = x;
  if (shape_.input_dim > 0) {  // q = x·Wᵀ + b
    queries.resize(rows * heads * dq);
    kernels::gemm(x, query_weight_.data(), queries.data(), rows, heads * dq, shape_.input_dim,
                  kernels::BLayout::kTransposed);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < heads * dq; ++c) queries[r * heads * dq + c] += query_bias_[c];
    query_rows = queries.data();
  }
  std::vector<Slot> best(k), scratch(search == SlotSearch::kProduct ? 2 * shape_.sub_keys + k * k : 0);
  for (std::size_t r = 0; r < rows; ++r) {
    float* output = out.output + r * dv;
    std::fill(output, output + dv, 0.0f);
    for (std::size_t h = 0; h < heads; ++h) {
      const float* query = query_rows + (r * heads + h) * dq;
      if (search == SlotSearch::kProduct)
        best_by_product(h, query, best.data(), scratch.data());
      else
        best_by_exhaustive(h, query, best.data());
      std::int32_t* indices = out.indices + (r * heads + h) * k;
      float* weights = out.weights + (r * heads + h) * k;
      float sum = 0.0f;
      for (std::size_t i = 0; i < k; ++i) sum += weights[i] = std::exp(best[i].score - best[0].score);
      for (std::size_t i = 0; i < k; ++i) {
        indices[i] = best[i].index;
        weights[i] /= sum;
        kernels::axpy(weights[i], values_.data() + static_cast<std::size_t>(best[i].index) * dv, output, dv);
      }
    }
  }
}

}  // namespace attnkit::memory
