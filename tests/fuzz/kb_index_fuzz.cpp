// libFuzzer target: arbitrary bytes opened as a KB index (for the tiny KBQA fixture's vocabulary) either
// throw attnkit::Error or give a KB and tries every walk of which stays in range.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <vector>

#include "attnkit/core/error.hpp"
#include "attnkit/pipelines/kb_index.hpp"

namespace {

std::uint64_t tiny_vocab_fingerprint() {
  std::ifstream in(std::string(ATTNKIT_FIXTURES_DIR) + "/tiny-kbqa/vocab.txt");
  std::stringstream text;
  text << in.rdbuf();
  return attnkit::pipelines::vocab_fingerprint(attnkit::text::Tokenizer::from_vocab(text.str()));
}

void walk(const attnkit::decoding::TokenTrie& trie) {
  std::vector<std::uint32_t> stack = {trie.root()};
  std::vector<attnkit::decoding::TrieBranch> branches;
  std::vector<std::int32_t> values;
  while (!stack.empty()) {
    const std::uint32_t node = stack.back();
    stack.pop_back();
    trie.values(node, values);
    trie.branches(node, branches);
    for (const auto& b : branches) {
      if (b.node <= node) __builtin_trap();  // walks only go forward
      stack.push_back(b.node);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::uint64_t vocab = tiny_vocab_fingerprint();
  try {
    // The input outlives the index here, so nothing needs to own it.
    const auto index = attnkit::pipelines::KbIndex::open(nullptr, {data, size}, vocab, 3, "fuzz");
    for (std::size_t i = 0; i < index.kb().size(); ++i) index.kb().triple(i);
    walk(index.triples());
    walk(index.subjects());
    walk(index.predicates());
  } catch (const attnkit::Error&) {
  }
  return 0;
}
