#include "attnkit/text/lexicon.hpp"

#include "attnkit/core/error.hpp"
#include "attnkit/core/gzip.hpp"
#include "attnkit/decoding/prefix_trie.hpp"
#include "attnkit/text/unicode.hpp"

namespace attnkit::text {
namespace {

constexpr std::size_t kMaxLexiconBytes = std::size_t{64} << 20;  // jieba's whole dictionary is 4 MB

}  // namespace

Lexicon Lexicon::parse(View<const std::uint8_t> gzipped, std::size_t classes, const char* where) {
  if (classes == 0) fail("lexicon: needs at least one word class");
  const std::vector<std::uint8_t> bytes = gunzip(gzipped, where, kMaxLexiconBytes);
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::vector<std::int32_t> code_points, values;
  std::vector<std::uint32_t> offsets = {0};
  std::size_t line = 0;
  for (std::size_t at = 0; at < text.size(); ++line) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view row = text.substr(at, end - at);
    at = end + 1;
    const std::size_t tab = row.find('\t');
    if (tab == std::string_view::npos || tab == 0)
      fail_file(where, ": lexicon line ", line + 1, " is not 'word<TAB>class'");
    const std::string_view digits = row.substr(tab + 1);
    std::size_t word_class = 0;
    if (digits.empty() || digits.size() > 4) fail_file(where, ": lexicon line ", line + 1, " has no class index");
    for (const char c : digits) {
      if (c < '0' || c > '9') fail_file(where, ": lexicon line ", line + 1, " has class '", digits, "', not a number");
      word_class = word_class * 10 + static_cast<std::size_t>(c - '0');
    }
    if (word_class >= classes)
      fail_file(where, ": lexicon line ", line + 1, " has class ", word_class, ", the config names ", classes);
    for (const char32_t cp : decode_utf8(row.substr(0, tab))) {
      if (cp == 0xFFFD) fail_file(where, ": lexicon line ", line + 1, " is not valid UTF-8");
      code_points.push_back(static_cast<std::int32_t>(cp));
    }
    offsets.push_back(static_cast<std::uint32_t>(code_points.size()));
    values.push_back(static_cast<std::int32_t>(word_class));
  }
  const auto trie = decoding::PrefixTrie::build({code_points.data(), code_points.size()},
                                                {offsets.data(), offsets.size()}, {values.data(), values.size()});
  if (trie.value_count() != trie.entry_count()) fail_file(where, ": the lexicon lists a word twice");
  Lexicon lexicon;
  lexicon.trie_ = decoding::CompactTrie::from(trie);
  lexicon.classes_ = classes;
  return lexicon;
}

std::vector<Lexicon::Match> Lexicon::matches(std::u32string_view text) const {
  std::vector<Match> out;
  std::vector<std::int32_t> found;
  for (std::size_t start = 0; start < text.size(); ++start) {
    std::uint32_t node = trie_.root();
    for (std::size_t end = start; end < text.size(); ++end) {
      node = trie_.child(node, static_cast<std::int32_t>(text[end]));
      if (node == decoding::TokenTrie::kNoNode) break;
      if (end + 1 - start < kMinWordLength || !trie_.is_complete(node)) continue;
      trie_.values(node, found);
      for (const std::int32_t word_class : found)
        out.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end + 1),
                       static_cast<std::uint32_t>(word_class)});
    }
  }
  return out;
}

std::vector<std::uint32_t> Lexicon::char_bits(std::u32string_view text) const {
  std::vector<std::uint32_t> bits(text.size(), 0);
  for (const Match& m : matches(text)) {
    bits[m.start] |= 1u << m.word_class;
    for (std::uint32_t i = m.start + 1; i + 1 < m.end; ++i) bits[i] |= 1u << (classes_ + m.word_class);
    bits[m.end - 1] |= 1u << (2 * classes_ + m.word_class);
  }
  return bits;
}

std::vector<std::uint32_t> Lexicon::token_bits(const std::vector<std::uint32_t>& char_bits,
                                               const std::vector<Token>& tokens) {
  std::vector<std::uint32_t> out(tokens.size(), 0);
  for (std::size_t t = 0; t < tokens.size(); ++t)
    for (std::uint32_t i = tokens[t].start; i < tokens[t].end && i < char_bits.size(); ++i) out[t] |= char_bits[i];
  return out;
}

}  // namespace attnkit::text
