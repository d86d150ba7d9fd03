// Reads tests/fixtures/*.json (written by scripts/make_attention_fixtures.py) and regenerates their
// inputs with the same xorshift32 generator the script uses.
#pragma once
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace attnkit::test {

inline std::vector<float> xorshift_floats(std::size_t count, std::uint32_t seed, double lo = -2.0, double hi = 2.0) {
  std::uint32_t s = seed ? seed : 1;
  std::vector<float> out(count);
  for (auto& x : out) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    x = static_cast<float>(lo + (hi - lo) * (s / 4294967296.0));
  }
  return out;
}

// `text` as a gzip member of stored (uncompressed) DEFLATE blocks, RFC 1951/1952 by hand: test inputs for
// readers of gzip data, written without a compressor.
inline std::vector<std::uint8_t> gzip_stored(const std::string& text) {
  std::vector<std::uint8_t> out = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255};
  std::size_t at = 0;
  do {
    const std::size_t n = std::min<std::size_t>(text.size() - at, 65535);
    out.push_back(at + n == text.size() ? 1 : 0);  // BFINAL, BTYPE 00
    for (const std::size_t v : {n, n ^ 0xFFFF}) out.insert(out.end(), {std::uint8_t(v), std::uint8_t(v >> 8)});
    out.insert(out.end(), text.begin() + at, text.begin() + at + n);
    at += n;
  } while (at < text.size());
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const unsigned char c : text) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  crc ^= 0xFFFFFFFFu;
  for (const std::uint32_t v : {crc, static_cast<std::uint32_t>(text.size())})
    for (int k = 0; k < 4; ++k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
  return out;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline nlohmann::json load_fixture(const std::string& name) {
  std::ifstream in(std::string(ATTNKIT_FIXTURES_DIR) + "/" + name);
  return nlohmann::json::parse(in);
}

}  // namespace attnkit::test
