// A table of binary codes (packed 64-bit words) and its exact nearest-code search by popcount: the k entries
// with the largest overlap popcount(a & b) (sparse codes such as BioHash's, where it equals the Hamming order)
// or the smallest Hamming distance popcount(a ^ b) (dense codes such as random-projection signs).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace attnkit::hashing {

enum class CodeMetric { kOverlap, kHamming };

class CodeTable {
 public:
  explicit CodeTable(std::size_t words) : words_(words) {}

  std::size_t words() const { return words_; }
  std::size_t size() const { return codes_.size() / words_; }
  std::size_t memory_bytes() const { return codes_.capacity() * sizeof(std::uint64_t); }

  // Appends `count` codes of words() words each.
  void add(const std::uint64_t* codes, std::size_t count);

  // Writes the min(top_k, size()) entries nearest `query`, best first (ties: the lower index first), with
  // their overlap or distance; returns how many it wrote.
  std::size_t search(const std::uint64_t* query, std::size_t top_k, CodeMetric metric, std::int32_t* indices,
                     std::int32_t* scores) const;

 private:
  std::size_t words_;
  std::vector<std::uint64_t> codes_;
};

}  // namespace attnkit::hashing
