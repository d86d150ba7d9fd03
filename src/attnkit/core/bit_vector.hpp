// An immutable bit vector with rank (ones before a position) and select (the position of the k-th zero),
// the two queries succinct tries are made of. Rank keeps a 32-bit count every 512 bits (+6%); select keeps
// the position of every 64th zero (+0.5 bit per zero), then scans words with popcount. Everything is plain 64-bit
// words, serialised as they are.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "attnkit/core/byte_io.hpp"

namespace attnkit {

class BitVector {
 public:
  void push_back(bool bit) {
    if (size_ % 64 == 0) building_.push_back(0);
    if (bit) building_.back() |= std::uint64_t{1} << (size_ % 64);
    ++size_;
  }
  // Builds the rank and select samples; call once after the last push_back.
  void finish();

  bool operator[](std::size_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }
  std::size_t size() const { return size_; }
  std::size_t ones() const { return ones_; }
  std::size_t zeros() const { return size_ - ones_; }
  // Ones in [0, i), i ≤ size().
  std::size_t rank1(std::size_t i) const;
  // Position of the k-th zero (k from 0), k < zeros().
  std::size_t select0(std::size_t k) const;
  // Position of the first zero at or after `i`, which must exist.
  std::size_t next_zero(std::size_t i) const;
  std::size_t memory_bytes() const { return words_.memory_bytes() + (rank_.capacity() + select_.capacity()) * 4; }

  // The words only (read in place): the samples are rebuilt on reading, so a file cannot make them lie.
  void write(std::vector<std::uint8_t>& out) const;
  static BitVector read(ByteReader& in);

 private:
  void build_samples();

  std::vector<std::uint64_t> building_;  // push_back's words until finish()
  ArrayRef<std::uint64_t> words_;        // bits past size() are ones
  std::size_t size_ = 0, ones_ = 0;
  std::vector<std::uint32_t> rank_;    // ones before each 512-bit block, plus the total
  std::vector<std::uint32_t> select_;  // the position of zero 64·j
};

// A sequence of counts c_0 … c_{m−1} stored in unary (c_i ones, then a zero) with select: 2 bits per item
// for small counts. begin(i) = c_0 + … + c_{i−1}. A trie's children per node (LOUDS) and values per entry.
class UnaryCounts {
 public:
  void push_back(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) bits_.push_back(true);
    bits_.push_back(false);
  }
  void finish() { bits_.finish(); }
  std::size_t size() const { return bits_.zeros(); }
  std::size_t total() const { return bits_.ones(); }
  struct Range {
    std::size_t begin, end;
  };
  // [begin, end): the positions item i owns in the concatenation c_0 … c_{m−1}, i < size(). One select and
  // a scan to the next zero, which is within a word or two for small counts.
  Range range(std::size_t i) const {
    const std::size_t start = i == 0 ? 0 : bits_.select0(i - 1) + 1;
    return {start - i, bits_.next_zero(start) - i};
  }
  // The bits in order, for a linear pass (validation) without a select per item.
  const BitVector& bits() const { return bits_; }
  std::size_t memory_bytes() const { return bits_.memory_bytes(); }
  void write(std::vector<std::uint8_t>& out) const { bits_.write(out); }
  static UnaryCounts read(ByteReader& in) {
    UnaryCounts counts;
    counts.bits_ = BitVector::read(in);
    // Ones after the last zero would count in total() but belong to no item: a file could then claim more
    // children or values than any walk reaches.
    const std::size_t n = counts.bits_.size();
    if (n > 0 && counts.bits_[n - 1]) fail_file(in.where(), ": invalid unary counts (the bits must end with a zero)");
    return counts;
  }

 private:
  BitVector bits_;
};

}  // namespace attnkit
