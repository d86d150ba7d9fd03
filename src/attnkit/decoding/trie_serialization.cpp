// PrefixTrie bytes: "ATKTRIE1" magic, format version, counts, the four arrays (little-endian), then an
// FNV-1a 64-bit checksum of everything before it. Deserialising checks the size, the checksum and the
// structure, so corrupted input is an attnkit::Error and never a crash or an endless walk.
#include <cstring>

#include "attnkit/core/byte_io.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/decoding/prefix_trie.hpp"

namespace attnkit::decoding {
namespace {

constexpr char kMagic[8] = {'A', 'T', 'K', 'T', 'R', 'I', 'E', '1'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderBytes = 8 + 4 + 4 + 8 + 8 + 8;  // magic, version, reserved, nodes, values, entries

}  // namespace

bool PrefixTrie::is_serialized(View<const std::uint8_t> bytes) {
  return bytes.size >= 8 && std::memcmp(bytes.data, kMagic, 8) == 0;
}

std::vector<std::uint8_t> PrefixTrie::serialize() const {
  std::vector<std::uint8_t> out;
  out.reserve(kHeaderBytes + memory_bytes() + 8);
  out.insert(out.end(), kMagic, kMagic + 8);
  put(out, kVersion);
  put(out, std::uint32_t{0});
  put(out, static_cast<std::uint64_t>(labels_.size()));
  put(out, static_cast<std::uint64_t>(values_.size()));
  put(out, static_cast<std::uint64_t>(entries_));
  put_array(out, first_child_);
  put_array(out, labels_);
  put_array(out, value_begin_);
  put_array(out, values_);
  put_checksum(out);
  return out;
}

PrefixTrie PrefixTrie::deserialize(View<const std::uint8_t> bytes, const char* where) {
  if (bytes.size < kHeaderBytes + 8) fail_file(where, ": ", bytes.size, " bytes is too short for a trie");
  if (std::memcmp(bytes.data, kMagic, 8) != 0) fail_file(where, ": not attnkit trie bytes (bad magic)");
  ByteReader header({bytes.data + 8, kHeaderBytes - 8}, where);
  const auto version = header.get<std::uint32_t>();
  if (version != kVersion) fail_file(where, ": format version ", version, " is not supported (expected ", kVersion, ")");
  header.get<std::uint32_t>();
  const auto nodes = header.get<std::uint64_t>();
  const auto value_count = header.get<std::uint64_t>();
  const auto entries = header.get<std::uint64_t>();
  // Exact size check before allocating anything: counts from corrupted headers cannot make us allocate.
  const std::uint64_t limit = bytes.size / 4;
  if (nodes == 0 || nodes > limit || value_count > limit || entries > value_count)
    fail_file(where, ": header counts are inconsistent with ", bytes.size, " bytes");
  const std::uint64_t expected = kHeaderBytes + (nodes + 1) * 4 + nodes * 4 + (nodes + 1) * 4 + value_count * 4 + 8;
  if (bytes.size != expected)
    fail_file(where, ": expected ", expected, " bytes for ", nodes, " nodes and ", value_count, " values, got ", bytes.size,
         bytes.size < expected ? " (truncated)" : "");
  if (!checksum_matches(bytes)) fail_file(where, ": checksum mismatch (corrupted bytes)");

  PrefixTrie trie;
  ByteReader body({bytes.data + kHeaderBytes, bytes.size - kHeaderBytes - 8}, where);
  body.get_array(trie.first_child_, nodes + 1);
  body.get_array(trie.labels_, nodes);
  body.get_array(trie.value_begin_, nodes + 1);
  body.get_array(trie.values_, value_count);
  trie.entries_ = static_cast<std::size_t>(entries);

  // Structure: child ranges that are monotonic and run from 1 to n tile the non-root nodes, each one a child
  // exactly once; children after their parent make every walk strictly advance; siblings sorted and distinct.
  const auto n = static_cast<std::uint32_t>(nodes);
  if (trie.first_child_[0] != 1 || trie.first_child_[n] != n || trie.value_begin_[0] != 0 ||
      trie.value_begin_[n] != value_count)
    fail_file(where, ": invalid structure (array bounds)");
  std::size_t complete = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t lo = trie.first_child_[i], hi = trie.first_child_[i + 1];
    if (hi < lo || hi > n || (hi > lo && lo <= i)) fail_file(where, ": invalid structure (children of node ", i, ")");
    for (std::uint32_t c = lo + 1; c < hi; ++c)
      if (trie.labels_[c] <= trie.labels_[c - 1]) fail_file(where, ": invalid structure (unsorted children of node ", i, ")");
    if (trie.value_begin_[i + 1] < trie.value_begin_[i]) fail_file(where, ": invalid structure (values of node ", i, ")");
    if (trie.value_begin_[i + 1] > trie.value_begin_[i]) ++complete;
  }
  if (complete != entries) fail_file(where, ": invalid structure (", complete, " complete nodes, header says ", entries, ")");
  return trie;
}

}  // namespace attnkit::decoding
