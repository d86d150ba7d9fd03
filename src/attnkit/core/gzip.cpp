// DEFLATE decoding after RFC 1951's own description: canonical Huffman codes rebuilt from code lengths,
// stored/fixed/dynamic blocks. Codes of up to 9 bits (nearly all) are decoded with one table lookup; longer
// ones by counting codes of each length, bit by bit.
#include "attnkit/core/gzip.hpp"

#include <array>

#include "attnkit/core/error.hpp"

namespace attnkit {
namespace {

constexpr int kMaxBits = 15;
constexpr int kFastBits = 9;

class BitReader {
 public:
  BitReader(View<const std::uint8_t> bytes, std::size_t at, const char* where)
      : data_(bytes.data), size_(bytes.size), at_(at), where_(where) {}
  // The next `count` bits (≤ 24) without taking them, zeros past the end; `available` how many are real.
  std::uint32_t peek(int count, int& available) {
    while (held_ < count && at_ < size_) {
      buffer_ |= static_cast<std::uint32_t>(data_[at_++]) << held_;
      held_ += 8;
    }
    available = held_;
    return buffer_ & ((1u << count) - 1);
  }
  void skip(int count) {  // after peek, count ≤ available
    buffer_ >>= count;
    held_ -= count;
  }
  std::uint32_t bits(int count) {  // least significant bit first, count ≤ 24
    while (held_ < count) {
      if (at_ >= size_) fail_file(where_, ": truncated gzip data");
      buffer_ |= static_cast<std::uint32_t>(data_[at_++]) << held_;
      held_ += 8;
    }
    const std::uint32_t value = buffer_ & ((1u << count) - 1);
    buffer_ >>= count;
    held_ -= count;
    return value;
  }
  void align() {  // drops the bits left in the current byte (whole bytes peek() read ahead stay)
    buffer_ >>= held_ % 8;
    held_ -= held_ % 8;
  }
  std::uint8_t byte() {  // at a byte boundary
    if (held_ >= 8) {
      const auto value = static_cast<std::uint8_t>(buffer_ & 0xFF);
      buffer_ >>= 8;
      held_ -= 8;
      return value;
    }
    if (at_ >= size_) fail_file(where_, ": truncated gzip data");
    return data_[at_++];
  }
  std::size_t position() const { return at_ - static_cast<std::size_t>(held_ / 8); }  // at a byte boundary
  const char* where() const { return where_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_, at_;
  std::uint32_t buffer_ = 0;
  int held_ = 0;
  const char* where_;
};

// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
  std::array<std::uint16_t, kMaxBits + 1> count{};
  std::array<std::uint16_t, 320> symbol{};
  // The next kFastBits input bits → (code length << 9 | symbol) for codes that short, 0 otherwise.
  std::array<std::uint16_t, 1 << kFastBits> fast{};

  // An over-subscribed set of lengths is an error; an incomplete one is allowed (a one-distance-code
  // block), its missing codes then fail when read.
  void build(const std::uint8_t* lengths, int n, const char* where) {
    count.fill(0);
    for (int s = 0; s < n; ++s) ++count[lengths[s]];
    int left = 1;
    for (int len = 1; len <= kMaxBits; ++len) {
      left = 2 * left - count[len];
      if (left < 0) fail_file(where, ": invalid Huffman code lengths in gzip data");
    }
    std::array<std::uint16_t, kMaxBits + 2> offset{};
    for (int len = 1; len <= kMaxBits; ++len) offset[len + 1] = static_cast<std::uint16_t>(offset[len] + count[len]);
    for (int s = 0; s < n; ++s)
      if (lengths[s] != 0) symbol[offset[lengths[s]]++] = static_cast<std::uint16_t>(s);
    // Canonical codes in (length, symbol) order; the stream holds a code's first bit first, so the table is
    // indexed by the code reversed, and every index whose low bits are that reversal decodes to it.
    fast.fill(0);
    for (int len = 1, code = 0, index = 0; len <= kFastBits; ++len, code <<= 1) {
      for (int k = 0; k < count[len]; ++k, ++code, ++index) {
        int reversed = 0;
        for (int b = 0; b < len; ++b) reversed |= ((code >> b) & 1) << (len - 1 - b);
        for (int at = reversed; at < (1 << kFastBits); at += 1 << len)
          fast[at] = static_cast<std::uint16_t>(len << 9 | symbol[index]);
      }
    }
  }

  int decode(BitReader& in) const {
    int available;
    const std::uint16_t hit = fast[in.peek(kFastBits, available)];
    if (hit != 0 && (hit >> 9) <= available) {
      in.skip(hit >> 9);
      return hit & 0x1FF;
    }
    int code = 0, first = 0, index = 0;
    for (int len = 1; len <= kMaxBits; ++len) {
      code |= static_cast<int>(in.bits(1));
      const int n = count[len];
      if (code - first < n) return symbol[index + code - first];
      index += n;
      first = (first + n) << 1;
      code <<= 1;
    }
    fail_file(in.where(), ": an invalid Huffman code in gzip data");
  }
};

// Two bytes, least significant first (read in order: the operands of | are not sequenced).
std::uint32_t little_endian16(BitReader& in) {
  const std::uint32_t low = in.byte();
  return low | static_cast<std::uint32_t>(in.byte()) << 8;
}

constexpr std::array<std::uint16_t, 29> kLengthBase = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                                       31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<std::uint8_t, 29> kLengthExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<std::uint16_t, 30> kDistanceBase = {1,    2,    3,    4,    5,    7,    9,    13,    17,    25,
                                                         33,   49,   65,   97,   129,  193,  257,  385,   513,   769,
                                                         1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<std::uint8_t, 30> kDistanceExtra = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                                         6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

class Inflater {
 public:
  Inflater(BitReader& in, std::vector<std::uint8_t>& out, std::size_t start, std::size_t max_output)
      : in_(in), out_(out), start_(start), max_(max_output) {}

  void run() {
    for (bool last = false; !last;) {
      last = in_.bits(1) == 1;
      switch (in_.bits(2)) {
        case 0:
          stored();
          break;
        case 1:
          fixed();
          break;
        case 2:
          dynamic();
          break;
        default:
          fail_file(in_.where(), ": an invalid block type in gzip data");
      }
    }
  }

 private:
  void emit(std::uint8_t byte) {
    if (out_.size() >= max_) fail_file(in_.where(), ": gzip data decompresses to more than ", max_, " bytes");
    out_.push_back(byte);
  }

  void stored() {
    in_.align();
    const std::uint32_t length = little_endian16(in_);
    const std::uint32_t complement = little_endian16(in_);
    if ((length ^ 0xFFFFu) != complement) fail_file(in_.where(), ": a stored block's length check fails in gzip data");
    for (std::uint32_t i = 0; i < length; ++i) emit(in_.byte());
  }

  void codes(const Huffman& lengths, const Huffman& distances) {
    for (;;) {
      const int symbol = lengths.decode(in_);
      if (symbol < 256) {
        emit(static_cast<std::uint8_t>(symbol));
        continue;
      }
      if (symbol == 256) return;
      const int l = symbol - 257;
      if (l >= 29) fail_file(in_.where(), ": an invalid length code in gzip data");
      const std::size_t length = kLengthBase[l] + in_.bits(kLengthExtra[l]);
      const int d = distances.decode(in_);
      if (d >= 30) fail_file(in_.where(), ": an invalid distance code in gzip data");
      const std::size_t distance = kDistanceBase[d] + in_.bits(kDistanceExtra[d]);
      if (distance > out_.size() - start_) fail_file(in_.where(), ": a distance before the start of gzip data");
      for (std::size_t i = 0; i < length; ++i) emit(out_[out_.size() - distance]);
    }
  }

  void fixed() {
    static const auto tables = [] {
      std::array<std::uint8_t, 320> lengths{};
      for (int s = 0; s < 288; ++s) lengths[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
      for (int s = 0; s < 30; ++s) lengths[288 + s] = 5;
      std::pair<Huffman, Huffman> built;
      built.first.build(lengths.data(), 288, "fixed Huffman codes");
      built.second.build(lengths.data() + 288, 30, "fixed Huffman codes");
      return built;
    }();
    codes(tables.first, tables.second);
  }

  void dynamic() {
    const int nlen = static_cast<int>(in_.bits(5)) + 257, ndist = static_cast<int>(in_.bits(5)) + 1;
    const int ncode = static_cast<int>(in_.bits(4)) + 4;
    if (nlen > 286 || ndist > 30) fail_file(in_.where(), ": too many Huffman codes in gzip data");
    static constexpr std::array<std::uint8_t, 19> kOrder = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                            11, 4,  12, 3, 13, 2, 14, 1, 15};
    std::array<std::uint8_t, 320> lengths{};
    for (int i = 0; i < ncode; ++i) lengths[kOrder[i]] = static_cast<std::uint8_t>(in_.bits(3));
    Huffman code_lengths;
    code_lengths.build(lengths.data(), 19, in_.where());
    lengths.fill(0);
    for (int at = 0; at < nlen + ndist;) {
      const int symbol = code_lengths.decode(in_);
      if (symbol < 16) {
        lengths[at++] = static_cast<std::uint8_t>(symbol);
        continue;
      }
      std::uint8_t value = 0;
      int repeat;
      if (symbol == 16) {
        if (at == 0) fail_file(in_.where(), ": a repeated code length with none before it in gzip data");
        value = lengths[at - 1];
        repeat = 3 + static_cast<int>(in_.bits(2));
      } else {
        repeat = symbol == 17 ? 3 + static_cast<int>(in_.bits(3)) : 11 + static_cast<int>(in_.bits(7));
      }
      if (at + repeat > nlen + ndist) fail_file(in_.where(), ": too many code lengths in gzip data");
      while (repeat-- > 0) lengths[at++] = value;
    }
    if (lengths[256] == 0) fail_file(in_.where(), ": a block without an end code in gzip data");
    Huffman literal_lengths, distances;
    literal_lengths.build(lengths.data(), nlen, in_.where());
    distances.build(lengths.data() + nlen, ndist, in_.where());
    codes(literal_lengths, distances);
  }

  BitReader& in_;
  std::vector<std::uint8_t>& out_;
  std::size_t start_, max_;
};

std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

std::uint32_t little_endian32(BitReader& in) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(in.byte()) << (8 * i);
  return value;
}

}  // namespace

bool is_gzip(View<const std::uint8_t> bytes) {
  return bytes.size >= 2 && bytes.data[0] == 0x1f && bytes.data[1] == 0x8b;
}

std::vector<std::uint8_t> gunzip(View<const std::uint8_t> bytes, const char* where, std::size_t max_output) {
  if (!is_gzip(bytes)) fail_file(where, ": not gzip data (an HTML page or another file?)");
  std::vector<std::uint8_t> out;
  for (std::size_t at = 0; at < bytes.size;) {
    BitReader in(bytes, at, where);
    if (in.byte() != 0x1f || in.byte() != 0x8b) fail_file(where, ": unexpected bytes after a gzip member");
    if (in.byte() != 8) fail_file(where, ": gzip data not compressed with DEFLATE");
    const std::uint8_t flags = in.byte();
    if (flags & 0xE0) fail_file(where, ": reserved gzip header flags are set");
    for (int i = 0; i < 6; ++i) in.byte();  // modification time, extra flags, operating system
    if (flags & 0x04) {                     // FEXTRA
      const std::uint32_t length = little_endian16(in);
      for (std::uint32_t i = 0; i < length; ++i) in.byte();
    }
    for (const std::uint8_t zero_terminated : {std::uint8_t{0x08}, std::uint8_t{0x10}})  // FNAME, FCOMMENT
      if (flags & zero_terminated)
        while (in.byte() != 0) {
        }
    if (flags & 0x02) in.byte(), in.byte();  // FHCRC
    const std::size_t start = out.size();
    Inflater(in, out, start, max_output).run();
    in.align();
    if (little_endian32(in) != crc32(out.data() + start, out.size() - start))
      fail_file(where, ": CRC-32 mismatch (corrupted gzip data)");
    if (little_endian32(in) != static_cast<std::uint32_t>(out.size() - start))
      fail_file(where, ": size mismatch (corrupted gzip data)");
    at = in.position();
  }
  return out;
}

}  // namespace attnkit
