#include "attnkit/text/unicode.hpp"

#include <algorithm>

#include "attnkit/text/unicode_tables.hpp"

namespace attnkit::text {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool in_ranges(const tables::CodeRange* ranges, std::size_t count, char32_t c) {
  const auto* end = ranges + count;
  const auto* it = std::upper_bound(ranges, end, c, [](char32_t v, const tables::CodeRange& r) { return v < r.first; });
  return it != ranges && c <= (it - 1)->last;
}

}  // namespace

std::u32string decode_utf8(std::string_view bytes) {
  std::u32string out;
  out.reserve(bytes.size());
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char b = s[i];
    std::size_t length = 0;
    char32_t cp = 0, min = 0;
    if (b < 0x80) length = 1, cp = b;
    else if ((b & 0xE0) == 0xC0) length = 2, cp = b & 0x1F, min = 0x80;
    else if ((b & 0xF0) == 0xE0) length = 3, cp = b & 0x0F, min = 0x800;
    else if ((b & 0xF8) == 0xF0) length = 4, cp = b & 0x07, min = 0x10000;
    bool valid = length > 0 && i + length <= n;
    for (std::size_t k = 1; valid && k < length; ++k) {
      valid = (s[i + k] & 0xC0) == 0x80;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    valid = valid && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    out.push_back(valid ? cp : kReplacement);
    i += valid ? length : 1;
  }
  return out;
}

void append_utf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_whitespace(char32_t c) { return in_ranges(tables::kWhitespace, tables::kWhitespace_count, c); }
bool is_control(char32_t c) { return in_ranges(tables::kControl, tables::kControl_count, c); }
bool is_punctuation(char32_t c) { return in_ranges(tables::kPunctuation, tables::kPunctuation_count, c); }

bool is_cjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

void append_normalized(char32_t c, std::u32string& out) {
  if (c < 0x80) {
    out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return;
  }
  if (c >= 0xAC00 && c <= 0xD7A3) {  // Hangul syllable: canonical decomposition into jamo (Unicode §3.12)
    const char32_t index = c - 0xAC00;
    out.push_back(0x1100 + index / 588);
    out.push_back(0x1161 + (index % 588) / 28);
    if (index % 28 != 0) out.push_back(0x11A7 + index % 28);
    return;
  }
  const auto* begin = tables::kNormalized;
  const auto* end = begin + tables::kNormalized_count;
  const auto* it = std::lower_bound(begin, end, c, [](const tables::NormalizedChar& n, char32_t v) { return n.code_point < v; });
  if (it == end || it->code_point != c) {
    out.push_back(c);
    return;
  }
  out.append(tables::kNormalizedPool + it->offset, it->length);
}

}  // namespace attnkit::text
