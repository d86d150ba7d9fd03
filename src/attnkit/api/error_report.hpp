// What a failed call tells its caller: the message and a stable code name. The code names are the JS
// API's `AttnkitError.code` values, so they live here with the other user-facing names.
#pragma once
#include <exception>
#include <string>

namespace attnkit::api {

struct ErrorReport {
  std::string message;
  const char* code;  // 'invalid-argument' | 'out-of-memory' | 'corrupt-file' | 'not-found' | 'internal'
};

// Describes an exception caught at the boundary (attnkit::Error, std::bad_alloc, anything else).
ErrorReport describe(const std::exception_ptr& error);

}  // namespace attnkit::api
