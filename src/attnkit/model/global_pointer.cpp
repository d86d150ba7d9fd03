// p = Dense(2d)(h); q = p[..., 0::2], k = p[..., 1::2], both rotated by RoPE; bias = Dense(2·types)(p) / 2
// on the un-rotated p; s_α(i, j) = q_i·k_j/√d + bias[j][2α] (end) + bias[i][2α+1] (start).
#include "attnkit/model/global_pointer.hpp"

#include <cmath>

#include "attnkit/core/error.hpp"
#include "attnkit/kernels/gemm.hpp"
#include "attnkit/kernels/rope.hpp"
#include "attnkit/kernels/vector_ops.hpp"

namespace attnkit::model {

EfficientGlobalPointer::EfficientGlobalPointer(const EncoderConfig& config, const SafeTensors& weights)
    : head_size_(config.head.head_size),
      types_(config.head.labels.size()),
      p_dense_(load_linear(weights, "head.p_dense", config.hidden_size, 2 * config.head.head_size)),
      q_dense_(load_linear(weights, "head.q_dense", 2 * config.head.head_size, 2 * config.head.labels.size())),
      rope_(config.max_length, config.head.head_size, config.rope_base) {
  if (config.lexicon.spans) {
    lexicon_classes_ = config.lexicon.classes.size();
    lexicon_span_bias_ = weights.floats("head.lexicon_span_bias", {lexicon_classes_, types_});
  }
}

// logits[t][i][j] += bias[c][t] for every class c with a word starting at token i and one ending at token j
// (as the PyTorch reference's einsum over the B and E feature bits); cells i > j stay masked.
void EfficientGlobalPointer::add_lexicon_span_bias(const std::uint32_t* lexicon, std::size_t n, float* logits) const {
  if (lexicon == nullptr) fail("NER head: the model has lexicon span biases: pass each token's lexicon features");
  const std::size_t classes = lexicon_classes_;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < classes; ++c) {
      if ((lexicon[i] >> c & 1u) == 0) continue;  // role B: bits [0, classes)
      for (std::size_t j = i; j < n; ++j) {
        if ((lexicon[j] >> (2 * classes + c) & 1u) == 0) continue;  // role E: bits [2·classes, 3·classes)
        for (std::size_t t = 0; t < types_; ++t) logits[(t * n + i) * n + j] += lexicon_span_bias_[c * types_ + t];
      }
    }
}

std::vector<float> EfficientGlobalPointer::forward(const std::vector<float>& hidden, std::size_t n,
                                                   const std::uint32_t* lexicon) const {
  const std::size_t d = head_size_;
  std::vector<float> p(n * 2 * d), q(n * d), k(n * d), bias(n * 2 * types_), scores(n * n);
  apply_linear(p_dense_, hidden.data(), n, p.data());
  apply_linear(q_dense_, p.data(), n, bias.data());
  for (std::size_t t = 0; t < n; ++t)
    for (std::size_t c = 0; c < d; ++c) q[t * d + c] = p[t * 2 * d + 2 * c], k[t * d + c] = p[t * 2 * d + 2 * c + 1];
  rope_.apply(q.data(), n, n, 0);
  rope_.apply(k.data(), n, n, 0);
  kernels::gemm(q.data(), k.data(), scores.data(), n, n, d, kernels::BLayout::kTransposed);
  const float inv_sqrt_d = 1.0f / std::sqrt(static_cast<float>(d));
  std::vector<float> logits(types_ * n * n);
  for (std::size_t a = 0; a < types_; ++a)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        logits[(a * n + i) * n + j] = j < i ? kMaskedLogit
                                            : scores[i * n + j] * inv_sqrt_d + 0.5f * bias[j * 2 * types_ + 2 * a] +
                                                  0.5f * bias[i * 2 * types_ + 2 * a + 1];
  if (lexicon_classes_ > 0) add_lexicon_span_bias(lexicon, n, logits.data());
  return logits;
}

}  // namespace attnkit::model
