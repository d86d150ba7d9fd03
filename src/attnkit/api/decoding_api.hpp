// Validated entry points for the prefix trie and beam search.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "attnkit/core/view.hpp"
#include "attnkit/decoding/beam_search.hpp"
#include "attnkit/decoding/prefix_trie.hpp"

namespace attnkit::api {

// sequences: `lengths` (one per sequence, ≥ 0) over the concatenated `tokens` (each ≥ 0);
// values: one per sequence (any int32), or empty for 0, 1, 2, ….
std::unique_ptr<decoding::PrefixTrie> build_trie(View<const std::int32_t> tokens, View<const std::int32_t> lengths,
                                                 View<const std::int32_t> values);

std::unique_ptr<decoding::PrefixTrie> deserialize_trie(View<const std::uint8_t> bytes);

// The node of `prefix`; attnkit::Error naming the prefix when the trie does not contain it.
std::uint32_t require_prefix(const char* where, const decoding::PrefixTrie& trie, View<const std::int32_t> prefix);

struct BeamArgs {
  long long beams = 4, max_length = 32, top_k = 4, vocab_size = 0, eos_id = 0;
  double length_penalty = 1.0;
  bool early_stopping = false;
};

// Checks the options (and that a constraining trie is non-empty and fits the vocabulary's ids).
std::unique_ptr<decoding::BeamSearch> beam_search(const BeamArgs& args, const decoding::PrefixTrie* trie);

}  // namespace attnkit::api
