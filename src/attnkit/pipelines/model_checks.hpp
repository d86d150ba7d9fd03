// Checks every pipeline makes of its model files: config.json of the right model type and matching the
// vocabulary, and the special tokens it needs. Errors name the pipeline ("NER: …", "KBQA: …").
#pragma once
#include <cstdint>
#include <string_view>

#include "attnkit/model/config.hpp"
#include "attnkit/text/tokenizer.hpp"

namespace attnkit::pipelines {

model::EncoderConfig checked_config(std::string_view pipeline, std::string_view config_json,
                                    const text::Tokenizer& tokenizer, std::string_view model_type);

std::int32_t required_token(std::string_view pipeline, const text::Tokenizer& tokenizer, std::string_view token);

}  // namespace attnkit::pipelines
