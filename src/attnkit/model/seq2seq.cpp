#include "attnkit/model/seq2seq.hpp"

#include <algorithm>
#include <cmath>

#include "attnkit/core/error.hpp"
#include "attnkit/kernels/activations.hpp"
#include "attnkit/kernels/layer_norm.hpp"
#include "attnkit/kernels/vector_ops.hpp"

namespace attnkit::model {
namespace {

constexpr float kCopyFloor = 1e-30f;  // as the PyTorch model: ids absent from the source

float log_sigmoid(float z) { return z >= 0 ? -std::log1p(std::exp(-z)) : z - std::log1p(std::exp(z)); }

float log_add_exp(float a, float b) {
  const float top = std::max(a, b);
  if (top == -INFINITY) return top;
  return top + std::log1p(std::exp(std::min(a, b) - top));
}

}  // namespace

float NextTokens::log_prob(std::size_t row, std::int32_t id) const {
  const std::size_t at = row * vocab + static_cast<std::size_t>(id);
  return log_add_exp(log_gate[row] + logits[at] - log_normaliser[row],
                     log_not_gate[row] + std::log(std::max(copy[at], kCopyFloor)));
}

// p(id) = g·softmax(logits)(id) + (1 − g)·copy(id). Among the ids the source does not hold (copy 0) p rises
// with the logit, so the most likely id is the top logit's or one of the source's: one pass of compares over
// the vocabulary and a few exact log_prob calls, instead of a log per id.
float NextTokens::max_log_prob(std::size_t row) const {
  const float* row_logits = logits.data() + row * vocab;
  const float* row_copy = copy.data() + row * vocab;
  const auto top = static_cast<std::int32_t>(std::max_element(row_logits, row_logits + vocab) - row_logits);
  float best = log_prob(row, top);
  for (std::size_t id = 0; id < vocab; ++id)
    if (row_copy[id] > 0.0f) best = std::max(best, log_prob(row, static_cast<std::int32_t>(id)));
  return best;
}

Seq2Seq::Seq2Seq(const EncoderConfig& config, const SafeTensors& weights) : encoder_(config, weights) {
  if (config.model_type != "attnkit-seq2seq")
    fail_file("Seq2Seq: config.json is a '", config.model_type, "' model, not 'attnkit-seq2seq'");
  const std::size_t h = config.hidden_size;
  transform_ = load_linear(weights, "lm_head.transform", h, h);
  norm_ = load_norm(weights, "lm_head.norm", h);
  kernels::pack_b(encoder_.word_embeddings().data(), config.vocab_size, h, kernels::BLayout::kTransposed,
                  output_.weight);
  output_.bias = weights.floats("lm_head.bias", {config.vocab_size});
  output_.in = h;
  output_.out = config.vocab_size;
  copy_query_ = load_linear(weights, "copy_head.query", h, h);
  copy_key_ = load_linear(weights, "copy_head.key", h, h);
  copy_gate_ = load_linear(weights, "copy_head.gate", h, 1);
}

void Seq2Seq::heads(const float* hidden, const std::vector<const CopySource*>& sources, NextTokens& next) const {
  const std::size_t h = config().hidden_size, vocab = vocab_size(), rows = sources.size();
  next.rows = rows;
  next.vocab = vocab;
  // Generation: the LM head's logits and their log-normaliser.
  std::vector<float> t(rows * h);
  apply_linear(transform_, hidden, rows, t.data());
  kernels::gelu(t.data(), t.size());
  kernels::layer_norm(t.data(), norm_.gamma.data(), norm_.beta.data(), t.data(), rows, h,
                      static_cast<float>(config().layer_norm_eps));
  next.logits.resize(rows * vocab);
  apply_linear(output_, t.data(), rows, next.logits.data());
  std::vector<float> scratch(vocab);
  next.log_normaliser.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* row = next.logits.data() + r * vocab;
    const float top = kernels::vector_max(row, vocab);
    next.log_normaliser[r] = top + std::log(kernels::exp_shifted(row, scratch.data(), vocab, top));
  }
  // Copying: attention of copy_query(h) over the source's copy keys, summed per token id; the gate.
  std::vector<float> query(rows * h), gate(rows);
  apply_linear(copy_query_, hidden, rows, query.data());
  apply_linear(copy_gate_, hidden, rows, gate.data());
  next.copy.assign(rows * vocab, 0.0f);
  next.log_gate.resize(rows);
  next.log_not_gate.resize(rows);
  const float inv_sqrt_h = 1.0f / std::sqrt(static_cast<float>(h));
  std::vector<float> scores;
  for (std::size_t r = 0; r < rows; ++r) {
    next.log_gate[r] = log_sigmoid(gate[r]);
    next.log_not_gate[r] = log_sigmoid(-gate[r]);
    const CopySource& source = *sources[r];
    const std::size_t count = source.ids.size();
    if (count == 0) continue;
    scores.resize(count);
    for (std::size_t i = 0; i < count; ++i)
      scores[i] = kernels::dot(query.data() + r * h, source.keys.data() + i * h, h) * inv_sqrt_h;
    const float top = kernels::vector_max(scores.data(), count);
    const float sum = kernels::exp_shifted(scores.data(), scores.data(), count, top);
    for (std::size_t i = 0; i < count; ++i)
      next.copy[r * vocab + static_cast<std::size_t>(source.ids[i])] += scores[i] / sum;
  }
}

DecoderState Seq2Seq::start(const std::vector<std::int32_t>& source, NextTokens& next) const {
  if (source.empty()) fail("Seq2Seq: the source has no tokens");
  const std::size_t h = config().hidden_size, n = source.size();
  DecoderState state{encoder_.new_cache(), nullptr};
  const auto hidden = encoder_.forward_cached({{&state.cache, source.data(), n, kSourceSegment}});
  auto copy = std::make_shared<CopySource>();
  if (n > 2) {
    copy->ids.assign(source.begin() + 1, source.end() - 1);
    copy->keys.resize((n - 2) * h);
    apply_linear(copy_key_, hidden.data() + h, n - 2, copy->keys.data());
  }
  state.source = std::move(copy);
  heads(hidden.data() + (n - 1) * h, {state.source.get()}, next);
  return state;
}

void Seq2Seq::step(const std::vector<DecoderState*>& states, const std::vector<std::int32_t>& tokens,
                   NextTokens& next) const {
  if (states.size() != tokens.size()) fail("Seq2Seq: ", states.size(), " states but ", tokens.size(), " tokens");
  std::vector<CachedRun> runs;
  std::vector<const CopySource*> sources;
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (!states[i]->source) fail("Seq2Seq: a decoder state that was not started");
    runs.push_back({&states[i]->cache, &tokens[i], 1, kTargetSegment});
    sources.push_back(states[i]->source.get());
  }
  const auto hidden = encoder_.forward_cached(runs);
  heads(hidden.data(), sources, next);
}

void Seq2Seq::extend(DecoderState& state, const std::vector<std::int32_t>& tokens, NextTokens& next) const {
  if (tokens.empty()) return;
  if (!state.source) fail("Seq2Seq: a decoder state that was not started");
  const auto hidden = encoder_.forward_cached({{&state.cache, tokens.data(), tokens.size(), kTargetSegment}});
  heads(hidden.data() + (tokens.size() - 1) * config().hidden_size, {state.source.get()}, next);
}

std::vector<float> Seq2Seq::log_probs(const std::vector<std::int32_t>& source,
                                      const std::vector<std::int32_t>& target) const {
  if (source.size() + target.size() > config().max_length)
    fail("Seq2Seq: source + target = ", source.size() + target.size(), " tokens exceed max_length ",
         config().max_length);
  if (target.empty()) return {};
  // The source as the prefix, then the target tokens in one causal block (not token by token).
  NextTokens first, rest;
  DecoderState state = start(source, first);
  if (target.size() > 1) {
    const auto hidden = encoder_.forward_cached({{&state.cache, target.data(), target.size() - 1, kTargetSegment}});
    heads(hidden.data(), std::vector<const CopySource*>(target.size() - 1, state.source.get()), rest);
  }
  const std::size_t vocab = vocab_size();
  std::vector<float> out(target.size() * vocab);
  for (std::size_t t = 0; t < target.size(); ++t)
    for (std::size_t id = 0; id < vocab; ++id)
      out[t * vocab + id] = t == 0 ? first.log_prob(0, static_cast<std::int32_t>(id))
                                   : rest.log_prob(t - 1, static_cast<std::int32_t>(id));
  return out;
}

}  // namespace attnkit::model
