#include "attnkit/hashing/ngram_features.hpp"

#include <algorithm>

#include "attnkit/text/unicode.hpp"

namespace attnkit::hashing {
namespace {

constexpr std::uint32_t kFnvOffset = 2166136261u;
constexpr std::uint32_t kFnvPrime = 16777619u;

std::uint32_t fnv1a_byte(std::uint32_t hash, std::uint32_t byte) { return (hash ^ byte) * kFnvPrime; }

std::uint32_t ngram_hash(const char32_t* ngram, std::uint32_t length) {
  std::uint32_t hash = fnv1a_byte(kFnvOffset, length);
  for (std::uint32_t i = 0; i < length; ++i)
    for (int shift = 0; shift < 32; shift += 8) hash = fnv1a_byte(hash, (static_cast<std::uint32_t>(ngram[i]) >> shift) & 0xFF);
  return hash;
}

bool dropped(char32_t c) { return c == U'\t' || c == U'\n' || c == U'\r' || c == U' ' || c == U'\u3000'; }

}  // namespace

std::vector<NgramFeature> ngram_features(std::string_view utf8, std::uint32_t buckets) {
  std::u32string chars;
  for (char32_t c : text::decode_utf8(utf8)) {
    if (dropped(c)) continue;
    chars.push_back(c >= U'A' && c <= U'Z' ? c + (U'a' - U'A') : c);
  }
  std::vector<std::uint32_t> hashed;
  hashed.reserve(2 * chars.size());
  for (std::size_t i = 0; i < chars.size(); ++i) {
    hashed.push_back(ngram_hash(&chars[i], 1) % buckets);
    if (i + 1 < chars.size()) hashed.push_back(ngram_hash(&chars[i], 2) % buckets);
  }
  std::sort(hashed.begin(), hashed.end());
  std::vector<NgramFeature> features;
  for (std::uint32_t bucket : hashed) {
    if (!features.empty() && features.back().bucket == bucket)
      features.back().count += 1.0f;
    else
      features.push_back({bucket, 1.0f});
  }
  return features;
}

}  // namespace attnkit::hashing
