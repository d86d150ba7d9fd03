#include "attnkit/api/decoding_api.hpp"

#include <cmath>
#include <sstream>

#include "attnkit/api/checks.hpp"

namespace attnkit::api {

std::unique_ptr<decoding::PrefixTrie> build_trie(View<const std::int32_t> tokens, View<const std::int32_t> lengths,
                                                 View<const std::int32_t> values) {
  const char* where = "PrefixTrie.from";
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
  return std::make_unique<decoding::PrefixTrie>(
      decoding::PrefixTrie::build(tokens, {offsets.data(), offsets.size()}, values));
}

std::unique_ptr<decoding::PrefixTrie> deserialize_trie(View<const std::uint8_t> bytes) {
  return std::make_unique<decoding::PrefixTrie>(decoding::PrefixTrie::deserialize(bytes));
}

std::uint32_t require_prefix(const char* where, const decoding::PrefixTrie& trie, View<const std::int32_t> prefix) {
  const std::uint32_t node = trie.find(prefix);
  if (node == decoding::PrefixTrie::kNoNode) {
    std::ostringstream shown;
    for (std::size_t i = 0; i < prefix.size && i < 16; ++i) shown << (i ? ", " : "") << prefix.data[i];
    if (prefix.size > 16) shown << ", …";
    fail(where, ": prefix [", shown.str(), "] is not in the trie (no entry starts with it)");
  }
  return node;
}

std::unique_ptr<decoding::BeamSearch> beam_search(const BeamArgs& args, const decoding::PrefixTrie* trie) {
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
  return std::make_unique<decoding::BeamSearch>(options);
}

}  // namespace attnkit::api
