// libFuzzer target: tokenizing arbitrary bytes (invalid UTF-8, lone surrogates, huge words) never crashes,
// and every token's offsets lie inside the decoded text and advance.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "attnkit/text/tokenizer.hpp"
#include "attnkit/text/unicode.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto tokenizer = attnkit::text::Tokenizer::from_vocab(
      "[PAD]\n[UNK]\n[CLS]\n[SEP]\n你\n好\na\n##b\nab\n##c\n1\n##2\n,\n!\né\n##é\ncafe\n");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t length = attnkit::text::decode_utf8(text).size();
  std::uint32_t previous_end = 0;
  for (const auto& token : tokenizer.tokenize(text)) {
    if (token.start < previous_end || token.end <= token.start || token.end > length) __builtin_trap();
    if (token.id < 0 || static_cast<std::size_t>(token.id) >= tokenizer.vocab_size()) __builtin_trap();
    previous_end = token.end;
  }
  return 0;
}
