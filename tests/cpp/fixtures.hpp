// Reads tests/fixtures/*.json (written by scripts/make_attention_fixtures.py) and regenerates their
// inputs with the same xorshift32 generator the script uses.
#pragma once
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
