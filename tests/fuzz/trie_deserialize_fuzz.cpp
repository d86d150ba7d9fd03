// libFuzzer target: PrefixTrie::deserialize on arbitrary bytes must either throw attnkit::Error or give a
// trie that every walk can traverse safely (ASan/UBSan watch the traversal). Each input is tried as is and
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
    std::size_t visited = 0, values = 0;
    for (std::uint32_t node = 0; node < trie->node_count(); ++node) {
      const auto next = trie->next_tokens(node);
      for (std::size_t i = 0; i < next.size; ++i) {
        if (trie->child(node, next.data[i]) != trie->first_child(node) + i) __builtin_trap();
        ++visited;
      }
      values += trie->values(node).size;
    }
    if (visited + 1 != trie->node_count() || values != trie->value_count()) __builtin_trap();
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
