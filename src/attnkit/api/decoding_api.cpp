#include "attnkit/api/decoding_api.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "attnkit/api/checks.hpp"
#include "attnkit/decoding/compact_trie.hpp"
#include "attnkit/decoding/prefix_trie.hpp"

namespace attnkit::api {

std::unique_ptr<decoding::TokenTrie> build_trie(View<const std::int32_t> tokens, View<const std::int32_t> lengths,
                                                View<const std::int32_t> values, decoding::TrieLayout layout) {
  const char* where = "PrefixTrie.from";
  require_known(where, "layout", layout, decoding::TrieLayout::kFlat);
  if (values.size != 0 && values.size != lengths.size)
    fail(where, ": values has ", values.size, " entries, expected one per sequence (", lengths.size, ")");
  std::vector<std::uint32_t> offsets(lengths.size + 1, 0);
  for (std::size_t i = 0; i < lengths.size; ++i) {
    if (lengths.data[i] < 0) fail(where, ": sequence ", i, " has a negative length");
    offsets[i + 1] = offsets[i] + static_cast<std::uint32_t>(lengths.data[i]);
    if (offsets[i + 1] > tokens.size) fail(where, ": the sequence lengths add up to more than the ", tokens.size, " tokens given");
  }
  if (offsets.back() != tokens.size)
    fail(where, ": the sequence lengths add up to ", offsets.back(), ", but ", tokens.size, " tokens were given");
  for (std::size_t i = 0; i < tokens.size; ++i)
    if (tokens.data[i] < 0) fail(where, ": token ids must be >= 0, got ", tokens.data[i], " at position ", i);
  std::vector<std::int32_t> default_values;
  if (values.size == 0) {
    default_values.resize(lengths.size);
    for (std::size_t i = 0; i < lengths.size; ++i) default_values[i] = static_cast<std::int32_t>(i);
    values = {default_values.data(), default_values.size()};
  }
  auto flat = decoding::PrefixTrie::build(tokens, {offsets.data(), offsets.size()}, values);
  if (layout == decoding::TrieLayout::kCompact)
    return std::make_unique<decoding::CompactTrie>(decoding::CompactTrie::from(flat));
  return std::make_unique<decoding::PrefixTrie>(std::move(flat));
}

std::unique_ptr<decoding::TokenTrie> deserialize_trie(View<const std::uint8_t> bytes) {
  const char* where = "PrefixTrie.deserialize";
  require_data(where, "bytes", bytes);
  if (decoding::CompactTrie::is_serialized(bytes))
    return std::make_unique<decoding::CompactTrie>(decoding::CompactTrie::deserialize(bytes, where));
  return std::make_unique<decoding::PrefixTrie>(decoding::PrefixTrie::deserialize(bytes, where));
}

std::uint32_t require_prefix(const char* where, const decoding::TokenTrie& trie, View<const std::int32_t> prefix) {
  const std::uint32_t node = trie.find(prefix);
  if (node == decoding::TokenTrie::kNoNode) {
    std::ostringstream shown;
    for (std::size_t i = 0; i < prefix.size && i < 16; ++i) shown << (i ? ", " : "") << prefix.data[i];
    if (prefix.size > 16) shown << ", …";
    fail_as(ErrorCode::kNotFound, where, ": prefix [", shown.str(), "] is not in the trie (no entry starts with it)");
  }
  return node;
}

std::uint32_t require_node(const char* where, const decoding::TokenTrie& trie, long long node) {
  if (node < 0 || static_cast<unsigned long long>(node) >= trie.node_count())
    fail(where, ": node ", node, " is not a node of this trie (it has ", trie.node_count(), ")");
  return static_cast<std::uint32_t>(node);
}

std::size_t next_token_count(const decoding::TokenTrie& trie, long long node) {
  std::vector<decoding::TrieBranch> branches;
  trie.branches(require_node("PrefixTrie.next", trie, node), branches);
  return branches.size();
}

std::size_t value_count(const decoding::TokenTrie& trie, long long node) {
  std::vector<std::int32_t> values;
  trie.values(require_node("PrefixTrie.values", trie, node), values);
  return values.size();
}

void copy_next_tokens(const decoding::TokenTrie& trie, long long node, View<std::int32_t> output) {
  const char* where = "PrefixTrie.next";
  std::vector<decoding::TrieBranch> branches;
  trie.branches(require_node(where, trie, node), branches);
  require_size(where, "output", output, branches.size(), "the node's child count");
  for (std::size_t i = 0; i < branches.size(); ++i) output.data[i] = branches[i].token;
}

void copy_values(const decoding::TokenTrie& trie, long long node, View<std::int32_t> output) {
  const char* where = "PrefixTrie.values";
  std::vector<std::int32_t> values;
  trie.values(require_node(where, trie, node), values);
  require_size(where, "output", output, values.size(), "the entry's value count");
  std::copy(values.begin(), values.end(), output.data);
}

std::unique_ptr<decoding::BeamSearch> beam_search(const BeamArgs& args, const decoding::TokenTrie* trie) {
  const char* where = "beamSearch";
  require_positive(where, "beams", args.beams);
  require_positive(where, "maxLength", args.max_length);
  require_positive(where, "vocabSize", args.vocab_size);
  require_positive(where, "topK", args.top_k);
  if (args.beams > 10000) fail(where, ": beams must be <= 10000, got ", args.beams);
  if (args.max_length > 100000) fail(where, ": maxLength must be <= 100000, got ", args.max_length);
  if (args.top_k > args.beams) fail(where, ": topK (", args.top_k, ") must be <= beams (", args.beams, ")");
  if (args.eos_id < 0 || args.eos_id >= args.vocab_size)
    fail(where, ": eosId must be in [0, vocabSize = ", args.vocab_size, "), got ", args.eos_id);
  if (!std::isfinite(args.length_penalty)) fail(where, ": lengthPenalty must be a finite number, got ", args.length_penalty);
  if (trie && trie->entry_count() == 0) fail(where, ": the trie is empty: constrained decoding has nothing to produce");
  decoding::BeamSearchOptions options;
  options.beams = static_cast<std::size_t>(args.beams);
  options.max_length = static_cast<std::size_t>(args.max_length);
  options.top_k = static_cast<std::size_t>(args.top_k);
  options.vocab_size = static_cast<std::size_t>(args.vocab_size);
  options.eos_id = static_cast<std::int32_t>(args.eos_id);
  options.length_penalty = args.length_penalty;
  options.early_stopping = args.early_stopping;
  options.trie = trie;
  options.where = where;
  return std::make_unique<decoding::BeamSearch>(options);
}

std::size_t live_token_count(const decoding::BeamSearch& search) {
  std::size_t total = 0;
  for (const auto& h : search.live()) total += h.tokens.size();
  return total;
}

void copy_live(const decoding::BeamSearch& search, View<std::int32_t> lengths, View<std::int32_t> tokens) {
  const char* where = "beamSearch";
  require_size(where, "lengths", lengths, search.live().size(), "live hypotheses");
  require_size(where, "tokens", tokens, live_token_count(search), "live tokens");
  std::int32_t* length_out = lengths.data;
  std::int32_t* token_out = tokens.data;
  for (const auto& h : search.live()) {
    *length_out++ = static_cast<std::int32_t>(h.tokens.size());
    token_out = std::copy(h.tokens.begin(), h.tokens.end(), token_out);
  }
}

void advance(decoding::BeamSearch& search, ConstFloats log_probs) {
  require_data("beamSearch", "log-probabilities", log_probs);
  search.advance(log_probs.data, log_probs.size);
}

namespace {

ResultSizes sizes_of(const std::vector<decoding::FinishedHypothesis>& results) {
  ResultSizes sizes;
  for (const auto& r : results) {
    sizes.ints += 2 + r.tokens.size();
    sizes.scores += 2;
  }
  return sizes;
}

}  // namespace

ResultSizes result_sizes(const decoding::BeamSearch& search) { return sizes_of(search.results()); }

void copy_results(const decoding::BeamSearch& search, View<std::int32_t> ints, View<double> scores) {
  const char* where = "beamSearch";
  const auto results = search.results();
  const ResultSizes sizes = sizes_of(results);
  require_size(where, "ints", ints, sizes.ints, "Σ (2 + tokens) over results");
  require_size(where, "scores", scores, sizes.scores, "2 * results");
  std::int32_t* int_out = ints.data;
  double* score_out = scores.data;
  for (const auto& r : results) {
    *int_out++ = static_cast<std::int32_t>(r.tokens.size());
    *int_out++ = r.node == decoding::PrefixTrie::kNoNode ? -1 : static_cast<std::int32_t>(r.node);
    int_out = std::copy(r.tokens.begin(), r.tokens.end(), int_out);
    *score_out++ = r.score;
    *score_out++ = r.log_prob;
  }
}

}  // namespace attnkit::api
