#include "last_error.hpp"

namespace attnkit::wasm {

api::ErrorReport& last_error() {
  static api::ErrorReport report{"", "internal"};
  return report;
}

}  // namespace attnkit::wasm
