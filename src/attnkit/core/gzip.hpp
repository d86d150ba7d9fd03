// Decompresses gzip files (RFC 1952: members of DEFLATE data, RFC 1951, each with its CRC-32 and size), for
// a sharded KB's shards: synchronous and in WASM, a shard decompresses in about a millisecond, where the
// browser's DecompressionStream took several event-loop turns per shard (and Safari before 16.4 has none).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "attnkit/core/view.hpp"

namespace attnkit {

bool is_gzip(View<const std::uint8_t> bytes);

// The decompressed bytes of every member. Anything malformed (bad header, invalid code, distance before the
// start, truncated input, CRC-32 or size mismatch, output beyond `max_output`) is a corrupt-file Error
// naming `where`.
std::vector<std::uint8_t> gunzip(View<const std::uint8_t> bytes, const char* where, std::size_t max_output);

}  // namespace attnkit
