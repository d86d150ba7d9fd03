#include "attnkit/model/safetensors.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>

#include "attnkit/core/error.hpp"

namespace attnkit::model {
namespace {

constexpr std::uint64_t kMaxHeaderBytes = 100u << 20;

std::size_t dtype_size(DType dtype) {
  if (dtype == DType::kU8) return 1;
  return dtype == DType::kF32 ? 4 : 2;
}

DType parse_dtype(const std::string& name, const std::string& tensor) {
  if (name == "F32") return DType::kF32;
  if (name == "F16") return DType::kF16;
  if (name == "BF16") return DType::kBF16;
  if (name == "U8") return DType::kU8;
  fail_file("safetensors: tensor '", tensor, "' has dtype '", name, "'; supported: F32, F16, BF16, U8");
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

std::size_t non_negative(const nlohmann::json& value, const std::string& what) {
  if (!value.is_number_unsigned()) fail_file("safetensors: ", what, " must be a non-negative integer");
  return value.get<std::size_t>();
}

}  // namespace

float half_to_float(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000) << 16;
  std::uint32_t exponent = (bits >> 10) & 0x1F, mantissa = bits & 0x3FF, out;
  if (exponent == 0x1F) {
    out = sign | 0x7F800000 | (mantissa << 13);
  } else if (exponent != 0) {
    out = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    out = sign;
  } else {  // subnormal: normalise
    exponent = 113;
    while ((mantissa & 0x400) == 0) mantissa <<= 1, --exponent;
    out = sign | (exponent << 23) | ((mantissa & 0x3FF) << 13);
  }
  float value;
  std::memcpy(&value, &out, 4);
  return value;
}

float bfloat16_to_float(std::uint16_t bits) {
  const std::uint32_t out = static_cast<std::uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &out, 4);
  return value;
}

SafeTensors SafeTensors::parse(View<const std::uint8_t> file) {
  if (file.size < 8) fail_file("safetensors: file has ", file.size, " bytes, too short for the 8-byte header length");
  std::uint64_t header_bytes = 0;
  for (int i = 7; i >= 0; --i) header_bytes = (header_bytes << 8) | file.data[i];
  if (header_bytes > kMaxHeaderBytes || header_bytes > file.size - 8)
    fail_file("safetensors: header length ", header_bytes, " exceeds the file (", file.size,
              " bytes): truncated or not safetensors");
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(file.data + 8, file.data + 8 + header_bytes);
  } catch (const nlohmann::json::exception& e) {
    fail_file("safetensors: the header is not valid JSON (", e.what(), ")");
  }
  if (!header.is_object()) fail_file("safetensors: the header must be a JSON object");

  SafeTensors result;
  result.file_ = file;
  const std::size_t data_start = 8 + static_cast<std::size_t>(header_bytes);
  const std::size_t data_size = file.size - data_start;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) fail_file("safetensors: __metadata__ must be an object of strings");
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string()) fail_file("safetensors: __metadata__ value '", key, "' must be a string");
        result.metadata_[key] = value.get<std::string>();
      }
      continue;
    }
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets"))
      fail_file("safetensors: tensor '", name, "' needs dtype, shape and data_offsets");
    if (!entry["dtype"].is_string()) fail_file("safetensors: tensor '", name, "' dtype must be a string");
    TensorInfo info;
    info.dtype = parse_dtype(entry["dtype"].get<std::string>(), name);
    if (!entry["shape"].is_array()) fail_file("safetensors: tensor '", name, "' shape must be an array");
    std::size_t count = 1;
    for (const auto& dim : entry["shape"]) {
      info.shape.push_back(non_negative(dim, "tensor '" + name + "' shape entries"));
      count = checked_product("safetensors", count, info.shape.back());
    }
    const auto& offsets = entry["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2)
      fail_file("safetensors: tensor '", name, "' data_offsets must be [begin, end]");
    const std::size_t begin = non_negative(offsets[0], "data_offsets"), end = non_negative(offsets[1], "data_offsets");
    if (begin > end || end > data_size)
      fail_file("safetensors: tensor '", name, "' data_offsets [", begin, ", ", end, "] are outside the ", data_size,
                " data bytes");
    const std::size_t bytes = checked_product("safetensors", count, dtype_size(info.dtype));
    if (bytes != end - begin)
      fail_file("safetensors: tensor '", name, "' has shape ", shape_text(info.shape), " (", bytes, " bytes as ",
                entry["dtype"].get<std::string>(), ") but ", end - begin, " data bytes");
    info.begin = data_start + begin;
    info.end = data_start + end;
    result.tensors_.emplace(name, std::move(info));
  }
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (const auto& [name, info] : result.tensors_) ranges.emplace_back(info.begin, info.end);
  std::sort(ranges.begin(), ranges.end());
  for (std::size_t i = 1; i < ranges.size(); ++i)
    if (ranges[i].first < ranges[i - 1].second) fail_file("safetensors: tensors overlap in the data section");
  return result;
}

bool SafeTensors::has(std::string_view name) const { return tensors_.find(name) != tensors_.end(); }

const TensorInfo& SafeTensors::info(std::string_view name) const {
  const auto it = tensors_.find(name);
  if (it == tensors_.end()) fail_file("safetensors: the model has no tensor '", name, "'");
  return it->second;
}

std::vector<float> SafeTensors::floats(std::string_view name, const std::vector<std::size_t>& expected_shape) const {
  const TensorInfo& t = info(name);
  if (t.shape != expected_shape)
    fail_file("safetensors: tensor '", name, "' has shape ", shape_text(t.shape), ", the config expects ",
              shape_text(expected_shape));
  if (t.dtype == DType::kU8) fail_file("safetensors: tensor '", name, "' is U8 bytes, not weights");
  const std::size_t count = (t.end - t.begin) / dtype_size(t.dtype);
  std::vector<float> out(count);
  const std::uint8_t* data = file_.data + t.begin;
  for (std::size_t i = 0; i < count; ++i) {
    if (t.dtype == DType::kF32) {
      std::memcpy(&out[i], data + 4 * i, 4);
    } else {
      const std::uint16_t bits = static_cast<std::uint16_t>(data[2 * i] | (data[2 * i + 1] << 8));
      out[i] = t.dtype == DType::kF16 ? half_to_float(bits) : bfloat16_to_float(bits);
    }
  }
  for (std::size_t i = 0; i < count; ++i)
    if (!std::isfinite(out[i]))
      fail_file("safetensors: tensor '", name, "' value ", i, " is not finite (", out[i], ")");
  return out;
}

View<const std::uint8_t> SafeTensors::bytes(std::string_view name) const {
  const TensorInfo& t = info(name);
  if (t.dtype != DType::kU8 || t.shape.size() != 1)
    fail_file("safetensors: tensor '", name, "' must be one-dimensional U8 bytes");
  return {file_.data + t.begin, t.end - t.begin};
}

}  // namespace attnkit::model
