// Embind bindings of the prefix trie and the beam-search state machine. Objects are handles (addresses)
// owned by the TypeScript wrappers, which destroy them in dispose() (FinalizationRegistry as backstop);
// every buffer is a { address, count } view whose size the api layer checks.
#include <emscripten/bind.h>

#include "attnkit/api/decoding_api.hpp"
#include "guarded.hpp"
#include "value_objects.hpp"

namespace attnkit::wasm {
namespace {

using decoding::BeamSearch;
using decoding::TokenTrie;

TokenTrie& trie_at(std::uintptr_t handle) { return object_at<TokenTrie>(handle); }
BeamSearch& beam_at(std::uintptr_t handle) { return object_at<BeamSearch>(handle); }

// layout: 0 compact, 1 flat (decoding::TrieLayout).
std::uintptr_t trie_build(const View<const std::int32_t>& tokens, const View<const std::int32_t>& lengths,
                          const View<const std::int32_t>& values, int layout) {
  return guarded_handle([&] { return api::build_trie(tokens, lengths, values, static_cast<decoding::TrieLayout>(layout)); });
}

std::uintptr_t trie_deserialize(const View<const std::uint8_t>& bytes) {
  return guarded_handle([&] { return api::deserialize_trie(bytes); });
}

// A malloc'ed copy of the bytes ({ address, count }; the caller frees address), or { 0, 0 } on failure.
View<const std::uint8_t> trie_serialize(std::uintptr_t handle) {
  return guarded_bytes([&] { return trie_at(handle).serialize(); });
}

// The node of a prefix, or -1 when the trie does not contain it.
double trie_find(std::uintptr_t handle, const View<const std::int32_t>& prefix) {
  const std::uint32_t node = trie_at(handle).find(prefix);
  return node == TokenTrie::kNoNode ? -1.0 : static_cast<double>(node);
}

// Like trie_find, but a missing prefix is an error whose message names it (-1, see lastError()).
double trie_require(std::uintptr_t handle, const View<const std::int32_t>& prefix) {
  return guarded_or(-1.0, [&] { return static_cast<double>(api::require_prefix("PrefixTrie.next", trie_at(handle), prefix)); });
}

double trie_next_count(std::uintptr_t handle, double node) {
  return guarded_or(-1.0, [&] { return static_cast<double>(api::next_token_count(trie_at(handle), to_integer(node))); });
}

int trie_next_copy(std::uintptr_t handle, double node, const View<std::int32_t>& output) {
  return guarded([&] { api::copy_next_tokens(trie_at(handle), to_integer(node), output); });
}

double trie_value_count(std::uintptr_t handle, double node) {
  return guarded_or(-1.0, [&] { return static_cast<double>(api::value_count(trie_at(handle), to_integer(node))); });
}

int trie_values_copy(std::uintptr_t handle, double node, const View<std::int32_t>& output) {
  return guarded([&] { api::copy_values(trie_at(handle), to_integer(node), output); });
}

double trie_entry_count(std::uintptr_t handle) { return static_cast<double>(trie_at(handle).entry_count()); }
double trie_node_count(std::uintptr_t handle) { return static_cast<double>(trie_at(handle).node_count()); }
double trie_memory_bytes(std::uintptr_t handle) { return static_cast<double>(trie_at(handle).memory_bytes()); }

std::uintptr_t beam_create(const api::BeamArgs& args, std::uintptr_t trie) {
  return guarded_handle([&] { return api::beam_search(args, trie ? &trie_at(trie) : nullptr); });
}

bool beam_done(std::uintptr_t handle) { return beam_at(handle).done(); }
double beam_live_count(std::uintptr_t handle) { return static_cast<double>(beam_at(handle).live().size()); }
double beam_live_token_count(std::uintptr_t handle) { return static_cast<double>(api::live_token_count(beam_at(handle))); }

int beam_live_copy(std::uintptr_t handle, const View<std::int32_t>& lengths, const View<std::int32_t>& tokens) {
  return guarded([&] { api::copy_live(beam_at(handle), lengths, tokens); });
}

int beam_advance(std::uintptr_t handle, const ConstFloats& log_probs) {
  return guarded([&] { api::advance(beam_at(handle), log_probs); });
}

api::ResultSizes beam_result_sizes(std::uintptr_t handle) { return api::result_sizes(beam_at(handle)); }

int beam_results(std::uintptr_t handle, const View<std::int32_t>& ints, const View<double>& scores) {
  return guarded([&] { api::copy_results(beam_at(handle), ints, scores); });
}

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_decoding) {
  using namespace attnkit::wasm;  // not all of attnkit: its namespaces (attention, entropy) would hide bindings
  namespace api = attnkit::api;
  using attnkit::View;
  emscripten::value_object<api::BeamArgs> beam_args("BeamArgs");
  integer_field<&api::BeamArgs::beams>(beam_args, "beams");
  integer_field<&api::BeamArgs::max_length>(beam_args, "maxLength");
  integer_field<&api::BeamArgs::top_k>(beam_args, "topK");
  integer_field<&api::BeamArgs::vocab_size>(beam_args, "vocabSize");
  integer_field<&api::BeamArgs::eos_id>(beam_args, "eosId");
  beam_args.field("lengthPenalty", &api::BeamArgs::length_penalty)
      .field("earlyStopping", &api::BeamArgs::early_stopping);

  emscripten::value_object<api::ResultSizes> result_sizes("ResultSizes");
  integer_field<&api::ResultSizes::ints>(result_sizes, "ints");
  integer_field<&api::ResultSizes::scores>(result_sizes, "scores");

  emscripten::function("trieBuild", &trie_build);
  emscripten::function("trieDeserialize", &trie_deserialize);
  emscripten::function("trieSerialize", &trie_serialize);
  emscripten::function("trieDestroy", &destroy<TokenTrie>);
  emscripten::function("trieFind", &trie_find);
  emscripten::function("trieRequire", &trie_require);
  emscripten::function("trieNextCount", &trie_next_count);
  emscripten::function("trieNextCopy", &trie_next_copy);
  emscripten::function("trieValueCount", &trie_value_count);
  emscripten::function("trieValuesCopy", &trie_values_copy);
  emscripten::function("trieEntryCount", &trie_entry_count);
  emscripten::function("trieNodeCount", &trie_node_count);
  emscripten::function("trieMemoryBytes", &trie_memory_bytes);
  emscripten::function("beamCreate", &beam_create);
  emscripten::function("beamDestroy", &destroy<BeamSearch>);
  emscripten::function("beamDone", &beam_done);
  emscripten::function("beamLiveCount", &beam_live_count);
  emscripten::function("beamLiveTokenCount", &beam_live_token_count);
  emscripten::function("beamLiveCopy", &beam_live_copy);
  emscripten::function("beamAdvance", &beam_advance);
  emscripten::function("beamResultSizes", &beam_result_sizes);
  emscripten::function("beamResults", &beam_results);
}
