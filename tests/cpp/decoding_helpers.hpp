// Random tries and a deterministic pseudo-model for the decoding tests.
#pragma once
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "attnkit/core/view.hpp"
#include "attnkit/decoding/prefix_trie.hpp"

namespace attnkit::test {

struct Sequences {
  std::vector<std::vector<std::int32_t>> items;
  std::vector<std::int32_t> flat, lengths, values;
};

// count sequences of length [min_len, max_len] over ids [first_id, vocab); some repeated, some prefixes of others.
inline Sequences random_sequences(std::size_t count, int min_len, int max_len, int vocab, unsigned seed, int first_id = 1) {
  std::mt19937 rng(seed);
  Sequences s;
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<std::int32_t> seq;
    if (i > 0 && rng() % 5 == 0) {  // a duplicate or a prefix of an earlier sequence
      seq = s.items[rng() % s.items.size()];
      if (rng() % 2 && seq.size() > 1) seq.resize(1 + rng() % (seq.size() - 1));
    } else {
      const int len = min_len + static_cast<int>(rng() % (max_len - min_len + 1));
      for (int t = 0; t < len; ++t) seq.push_back(first_id + static_cast<std::int32_t>(rng() % (vocab - first_id)));
    }
    s.items.push_back(seq);
    s.flat.insert(s.flat.end(), seq.begin(), seq.end());
    s.lengths.push_back(static_cast<std::int32_t>(seq.size()));
    s.values.push_back(static_cast<std::int32_t>(1000 + i));
  }
  return s;
}

// log p(token | prefix): log-softmax of pseudo-random logits seeded by the prefix (deterministic).
inline void pseudo_model(const std::vector<std::int32_t>& prefix, std::size_t vocab, unsigned salt, float* out) {
  std::uint64_t h = 1469598103934665603ULL ^ salt;
  for (auto t : prefix) h = (h ^ static_cast<std::uint64_t>(t + 7)) * 1099511628211ULL;
  std::mt19937_64 rng(h);
  std::uniform_real_distribution<double> logit(-3.0, 3.0);
  double z = 0;
  std::vector<double> l(vocab);
  for (auto& x : l) z += std::exp(x = logit(rng));
  for (std::size_t i = 0; i < vocab; ++i) out[i] = static_cast<float>(l[i] - std::log(z));
}

}  // namespace attnkit::test
