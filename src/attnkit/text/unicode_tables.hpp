// Unicode data for BERT's basic tokenization, generated from Python's unicodedata
// (scripts/make_unicode_tables.py) so that C++ and the Python reference agree character for character.
#pragma once
#include <cstddef>
#include <cstdint>

namespace attnkit::text::tables {

struct CodeRange {
  char32_t first, last;  // inclusive
};

// A code point whose lower-cased, accent-stripped form differs from itself: `length` code points at
// kNormalizedPool[offset] (0 for combining marks, which vanish).
struct NormalizedChar {
  char32_t code_point;
  std::uint32_t offset;
  std::uint32_t length;
};

extern const CodeRange kWhitespace[];
extern const std::size_t kWhitespace_count;
extern const CodeRange kControl[];
extern const std::size_t kControl_count;
extern const CodeRange kPunctuation[];
extern const std::size_t kPunctuation_count;
extern const NormalizedChar kNormalized[];
extern const std::size_t kNormalized_count;
extern const char32_t kNormalizedPool[];

}  // namespace attnkit::text::tables
