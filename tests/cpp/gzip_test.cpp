// gunzip against Python's gzip/zlib and Node's zlib (tests/fixtures/gzip: stored, fast and best levels,
// incompressible bytes, two members, every optional header field, empty, mixed block types, a KB shard),
// and every kind of damage as a named Error.
#include "attnkit/core/gzip.hpp"

#include <gtest/gtest.h>

#include "attnkit/core/error.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

const std::string kDir = std::string(ATTNKIT_FIXTURES_DIR) + "/gzip/";

std::vector<std::uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }
std::vector<std::uint8_t> file(const std::string& name) { return bytes_of(test::read_file(kDir + name)); }
std::vector<std::uint8_t> unzip(const std::vector<std::uint8_t>& gz, std::size_t max = 1 << 24) {
  return gunzip({gz.data(), gz.size()}, "test.gz", max);
}
std::string error_of(const std::vector<std::uint8_t>& gz, std::size_t max = 1 << 24) {
  try {
    unzip(gz, max);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kCorruptFile);
    return e.what();
  }
  return "no error";
}

TEST(Gunzip, DecompressesWhatPythonCompressed) {
  const auto text = file("text.txt");
  for (const char* name : {"text-0.gz", "text-1.gz", "text-6.gz", "text-9.gz", "two-members.gz"})
    EXPECT_EQ(unzip(file(name)), text) << name;
  EXPECT_EQ(unzip(file("noise-9.gz")), file("noise.bin"));
  EXPECT_EQ(unzip(file("header-fields.gz")), std::vector<std::uint8_t>(text.begin(), text.begin() + 500));
  EXPECT_TRUE(unzip(file("empty.gz")).empty());
  // Stored blocks between compressed ones, and a real KB shard whose last code leaves a whole byte read
  // ahead before the trailer (both once decoded wrongly: the CRC-32 and size checks vouch for the content).
  EXPECT_EQ(unzip(file("mixed-blocks.gz")), file("mixed-blocks.txt"));
  EXPECT_EQ(unzip(file("kb-shard.gz")).size(), 61257u);
}

TEST(Gunzip, DamageIsANamedError) {
  const auto gz = file("text-9.gz");
  EXPECT_NE(error_of(bytes_of("<!doctype html><html></html>")).find("test.gz: not gzip data"), std::string::npos);
  for (const std::size_t keep : {std::size_t{2}, std::size_t{12}, gz.size() / 2, gz.size() - 4}) {
    auto cut = gz;
    cut.resize(keep);
    EXPECT_NE(error_of(cut).find("test.gz: truncated gzip data"), std::string::npos) << keep;
  }
  auto crc = gz;
  crc[crc.size() - 6] ^= 0x10;  // inside the stored CRC-32
  EXPECT_NE(error_of(crc).find("CRC-32 mismatch"), std::string::npos);
  auto size = gz;
  size[size.size() - 2] ^= 0x01;  // inside the stored size
  EXPECT_NE(error_of(size).find("size mismatch"), std::string::npos);
  auto method = gz;
  method[2] = 7;
  EXPECT_NE(error_of(method).find("not compressed with DEFLATE"), std::string::npos);
  // Flipped bits inside the DEFLATE stream: an invalid code, a bad distance, or a CRC/size mismatch, never
  // a crash or silent success.
  for (std::size_t at = 10; at < gz.size() - 8; at += 97) {
    auto flipped = gz;
    flipped[at] ^= 0x5A;
    EXPECT_NE(error_of(flipped).find("test.gz: "), std::string::npos) << at;
  }
  auto trailing = gz;
  trailing.push_back(0);
  EXPECT_NE(error_of(trailing).find("unexpected bytes after a gzip member"), std::string::npos);
  EXPECT_NE(error_of(gz, 1000).find("decompresses to more than 1000 bytes"), std::string::npos);
}

}  // namespace
}  // namespace attnkit
