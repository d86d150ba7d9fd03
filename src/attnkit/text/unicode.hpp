// Character-level Unicode operations of BERT's basic tokenizer: UTF-8 decoding, character classes, and
// the lower-case + accent-strip normalisation, all matching scripts/attnkit_py/tokenizer.py.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attnkit::text {

// Decodes UTF-8; malformed bytes (including encoded surrogates, which JS lone surrogates become) decode to
// U+FFFD, one per invalid byte, so decoding never fails.
std::u32string decode_utf8(std::string_view bytes);
void append_utf8(char32_t cp, std::string& out);

bool is_whitespace(char32_t c);
bool is_control(char32_t c);
bool is_punctuation(char32_t c);
bool is_cjk(char32_t c);

// Appends the lower-cased, accent-stripped form of c (possibly empty, possibly several code points).
void append_normalized(char32_t c, std::u32string& out);

}  // namespace attnkit::text
