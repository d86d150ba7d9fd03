// The one error type of the core, and the checks public entry points use to reject bad input.
#pragma once
#include <cmath>
#include <cstddef>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace attnkit {

// What kind of failure an Error is, so callers can branch on it (the JS API names them in api/error_report).
enum class ErrorCode {
  kInvalidArgument,  // a value, size or option the caller passed is wrong
  kCorruptFile,      // the bytes of a model, vocabulary, knowledge base or trie are malformed or inconsistent
  kNotFound,         // something asked for by name or key does not exist (e.g. a trie prefix)
};

// Thrown for every invalid argument or input; the message names the argument and the offending value.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ErrorCode code = ErrorCode::kInvalidArgument)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

namespace detail {
inline void append(std::ostringstream&) {}
template <typename T, typename... Rest>
void append(std::ostringstream& out, const T& first, const Rest&... rest) {
  out << first;
  append(out, rest...);
}
}  // namespace detail

// Throws attnkit::Error of the given kind with the pieces concatenated.
template <typename... Parts>
[[noreturn]] void fail_as(ErrorCode code, const Parts&... parts) {
  std::ostringstream out;
  detail::append(out, parts...);
  throw Error(out.str(), code);
}

// Throws an invalid-argument attnkit::Error, e.g. fail("gemm: m must be > 0, got ", m).
template <typename... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  fail_as(ErrorCode::kInvalidArgument, parts...);
}

// Throws a corrupt-file attnkit::Error: the bytes of a file (model, vocabulary, KB, trie) are wrong.
template <typename... Parts>
[[noreturn]] void fail_file(const Parts&... parts) {
  fail_as(ErrorCode::kCorruptFile, parts...);
}

// A size argument must be positive; `where` names the function, `name` the argument.
inline void require_positive(const char* where, const char* name, long long value) {
  if (value <= 0) fail(where, ": ", name, " must be > 0, got ", value);
}

// Product of sizes, throwing instead of silently wrapping around.
inline std::size_t checked_product(const char* where, std::size_t a, std::size_t b) {
  if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a)
    fail(where, ": sizes ", a, " x ", b, " overflow");
  return a * b;
}

// Every value must be finite: NaN or Inf in an input is reported with its index (SIMD scan in finite.cpp).
void require_finite(const char* where, const char* name, const float* data, std::size_t count);

}  // namespace attnkit
