// Unsigned integers of one fixed bit width (0–32) packed back to back in 64-bit words: a label alphabet of
// 5,000 tokens costs 13 bits a label instead of 32. One spare word at the end lets get() always read two.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "attnkit/core/byte_io.hpp"

namespace attnkit {

class PackedInts {
 public:
  PackedInts() = default;
  PackedInts(std::size_t count, unsigned width)
      : count_(count), width_(width), words_(std::vector<std::uint64_t>(count * width / 64 + 2, 0)) {
    if (width > 32) fail("PackedInts: width ", width, " is above 32 bits");
  }
  // The width that holds every value in [0, max].
  static unsigned width_for(std::uint64_t max) {
    unsigned width = 0;
    while (width < 64 && (max >> width) != 0) ++width;
    return width;
  }

  std::uint32_t get(std::size_t i) const {
    const std::size_t bit = i * width_, word = bit / 64, shift = bit % 64;
    std::uint64_t value = words_[word] >> shift;
    if (shift + width_ > 64) value |= words_[word + 1] << (64 - shift);
    return static_cast<std::uint32_t>(value & mask());
  }
  // While building (constructed with a count and width, not read): value must fit the width.
  void set(std::size_t i, std::uint32_t value) {
    const std::size_t bit = i * width_, word = bit / 64, shift = bit % 64;
    const std::uint64_t v = value & mask();
    std::uint64_t* words = words_.owned_data();
    words[word] = (words[word] & ~(mask() << shift)) | (v << shift);
    if (shift + width_ > 64) {
      const unsigned high = static_cast<unsigned>(64 - shift);
      words[word + 1] = (words[word + 1] & ~(mask() >> high)) | (v >> high);
    }
  }
  std::size_t size() const { return count_; }
  unsigned width() const { return width_; }
  std::size_t memory_bytes() const { return words_.memory_bytes(); }

  void write(std::vector<std::uint8_t>& out) const {
    put(out, static_cast<std::uint64_t>(count_));
    put(out, static_cast<std::uint32_t>(width_));
    put_aligned(out, words_);
  }
  static PackedInts read(ByteReader& in) {
    PackedInts ints;
    const auto count = in.get<std::uint64_t>();
    const auto width = in.get<std::uint32_t>();
    if (width > 32 || count > in.remaining() * 8)
      fail_file(in.where(), ": invalid packed integers (", count, " × ", width, " bits)");
    ints.count_ = static_cast<std::size_t>(count);
    ints.width_ = width;
    ints.words_ = in.get_aligned<std::uint64_t>(count * width / 64 + 2);
    return ints;
  }

 private:
  std::uint64_t mask() const { return width_ == 0 ? 0 : ~std::uint64_t{0} >> (64 - width_); }
  std::size_t count_ = 0;
  unsigned width_ = 0;
  ArrayRef<std::uint64_t> words_;  // owned while building, borrowed when read in place
};

}  // namespace attnkit
