// The seed's LCS lookahead for trie-constrained decoding (kexue.fm/archives/8802): a continuation is
// favoured by how many more tokens of the query its best completion can still match.
#pragma once
#include <cstdint>
#include <vector>

#include "attnkit/core/view.hpp"
#include "attnkit/decoding/token_trie.hpp"

namespace attnkit::decoding {

// For each token the trie allows after `node` (branches order): w = 1 + max over the entries below it of
// LCS(entry, query) − LCS(prefix, query), where `prefix` is the path to `node`. Always ≥ 1; the seed
// then scores p^{1/w}, i.e. log p / w.
std::vector<float> lookahead_weights(const TokenTrie& trie, std::uint32_t node, View<const std::int32_t> prefix,
                                     View<const std::int32_t> query);

}  // namespace attnkit::decoding
