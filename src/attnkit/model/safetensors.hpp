// Reader for the safetensors format: an 8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the tensor bytes.
// parse() validates everything before any tensor is read, so a malformed file is an attnkit::Error.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "attnkit/core/view.hpp"

namespace attnkit::model {

enum class DType { kF32, kF16, kBF16, kU8 };  // U8: raw bytes carried with the weights (a lexicon)

struct TensorInfo {
  DType dtype;
  std::vector<std::size_t> shape;
  std::size_t begin;  // byte offsets within the file
  std::size_t end;
};

class SafeTensors {
 public:
  // Does not copy the bytes: they must outlive this object.
  static SafeTensors parse(View<const std::uint8_t> file);

  bool has(std::string_view name) const;
  const TensorInfo& info(std::string_view name) const;  // attnkit::Error naming a missing tensor
  const std::map<std::string, TensorInfo, std::less<>>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  // The tensor converted to float32, after checking its shape; NaN or Inf weights are an error.
  std::vector<float> floats(std::string_view name, const std::vector<std::size_t>& expected_shape) const;
  // A one-dimensional U8 tensor's bytes, in place in the file.
  View<const std::uint8_t> bytes(std::string_view name) const;

 private:
  View<const std::uint8_t> file_;
  std::map<std::string, TensorInfo, std::less<>> tensors_;
  std::map<std::string, std::string> metadata_;
};

// IEEE half and bfloat16 to float (exact: subnormals, infinities and NaN included).
float half_to_float(std::uint16_t bits);
float bfloat16_to_float(std::uint16_t bits);

}  // namespace attnkit::model
