#include "attnkit/hashing/biohash.hpp"

#include <algorithm>
#include <numeric>

#include "attnkit/core/vector_loop.hpp"

namespace attnkit::hashing {
namespace {

// y += a·x with the product and the sum rounded separately, as NumPy's float32 `y + a * x` is: a fused
// multiply-add (kernels::axpy on an FMA machine) would round once and could flip a tie between units.
void add_scaled_unfused(float a, const float* x, float* y, std::size_t n) {
  const FloatBatch av(a);
  map_batches(n, 0.0f, y, [av](const FloatBatch& xv, const FloatBatch& yv) { return yv + av * xv; }, x, y);
}

}  // namespace

BioHash::BioHash(const BioHashShape& shape, std::vector<float> weights) : shape_(shape), weights_(std::move(weights)) {}

void BioHash::activations(const std::vector<NgramFeature>& features, float* out) const {
  std::fill(out, out + shape_.units, 0.0f);
  for (const NgramFeature& f : features)
    add_scaled_unfused(f.count, weights_.data() + static_cast<std::size_t>(f.bucket) * shape_.units, out, shape_.units);
}

void BioHash::encode(std::string_view utf8, std::uint64_t* code) const {
  std::vector<float> current(shape_.units);
  activations(ngram_features(utf8, shape_.buckets), current.data());
  std::vector<std::uint32_t> order(shape_.units);
  std::iota(order.begin(), order.end(), 0u);
  // The k largest; ties go to the lower unit, so a text with no n-grams gets units 0..k−1.
  std::partial_sort(order.begin(), order.begin() + shape_.active, order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return current[a] > current[b] || (current[a] == current[b] && a < b);
  });
  std::fill(code, code + words(), 0);
  for (std::uint32_t i = 0; i < shape_.active; ++i) code[order[i] / 64] |= std::uint64_t{1} << (order[i] % 64);
}

}  // namespace attnkit::hashing
