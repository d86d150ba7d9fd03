#include "attnkit/model/encoder.hpp"

#include <cmath>
#include <functional>

#include "attnkit/attention/softmax_attention.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/core/thread_pool.hpp"
#include "attnkit/kernels/activations.hpp"
#include "attnkit/kernels/gemm.hpp"
#include "attnkit/kernels/layer_norm.hpp"
#include "attnkit/kernels/rope.hpp"
#include "attnkit/kernels/vector_ops.hpp"

namespace attnkit::model {

Linear load_linear(const SafeTensors& st, const std::string& name, std::size_t in, std::size_t out) {
  Linear layer;
  const std::vector<float> weight = st.floats(name + ".weight", {out, in});
  kernels::pack_b(weight.data(), out, in, kernels::BLayout::kTransposed, layer.weight);
  layer.bias = st.floats(name + ".bias", {out});
  layer.in = in;
  layer.out = out;
  return layer;
}

Norm load_norm(const SafeTensors& st, const std::string& name, std::size_t size) {
  return {st.floats(name + ".weight", {size}), st.floats(name + ".bias", {size})};
}

namespace {

// body(begin, end) over row ranges of a rows × width array: one range per thread when the array is large
// enough to pay for waking them. Row-wise work gives the same values however the rows are grouped.
void for_row_ranges(std::size_t rows, std::size_t width, const std::function<void(std::size_t, std::size_t)>& body) {
  constexpr std::size_t kParallelValues = 1 << 15;
  if (rows * width < kParallelValues) return body(0, rows);
  parallel_ranges(rows, 1, thread_count(), body);
}

}  // namespace

void apply_linear(const Linear& layer, const float* x, std::size_t rows, float* y) {
  kernels::gemm_packed_b(x, layer.in, rows, layer.weight, 0, layer.out, 0, layer.in, y, layer.out, false);
  for (std::size_t r = 0; r < rows; ++r) kernels::axpy(1.0f, layer.bias.data(), y + r * layer.out, layer.out);
}

Encoder::Encoder(const EncoderConfig& config, const SafeTensors& weights)
    : config_(config), rope_(config.max_length, config.hidden_size / config.num_heads, config.rope_base) {
  const std::size_t h = config.hidden_size, f = config.intermediate_size;
  embeddings_ = weights.floats("embeddings.word_embeddings.weight", {config.vocab_size, h});
  if (config.segments > 0)
    segment_embeddings_ = weights.floats("embeddings.segment_embeddings.weight", {config.segments, h});
  if (config.lexicon.features() > 0)
    lexicon_embeddings_ = weights.floats("embeddings.lexicon_embeddings.weight", {config.lexicon.features(), h});
  embedding_norm_ = load_norm(weights, "embeddings.norm", h);
  for (std::size_t i = 0; i < config.num_layers; ++i) {
    const std::string p = "encoder.layer." + std::to_string(i) + ".";
    layers_.push_back({load_linear(weights, p + "query", h, h), load_linear(weights, p + "key", h, h),
                       load_linear(weights, p + "value", h, h), load_linear(weights, p + "output", h, h),
                       load_linear(weights, p + "intermediate", h, f), load_linear(weights, p + "ffn_output", f, h),
                       load_norm(weights, p + "attention_norm", h), load_norm(weights, p + "output_norm", h)});
  }
}

namespace {

// [n × heads·d] ↔ [heads × n × d]: the attention kernel takes heads as the outer dimension.
void to_heads(const float* x, std::size_t n, std::size_t heads, std::size_t d, float* out) {
  for (std::size_t t = 0; t < n; ++t)
    for (std::size_t hd = 0; hd < heads; ++hd)
      std::copy(x + t * heads * d + hd * d, x + t * heads * d + (hd + 1) * d, out + (hd * n + t) * d);
}

void from_heads(const float* x, std::size_t n, std::size_t heads, std::size_t d, float* out) {
  for (std::size_t hd = 0; hd < heads; ++hd)
    for (std::size_t t = 0; t < n; ++t)
      std::copy(x + (hd * n + t) * d, x + (hd * n + t + 1) * d, out + t * heads * d + hd * d);
}

}  // namespace

void Encoder::self_attention(const Layer& layer, std::vector<float>& x, const std::vector<std::size_t>& lengths) const {
  const std::size_t h = config_.hidden_size, heads = config_.num_heads, d = h / heads, rows = x.size() / h;
  std::vector<float> query(rows * h), key(rows * h), value(rows * h), attended(rows * h);
  apply_linear(layer.query, x.data(), rows, query.data());
  apply_linear(layer.key, x.data(), rows, key.data());
  apply_linear(layer.value, x.data(), rows, value.data());
  // Per sequence: [n × h] rows → [heads × n × d], RoPE from position 0, attention over itself, and back. With
  // threads, one sequence per thread (a batch of windows); a single sequence splits its heads instead.
  std::vector<std::size_t> row0(lengths.size() + 1, 0);
  for (std::size_t s = 0; s < lengths.size(); ++s) row0[s + 1] = row0[s] + lengths[s];
  parallel_for(lengths.size(), [&](std::size_t s) {
    const std::size_t n = lengths[s];
    std::vector<float> q(n * h), k(n * h), v(n * h), out(n * h);
    to_heads(query.data() + row0[s] * h, n, heads, d, q.data());
    to_heads(key.data() + row0[s] * h, n, heads, d, k.data());
    to_heads(value.data() + row0[s] * h, n, heads, d, v.data());
    rope_.apply(q.data(), heads * n, n, 0);
    rope_.apply(k.data(), heads * n, n, 0);
    attention::softmax_attention(q.data(), k.data(), v.data(), out.data(), {1, heads, n, n, d, d}, {}, config_.scale);
    from_heads(out.data(), n, heads, d, attended.data() + row0[s] * h);
  });
  attention_output(layer, attended, x, rows);
}

// x ← LayerNorm(x + attended · W_o + b_o).
void Encoder::attention_output(const Layer& layer, const std::vector<float>& attended, std::vector<float>& x,
                               std::size_t n) const {
  const std::size_t h = config_.hidden_size;
  std::vector<float> out(n * h);
  apply_linear(layer.output, attended.data(), n, out.data());
  add_and_normalize(out, layer.attention_norm, x, n);
}

KvCache Encoder::new_cache() const {
  KvCache cache;
  cache.keys.resize(config_.num_layers * config_.num_heads);
  cache.values.resize(config_.num_layers * config_.num_heads);
  return cache;
}

void Encoder::cached_attention(std::size_t index, std::vector<float>& x, const std::vector<CachedRun>& runs) const {
  const Layer& layer = layers_[index];
  const std::size_t h = config_.hidden_size, heads = config_.num_heads, d = h / heads;
  const std::size_t rows = x.size() / h;
  std::vector<float> q(rows * h), k(rows * h), v(rows * h), attended(rows * h);
  apply_linear(layer.query, x.data(), rows, q.data());
  apply_linear(layer.key, x.data(), rows, k.data());
  apply_linear(layer.value, x.data(), rows, v.data());
  std::vector<float> head_q, head_out;
  std::size_t first = 0;  // the run's first row in x
  for (const CachedRun& run : runs) {
    KvCache& cache = *run.cache;
    const std::size_t m = run.count, past = cache.length, keys = past + m;
    head_q.resize(m * d);
    head_out.resize(m * d);
    for (std::size_t hd = 0; hd < heads; ++hd) {
      std::vector<float>& head_k = cache.keys[index * heads + hd];
      std::vector<float>& head_v = cache.values[index * heads + hd];
      head_k.resize(keys * d);
      head_v.resize(keys * d);
      float* cached_k = head_k.data();
      float* cached_v = head_v.data();
      for (std::size_t t = 0; t < m; ++t) {
        const std::size_t at = (first + t) * h + hd * d;
        std::copy(q.begin() + at, q.begin() + at + d, head_q.begin() + t * d);
        std::copy(k.begin() + at, k.begin() + at + d, cached_k + (past + t) * d);
        std::copy(v.begin() + at, v.begin() + at + d, cached_v + (past + t) * d);
      }
      rope_.apply(head_q.data(), m, m, past);
      rope_.apply(cached_k + past * d, m, m, past);
      attention::AttentionMask mask;
      mask.causal = true;
      mask.prefix_len = past == 0 ? m : cache.prefix_len;
      attention::softmax_attention(head_q.data(), cached_k, cached_v, head_out.data(), {1, 1, m, keys, d, d}, mask,
                                   config_.scale);
      for (std::size_t t = 0; t < m; ++t)
        std::copy(head_out.begin() + t * d, head_out.begin() + (t + 1) * d,
                  attended.begin() + (first + t) * h + hd * d);
    }
    first += m;
  }
  attention_output(layer, attended, x, rows);
}

// x ← LayerNorm(x + out), row by row.
void Encoder::add_and_normalize(const std::vector<float>& out, const Norm& norm, std::vector<float>& x,
                                std::size_t n) const {
  const std::size_t h = config_.hidden_size;
  for_row_ranges(n, h, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin * h; i < end * h; ++i) x[i] += out[i];
    kernels::layer_norm(x.data() + begin * h, norm.gamma.data(), norm.beta.data(), x.data() + begin * h, end - begin, h,
                        static_cast<float>(config_.layer_norm_eps));
  });
}

void Encoder::feed_forward(const Layer& layer, std::vector<float>& x, std::size_t n) const {
  const std::size_t h = config_.hidden_size, f = config_.intermediate_size;
  std::vector<float> inner(n * f), out(n * h);
  apply_linear(layer.intermediate, x.data(), n, inner.data());
  for_row_ranges(
      n, f, [&](std::size_t begin, std::size_t end) { kernels::gelu(inner.data() + begin * f, (end - begin) * f); });
  apply_linear(layer.ffn_output, inner.data(), n, out.data());
  add_and_normalize(out, layer.output_norm, x, n);
}

// x[n × h] ← LayerNorm(word embedding + segment embedding + one lexicon vector per set feature bit) of ids.
void Encoder::embed(const std::int32_t* ids, std::size_t n, std::int32_t segment, const std::uint32_t* lexicon,
                    float* x) const {
  const std::size_t h = config_.hidden_size, features = config_.lexicon.features();
  if ((lexicon != nullptr) != (features > 0))
    fail(features > 0 ? "encoder: the model has a lexicon: pass each token's lexicon features"
                      : "encoder: lexicon features given, but the model has no lexicon");
  for (std::size_t t = 0; t < n; ++t) {
    if (ids[t] < 0 || static_cast<std::size_t>(ids[t]) >= config_.vocab_size)
      fail("encoder: token id ", ids[t], " at position ", t, " is outside the vocabulary (", config_.vocab_size, ")");
    std::copy(embeddings_.begin() + ids[t] * h, embeddings_.begin() + (ids[t] + 1) * h, x + t * h);
    if (!segment_embeddings_.empty()) kernels::axpy(1.0f, segment_embeddings_.data() + segment * h, x + t * h, h);
    if (lexicon == nullptr) continue;
    if (lexicon[t] >> features != 0)
      fail("encoder: lexicon features ", lexicon[t], " at position ", t, " set a bit >= ", features,
           " (the model's count)");
    for (std::uint32_t bits = lexicon[t]; bits != 0; bits &= bits - 1)
      kernels::axpy(1.0f, lexicon_embeddings_.data() + static_cast<std::size_t>(__builtin_ctz(bits)) * h, x + t * h, h);
  }
  kernels::layer_norm(x, embedding_norm_.gamma.data(), embedding_norm_.beta.data(), x, n, h,
                      static_cast<float>(config_.layer_norm_eps));
}

std::vector<float> Encoder::forward_cached(const std::vector<CachedRun>& runs) const {
  const std::size_t h = config_.hidden_size;
  std::size_t rows = 0;
  for (const CachedRun& run : runs) {
    if (run.count == 0) fail("encoder: a cached run has no tokens");
    if (run.cache->keys.size() != config_.num_layers * config_.num_heads ||
        run.cache->values.size() != run.cache->keys.size())
      fail("encoder: the KV cache was not made by this model");
    if (run.cache->length + run.count > config_.max_length)
      fail("encoder: sequence length ", run.cache->length + run.count, " exceeds max_length ", config_.max_length);
    if (run.segment < 0 || static_cast<std::size_t>(run.segment) >= std::max<std::size_t>(1, config_.segments))
      fail("encoder: segment ", run.segment, " is outside [0, ", config_.segments, ")");
    rows += run.count;
  }
  std::vector<float> x(rows * h);
  std::size_t first = 0;
  for (const CachedRun& run : runs) {
    embed(run.ids, run.count, run.segment, nullptr, x.data() + first * h);
    first += run.count;
  }
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    cached_attention(i, x, runs);
    feed_forward(layers_[i], x, rows);
  }
  for (const CachedRun& run : runs) {
    if (run.cache->length == 0) run.cache->prefix_len = run.count;
    run.cache->length += run.count;
  }
  return x;
}

std::vector<float> Encoder::forward(const std::vector<std::int32_t>& ids, const LexiconBits& lexicon) const {
  return lexicon.empty() ? forward_batch({ids}) : forward_batch({ids}, {lexicon});
}

std::vector<float> Encoder::forward_batch(const std::vector<std::vector<std::int32_t>>& sequences,
                                          const std::vector<LexiconBits>& lexicon) const {
  const std::size_t h = config_.hidden_size;
  std::vector<std::size_t> lengths;
  std::size_t rows = 0;
  for (const auto& ids : sequences) {
    if (ids.empty() || ids.size() > config_.max_length)
      fail("encoder: sequence length ", ids.size(), " must be in [1, max_length = ", config_.max_length, "]");
    lengths.push_back(ids.size());
    rows += ids.size();
  }
  std::vector<float> x(rows * h);
  std::size_t row0 = 0;
  if (!lexicon.empty() && lexicon.size() != sequences.size())
    fail("encoder: lexicon features for ", lexicon.size(), " sequences, ", sequences.size(), " sequences given");
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    const auto& ids = sequences[i];
    if (!lexicon.empty() && lexicon[i].size() != ids.size())
      fail("encoder: sequence ", i, " has ", ids.size(), " tokens but lexicon features for ", lexicon[i].size());
    embed(ids.data(), ids.size(), 0, lexicon.empty() ? nullptr : lexicon[i].data(), x.data() + row0 * h);
    row0 += ids.size();
  }
  for (const Layer& layer : layers_) {
    self_attention(layer, x, lengths);
    feed_forward(layer, x, rows);
  }
  return x;
}

}  // namespace attnkit::model
