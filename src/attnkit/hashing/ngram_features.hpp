// Bag-of-character-n-gram vectors, hashed into a fixed number of buckets: the input of BioHash codes. The
// definition is shared, bit for bit, with scripts/train_biohash.py, which learns the weights on the same vectors.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace attnkit::hashing {

struct NgramFeature {
  std::uint32_t bucket;
  float count;
};

// Code points of the UTF-8 text (malformed bytes as U+FFFD), ASCII A–Z lower-cased, whitespace (tab, LF, CR,
// space, U+3000) dropped; every unigram and bigram of what remains is hashed by FNV-1a 32 over the bytes
// [n, then each code point as 4 bytes little-endian] into `buckets`. Returns the counts, by bucket ascending.
std::vector<NgramFeature> ngram_features(std::string_view utf8, std::uint32_t buckets);

}  // namespace attnkit::hashing
