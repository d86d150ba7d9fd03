// Validated entry points for the product-key memory: building one from arrays or a safetensors file, and
// lookups into caller-sized buffers. The argument structs carry the JS API's names (subKeyCount, topK, …).
#pragma once
#include <cstdint>
#include <memory>

#include "attnkit/core/view.hpp"
#include "attnkit/memory/product_key_memory.hpp"

namespace attnkit::api {

// The memory's sizes as the caller gave them (signed, so negative values are reported rather than wrapped).
struct ProductKeyDims {
  long long heads = 1, sub_key_count = 0, query_dim = 0, value_dim = 0, top_k = 0, input_dim = 0;
};

// subKeys [heads, 2, subKeyCount, queryDim/2], values [subKeyCount², valueDim]; queryWeight [heads·queryDim,
// inputDim] and queryBias [heads·queryDim] when inputDim > 0, else both empty.
struct ProductKeyWeights {
  ConstFloats sub_keys, values, query_weight, query_bias;
};

std::unique_ptr<memory::ProductKeyMemory> product_key_memory(const ProductKeyDims& dims, const ProductKeyWeights& w);

// From a safetensors file with tensors sub_keys [H, 2, n, d/2] and values [n², dv], and optionally
// query.weight [H·d, d_in] with query.bias [H·d]; k slots per head.
std::unique_ptr<memory::ProductKeyMemory> product_key_memory_file(View<const std::uint8_t> file, long long top_k);

// Buffers of one lookup: x [rows, input width] in; output [rows, valueDim], indices and weights
// [rows, heads, topK] out.
struct ProductKeyLookupArgs {
  ConstFloats x;
  long long rows = 0;
  Floats output;
  View<std::int32_t> indices;
  Floats weights;
  memory::SlotSearch search = memory::SlotSearch::kProduct;
};

void product_key_lookup(const memory::ProductKeyMemory& memory, const ProductKeyLookupArgs& args);

}  // namespace attnkit::api
