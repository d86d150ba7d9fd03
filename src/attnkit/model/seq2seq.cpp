#include "attnkit/model/seq2seq.hpp"

#include "attnkit/core/error.hpp"
#include "attnkit/kernels/activations.hpp"
#include "attnkit/kernels/layer_norm.hpp"

namespace attnkit::model {

Seq2Seq::Seq2Seq(const EncoderConfig& config, const SafeTensors& weights) : encoder_(config, weights) {
  if (config.model_type != "attnkit-seq2seq")
    fail("Seq2Seq: config.json is a '", config.model_type, "' model, not 'attnkit-seq2seq'");
  const std::size_t h = config.hidden_size;
  transform_ = load_linear(weights, "lm_head.transform", h, h);
  norm_ = load_norm(weights, "lm_head.norm", h);
  kernels::pack_b(encoder_.word_embeddings().data(), config.vocab_size, h, kernels::BLayout::kTransposed,
                  output_.weight);
  output_.bias = weights.floats("lm_head.bias", {config.vocab_size});
  output_.in = h;
  output_.out = config.vocab_size;
}

void Seq2Seq::lm_head(const float* hidden, std::size_t rows, std::vector<float>& logits) const {
  const std::size_t h = config().hidden_size;
  std::vector<float> t(rows * h);
  apply_linear(transform_, hidden, rows, t.data());
  kernels::gelu(t.data(), t.size());
  kernels::layer_norm(t.data(), norm_.gamma.data(), norm_.beta.data(), t.data(), rows, h,
                      static_cast<float>(config().layer_norm_eps));
  logits.resize(rows * vocab_size());
  apply_linear(output_, t.data(), rows, logits.data());
}

KvCache Seq2Seq::start(const std::vector<std::int32_t>& source, std::vector<float>& next_logits) const {
  if (source.empty()) fail("Seq2Seq: the source has no tokens");
  KvCache cache = encoder_.new_cache();
  const auto hidden = encoder_.forward_cached({{&cache, source.data(), source.size(), kSourceSegment}});
  lm_head(hidden.data() + (source.size() - 1) * config().hidden_size, 1, next_logits);
  return cache;
}

void Seq2Seq::step(const std::vector<KvCache*>& caches, const std::vector<std::int32_t>& tokens,
                   std::vector<float>& logits) const {
  if (caches.size() != tokens.size()) fail("Seq2Seq: ", caches.size(), " caches but ", tokens.size(), " tokens");
  std::vector<CachedRun> runs;
  for (std::size_t i = 0; i < caches.size(); ++i) runs.push_back({caches[i], &tokens[i], 1, kTargetSegment});
  const auto hidden = encoder_.forward_cached(runs);
  lm_head(hidden.data(), caches.size(), logits);
}

void Seq2Seq::extend(KvCache& cache, const std::vector<std::int32_t>& tokens, std::vector<float>& next_logits) const {
  if (tokens.empty()) return;
  const auto hidden = encoder_.forward_cached({{&cache, tokens.data(), tokens.size(), kTargetSegment}});
  lm_head(hidden.data() + (tokens.size() - 1) * config().hidden_size, 1, next_logits);
}

std::vector<float> Seq2Seq::logits(const std::vector<std::int32_t>& source, const std::vector<std::int32_t>& target) const {
  if (source.empty()) fail("Seq2Seq: the source has no tokens");
  if (source.size() + target.size() > config().max_length)
    fail("Seq2Seq: source + target = ", source.size() + target.size(), " tokens exceed max_length ", config().max_length);
  // The source as the prefix, then the target tokens in one causal block (not token by token).
  KvCache cache = encoder_.new_cache();
  const std::size_t h = config().hidden_size;
  auto hidden = encoder_.forward_cached({{&cache, source.data(), source.size(), kSourceSegment}});
  std::vector<float> rows(hidden.end() - h, hidden.end());  // the source's last row predicts target[0]
  if (target.size() > 1) {
    const auto more = encoder_.forward_cached({{&cache, target.data(), target.size() - 1, kTargetSegment}});
    rows.insert(rows.end(), more.begin(), more.end());
  }
  std::vector<float> out;
  if (!target.empty()) lm_head(rows.data(), target.size(), out);
  return out;
}

}  // namespace attnkit::model
