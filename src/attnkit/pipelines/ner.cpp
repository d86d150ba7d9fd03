#include "attnkit/pipelines/ner.hpp"

#include <algorithm>
#include <cmath>

#include "attnkit/core/error.hpp"
#include "attnkit/pipelines/model_checks.hpp"

namespace attnkit::pipelines {

Ner::Ner(std::string_view config_json, View<const std::uint8_t> safetensors, std::string_view vocab)
    : Ner(config_json, model::SafeTensors::parse(safetensors), text::Tokenizer::from_vocab(vocab)) {}

Ner::Ner(std::string_view config_json, const model::SafeTensors& weights, text::Tokenizer tokenizer)
    : tokenizer_(std::move(tokenizer)),
      config_(checked_config("NER", config_json, tokenizer_, "attnkit-encoder")),
      encoder_(config_, weights),
      head_(config_, weights),
      cls_(required_token("NER", tokenizer_, "[CLS]")),
      sep_(required_token("NER", tokenizer_, "[SEP]")) {}

void Ner::extract_window(const std::vector<text::Token>& tokens, std::size_t first, std::size_t last,
                         std::size_t keep_from, std::size_t keep_to, std::vector<Entity>& out) const {
  std::vector<std::int32_t> ids = {cls_};
  for (std::size_t t = first; t < last; ++t) ids.push_back(tokens[t].id);
  ids.push_back(sep_);
  const std::size_t n = ids.size();
  const auto scores = logits(ids);
  for (std::size_t type = 0; type < head_.types(); ++type) {
    for (std::size_t i = 1; i + 1 < n; ++i) {  // [CLS] and [SEP] rows/columns are not spans
      const std::size_t token_i = first + i - 1;
      if (token_i < keep_from || token_i >= keep_to) continue;
      for (std::size_t j = i; j + 1 < n; ++j) {
        const float s = scores[(type * n + i) * n + j];
        if (s <= 0) continue;
        out.push_back({tokens[token_i].start, tokens[first + j - 1].end, static_cast<std::uint32_t>(type),
                       1.0f / (1.0f + std::exp(-s))});
      }
    }
  }
}

std::vector<float> Ner::logits(const std::vector<std::int32_t>& ids) const {
  return head_.forward(encoder_.forward(ids), ids.size());
}

std::vector<Entity> Ner::extract(std::string_view text) const {
  const auto tokens = tokenizer_.tokenize(text);
  std::vector<Entity> out;
  const std::size_t window = config_.max_length - 2, stride = window / 2;
  if (tokens.size() <= window) {
    if (!tokens.empty()) extract_window(tokens, 0, tokens.size(), 0, tokens.size(), out);
  } else {
    // Window k covers [k·stride, k·stride + window) and keeps entities starting in its central half (the
    // first window from 0, the last to the end), so each start is judged where it has most context.
    for (std::size_t first = 0;; first += stride) {
      const std::size_t last = std::min(first + window, tokens.size());
      const bool is_last = last == tokens.size();
      const std::size_t keep_from = first == 0 ? 0 : first + window / 4;
      const std::size_t keep_to = is_last ? last : first + stride + window / 4;
      extract_window(tokens, first, last, keep_from, keep_to, out);
      if (is_last) break;
    }
  }
  std::sort(out.begin(), out.end(), [](const Entity& a, const Entity& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.end != b.end) return a.end > b.end;
    return a.type < b.type;
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Entity& a, const Entity& b) { return a.start == b.start && a.end == b.end && a.type == b.type; }),
            out.end());
  return out;
}

}  // namespace attnkit::pipelines
