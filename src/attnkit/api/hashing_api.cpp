#include "attnkit/api/hashing_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "attnkit/api/checks.hpp"
#include "attnkit/model/safetensors.hpp"

namespace attnkit::api {
namespace {

constexpr long long kMaxBits = 65472;  // 1023 words: scores are 16-bit in the search

std::uint32_t config_size(const nlohmann::json& config, const char* key) {
  const auto it = config.find(key);
  if (it == config.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() == 0 ||
      it->get<std::uint64_t>() > (1u << 24))
    fail_file("BioHash.load: config.json needs \"", key, "\" as a positive integer (at most 2^24)");
  return static_cast<std::uint32_t>(it->get<std::uint64_t>());
}

}  // namespace

std::unique_ptr<hashing::BioHash> load_biohash(const BioHashFiles& files) {
  const char* where = "BioHash.load";
  require_data(where, "config", files.config);
  require_data(where, "weights", files.weights);
  const nlohmann::json config = nlohmann::json::parse(text_of(files.config), nullptr, false);
  if (config.is_discarded() || !config.is_object()) fail_file(where, ": config.json is not a JSON object");
  const auto type = config.find("type");
  if (type == config.end() || !type->is_string() || type->get<std::string>() != "biohash")
    fail_file(where, ": config.json's \"type\" must be \"biohash\" (is this another kind of model directory?)");
  hashing::BioHashShape shape;
  shape.buckets = config_size(config, "buckets");
  shape.units = config_size(config, "units");
  shape.active = config_size(config, "active");
  if (shape.units % 64 != 0 || shape.units > kMaxBits)
    fail_file(where, ": config.json's \"units\" (the code length) must be a multiple of 64 up to ", kMaxBits, ", got ",
              shape.units);
  if (shape.active > shape.units)
    fail_file(where, ": config.json's \"active\" (", shape.active, ") exceeds \"units\" (", shape.units, ")");
  const model::SafeTensors st = model::SafeTensors::parse(files.weights);
  return std::make_unique<hashing::BioHash>(shape, st.floats("weights", {shape.buckets, shape.units}));
}

void biohash_encode(const hashing::BioHash& hash, View<const std::uint8_t> texts, View<const std::int32_t> lengths,
                    View<std::uint64_t> codes) {
  const char* where = "BioHash.encode";
  const std::vector<std::string_view> list = texts_of(where, texts, lengths);
  require_size(where, "codes", codes, checked_product(where, list.size(), hash.words()), "texts*bits/64");
  for (std::size_t i = 0; i < list.size(); ++i) hash.encode(list[i], codes.data + i * hash.words());
}

std::size_t ngram_features(const hashing::BioHash& hash, View<const std::uint8_t> text, View<std::int32_t> buckets,
                           Floats counts) {
  const char* where = "BioHash.features";
  require_data(where, "text", text);
  const auto features = hashing::ngram_features(text_of(text), hash.shape().buckets);
  if (buckets.size != counts.size) fail(where, ": buckets and counts must have the same capacity");
  if (features.size() > buckets.size)
    fail(where, ": ", features.size(), " features do not fit the capacity ", buckets.size);
  require_data(where, "buckets", buckets);
  require_data(where, "counts", counts);
  for (std::size_t i = 0; i < features.size(); ++i) {
    buckets.data[i] = static_cast<std::int32_t>(features[i].bucket);
    counts.data[i] = features[i].count;
  }
  return features.size();
}

std::unique_ptr<hashing::CodeTable> code_table(long long bits) {
  const char* where = "HammingIndex";
  require_positive(where, "bits", bits);
  if (bits % 64 != 0) fail(where, ": bits must be a multiple of 64 (codes are packed in 64-bit words), got ", bits);
  if (bits > kMaxBits) fail(where, ": bits must be at most ", kMaxBits, ", got ", bits);
  return std::make_unique<hashing::CodeTable>(static_cast<std::size_t>(bits / 64));
}

void code_table_add(hashing::CodeTable& table, View<const std::uint64_t> codes) {
  const char* where = "HammingIndex.add";
  require_data(where, "codes", codes);
  if (codes.size % table.words() != 0)
    fail(where, ": codes has ", codes.size, " 64-bit words, not a multiple of bits/64 = ", table.words());
  if (table.size() + codes.size / table.words() > 0x7fffffffu) fail(where, ": the table would exceed 2^31 - 1 codes");
  table.add(codes.data, codes.size / table.words());
}

void code_table_search(const hashing::CodeTable& table, const CodeSearchArgs& args) {
  const char* where = "HammingIndex.search";
  require_known(where, "metric", args.metric, hashing::CodeMetric::kHamming);
  require_positive(where, "topK", args.top_k);
  require_data(where, "queries", args.queries);
  if (args.queries.size == 0 || args.queries.size % table.words() != 0)
    fail(where, ": queries has ", args.queries.size,
         " 64-bit words, expected a positive multiple of bits/64 = ", table.words());
  const std::size_t queries = args.queries.size / table.words();
  const std::size_t k = static_cast<std::size_t>(args.top_k);
  require_size(where, "indices", args.indices, checked_product(where, queries, k), "queries*topK");
  require_size(where, "scores", args.scores, checked_product(where, queries, k), "queries*topK");
  for (std::size_t q = 0; q < queries; ++q) {
    std::int32_t* indices = args.indices.data + q * k;
    std::int32_t* scores = args.scores.data + q * k;
    const std::size_t found = table.search(args.queries.data + q * table.words(), k, args.metric, indices, scores);
    std::fill(indices + found, indices + k, -1);
    std::fill(scores + found, scores + k, -1);
  }
}

}  // namespace attnkit::api
