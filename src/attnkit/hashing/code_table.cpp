// One pass scores every entry and counts the scores in a histogram; the scores are small integers (0..bits),
// so the histogram gives the k-th best score at once, and a second pass over the scores picks the entries at
// or above it: no sort of the whole table. Under WASM SIMD the first pass counts bits with i8x16.popcnt, four
// entries at a time (the scalar i64.popcnt loop took 11 ms for 1M 256-bit codes in V8); elsewhere it uses the
// compiler's popcount per 64-bit word.
#include "attnkit/hashing/code_table.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <memory>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace attnkit::hashing {
namespace {

inline unsigned popcount(std::uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<unsigned>(__builtin_popcountll(x));
#else
  return static_cast<unsigned>(std::bitset<64>(x).count());
#endif
}

// Entries are scored 4 at a time into 4 histograms, so that runs of equal scores (most entries of a sparse
// code table share an overlap of 0 or 1) do not serialise on one counter.
constexpr std::size_t kLanesPerStep = 4;
using Histograms = std::array<std::vector<std::uint32_t>, kLanesPerStep>;

// rank = larger is nearer: the overlap, or bits − distance.
template <CodeMetric kMetric>
inline unsigned rank_of(unsigned set_bits, unsigned bits) {
  return kMetric == CodeMetric::kOverlap ? set_bits : bits - set_bits;
}

// Words is a template constant for the common code sizes so the per-entry loop unrolls (0: read `words`).
template <std::size_t kWords, CodeMetric kMetric>
void rank_entries_scalar(const std::uint64_t* codes, std::size_t first, std::size_t end, const std::uint64_t* query,
                         std::size_t words, std::uint16_t* rank, Histograms& histograms) {
  const std::size_t w = kWords > 0 ? kWords : words;
  const auto bits = static_cast<unsigned>(64 * w);
  for (std::size_t i = first; i < end; ++i) {
    const std::uint64_t* code = codes + i * w;
    unsigned total = 0;
    for (std::size_t j = 0; j < w; ++j)
      total += popcount(kMetric == CodeMetric::kOverlap ? code[j] & query[j] : code[j] ^ query[j]);
    rank[i] = static_cast<std::uint16_t>(rank_of<kMetric>(total, bits));
    ++histograms[i % kLanesPerStep][rank[i]];
  }
}

#if defined(__wasm_simd128__)
// Set bits of (code op query) per 32-bit lane, for one entry of 2·pairs words: bytes counted by i8x16.popcnt
// (≤ 8 per byte per vector, so up to 31 vectors fit a byte before widening), then widened pairwise twice.
template <std::size_t kPairs, CodeMetric kMetric>
inline v128_t lane_counts(const std::uint64_t* code, const v128_t* query, std::size_t pairs) {
  const std::size_t p_end = kPairs > 0 ? kPairs : pairs;
  v128_t bytes = wasm_i8x16_splat(0);
  for (std::size_t p = 0; p < p_end; ++p) {
    const v128_t c = wasm_v128_load(code + 2 * p);
    bytes = wasm_i8x16_add(bytes, wasm_i8x16_popcnt(kMetric == CodeMetric::kOverlap ? wasm_v128_and(c, query[p])
                                                                                    : wasm_v128_xor(c, query[p])));
  }
  return wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(bytes));
}

// Entries [0, count) in steps of 4, the horizontal sums of 4 entries' lane counts done together (a 4×4
// transpose by shuffles); returns where it stopped, for the scalar loop to finish the last < 4.
template <std::size_t kPairs, CodeMetric kMetric>
std::size_t rank_entries_simd(const std::uint64_t* codes, std::size_t count, const std::uint64_t* query,
                              std::size_t pairs, std::uint16_t* rank, Histograms& histograms) {
  const std::size_t p_end = kPairs > 0 ? kPairs : pairs;
  v128_t q[kPairs > 0 ? kPairs : 15];
  for (std::size_t p = 0; p < p_end; ++p) q[p] = wasm_v128_load(query + 2 * p);
  const std::size_t stride = 2 * p_end;
  const auto bits = static_cast<unsigned>(64 * stride);
  std::size_t i = 0;
  for (; i + kLanesPerStep <= count; i += kLanesPerStep) {
    const std::uint64_t* c = codes + i * stride;
    const v128_t s0 = lane_counts<kPairs, kMetric>(c, q, pairs);
    const v128_t s1 = lane_counts<kPairs, kMetric>(c + stride, q, pairs);
    const v128_t s2 = lane_counts<kPairs, kMetric>(c + 2 * stride, q, pairs);
    const v128_t s3 = lane_counts<kPairs, kMetric>(c + 3 * stride, q, pairs);
    // t01 = [s0₀+s0₂, s1₀+s1₂, s0₁+s0₃, s1₁+s1₃], likewise t23; then [Σs0, Σs1, Σs2, Σs3].
    const v128_t t01 = wasm_i32x4_add(wasm_i32x4_shuffle(s0, s1, 0, 4, 1, 5), wasm_i32x4_shuffle(s0, s1, 2, 6, 3, 7));
    const v128_t t23 = wasm_i32x4_add(wasm_i32x4_shuffle(s2, s3, 0, 4, 1, 5), wasm_i32x4_shuffle(s2, s3, 2, 6, 3, 7));
    const v128_t sums =
        wasm_i32x4_add(wasm_i32x4_shuffle(t01, t23, 0, 1, 4, 5), wasm_i32x4_shuffle(t01, t23, 2, 3, 6, 7));
    const auto r0 = static_cast<std::uint16_t>(rank_of<kMetric>(wasm_u32x4_extract_lane(sums, 0), bits));
    const auto r1 = static_cast<std::uint16_t>(rank_of<kMetric>(wasm_u32x4_extract_lane(sums, 1), bits));
    const auto r2 = static_cast<std::uint16_t>(rank_of<kMetric>(wasm_u32x4_extract_lane(sums, 2), bits));
    const auto r3 = static_cast<std::uint16_t>(rank_of<kMetric>(wasm_u32x4_extract_lane(sums, 3), bits));
    rank[i] = r0, rank[i + 1] = r1, rank[i + 2] = r2, rank[i + 3] = r3;
    ++histograms[0][r0], ++histograms[1][r1], ++histograms[2][r2], ++histograms[3][r3];
  }
  return i;
}
#endif

template <std::size_t kWords, CodeMetric kMetric>
void rank_entries(const std::uint64_t* codes, std::size_t count, const std::uint64_t* query, std::size_t words,
                  std::uint16_t* rank, Histograms& histograms) {
  std::size_t first = 0;
#if defined(__wasm_simd128__)
  if (words % 2 == 0 && words / 2 <= 15)  // the byte counters hold 31 vectors; past 15 pairs, go scalar
    first = rank_entries_simd<kWords / 2, kMetric>(codes, count, query, words / 2, rank, histograms);
#endif
  rank_entries_scalar<kWords, kMetric>(codes, first, count, query, words, rank, histograms);
}

template <CodeMetric kMetric>
void rank_all(const std::uint64_t* codes, std::size_t count, const std::uint64_t* query, std::size_t words,
              std::uint16_t* rank, Histograms& histograms) {
  switch (words) {
    case 1: return rank_entries<1, kMetric>(codes, count, query, words, rank, histograms);
    case 2: return rank_entries<2, kMetric>(codes, count, query, words, rank, histograms);
    case 4: return rank_entries<4, kMetric>(codes, count, query, words, rank, histograms);
    case 8: return rank_entries<8, kMetric>(codes, count, query, words, rank, histograms);
    case 16: return rank_entries<16, kMetric>(codes, count, query, words, rank, histograms);
    default: return rank_entries<0, kMetric>(codes, count, query, words, rank, histograms);
  }
}

// The first index ≥ i whose rank reaches the threshold (or n): under WASM SIMD, 8 ranks are compared at once,
// since nearly all entries of a large table fall below the k-th best.
inline std::size_t next_candidate(const std::uint16_t* rank, std::size_t i, std::size_t n, std::uint16_t threshold) {
#if defined(__wasm_simd128__)
  const v128_t limit = wasm_i16x8_splat(static_cast<std::int16_t>(threshold));
  while (i % 8 != 0 && i < n && rank[i] < threshold) ++i;
  while (i + 8 <= n && !wasm_v128_any_true(wasm_u16x8_ge(wasm_v128_load(rank + i), limit))) i += 8;
#endif
  while (i < n && rank[i] < threshold) ++i;
  return i;
}

}  // namespace

void CodeTable::add(const std::uint64_t* codes, std::size_t count) { codes_.insert(codes_.end(), codes, codes + count * words_); }

std::size_t CodeTable::search(const std::uint64_t* query, std::size_t top_k, CodeMetric metric, std::int32_t* indices,
                              std::int32_t* scores) const {
  const std::size_t n = size(), k = std::min(top_k, n);
  if (k == 0) return 0;
  const std::size_t bits = 64 * words_;
  const std::unique_ptr<std::uint16_t[]> rank(new std::uint16_t[n]);  // every entry is written: no zeroing
  Histograms histograms;
  for (auto& h : histograms) h.assign(bits + 1, 0);
  if (metric == CodeMetric::kOverlap)
    rank_all<CodeMetric::kOverlap>(codes_.data(), n, query, words_, rank.get(), histograms);
  else
    rank_all<CodeMetric::kHamming>(codes_.data(), n, query, words_, rank.get(), histograms);

  // The threshold: the rank of the k-th best entry. Entries above it are all taken, at it the first ones.
  const auto count_at = [&](std::size_t r) {
    std::size_t total = 0;
    for (const auto& h : histograms) total += h[r];
    return total;
  };
  std::size_t threshold = bits, above = 0;
  while (above + count_at(threshold) < k) above += count_at(threshold--);
  std::size_t at_threshold = k - above;

  struct Hit {
    std::uint16_t rank;
    std::int32_t index;
  };
  std::vector<Hit> hits;
  hits.reserve(k);
  for (std::size_t i = next_candidate(rank.get(), 0, n, static_cast<std::uint16_t>(threshold));
       i < n && hits.size() < k; i = next_candidate(rank.get(), i + 1, n, static_cast<std::uint16_t>(threshold))) {
    if (rank[i] > threshold || (at_threshold > 0 && at_threshold--))
      hits.push_back({rank[i], static_cast<std::int32_t>(i)});
  }
  std::sort(hits.begin(), hits.end(),
            [](const Hit& a, const Hit& b) { return a.rank > b.rank || (a.rank == b.rank && a.index < b.index); });
  for (std::size_t i = 0; i < k; ++i) {
    indices[i] = hits[i].index;
    scores[i] = metric == CodeMetric::kOverlap ? hits[i].rank : static_cast<std::int32_t>(bits - hits[i].rank);
  }
  return k;
}

}  // namespace attnkit::hashing
