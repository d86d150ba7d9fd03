// A word lexicon for NER features (SoftLexicon-style, Ma et al. ACL 2020, without word embeddings): every
// lexicon word in a text sets, on its characters, the bits role · classes + class (role 0 = first character,
// 1 = inside, 2 = last), and a token's features are the OR of its characters' bits (see
// scripts/attnkit_py/lexicon.py, which matches the same words with a dict, for the parity test).
// Words are matched with attnkit's compact prefix trie over code points: the 337,465 words of jieba's
// dictionary take 1.3 MB of memory (built in ~0.4 s natively), where the seed's Python tries took gigabytes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "attnkit/core/view.hpp"
#include "attnkit/decoding/compact_trie.hpp"
#include "attnkit/text/tokenizer.hpp"

namespace attnkit::text {

class Lexicon {
 public:
  static constexpr std::size_t kMinWordLength = 2;  // code points; shorter words are never matched
  static constexpr std::size_t kRoles = 3;

  // The serialized form (model.safetensors tensor "lexicon.words"): gzip of UTF-8 lines "word<TAB>class\n",
  // class a decimal index below `classes`. A malformed blob (bad gzip, a line without a tab, an empty or
  // invalid word, a class out of range, a word listed twice) is a corrupt-file Error naming `where`.
  static Lexicon parse(View<const std::uint8_t> gzipped, std::size_t classes, const char* where);

  struct Match {
    std::uint32_t start, end;  // code points, end exclusive
    std::uint32_t word_class;
    bool operator==(const Match& o) const { return start == o.start && end == o.end && word_class == o.word_class; }
  };
  // Every occurrence of a lexicon word (at least kMinWordLength long), by start, then end.
  std::vector<Match> matches(std::u32string_view text) const;
  // Per code point of text: the feature bits its matches set.
  std::vector<std::uint32_t> char_bits(std::u32string_view text) const;
  // Per token: the OR of the bits of the code points [start, end) it covers.
  static std::vector<std::uint32_t> token_bits(const std::vector<std::uint32_t>& char_bits,
                                               const std::vector<Token>& tokens);

  std::size_t classes() const { return classes_; }
  std::size_t features() const { return kRoles * classes_; }
  std::size_t word_count() const { return trie_.entry_count(); }
  std::size_t memory_bytes() const { return trie_.memory_bytes(); }

 private:
  decoding::CompactTrie trie_;  // code points → class
  std::size_t classes_ = 0;
};

}  // namespace attnkit::text
