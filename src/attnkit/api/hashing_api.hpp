// Validated entry points for BioHash codes and the code table's nearest-code search: the model from its
// config.json and safetensors bytes, codes into caller-sized buffers, and searches with checked sizes.
#pragma once
#include <cstdint>
#include <memory>

#include "attnkit/core/view.hpp"
#include "attnkit/hashing/biohash.hpp"
#include "attnkit/hashing/code_table.hpp"

namespace attnkit::api {

// config.json ({"type": "biohash", "buckets", "units", "active"}) and model.safetensors ("weights"
// [buckets, units]).
struct BioHashFiles {
  View<const std::uint8_t> config, weights;
};

std::unique_ptr<hashing::BioHash> load_biohash(const BioHashFiles& files);

// Codes of `count` UTF-8 texts, given back to back in `texts` with their byte lengths in `lengths`, into
// `codes` (count × words values).
void biohash_encode(const hashing::BioHash& hash, View<const std::uint8_t> texts, View<const std::int32_t> lengths,
                    View<std::uint64_t> codes);

// The hashed n-gram counts of one UTF-8 text, as buckets and counts (both `capacity` long; returns how many).
std::size_t ngram_features(const hashing::BioHash& hash, View<const std::uint8_t> text, View<std::int32_t> buckets,
                           Floats counts);

// A code table for codes of `bits` bits (a positive multiple of 64, at most 65,472).
std::unique_ptr<hashing::CodeTable> code_table(long long bits);

// Appends codes (a whole number of codes: a multiple of the table's words).
void code_table_add(hashing::CodeTable& table, View<const std::uint64_t> codes);

// For each of the queries (back to back), the topK nearest entries: indices and scores, queries × topK each
// (rows past the table's size are -1).
struct CodeSearchArgs {
  View<const std::uint64_t> queries;
  long long top_k = 0;
  hashing::CodeMetric metric = hashing::CodeMetric::kOverlap;
  View<std::int32_t> indices, scores;
};

void code_table_search(const hashing::CodeTable& table, const CodeSearchArgs& args);

}  // namespace attnkit::api
