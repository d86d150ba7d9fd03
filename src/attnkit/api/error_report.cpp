#include "attnkit/api/error_report.hpp"

#include <new>
#include <stdexcept>

#include "attnkit/core/error.hpp"

namespace attnkit::api {
namespace {

const char* code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid-argument";
    case ErrorCode::kCorruptFile:
      return "corrupt-file";
    case ErrorCode::kNotFound:
      return "not-found";
  }
  return "internal";
}

}  // namespace

ErrorReport describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    return {e.what(), code_name(e.code())};
  } catch (const std::bad_alloc&) {
    return {"out of memory: the request needs more WebAssembly memory than is available", "out-of-memory"};
  } catch (const std::length_error&) {  // a container asked for more elements than 32-bit memory can hold
    return {"out of memory: the request needs more WebAssembly memory than is available (over 4 GiB)", "out-of-memory"};
  } catch (const std::exception& e) {
    return {e.what(), "internal"};
  } catch (...) {
    return {"unknown C++ exception", "internal"};
  }
}

}  // namespace attnkit::api
