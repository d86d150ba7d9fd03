#include "attnkit/model/config.hpp"

#include <nlohmann/json.hpp>

#include "attnkit/core/error.hpp"

namespace attnkit::model {
namespace {

using nlohmann::json;

const json& field(const json& object, const char* name, const char* where = "config.json") {
  if (!object.contains(name)) fail_file(where, ": missing field '", name, "'");
  return object[name];
}

std::size_t positive(const json& object, const char* name, const char* where = "config.json") {
  const json& v = field(object, name, where);
  if (!v.is_number_integer() || v.get<long long>() <= 0)
    fail_file(where, ": '", name, "' must be a positive integer, got ", v.dump());
  return v.get<std::size_t>();
}

std::string text(const json& object, const char* name, const char* where = "config.json") {
  const json& v = field(object, name, where);
  if (!v.is_string()) fail_file(where, ": '", name, "' must be a string, got ", v.dump());
  return v.get<std::string>();
}

double number(const json& object, const char* name, double fallback) {
  if (!object.contains(name)) return fallback;
  const json& v = object[name];
  if (!v.is_number()) fail_file("config.json: '", name, "' must be a number, got ", v.dump());
  return v.get<double>();
}

void expect(const json& object, const char* name, const char* value) {
  if (object.contains(name) && text(object, name) != value)
    fail_file("config.json: '", name, "' = '", object[name].get<std::string>(), "' is not supported (only '", value,
              "')");
}

std::vector<std::string> strings(const json& object, const char* name, const char* where) {
  const json& list = field(object, name, where);
  if (!list.is_array() || list.empty()) fail_file(where, ": '", name, "' must be a non-empty array of strings");
  std::vector<std::string> out;
  for (const json& item : list) {
    if (!item.is_string()) fail_file(where, ": '", name, "' must hold strings, got ", item.dump());
    out.push_back(item.get<std::string>());
  }
  return out;
}

void parse_lexicon(const json& lexicon, LexiconConfig& out) {
  const char* where = "config.json lexicon";
  if (!lexicon.is_object()) fail_file(where, " must be an object");
  const std::vector<std::string> roles = strings(lexicon, "roles", where);
  if (roles != std::vector<std::string>{"B", "M", "E"})
    fail_file(where, ": roles must be [\"B\", \"M\", \"E\"] (first, inside, last character)");
  out.classes = strings(lexicon, "classes", where);
  // A token's features are one 32-bit mask.
  if (out.features() > 32) fail_file(where, ": ", out.classes.size(), " classes × 3 roles exceed 32 features");
  if (lexicon.contains("features") && positive(lexicon, "features", where) != out.features())
    fail_file(where, ": 'features' must be 3 × the number of classes (", out.features(), ")");
  if (lexicon.contains("spans")) {
    if (!lexicon["spans"].is_boolean()) fail_file(where, ": 'spans' must be true or false, got ", lexicon["spans"].dump());
    out.spans = lexicon["spans"].get<bool>();
  }
}

}  // namespace

EncoderConfig parse_config(std::string_view json_text) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::exception& e) {
    fail_file("config.json is not valid JSON (", e.what(), ")");
  }
  if (!root.is_object()) fail_file("config.json must be a JSON object");
  EncoderConfig c;
  if (root.contains("model_type")) c.model_type = text(root, "model_type");
  if (c.model_type != "attnkit-encoder" && c.model_type != "attnkit-seq2seq")
    fail_file("config.json: model_type '", c.model_type, "' is not supported ('attnkit-encoder' or 'attnkit-seq2seq')");
  if (root.contains("segments")) c.segments = positive(root, "segments");
  c.vocab_size = positive(root, "vocab_size");
  c.hidden_size = positive(root, "hidden_size");
  c.num_layers = positive(root, "num_layers");
  c.num_heads = positive(root, "num_heads");
  c.intermediate_size = positive(root, "intermediate_size");
  if (c.hidden_size % c.num_heads != 0 || (c.hidden_size / c.num_heads) % 2 != 0)
    fail_file("config.json: hidden_size ", c.hidden_size, " must split into num_heads ", c.num_heads,
              " heads of an even size (RoPE rotates pairs)");
  if (root.contains("max_length")) c.max_length = positive(root, "max_length");
  c.layer_norm_eps = number(root, "layer_norm_eps", 1e-12);
  c.rope_base = number(root, "rope_base", 10000.0);
  if (!(c.layer_norm_eps > 0) || !(c.rope_base > 1))
    fail_file("config.json: layer_norm_eps must be > 0 and rope_base > 1");
  expect(root, "hidden_act", "gelu");
  expect(root, "layer_norm", "post");
  expect(root, "positions", "rope");
  if (root.contains("attention_scale")) {
    const json& s = root["attention_scale"];
    if (!s.is_object()) fail_file("config.json: 'attention_scale' must be an object");
    const std::string kind = text(s, "kind", "config.json attention_scale");
    if (kind == "entropy-invariant") {
      c.scale.kind = attention::ScaleKind::kEntropyInvariant;
      c.scale.train_len = number(s, "train_len", 512);
      c.scale.min_keys = number(s, "min_keys", 1);
      if (!(c.scale.train_len > 1) || !(c.scale.min_keys >= 1))
        fail_file("config.json: attention_scale needs train_len > 1 and min_keys >= 1");
    } else if (kind != "inv-sqrt-d") {
      fail_file("config.json: attention_scale kind '", kind,
                "' is not supported ('inv-sqrt-d' or 'entropy-invariant')");
    }
  }
  if (root.contains("lexicon")) parse_lexicon(root["lexicon"], c.lexicon);
  if (c.model_type == "attnkit-seq2seq") {
    if (c.segments < 2) fail_file("config.json: a seq2seq model needs 'segments' >= 2 (source and target)");
    return c;
  }
  const json& head = field(root, "head");
  if (!head.is_object()) fail_file("config.json: 'head' must be an object");
  c.head.type = text(head, "type", "config.json head");
  if (c.head.type != "efficient_global_pointer")
    fail_file("config.json: head type '", c.head.type, "' is not supported ('efficient_global_pointer')");
  c.head.head_size = positive(head, "head_size", "config.json head");
  if (c.head.head_size % 2 != 0) fail_file("config.json: head_size must be even (RoPE rotates pairs)");
  c.head.labels = strings(head, "labels", "config.json head");
  return c;
}

}  // namespace attnkit::model
