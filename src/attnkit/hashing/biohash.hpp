// BioHash codes (Ryali et al., ICML 2020; the seed's "BioWord"): a sparse binary code per text, the k units of
// K whose activations W·x are largest (winner-take-all), x the text's hashed n-gram counts. W is learned
// offline by the unsupervised Krotov–Hopfield rule (scripts/train_biohash.py).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "attnkit/hashing/ngram_features.hpp"

namespace attnkit::hashing {

struct BioHashShape {
  std::uint32_t buckets = 0;  // D, n-gram hash buckets
  std::uint32_t units = 0;    // K, bits per code (a multiple of 64)
  std::uint32_t active = 0;   // k ≤ K, bits set per code
};

class BioHash {
 public:
  // weights [buckets, units] (feature-major: a bucket's row is added per occurrence). Sizes assumed checked.
  BioHash(const BioHashShape& shape, std::vector<float> weights);

  const BioHashShape& shape() const { return shape_; }
  std::size_t words() const { return shape_.units / 64; }

  // Writes the text's code (words() 64-bit words; unit u is bit u % 64 of word u / 64).
  void encode(std::string_view utf8, std::uint64_t* code) const;

  // The activations Σ count·W[bucket] (float32, buckets ascending: the order the Python reference adds in).
  void activations(const std::vector<NgramFeature>& features, float* out) const;

 private:
  BioHashShape shape_;
  std::vector<float> weights_;
};

}  // namespace attnkit::hashing
