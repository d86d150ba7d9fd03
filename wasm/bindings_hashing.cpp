// Embind bindings of BioHash codes and the Hamming code table: handles, and calls on buffers that the api
// layer size-checks.
#include <emscripten/bind.h>

#include "attnkit/api/hashing_api.hpp"
#include "guarded.hpp"
#include "value_objects.hpp"

namespace attnkit::wasm {
namespace {

using hashing::BioHash;
using hashing::CodeTable;

std::uintptr_t biohash_create(const api::BioHashFiles& files) {
  return guarded_handle([&] { return api::load_biohash(files); });
}

int biohash_encode(std::uintptr_t handle, const View<const std::uint8_t>& texts, const View<const std::int32_t>& lengths,
                   const View<std::uint64_t>& codes) {
  return guarded([&] { api::biohash_encode(object_at<BioHash>(handle), texts, lengths, codes); });
}

// The number of features written, or -1 (see lastError()).
double biohash_features(std::uintptr_t handle, const View<const std::uint8_t>& text, const View<std::int32_t>& buckets,
                        const Floats& counts) {
  return guarded_or(-1.0, [&] {
    return static_cast<double>(api::ngram_features(object_at<BioHash>(handle), text, buckets, counts));
  });
}

// which: 0 buckets, 1 units (bits per code), 2 active bits.
double biohash_size(std::uintptr_t handle, int which) {
  const auto& s = object_at<BioHash>(handle).shape();
  return which == 0 ? s.buckets : which == 1 ? s.units : s.active;
}

std::uintptr_t code_table_create(double bits) {
  return guarded_handle([&] { return api::code_table(to_integer(bits)); });
}

int code_table_add(std::uintptr_t handle, const View<const std::uint64_t>& codes) {
  return guarded([&] { api::code_table_add(object_at<CodeTable>(handle), codes); });
}

int code_table_search(std::uintptr_t handle, const api::CodeSearchArgs& args) {
  return guarded([&] { api::code_table_search(object_at<CodeTable>(handle), args); });
}

double code_table_size(std::uintptr_t handle) { return static_cast<double>(object_at<CodeTable>(handle).size()); }
double code_table_bytes(std::uintptr_t handle) {
  return static_cast<double>(object_at<CodeTable>(handle).memory_bytes());
}

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_hashing) {
  using namespace attnkit::wasm;
  namespace api = attnkit::api;
  emscripten::value_object<api::BioHashFiles>("BioHashFiles")
      .field("config", &api::BioHashFiles::config)
      .field("weights", &api::BioHashFiles::weights);

  // metric: 0 overlap, 1 Hamming distance (hashing::CodeMetric).
  emscripten::value_object<api::CodeSearchArgs> search("CodeSearchArgs");
  search.field("queries", &api::CodeSearchArgs::queries)
      .field("indices", &api::CodeSearchArgs::indices)
      .field("scores", &api::CodeSearchArgs::scores);
  integer_field<&api::CodeSearchArgs::top_k>(search, "topK");
  enum_field<&api::CodeSearchArgs::metric>(search, "metric");

  emscripten::function("biohashCreate", &biohash_create);
  emscripten::function("biohashDestroy", &destroy<BioHash>);
  emscripten::function("biohashEncode", &biohash_encode);
  emscripten::function("biohashFeatures", &biohash_features);
  emscripten::function("biohashSize", &biohash_size);
  emscripten::function("codeTableCreate", &code_table_create);
  emscripten::function("codeTableDestroy", &destroy<CodeTable>);
  emscripten::function("codeTableAdd", &code_table_add);
  emscripten::function("codeTableSearch", &code_table_search);
  emscripten::function("codeTableSize", &code_table_size);
  emscripten::function("codeTableBytes", &code_table_bytes);
}
