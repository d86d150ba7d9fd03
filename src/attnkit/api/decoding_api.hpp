// Validated entry points for the prefix trie and beam search: building and reading tries, and driving a
// search step by step, with every node id and every caller-sized buffer checked here.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "attnkit/core/view.hpp"
#include "attnkit/decoding/beam_search.hpp"
#include "attnkit/decoding/token_trie.hpp"

namespace attnkit::api {

// sequences: `lengths` (one per sequence, ≥ 0) over the concatenated `tokens` (each ≥ 0);
// values: one per sequence (any int32), or empty for 0, 1, 2, …; layout: flat (PrefixTrie) or compact.
std::unique_ptr<decoding::TokenTrie> build_trie(View<const std::int32_t> tokens, View<const std::int32_t> lengths,
                                                View<const std::int32_t> values,
                                                decoding::TrieLayout layout = decoding::TrieLayout::kFlat);

// Either layout's serialize() bytes (told apart by their magic).
std::unique_ptr<decoding::TokenTrie> deserialize_trie(View<const std::uint8_t> bytes);

// The node of `prefix`; a not-found attnkit::Error naming the prefix when the trie does not contain it.
std::uint32_t require_prefix(const char* where, const decoding::TokenTrie& trie, View<const std::int32_t> prefix);

// A node id from the caller, checked to be one of the trie's nodes.
std::uint32_t require_node(const char* where, const decoding::TokenTrie& trie, long long node);

// How many tokens are allowed after `node` and how many values its entry has; then copies of them
// (output sized exactly so).
std::size_t next_token_count(const decoding::TokenTrie& trie, long long node);
std::size_t value_count(const decoding::TokenTrie& trie, long long node);
void copy_next_tokens(const decoding::TokenTrie& trie, long long node, View<std::int32_t> output);
void copy_values(const decoding::TokenTrie& trie, long long node, View<std::int32_t> output);

struct BeamArgs {
  long long beams = 4, max_length = 32, top_k = 4, vocab_size = 0, eos_id = 0;
  double length_penalty = 1.0;
  bool early_stopping = false;
};

// Checks the options (and that a constraining trie is non-empty and fits the vocabulary's ids).
std::unique_ptr<decoding::BeamSearch> beam_search(const BeamArgs& args, const decoding::TokenTrie* trie);

// Total tokens over the live hypotheses, and a copy of them: lengths (one per hypothesis) and their tokens
// concatenated (exactly live_token_count values).
std::size_t live_token_count(const decoding::BeamSearch& search);
void copy_live(const decoding::BeamSearch& search, View<std::int32_t> lengths, View<std::int32_t> tokens);

// One step: log-probabilities of every live hypothesis (live × vocabSize values).
void advance(decoding::BeamSearch& search, ConstFloats log_probs);

// The results flattened as [length, node (−1 if none), tokens…] per hypothesis in ints and [score, logProb]
// pairs in scores; their sizes first.
struct ResultSizes {
  std::size_t ints = 0, scores = 0;
};
ResultSizes result_sizes(const decoding::BeamSearch& search);
void copy_results(const decoding::BeamSearch& search, View<std::int32_t> ints, View<double> scores);

}  // namespace attnkit::api
