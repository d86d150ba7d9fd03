// Embind bindings of the product-key memory: a handle made from arrays or a safetensors file, and lookups
// into buffers the api layer size-checks.
#include <emscripten/bind.h>

#include "attnkit/api/memory_api.hpp"
#include "guarded.hpp"
#include "value_objects.hpp"

namespace attnkit::wasm {
namespace {

using api::ProductKeyDims;
using api::ProductKeyLookupArgs;
using api::ProductKeyWeights;
using memory::ProductKeyMemory;

std::uintptr_t pkm_create(const ProductKeyDims& dims, const ProductKeyWeights& weights) {
  return guarded_handle([&] { return api::product_key_memory(dims, weights); });
}

std::uintptr_t pkm_create_from_file(const View<const std::uint8_t>& file, double top_k) {
  return guarded_handle([&] { return api::product_key_memory_file(file, to_integer(top_k)); });
}

int pkm_lookup(std::uintptr_t handle, const ProductKeyLookupArgs& args) {
  return guarded([&] { api::product_key_lookup(object_at<ProductKeyMemory>(handle), args); });
}

// A memory's sizes, for the TS wrapper to size its buffers (a file's memory has them from its tensors).
ProductKeyDims pkm_shape(std::uintptr_t handle) {
  const auto& s = object_at<ProductKeyMemory>(handle).shape();
  const auto signed_size = [](std::size_t n) { return static_cast<long long>(n); };
  return {signed_size(s.heads),     signed_size(s.sub_keys), signed_size(s.query_dim),
          signed_size(s.value_dim), signed_size(s.top_k),    signed_size(s.input_dim)};
}

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_memory) {
  using namespace attnkit::wasm;
  namespace api = attnkit::api;
  emscripten::value_object<api::ProductKeyDims> dims("ProductKeyDims");
  integer_field<&api::ProductKeyDims::heads>(dims, "heads");
  integer_field<&api::ProductKeyDims::sub_key_count>(dims, "subKeyCount");
  integer_field<&api::ProductKeyDims::query_dim>(dims, "queryDim");
  integer_field<&api::ProductKeyDims::value_dim>(dims, "valueDim");
  integer_field<&api::ProductKeyDims::top_k>(dims, "topK");
  integer_field<&api::ProductKeyDims::input_dim>(dims, "inputDim");

  emscripten::value_object<api::ProductKeyWeights>("ProductKeyWeights")
      .field("subKeys", &api::ProductKeyWeights::sub_keys)
      .field("values", &api::ProductKeyWeights::values)
      .field("queryWeight", &api::ProductKeyWeights::query_weight)
      .field("queryBias", &api::ProductKeyWeights::query_bias);

  // search: 0 product keys, 1 exhaustive (memory::SlotSearch).
  emscripten::value_object<api::ProductKeyLookupArgs> lookup("ProductKeyLookupArgs");
  lookup.field("x", &api::ProductKeyLookupArgs::x)
      .field("output", &api::ProductKeyLookupArgs::output)
      .field("indices", &api::ProductKeyLookupArgs::indices)
      .field("weights", &api::ProductKeyLookupArgs::weights);
  integer_field<&api::ProductKeyLookupArgs::rows>(lookup, "rows");
  enum_field<&api::ProductKeyLookupArgs::search>(lookup, "search");

  emscripten::function("pkmCreate", &pkm_create);
  emscripten::function("pkmCreateFromFile", &pkm_create_from_file);
  emscripten::function("pkmLookup", &pkm_lookup);
  emscripten::function("pkmShape", &pkm_shape);
  emscripten::function("pkmDestroy", &destroy<ProductKeyMemory>);
}
