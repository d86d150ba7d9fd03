// libFuzzer target: arbitrary bytes as a sharded KB (for the tiny KBQA fixture's vocabulary): a 4-byte
// little-endian length, that many bytes of manifest, and the rest as the text of shard 0. Each either throws
// attnkit::Error or gives tries every walk of which stays in range, shards loaded or not.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "attnkit/core/error.hpp"
#include "attnkit/pipelines/kb_shards.hpp"
#include "trie_walk.hpp"

namespace {

const attnkit::text::Tokenizer& tiny_tokenizer() {
  static const attnkit::text::Tokenizer tokenizer = [] {
    std::ifstream in(std::string(ATTNKIT_FIXTURES_DIR) + "/tiny-kbqa/vocab.txt");
    std::stringstream text;
    text << in.rdbuf();
    return attnkit::text::Tokenizer::from_vocab(text.str());
  }();
  return tokenizer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::uint64_t vocab = attnkit::pipelines::vocab_fingerprint(tiny_tokenizer());
  if (size < 4) return 0;
  std::uint32_t manifest_size;
  std::memcpy(&manifest_size, data, 4);
  if (manifest_size > size - 4) return 0;
  try {
    attnkit::pipelines::KbShards kb(nullptr, {data + 4, manifest_size}, vocab, 3, "fuzz");
    attnkit::fuzz::walk(kb.triples());
    attnkit::fuzz::walk(kb.subjects());
    attnkit::fuzz::walk(kb.predicates());
    kb.load(0, {data + 4 + manifest_size, size - 4 - manifest_size}, tiny_tokenizer(), "fuzz shard");
    attnkit::fuzz::walk(kb.triples());
    attnkit::fuzz::walk(kb.subjects());
    std::vector<std::int32_t> values;
    kb.triples().values(kb.triples().root(), values);
    for (std::int32_t v = 0; v < static_cast<std::int32_t>(kb.triple_count()); ++v) {
      try {
        kb.triple(v);
      } catch (const attnkit::Error&) {  // a triple of a shard not loaded
      }
    }
  } catch (const attnkit::Error&) {
  }
  return 0;
}
