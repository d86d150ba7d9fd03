// libFuzzer target: arbitrary bytes gunzipped (at most 1 MiB out) either decompress or throw attnkit::Error.
#include <cstddef>
#include <cstdint>

#include "attnkit/core/error.hpp"
#include "attnkit/core/gzip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    attnkit::gunzip({data, size}, "fuzz", std::size_t{1} << 20);
  } catch (const attnkit::Error&) {
  }
  return 0;
}
