// Embind bindings of the prefix trie and the beam-search state machine. Objects are handles (addresses)
// owned by the TypeScript wrappers, which destroy them in dispose() (FinalizationRegistry as backstop).
#include <emscripten/bind.h>

#include <cstdlib>
#include <cstring>

#include "attnkit/api/decoding_api.hpp"
#include "guarded.hpp"

namespace attnkit::wasm {
namespace {

using decoding::BeamSearch;
using decoding::PrefixTrie;

PrefixTrie& trie_at(std::uintptr_t handle) { return *reinterpret_cast<PrefixTrie*>(handle); }
BeamSearch& beam_at(std::uintptr_t handle) { return *reinterpret_cast<BeamSearch*>(handle); }

template <typename T>
void write(std::uintptr_t address, T value) {
  *reinterpret_cast<T*>(address) = value;
}

int trie_build(std::uintptr_t tokens, int token_count, std::uintptr_t lengths, int length_count, std::uintptr_t values,
               int value_count, std::uintptr_t handle_out) {
  return guarded([&] {
    auto trie = api::build_trie(in<std::int32_t>(tokens, token_count), in<std::int32_t>(lengths, length_count),
                                in<std::int32_t>(values, value_count));
    write(handle_out, reinterpret_cast<std::uintptr_t>(trie.release()));
  });
}

int trie_deserialize(std::uintptr_t bytes, int count, std::uintptr_t handle_out) {
  return guarded([&] {
    write(handle_out, reinterpret_cast<std::uintptr_t>(api::deserialize_trie(in<std::uint8_t>(bytes, count)).release()));
  });
}

// Writes a malloc'ed copy of the bytes and its size; the caller frees it.
int trie_serialize(std::uintptr_t handle, std::uintptr_t data_out, std::uintptr_t size_out) {
  return guarded([&] {
    const auto bytes = trie_at(handle).serialize();
    void* copy = std::malloc(bytes.size());
    if (!copy) throw std::bad_alloc();
    std::memcpy(copy, bytes.data(), bytes.size());
    write(data_out, reinterpret_cast<std::uintptr_t>(copy));
    write(size_out, static_cast<std::uint32_t>(bytes.size()));
  });
}

void trie_destroy(std::uintptr_t handle) { delete &trie_at(handle); }

// The node of a prefix, or -1 when the trie does not contain it.
int trie_find(std::uintptr_t handle, std::uintptr_t prefix, int length) {
  const std::uint32_t node = trie_at(handle).find(in<std::int32_t>(prefix, length));
  return node == PrefixTrie::kNoNode ? -1 : static_cast<int>(node);
}

// Like trie_find, but a missing prefix is an error whose message names it.
int trie_require(std::uintptr_t handle, std::uintptr_t prefix, int length, std::uintptr_t node_out) {
  return guarded([&] { write(node_out, api::require_prefix("PrefixTrie.next", trie_at(handle), in<std::int32_t>(prefix, length))); });
}

int trie_next_count(std::uintptr_t handle, int node) { return static_cast<int>(trie_at(handle).child_count(node)); }

void trie_next_copy(std::uintptr_t handle, int node, std::uintptr_t out) {
  const auto next = trie_at(handle).next_tokens(node);
  std::memcpy(reinterpret_cast<void*>(out), next.data, next.size * sizeof(std::int32_t));
}

int trie_value_count(std::uintptr_t handle, int node) { return static_cast<int>(trie_at(handle).values(node).size); }

void trie_values_copy(std::uintptr_t handle, int node, std::uintptr_t out) {
  const auto values = trie_at(handle).values(node);
  std::memcpy(reinterpret_cast<void*>(out), values.data, values.size * sizeof(std::int32_t));
}

double trie_entry_count(std::uintptr_t handle) { return static_cast<double>(trie_at(handle).entry_count()); }
double trie_node_count(std::uintptr_t handle) { return static_cast<double>(trie_at(handle).node_count()); }
double trie_memory_bytes(std::uintptr_t handle) { return static_cast<double>(trie_at(handle).memory_bytes()); }

int beam_create(int beams, int max_length, int top_k, int vocab_size, int eos_id, double length_penalty,
                bool early_stopping, std::uintptr_t trie, std::uintptr_t handle_out) {
  return guarded([&] {
    api::BeamArgs args{beams, max_length, top_k, vocab_size, eos_id, length_penalty, early_stopping};
    auto search = api::beam_search(args, trie ? &trie_at(trie) : nullptr);
    write(handle_out, reinterpret_cast<std::uintptr_t>(search.release()));
  });
}

void beam_destroy(std::uintptr_t handle) { delete &beam_at(handle); }
bool beam_done(std::uintptr_t handle) { return beam_at(handle).done(); }
int beam_live_count(std::uintptr_t handle) { return static_cast<int>(beam_at(handle).live().size()); }

int beam_live_token_count(std::uintptr_t handle) {
  std::size_t total = 0;
  for (const auto& h : beam_at(handle).live()) total += h.tokens.size();
  return static_cast<int>(total);
}

// Copies every live hypothesis: its length into lengths[i], its tokens appended to tokens.
void beam_live_copy(std::uintptr_t handle, std::uintptr_t lengths, std::uintptr_t tokens) {
  auto* length_out = reinterpret_cast<std::int32_t*>(lengths);
  auto* token_out = reinterpret_cast<std::int32_t*>(tokens);
  for (const auto& h : beam_at(handle).live()) {
    *length_out++ = static_cast<std::int32_t>(h.tokens.size());
    token_out = std::copy(h.tokens.begin(), h.tokens.end(), token_out);
  }
}

int beam_advance(std::uintptr_t handle, std::uintptr_t log_probs, int count) {
  return guarded([&] { beam_at(handle).advance(reinterpret_cast<const float*>(log_probs), static_cast<std::size_t>(count)); });
}

// Results as [length, node, tokens…] per hypothesis in `ints` and [score, logProb] pairs in `scores`;
// call with null buffers first to learn the sizes (written to sizes_out as ints, scores).
void beam_results(std::uintptr_t handle, std::uintptr_t ints, std::uintptr_t scores, std::uintptr_t sizes_out) {
  const auto results = beam_at(handle).results();
  std::size_t int_count = 0;
  for (const auto& r : results) int_count += 2 + r.tokens.size();
  auto* sizes = reinterpret_cast<std::int32_t*>(sizes_out);
  sizes[0] = static_cast<std::int32_t>(int_count);
  sizes[1] = static_cast<std::int32_t>(results.size() * 2);
  if (!ints) return;
  auto* int_out = reinterpret_cast<std::int32_t*>(ints);
  auto* score_out = reinterpret_cast<double*>(scores);
  for (const auto& r : results) {
    *int_out++ = static_cast<std::int32_t>(r.tokens.size());
    *int_out++ = r.node == PrefixTrie::kNoNode ? -1 : static_cast<std::int32_t>(r.node);
    int_out = std::copy(r.tokens.begin(), r.tokens.end(), int_out);
    *score_out++ = r.score;
    *score_out++ = r.log_prob;
  }
}

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_decoding) {
  using namespace attnkit::wasm;
  emscripten::function("trieBuild", &trie_build);
  emscripten::function("trieDeserialize", &trie_deserialize);
  emscripten::function("trieSerialize", &trie_serialize);
  emscripten::function("trieDestroy", &trie_destroy);
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
  emscripten::function("beamDestroy", &beam_destroy);
  emscripten::function("beamDone", &beam_done);
  emscripten::function("beamLiveCount", &beam_live_count);
  emscripten::function("beamLiveTokenCount", &beam_live_token_count);
  emscripten::function("beamLiveCopy", &beam_live_copy);
  emscripten::function("beamAdvance", &beam_advance);
  emscripten::function("beamResults", &beam_results);
}
