// Product-key memory (Lample et al., NeurIPS 2019, arXiv 1907.05242): a key-value memory of n² slots whose keys
// are the concatenations [c1_i; c2_j] of two sets of n sub-keys. A query q = [q1; q2] scores slot (i, j) as
// q1·c1_i + q2·c2_j, so the k best slots are among the k × k pairs of the k best sub-keys of each half: the
// search costs 2n sub-key products and k² sums instead of n² full products, and finds exactly the same slots.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace attnkit::memory {

struct ProductKeyShape {
  std::size_t heads = 1;      // heads share the values; each has its own query slice and sub-keys
  std::size_t sub_keys = 0;   // n: sub-keys per half, n² slots
  std::size_t query_dim = 0;  // d_q per head (even): halves of d_q / 2
  std::size_t value_dim = 0;
  std::size_t top_k = 0;      // k ≤ n slots per head
  std::size_t input_dim = 0;  // d_in of the query projection q = W·x + b, or 0: x is the query [heads·d_q]
};

// How lookup() finds the k best slots: through the product structure, or by scoring every one of the n² keys
// in full (d_q multiply-adds a slot, what a flat key memory of that size costs). Both give identical results.
enum class SlotSearch { kProduct, kExhaustive };

// One lookup's results per input row: the output (the heads' outputs summed) and, per head, the k slots
// best first and their softmax weights.
struct MemoryLookup {
  float* output;           // rows × value_dim
  std::int32_t* indices;   // rows × heads × top_k, slot i·n + j
  float* weights;          // rows × heads × top_k
};

class ProductKeyMemory {
 public:
  // sub_keys [heads, 2, n, d_q/2], values [n², value_dim]; query_weight [heads·d_q, input_dim] and query_bias
  // [heads·d_q] when input_dim > 0 (PyTorch's Linear layout). Sizes are assumed checked (api::product_key_memory).
  ProductKeyMemory(const ProductKeyShape& shape, std::vector<float> sub_keys, std::vector<float> values,
                   std::vector<float> query_weight, std::vector<float> query_bias);

  const ProductKeyShape& shape() const { return shape_; }
  std::size_t input_width() const;  // values per input row: input_dim, or heads·d_q

  void lookup(const float* x, std::size_t rows, const MemoryLookup& out, SlotSearch search) const;

 private:
  struct Slot {
    float score;
    std::int32_t index;
  };

  const float* sub_key(std::size_t head, std::size_t half, std::size_t i) const;
  void best_by_product(std::size_t head, const float* query, Slot* best, Slot* scratch) const;
  void best_by_exhaustive(std::size_t head, const float* query, Slot* best) const;

  ProductKeyShape shape_;
  std::vector<float> sub_keys_, values_, query_weight_, query_bias_;
};

}  // namespace attnkit::memory
