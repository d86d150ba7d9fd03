#include "attnkit/pipelines/model_checks.hpp"

#include "attnkit/core/error.hpp"

namespace attnkit::pipelines {

model::EncoderConfig checked_config(std::string_view pipeline, std::string_view config_json,
                                    const text::Tokenizer& tokenizer, std::string_view model_type) {
  auto config = model::parse_config(config_json);
  if (config.model_type != model_type)
    fail_file(pipeline, ": config.json is a '", config.model_type, "' model, not an '", model_type, "' model");
  if (tokenizer.vocab_size() != config.vocab_size)
    fail_file(pipeline, ": vocab.txt has ", tokenizer.vocab_size(), " tokens but config.json says vocab_size ", config.vocab_size);
  if (config.max_length < 8) fail_file(pipeline, ": max_length ", config.max_length, " is too small (at least 8)");
  return config;
}

std::int32_t required_token(std::string_view pipeline, const text::Tokenizer& tokenizer, std::string_view token) {
  const std::int32_t id = tokenizer.id(token);
  if (id < 0) fail_file(pipeline, ": vocab.txt has no ", token, " token");
  return id;
}

}  // namespace attnkit::pipelines
