// libFuzzer target: a BioHash model from arbitrary bytes (2-byte little-endian config length, config.json,
// then model.safetensors) either throws attnkit::Error or encodes a text with exactly `active` bits set.
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "attnkit/api/hashing_api.hpp"
#include "attnkit/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t config_size = data[0] | static_cast<std::size_t>(data[1]) << 8;
  if (config_size > size - 2) return 0;
  try {
    const auto hash = attnkit::api::load_biohash({{data + 2, config_size}, {data + 2 + config_size, size - 2 - config_size}});
    static const char kText[] = "周杰伦的出生地 ABC";
    std::vector<std::uint64_t> code(hash->words());
    hash->encode(kText, code.data());
    std::size_t bits = 0;
    for (std::uint64_t w : code) bits += std::bitset<64>(w).count();
    if (bits != hash->shape().active) std::abort();
  } catch (const attnkit::Error&) {
  }
  return 0;
}
