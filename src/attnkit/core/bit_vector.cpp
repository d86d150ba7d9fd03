#include "attnkit/core/bit_vector.hpp"

namespace attnkit {
namespace {

int popcount(std::uint64_t word) { return __builtin_popcountll(word); }

// Position of the r-th zero (r from 0) inside `word`, which has more than r zeros: bytes first, then bits.
unsigned select_zero_in_word(std::uint64_t word, std::size_t r) {
  const std::uint64_t zeros = ~word;
  unsigned base = 0;
  for (;; base += 8) {
    const auto in_byte = static_cast<std::size_t>(popcount((zeros >> base) & 0xFF));
    if (r < in_byte) break;
    r -= in_byte;
  }
  for (unsigned bit = base;; ++bit)
    if (((zeros >> bit) & 1) && r-- == 0) return bit;
}

}  // namespace

void BitVector::finish() {
  // Bits past the end read as ones, so select0 never finds a zero there.
  if (size_ % 64 != 0) building_.back() |= ~std::uint64_t{0} << (size_ % 64);
  building_.shrink_to_fit();  // push_back grew it by doubling
  words_ = ArrayRef<std::uint64_t>(std::move(building_));
  building_ = {};
  build_samples();
}

void BitVector::build_samples() {
  if (size_ > 0xFFFFFFFFu) fail("BitVector: ", size_, " bits do not fit its 32-bit samples");
  rank_.assign(1, 0);
  select_.clear();
  std::size_t ones = 0, zeros = 0;
  for (std::size_t w = 0; w < words_.size(); ++w) {
    const std::size_t valid = w + 1 < words_.size() || size_ % 64 == 0 ? 64 : size_ % 64;
    const auto word_ones = static_cast<std::size_t>(popcount(words_[w])) - (64 - valid);
    const std::size_t word_zeros = valid - word_ones;
    // Sample every zero 64·j that falls in this word.
    for (std::size_t next = (zeros + 63) / 64 * 64; next < zeros + word_zeros; next += 64)
      select_.push_back(static_cast<std::uint32_t>(w * 64 + select_zero_in_word(words_[w], next - zeros)));
    ones += word_ones;
    zeros += word_zeros;
    if ((w + 1) % 8 == 0) rank_.push_back(static_cast<std::uint32_t>(ones));
  }
  ones_ = ones;
  rank_.shrink_to_fit();
  select_.shrink_to_fit();
  // Ones past the end (the padding) are not counted by rank1 because it masks the last partial word.
}

std::size_t BitVector::rank1(std::size_t i) const {
  const std::size_t word = i / 64;
  std::size_t count = rank_[word / 8];
  for (std::size_t w = word / 8 * 8; w < word; ++w) count += static_cast<std::size_t>(popcount(words_[w]));
  if (i % 64 != 0) count += static_cast<std::size_t>(popcount(words_[word] & (~std::uint64_t{0} >> (64 - i % 64))));
  return count;
}

std::size_t BitVector::select0(std::size_t k) const {
  // From the sampled zero 64·j: r counts zeros from the start of its word.
  const std::size_t sampled = select_[k / 64], bit = sampled % 64;
  std::size_t word = sampled / 64;
  std::size_t r = k % 64 + static_cast<std::size_t>(popcount(~words_[word] & ((std::uint64_t{1} << bit) - 1)));
  for (;; ++word) {
    const auto word_zeros = static_cast<std::size_t>(64 - popcount(words_[word]));
    if (r < word_zeros) return word * 64 + select_zero_in_word(words_[word], r);
    r -= word_zeros;
  }
}

std::size_t BitVector::next_zero(std::size_t i) const {
  std::size_t word = i / 64;
  std::uint64_t zeros = ~words_[word] >> (i % 64);
  if (zeros != 0) return i + static_cast<std::size_t>(__builtin_ctzll(zeros));
  while ((zeros = ~words_[++word]) == 0) {
  }
  return word * 64 + static_cast<std::size_t>(__builtin_ctzll(zeros));
}

void BitVector::write(std::vector<std::uint8_t>& out) const {
  put(out, static_cast<std::uint64_t>(size_));
  put_aligned(out, words_);
}

BitVector BitVector::read(ByteReader& in) {
  BitVector bits;
  const auto size = in.get<std::uint64_t>();
  if (size > in.remaining() * 8) fail_file(in.where(), ": truncated input (a bit vector of ", size, " bits)");
  bits.size_ = static_cast<std::size_t>(size);
  bits.words_ = in.get_aligned<std::uint64_t>((size + 63) / 64);
  if (size % 64 != 0 && (bits.words_.back() | (~std::uint64_t{0} >> (64 - size % 64))) != ~std::uint64_t{0})
    fail_file(in.where(), ": invalid bit vector (the bits past its end must be ones)");
  bits.build_samples();
  return bits;
}

}  // namespace attnkit
