#include "attnkit/pipelines/ner.hpp"

#include <algorithm>
#include <cmath>

#include "attnkit/core/error.hpp"
#include "attnkit/core/thread_pool.hpp"
#include "attnkit/pipelines/model_checks.hpp"
#include "attnkit/text/unicode.hpp"

namespace attnkit::pipelines {

Ner::Ner(std::string_view config_json, View<const std::uint8_t> safetensors, std::string_view vocab)
    : Ner(config_json, model::SafeTensors::parse(safetensors), text::Tokenizer::from_vocab(vocab)) {}

Ner::Ner(std::string_view config_json, const model::SafeTensors& weights, text::Tokenizer tokenizer)
    : tokenizer_(std::move(tokenizer)),
      config_(checked_config("NER", config_json, tokenizer_, "attnkit-encoder")),
      encoder_(config_, weights),
      head_(config_, weights),
      cls_(required_token("NER", tokenizer_, "[CLS]")),
      sep_(required_token("NER", tokenizer_, "[SEP]")) {
  if (has_lexicon())
    lexicon_ = text::Lexicon::parse(weights.bytes("lexicon.words"), config_.lexicon.classes.size(), "NER lexicon");
}

void Ner::windows_of(std::size_t text, std::size_t tokens, std::size_t max_tokens, std::vector<Window>& out) {
  if (tokens == 0) return;
  if (tokens <= max_tokens) {
    out.push_back({text, 0, tokens, 0, tokens});
    return;
  }
  // Window k covers [k·stride, k·stride + window) and keeps entities starting in its central half (the
  // first window from 0, the last to the end), so each start is judged where it has most context.
  const std::size_t window = max_tokens, stride = window / 2;
  for (std::size_t first = 0;; first += stride) {
    const std::size_t last = std::min(first + window, tokens);
    const bool is_last = last == tokens;
    out.push_back(
        {text, first, last, first == 0 ? 0 : first + window / 4, is_last ? last : first + stride + window / 4});
    if (is_last) break;
  }
}

void Ner::entities_of(const Window& w, const std::vector<text::Token>& tokens, const std::vector<float>& scores,
                      std::vector<Entity>& out) const {
  const std::size_t n = w.last - w.first + 2;  // with [CLS] and [SEP], whose rows/columns are not spans
  for (std::size_t type = 0; type < head_.types(); ++type) {
    for (std::size_t i = 1; i + 1 < n; ++i) {
      const std::size_t token_i = w.first + i - 1;
      if (token_i < w.keep_from || token_i >= w.keep_to) continue;
      for (std::size_t j = i; j + 1 < n; ++j) {
        const float s = scores[(type * n + i) * n + j];
        if (s <= 0) continue;
        out.push_back({tokens[token_i].start, tokens[w.first + j - 1].end, static_cast<std::uint32_t>(type),
                       1.0f / (1.0f + std::exp(-s))});
      }
    }
  }
}

std::vector<float> Ner::logits(const std::vector<std::int32_t>& ids, const std::vector<std::uint32_t>& lexicon) const {
  return head_.forward(encoder_.forward(ids, lexicon), ids.size(), lexicon.empty() ? nullptr : lexicon.data());
}

std::vector<text::Lexicon::Match> Ner::lexicon_matches(std::string_view text) const {
  return has_lexicon() ? lexicon_.matches(text::decode_utf8(text)) : std::vector<text::Lexicon::Match>{};
}

std::vector<std::uint32_t> Ner::lexicon_bits(std::string_view text) const {
  const std::vector<text::Token> tokens = tokenizer_.tokenize(text);
  std::vector<std::uint32_t> bits(tokens.size() + 2, 0);
  if (has_lexicon()) {
    const auto token_bits = text::Lexicon::token_bits(lexicon_.char_bits(text::decode_utf8(text)), tokens);
    std::copy(token_bits.begin(), token_bits.end(), bits.begin() + 1);
  }
  return bits;
}

std::vector<Entity> Ner::extract(std::string_view text) const { return std::move(extract_many({text}).front()); }

std::vector<std::vector<Entity>> Ner::extract_many(const std::vector<std::string_view>& texts) const {
  std::vector<std::vector<text::Token>> tokens;
  std::vector<std::vector<std::uint32_t>> token_bits;  // per text and token, when the model has a lexicon
  std::vector<Window> windows;
  for (std::size_t t = 0; t < texts.size(); ++t) {
    tokens.push_back(tokenizer_.tokenize(texts[t]));
    // Words are matched in the whole text, so a word across a window's edge still marks its characters.
    if (has_lexicon())
      token_bits.push_back(text::Lexicon::token_bits(lexicon_.char_bits(text::decode_utf8(texts[t])), tokens.back()));
    windows_of(t, tokens.back().size(), config_.max_length - 2, windows);
  }
  std::vector<std::vector<Entity>> out(texts.size());
  const std::size_t h = config_.hidden_size;
  for (std::size_t begin = 0; begin < windows.size();) {
    // A batch: windows in order until about kBatchTokens tokens (always at least one window).
    std::vector<std::vector<std::int32_t>> batch;
    std::vector<std::vector<std::uint32_t>> batch_bits;
    std::size_t end = begin, batch_tokens = 0;
    while (end < windows.size() &&
           (batch.empty() || batch_tokens + windows[end].last - windows[end].first + 2 <= kBatchTokens)) {
      const Window& w = windows[end++];
      std::vector<std::int32_t> ids = {cls_};
      for (std::size_t i = w.first; i < w.last; ++i) ids.push_back(tokens[w.text][i].id);
      ids.push_back(sep_);
      if (has_lexicon()) {
        std::vector<std::uint32_t> bits = {0};  // [CLS]
        bits.insert(bits.end(), token_bits[w.text].begin() + static_cast<std::ptrdiff_t>(w.first),
                    token_bits[w.text].begin() + static_cast<std::ptrdiff_t>(w.last));
        bits.push_back(0);  // [SEP]
        batch_bits.push_back(std::move(bits));
      }
      batch_tokens += ids.size();
      batch.push_back(std::move(ids));
    }
    const std::vector<float> hidden = encoder_.forward_batch(batch, batch_bits);
    // The span head of each window is independent (O(n²) scores each): one window per thread; entities are
    // then collected in window order, as with one thread.
    std::vector<std::size_t> row0(batch.size() + 1, 0);
    for (std::size_t b = 0; b < batch.size(); ++b) row0[b + 1] = row0[b] + batch[b].size();
    std::vector<std::vector<float>> logits(batch.size());
    parallel_for(batch.size(), [&](std::size_t b) {
      const std::vector<float> window_hidden(hidden.begin() + static_cast<std::ptrdiff_t>(row0[b] * h),
                                             hidden.begin() + static_cast<std::ptrdiff_t>(row0[b + 1] * h));
      logits[b] = head_.forward(window_hidden, batch[b].size(), has_lexicon() ? batch_bits[b].data() : nullptr);
    });
    for (std::size_t b = 0; b < batch.size(); ++b) {
      const Window& w = windows[begin + b];
      entities_of(w, tokens[w.text], logits[b], out[w.text]);
      std::vector<float>().swap(logits[b]);
    }
    begin = end;
  }
  for (auto& entities : out) {
    std::sort(entities.begin(), entities.end(), [](const Entity& a, const Entity& b) {
      if (a.start != b.start) return a.start < b.start;
      if (a.end != b.end) return a.end > b.end;
      return a.type < b.type;
    });
    entities.erase(std::unique(entities.begin(), entities.end(),
                               [](const Entity& a, const Entity& b) {
                                 return a.start == b.start && a.end == b.end && a.type == b.type;
                               }),
                   entities.end());
  }
  return out;
}

}  // namespace attnkit::pipelines
