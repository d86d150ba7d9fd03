// The error channel every binding shares: a failed call stores its message and code here and returns a
// failure value; the TypeScript layer then reads lastError()/lastErrorCode() and throws an AttnkitError.
#pragma once
#include "attnkit/api/error_report.hpp"

namespace attnkit::wasm {

api::ErrorReport& last_error();

}  // namespace attnkit::wasm
