// One pass scores every entry (a popcount per word: WASM's i64.popcnt, x86's popcnt), then the k best are
// picked by a histogram of the scores, which are small integers (0..bits): no sort of the whole table.
#include "attnkit/hashing/code_table.hpp"

#include <algorithm>
#include <bitset>

namespace attnkit::hashing {
namespace {

inline unsigned popcount(std::uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<unsigned>(__builtin_popcountll(x));
#else
  return static_cast<unsigned>(std::bitset<64>(x).count());
#endif
}

// rank[i] = larger is nearer: the overlap, or bits − distance. Words is a template constant for the common
// code sizes so the per-entry loop unrolls.
template <std::size_t kWords, CodeMetric kMetric>
void rank_entries(const std::uint64_t* codes, std::size_t count, const std::uint64_t* query, std::size_t words,
                  std::uint16_t* rank) {
  const std::size_t w = kWords > 0 ? kWords : words;
  const unsigned bits = static_cast<unsigned>(64 * w);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t* code = codes + i * w;
    unsigned total = 0;
    for (std::size_t j = 0; j < w; ++j)
      total += popcount(kMetric == CodeMetric::kOverlap ? code[j] & query[j] : code[j] ^ query[j]);
    rank[i] = static_cast<std::uint16_t>(kMetric == CodeMetric::kOverlap ? total : bits - total);
  }
}

template <CodeMetric kMetric>
void rank_all(const std::uint64_t* codes, std::size_t count, const std::uint64_t* query, std::size_t words,
              std::uint16_t* rank) {
  switch (words) {
    case 1: return rank_entries<1, kMetric>(codes, count, query, words, rank);
    case 2: return rank_entries<2, kMetric>(codes, count, query, words, rank);
    case 4: return rank_entries<4, kMetric>(codes, count, query, words, rank);
    case 8: return rank_entries<8, kMetric>(codes, count, query, words, rank);
    case 16: return rank_entries<16, kMetric>(codes, count, query, words, rank);
    default: return rank_entries<0, kMetric>(codes, count, query, words, rank);
  }
}

}  // namespace

void CodeTable::add(const std::uint64_t* codes, std::size_t count) { codes_.insert(codes_.end(), codes, codes + count * words_); }

std::size_t CodeTable::search(const std::uint64_t* query, std::size_t top_k, CodeMetric metric, std::int32_t* indices,
                              std::int32_t* scores) const {
  const std::size_t n = size(), k = std::min(top_k, n);
  if (k == 0) return 0;
  std::vector<std::uint16_t> rank(n);
  if (metric == CodeMetric::kOverlap)
    rank_all<CodeMetric::kOverlap>(codes_.data(), n, query, words_, rank.data());
  else
    rank_all<CodeMetric::kHamming>(codes_.data(), n, query, words_, rank.data());

  // The threshold: the rank of the k-th best entry. Entries above it are all taken, at it the first ones.
  const std::size_t bits = 64 * words_;
  std::vector<std::size_t> histogram(bits + 1);
  for (std::uint16_t r : rank) ++histogram[r];
  std::size_t threshold = bits, above = 0;
  while (above + histogram[threshold] < k) above += histogram[threshold--];
  std::size_t at_threshold = k - above;

  struct Hit {
    std::uint16_t rank;
    std::int32_t index;
  };
  std::vector<Hit> hits;
  hits.reserve(k);
  for (std::size_t i = 0; i < n && hits.size() < k; ++i) {
    if (rank[i] > threshold || (rank[i] == threshold && at_threshold > 0 && at_threshold--))
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
