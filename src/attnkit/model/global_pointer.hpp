// Efficient GlobalPointer (kexue.fm/archives/8877): span scores s_α(i, j) for every entity type α and
// token pair i ≤ j, from the encoder's hidden states. Entities are the cells with s > 0.
#pragma once
#include <cstdint>
#include <vector>

#include "attnkit/model/encoder.hpp"

namespace attnkit::model {

inline constexpr float kMaskedLogit = -1e12f;  // cells with i > j (as the PyTorch reference)

class EfficientGlobalPointer {
 public:
  EfficientGlobalPointer(const EncoderConfig& config, const SafeTensors& weights);

  // logits [types × n × n] from hidden [n × hidden_size]; i > j is kMaskedLogit. `lexicon`: the n tokens'
  // lexicon feature bits, required when the head has lexicon span biases (LexiconConfig::spans), else unused.
  std::vector<float> forward(const std::vector<float>& hidden, std::size_t n,
                             const std::uint32_t* lexicon = nullptr) const;
  std::size_t types() const { return types_; }

 private:
  std::size_t head_size_, types_;
  Linear p_dense_, q_dense_;
  kernels::RopeTable rope_;
  std::size_t lexicon_classes_ = 0;     // of the span biases; 0: none
  std::vector<float> lexicon_span_bias_;  // [classes × types]

  void add_lexicon_span_bias(const std::uint32_t* lexicon, std::size_t n, float* logits) const;
};

}  // namespace attnkit::model
