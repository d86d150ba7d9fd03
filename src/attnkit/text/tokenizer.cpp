// Basic tokenization splits on whitespace, isolates CJK characters and punctuation, drops control
// characters (and U+0000 / U+FFFD), and normalises each character; every normalised character remembers
// the original code point it came from. WordPiece then takes the longest vocabulary match at each
// position ("##" marks continuations); a word that cannot be covered becomes one [UNK].
#include "attnkit/text/tokenizer.hpp"

#include "attnkit/core/error.hpp"
#include "attnkit/text/unicode.hpp"

namespace attnkit::text {
namespace {

constexpr std::size_t kMaxCharsPerWord = 100;

}  // namespace

Tokenizer Tokenizer::from_vocab(std::string_view vocab_text) {
  Tokenizer tokenizer;
  std::size_t at = 0;
  while (at < vocab_text.size()) {
    std::size_t end = vocab_text.find('\n', at);
    if (end == std::string_view::npos) end = vocab_text.size();
    std::string_view line = vocab_text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto id = static_cast<std::int32_t>(tokenizer.tokens_.size());
    tokenizer.tokens_.emplace_back(line);
    tokenizer.ids_.emplace(std::string(line), id);  // the first occurrence of a duplicate wins
    at = end + 1;
  }
  if (tokenizer.tokens_.empty()) fail_file("Tokenizer: the vocabulary is empty");
  tokenizer.unk_ = tokenizer.id("[UNK]");
  if (tokenizer.unk_ < 0) fail_file("Tokenizer: the vocabulary has no [UNK] token");
  return tokenizer;
}

std::int32_t Tokenizer::id(std::string_view token) const {
  // Called for every candidate word piece: a reused key saves an allocation per lookup (a sixth of the time
  // a KB shard takes to load). C++17's unordered_map has no lookup by string_view.
  thread_local std::string key;
  key.assign(token.data(), token.size());
  const auto it = ids_.find(key);
  return it == ids_.end() ? -1 : it->second;
}

void Tokenizer::word_pieces(const std::u32string& word, const std::vector<std::uint32_t>& origin,
                            std::vector<Token>& out) const {
  if (word.size() > kMaxCharsPerWord) {
    out.push_back({unk_, origin.front(), origin.back() + 1});
    return;
  }
  const std::size_t first = out.size();
  std::string piece;
  for (std::size_t start = 0; start < word.size();) {
    std::int32_t found = -1;
    std::size_t end = word.size();
    for (; end > start; --end) {
      piece.assign(start == 0 ? "" : "##");
      for (std::size_t k = start; k < end; ++k) append_utf8(word[k], piece);
      found = id(piece);
      if (found >= 0) break;
    }
    if (found < 0) {
      out.resize(first);
      out.push_back({unk_, origin.front(), origin.back() + 1});
      return;
    }
    out.push_back({found, origin[start], origin[end - 1] + 1});
    start = end;
  }
}

std::vector<std::int32_t> Tokenizer::ids(std::string_view text) const {
  std::vector<std::int32_t> out;
  for (const Token& t : tokenize(text)) out.push_back(t.id);
  return out;
}

std::vector<Token> Tokenizer::tokenize(std::string_view text) const {
  const std::u32string chars = decode_utf8(text);
  std::vector<Token> out;
  std::u32string word, single;
  std::vector<std::uint32_t> origin, single_origin;
  auto flush = [&] {
    if (!word.empty()) word_pieces(word, origin, out);
    word.clear();
    origin.clear();
  };
  for (std::uint32_t i = 0; i < chars.size(); ++i) {
    const char32_t c = chars[i];
    if (c == 0 || c == 0xFFFD || is_control(c)) continue;
    if (is_whitespace(c)) {
      flush();
      continue;
    }
    if (is_cjk(c) || is_punctuation(c)) {
      flush();
      single.clear();
      append_normalized(c, single);
      if (!single.empty()) {
        single_origin.assign(single.size(), i);
        word_pieces(single, single_origin, out);
      }
      continue;
    }
    append_normalized(c, word);
    origin.resize(word.size(), i);
  }
  flush();
  return out;
}

}  // namespace attnkit::text
