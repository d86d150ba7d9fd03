// libFuzzer target: deserialising arbitrary bytes as a trie (either layout: flat PrefixTrie or CompactTrie,
// told apart by the magic) must either throw attnkit::Error or give a trie that every walk can traverse safely (ASan/UBSan watch the traversal). Each input is tried as is and
// with its trailing checksum recomputed, so mutations reach the structural checks behind the checksum.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "attnkit/api/decoding_api.hpp"
#include "attnkit/core/error.hpp"

namespace {

void deserialize_and_walk(const std::uint8_t* data, std::size_t size) {
  try {
    const auto trie = attnkit::api::deserialize_trie({data, size});
    std::size_t visited = 0;
    std::vector<attnkit::decoding::TrieBranch> branches;
    std::vector<std::int32_t> values;
    for (std::uint32_t node = 0; node < trie->node_count(); ++node) {
      trie->branches(node, branches);
      for (const auto& b : branches) {
        if (b.node <= node || trie->child(node, b.token) != b.node) __builtin_trap();
        ++visited;
      }
      trie->values(node, values);
      if (values.empty() == trie->is_complete(node)) __builtin_trap();
    }
    if (visited + 1 != trie->node_count()) __builtin_trap();
    const auto again = trie->serialize();
    if (again.size() != size) __builtin_trap();
  } catch (const attnkit::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  deserialize_and_walk(data, size);
  if (size >= 8) {
    std::vector<std::uint8_t> fixed(data, data + size);
    std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a 64, as the format's checksum
    for (std::size_t i = 0; i + 8 < size; ++i) hash = (hash ^ fixed[i]) * 0x100000001b3ULL;
    std::memcpy(fixed.data() + size - 8, &hash, 8);
    deserialize_and_walk(fixed.data(), size);
  }
  return 0;
}
