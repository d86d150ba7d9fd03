// The safetensors reader: a file from the Python writer, exact fp16/bf16 conversion, and every kind of
// malformed file rejected with a message naming the problem.
#include "attnkit/model/safetensors.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

#include "attnkit/core/error.hpp"

namespace attnkit {
namespace {

using model::SafeTensors;

std::vector<std::uint8_t> file_with(const std::string& header, const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> out(8);
  const std::uint64_t length = header.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(length >> (8 * i));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::string error_of(const std::vector<std::uint8_t>& bytes) {
  try {
    SafeTensors::parse({bytes.data(), bytes.size()});
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(SafeTensors, ReadsAFileWrittenByThePythonWriter) {
  std::ifstream in(std::string(ATTNKIT_FIXTURES_DIR) + "/tiny.safetensors", std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto st = SafeTensors::parse({bytes.data(), bytes.size()});
  EXPECT_EQ(st.metadata().at("format"), "attnkit-test");
  EXPECT_EQ(st.floats("weight", {2, 3}), (std::vector<float>{0, 0.25f, 0.5f, 0.75f, 1.0f, 1.25f}));
  EXPECT_EQ(st.floats("half", {6}), (std::vector<float>{1, -2, 0.5f, 65504, std::ldexp(1.0f, -24), 0}));
  EXPECT_EQ(st.floats("scalar", {}), std::vector<float>{3.5f});
  EXPECT_THROW(st.floats("weight", {3, 2}), Error);  // wrong shape for the config
  EXPECT_THROW(st.info("missing"), Error);
  const auto raw = st.bytes("bytes");
  EXPECT_EQ(std::vector<std::uint8_t>(raw.data, raw.data + raw.size), (std::vector<std::uint8_t>{0, 7, 255}));
  EXPECT_THROW(st.floats("bytes", {3}), Error);  // bytes are not weights
  EXPECT_THROW(st.bytes("weight"), Error);       // nor weights bytes
}

TEST(SafeTensors, HalfAndBfloat16ConversionIsExact) {
  EXPECT_EQ(model::half_to_float(0x3C00), 1.0f);
  EXPECT_EQ(model::half_to_float(0xC000), -2.0f);
  EXPECT_EQ(model::half_to_float(0x7BFF), 65504.0f);
  EXPECT_EQ(model::half_to_float(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(model::half_to_float(0x03FF), std::ldexp(1023.0f, -24));
  EXPECT_TRUE(std::isinf(model::half_to_float(0x7C00)));
  EXPECT_TRUE(std::isnan(model::half_to_float(0x7E00)));
  EXPECT_EQ(model::bfloat16_to_float(0x3F80), 1.0f);
  EXPECT_EQ(model::bfloat16_to_float(0xC0A0), -5.0f);
}

TEST(SafeTensors, RejectsMalformedFilesNamingTheProblem) {
  const std::vector<std::uint8_t> eight(8, 0);
  const std::string good = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  EXPECT_EQ(error_of(file_with(good, eight)), "no error");
  EXPECT_NE(error_of({1, 2, 3}).find("too short"), std::string::npos);
  auto truncated = file_with(good, eight);
  truncated.resize(20);
  EXPECT_NE(error_of(truncated).find("exceeds the file"), std::string::npos);
  auto huge = file_with(good, eight);
  huge[7] = 0x7F;
  EXPECT_NE(error_of(huge).find("header length"), std::string::npos);
  EXPECT_NE(error_of(file_with("{\"a\": [", eight)).find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(file_with("[1,2]", eight)).find("must be a JSON object"), std::string::npos);
  EXPECT_NE(error_of(file_with(R"({"a":{"dtype":"I8","shape":[8],"data_offsets":[0,8]}})", eight)).find("dtype 'I8'"),
            std::string::npos);
  EXPECT_NE(error_of(file_with(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}})", eight)).find("outside"),
            std::string::npos);
  EXPECT_NE(error_of(file_with(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", eight)).find("outside"),
            std::string::npos);
  EXPECT_NE(error_of(file_with(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", eight)).find("shape [3]"),
            std::string::npos);
  EXPECT_NE(
      error_of(file_with(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", eight)).find("non-negative"),
      std::string::npos);
  EXPECT_NE(error_of(file_with(R"({"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},)"
                               R"("b":{"dtype":"F16","shape":[2],"data_offsets":[4,8]}})",
                               eight))
                .find("overlap"),
            std::string::npos);
  EXPECT_NE(
      error_of(file_with(R"({"a":{"dtype":"F32","shape":[2]}})", eight)).find("needs dtype, shape and data_offsets"),
      std::string::npos);
  EXPECT_NE(error_of(file_with(R"({"__metadata__":{"k":1}})", eight)).find("must be a string"), std::string::npos);
  // Sizes whose product overflows size_t.
  EXPECT_NE(
      error_of(file_with(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}})", eight))
          .find("overflow"),
      std::string::npos);
}

TEST(SafeTensors, NonFiniteWeightsAreRejectedWhenRead) {
  std::vector<std::uint8_t> data(8, 0);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(data.data() + 4, &nan, 4);
  const auto bytes = file_with(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", data);
  const auto st = SafeTensors::parse({bytes.data(), bytes.size()});
  EXPECT_THROW(st.floats("a", {2}), Error);
}

}  // namespace
}  // namespace attnkit
