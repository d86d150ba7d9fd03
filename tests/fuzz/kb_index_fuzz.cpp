// libFuzzer target: arbitrary bytes opened as a KB index (for the tiny KBQA fixture's vocabulary) either
// throw attnkit::Error or give a KB and tries every walk of which stays in range.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <vector>

#include "attnkit/core/error.hpp"
#include "trie_walk.hpp"
#include "attnkit/pipelines/kb_index.hpp"

namespace {

std::uint64_t tiny_vocab_fingerprint() {
  std::ifstream in(std::string(ATTNKIT_FIXTURES_DIR) + "/tiny-kbqa/vocab.txt");
  std::stringstream text;
  text << in.rdbuf();
  return attnkit::pipelines::vocab_fingerprint(attnkit::text::Tokenizer::from_vocab(text.str()));
}


}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::uint64_t vocab = tiny_vocab_fingerprint();
  try {
    // The input outlives the index here, so nothing needs to own it.
    const auto index = attnkit::pipelines::KbIndex::open(nullptr, {data, size}, vocab, 3, "fuzz");
    for (std::size_t i = 0; i < index.kb().size(); ++i) index.kb().triple(i);
    attnkit::fuzz::walk(index.triples());
    attnkit::fuzz::walk(index.subjects());
    attnkit::fuzz::walk(index.predicates());
  } catch (const attnkit::Error&) {
  }
  return 0;
}
