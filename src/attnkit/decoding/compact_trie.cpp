#include "attnkit/decoding/compact_trie.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "attnkit/core/error.hpp"

namespace attnkit::decoding {
namespace {

constexpr char kMagic[8] = {'A', 'T', 'K', 'C', 'T', 'R', 'I', '1'};
constexpr std::uint32_t kVersion = 1;

}  // namespace

CompactTrie CompactTrie::from(const PrefixTrie& trie) {
  CompactTrie compact;
  const std::size_t n = trie.node_count();
  if (n >= kNoNode) fail("CompactTrie: ", n, " nodes do not fit 32-bit node ids");
  // The alphabet and each label's code. Labels are token ids, a range a table covers (a KB shard of a few
  // thousand triples is built when a question reaches it: sorting every label took a quarter of that).
  std::int64_t first = INT32_MAX, last = INT32_MIN;
  for (std::uint32_t node = 1; node < n; ++node) {
    first = std::min<std::int64_t>(first, trie.label(node));
    last = std::max<std::int64_t>(last, trie.label(node));
  }
  std::vector<std::uint32_t> code_of;  // label − first → code, when the range is small enough for a table
  if (n > 1 && last - first <= std::max<std::int64_t>(4 * static_cast<std::int64_t>(n), 1 << 16)) {
    code_of.assign(static_cast<std::size_t>(last - first + 1), 0);
    for (std::uint32_t node = 1; node < n; ++node) code_of[static_cast<std::size_t>(trie.label(node) - first)] = 1;
    for (std::size_t i = 0; i < code_of.size(); ++i) {
      if (!code_of[i]) continue;
      code_of[i] = static_cast<std::uint32_t>(compact.alphabet_.size());
      compact.alphabet_.push_back(static_cast<std::int32_t>(first + static_cast<std::int64_t>(i)));
    }
  } else {
    for (std::uint32_t node = 1; node < n; ++node) compact.alphabet_.push_back(trie.label(node));
    std::sort(compact.alphabet_.begin(), compact.alphabet_.end());
    compact.alphabet_.erase(std::unique(compact.alphabet_.begin(), compact.alphabet_.end()), compact.alphabet_.end());
  }
  compact.alphabet_.shrink_to_fit();
  const auto code = [&](std::int32_t label) {
    if (!code_of.empty()) return code_of[static_cast<std::size_t>(label - first)];
    return static_cast<std::uint32_t>(std::lower_bound(compact.alphabet_.begin(), compact.alphabet_.end(), label) -
                                      compact.alphabet_.begin());
  };
  std::int64_t low = 0, high = 0;
  for (std::uint32_t node = 0; node < n; ++node) {
    const auto found = trie.values(node);
    for (std::size_t v = 0; v < found.size; ++v) {
      low = std::min<std::int64_t>(low, found.data[v]);
      high = std::max<std::int64_t>(high, found.data[v]);
    }
  }
  compact.value_base_ = low;
  compact.labels_ = PackedInts(n, PackedInts::width_for(compact.alphabet_.empty() ? 0 : compact.alphabet_.size() - 1));
  compact.values_ = PackedInts(trie.value_count(), PackedInts::width_for(static_cast<std::uint64_t>(high - low)));
  std::size_t value = 0;
  for (std::uint32_t node = 0; node < n; ++node) {
    compact.children_.push_back(trie.child_count(node));
    if (node > 0) compact.labels_.set(node, code(trie.label(node)));
    compact.complete_.push_back(trie.is_complete(node));
    if (!trie.is_complete(node)) continue;
    const auto found = trie.values(node);
    compact.value_counts_.push_back(found.size);
    for (std::size_t v = 0; v < found.size; ++v)
      compact.values_.set(value++, static_cast<std::uint32_t>(found.data[v] - compact.value_base_));
  }
  compact.children_.finish();
  compact.complete_.finish();
  compact.value_counts_.finish();
  return compact;
}

void CompactTrie::branches(std::uint32_t node, std::vector<TrieBranch>& out) const {
  out.clear();
  const auto range = children_.range(node);
  for (std::size_t c = range.begin + 1; c <= range.end; ++c)
    out.push_back({token_of(static_cast<std::uint32_t>(c)), static_cast<std::uint32_t>(c)});
}

std::uint32_t CompactTrie::child(std::uint32_t node, std::int32_t token) const {
  const auto in_alphabet = std::lower_bound(alphabet_.begin(), alphabet_.end(), token);
  if (in_alphabet == alphabet_.end() || *in_alphabet != token) return kNoNode;
  const auto code = static_cast<std::uint32_t>(in_alphabet - alphabet_.begin());
  const auto range = children_.range(node);
  std::size_t lo = range.begin + 1, hi = range.end + 1;  // children are nodes 1 + begin … end
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (labels_.get(mid) < code)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo <= range.end && labels_.get(lo) == code ? static_cast<std::uint32_t>(lo) : kNoNode;
}

void CompactTrie::values(std::uint32_t node, std::vector<std::int32_t>& out) const {
  out.clear();
  if (!complete_[node]) return;
  const auto range = value_counts_.range(complete_.rank1(node));
  for (std::size_t v = range.begin; v < range.end; ++v)
    out.push_back(static_cast<std::int32_t>(value_base_ + values_.get(v)));
}

std::size_t CompactTrie::memory_bytes() const {
  return children_.memory_bytes() + labels_.memory_bytes() + alphabet_.capacity() * 4 + complete_.memory_bytes() +
         value_counts_.memory_bytes() + values_.memory_bytes();
}

void CompactTrie::require_values_below(std::int64_t limit, const char* where) const {
  for (std::size_t v = 0; v < values_.size(); ++v) {
    const std::int64_t value = value_base_ + values_.get(v);
    if (value < 0 || value >= limit) fail_file(where, ": a trie value (", value, ") is outside [0, ", limit, ")");
  }
}

void CompactTrie::write(std::vector<std::uint8_t>& out) const {
  children_.write(out);
  labels_.write(out);
  put(out, static_cast<std::uint64_t>(alphabet_.size()));
  put_array(out, alphabet_);
  complete_.write(out);
  value_counts_.write(out);
  values_.write(out);
  put(out, value_base_);
}

std::vector<std::uint8_t> CompactTrie::serialize() const {
  std::vector<std::uint8_t> out(kMagic, kMagic + 8);
  put(out, kVersion);
  write(out);
  put_checksum(out);
  return out;
}

bool CompactTrie::is_serialized(View<const std::uint8_t> bytes) {
  return bytes.size >= 8 && std::memcmp(bytes.data, kMagic, 8) == 0;
}

CompactTrie CompactTrie::deserialize(View<const std::uint8_t> bytes, const char* where) {
  if (bytes.size < 8 + 4 + 8) fail_file(where, ": ", bytes.size, " bytes is too short for a compact trie");
  if (!is_serialized(bytes)) fail_file(where, ": not attnkit compact trie bytes (bad magic)");
  if (!checksum_matches(bytes)) fail_file(where, ": checksum mismatch (corrupted or truncated bytes)");
  auto copy = std::make_shared<const std::vector<std::uint8_t>>(bytes.data, bytes.data + bytes.size);
  ByteReader in({copy->data(), copy->size() - 8}, where);
  in.get_bytes(8);  // the magic
  const auto version = in.get<std::uint32_t>();
  if (version != kVersion)
    fail_file(where, ": format version ", version, " is not supported (expected ", kVersion, ")");
  CompactTrie trie = read(in);
  if (in.remaining() != 0) fail_file(where, ": ", in.remaining(), " unexpected bytes after the trie");
  trie.bytes_ = std::move(copy);
  return trie;
}

CompactTrie CompactTrie::read(ByteReader& in) {
  CompactTrie trie;
  trie.children_ = UnaryCounts::read(in);
  trie.labels_ = PackedInts::read(in);
  in.get_array(trie.alphabet_, in.get<std::uint64_t>());
  trie.complete_ = BitVector::read(in);
  trie.value_counts_ = UnaryCounts::read(in);
  trie.values_ = PackedInts::read(in);
  trie.value_base_ = in.get<std::int64_t>();
  trie.validate(in.where());
  return trie;
}

void CompactTrie::validate(const char* where) const {
  const std::size_t n = labels_.size();
  const auto invalid = [&](const auto&... what) { fail_file(where, ": invalid trie structure (", what..., ")"); };
  if (n == 0 || n >= kNoNode) invalid(n, " nodes");
  if (children_.size() != n || children_.total() != n - 1 || complete_.size() != n)
    invalid("child counts and node flags do not match ", n, " nodes");
  if (value_counts_.size() != complete_.ones() || values_.size() != value_counts_.total())
    invalid("value counts do not match the complete nodes");
  for (std::size_t a = 1; a < alphabet_.size(); ++a)
    if (alphabet_[a] <= alphabet_[a - 1]) invalid("the label alphabet is not ascending");
  if (n > 1 && alphabet_.empty()) invalid("no label alphabet");
  const std::int64_t value_max = value_base_ + (values_.width() == 0 ? 0 : (std::int64_t{1} << values_.width()) - 1);
  if (value_base_ < std::numeric_limits<std::int32_t>::min() || value_max > std::numeric_limits<std::int32_t>::max())
    invalid("values outside 32-bit integers");
  // Every complete node has at least one value (so is_complete() and values() agree): no empty unary count.
  const BitVector& counts = value_counts_.bits();
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (!counts[i] && (i == 0 || !counts[i - 1])) invalid("a complete node without values");
  // One pass over the LOUDS bits: node i's children start after every earlier node's, at 1 + c_0 + … +
  // c_{i−1}; they must come after i (so walks only go forward) and be sorted, distinct and in the alphabet.
  const BitVector& bits = children_.bits();
  std::size_t next_child = 1, position = 0;
  for (std::size_t node = 0; node < n; ++node) {
    const std::size_t first = next_child;
    while (bits[position]) ++position, ++next_child;
    ++position;
    if (next_child > first && first <= node) invalid("the children of node ", node, " come before it");
    for (std::size_t c = first; c < next_child; ++c) {
      if (labels_.get(c) >= alphabet_.size()) invalid("label of node ", c, " outside the alphabet");
      if (c > first && labels_.get(c) <= labels_.get(c - 1)) invalid("unsorted children of node ", node);
    }
  }
}

}  // namespace attnkit::decoding
