// BERT tokenization (uncased BasicTokenizer + WordPiece, as bert-base-chinese) with character offsets:
// every token knows the [start, end) range of code points of the original text it covers, so spans found
// on tokens map back to the text exactly. Mirrors scripts/attnkit_py/tokenizer.py.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace attnkit::text {

struct Token {
  std::int32_t id;
  std::uint32_t start;  // code points, inclusive
  std::uint32_t end;    // code points, exclusive
};

class Tokenizer {
 public:
  // vocab.txt: one token per line, its line number is its id. Needs [UNK]; rejects an empty vocab.
  static Tokenizer from_vocab(std::string_view vocab_text);

  // Tokens of `text` (UTF-8), without [CLS]/[SEP].
  std::vector<Token> tokenize(std::string_view text) const;
  // The ids of tokenize(text).
  std::vector<std::int32_t> ids(std::string_view text) const;

  // The id of `token`, or -1.
  std::int32_t id(std::string_view token) const;
  std::size_t vocab_size() const { return tokens_.size(); }
  const std::string& token(std::int32_t id) const { return tokens_.at(static_cast<std::size_t>(id)); }
  std::int32_t unk_id() const { return unk_; }

 private:
  void word_pieces(const std::u32string& word, const std::vector<std::uint32_t>& origin, std::vector<Token>& out) const;

  std::vector<std::string> tokens_;
  std::unordered_map<std::string, std::int32_t> ids_;
  std::int32_t unk_ = -1;
};

}  // namespace attnkit::text
