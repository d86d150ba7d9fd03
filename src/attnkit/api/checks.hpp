// Shape checks shared by the validated entry points: "name has N values, expected rows×cols = M".
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "attnkit/core/error.hpp"
#include "attnkit/core/view.hpp"

namespace attnkit::api {

// Checks that a positive-size 2-D shape fits size_t and returns its element count.
inline std::size_t matrix_count(const char* where, const char* rows_name, long long rows, const char* cols_name,
                                long long cols) {
  require_positive(where, rows_name, rows);
  require_positive(where, cols_name, cols);
  return checked_product(where, static_cast<std::size_t>(rows), static_cast<std::size_t>(cols));
}

// A view that claims values must point somewhere.
template <typename T>
void require_data(const char* where, const char* name, View<T> view) {
  if (view.data == nullptr && view.size > 0) fail(where, ": ", name, " is null");
}

template <typename T>
void require_size(const char* where, const char* name, View<T> view, std::size_t expected, const char* shape_text) {
  require_data(where, name, view);
  if (view.size != expected)
    fail(where, ": ", name, " has ", view.size, " values, expected ", shape_text, " = ", expected);
}

// An enum value that came in as an integer (the bindings pass enums as JS numbers): one of [0, last].
template <typename Enum>
void require_known(const char* where, const char* name, Enum value, Enum last) {
  if (static_cast<unsigned>(value) > static_cast<unsigned>(last))
    fail(where, ": unknown ", name, " ", static_cast<int>(value));
}

// UTF-8 bytes (a file's or a string's) as text.
inline std::string_view text_of(View<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data), bytes.size};
}

// Several texts passed back to back as UTF-8 bytes with each one's byte length: the lengths must cover the
// bytes exactly.
inline std::vector<std::string_view> texts_of(const char* where, View<const std::uint8_t> texts,
                                              View<const std::int32_t> lengths) {
  require_data(where, "texts", texts);
  require_data(where, "lengths", lengths);
  std::vector<std::string_view> out;
  std::size_t offset = 0;
  for (std::size_t i = 0; i < lengths.size; ++i) {
    const long long length = lengths.data[i];
    if (length < 0 || static_cast<std::size_t>(length) > texts.size - offset)
      fail(where, ": text ", i, "'s length ", length, " runs past the ", texts.size, " bytes given");
    out.push_back(text_of({texts.data + offset, static_cast<std::size_t>(length)}));
    offset += static_cast<std::size_t>(length);
  }
  if (offset != texts.size) fail(where, ": the lengths add up to ", offset, " bytes, but ", texts.size, " were given");
  return out;
}

}  // namespace attnkit::api
