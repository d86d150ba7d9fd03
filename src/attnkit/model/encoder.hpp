// The transformer encoder of attnkit models (see scripts/attnkit_py/model.py): embeddings → LayerNorm →
// post-LN layers with RoPE self-attention (fused kernel, scale per config) and a GELU feed-forward.
#pragma once
#include <cstdint>
#include <vector>

#include "attnkit/kernels/gemm.hpp"
#include "attnkit/kernels/rope.hpp"
#include "attnkit/model/config.hpp"
#include "attnkit/model/safetensors.hpp"

namespace attnkit::model {

struct Linear {
  kernels::PackedB weight;  // Wᵀ packed once at load (PyTorch stores W as [out, in]); re-packing it per
                            // call cost 14% of NER latency
  std::vector<float> bias;  // [out]
  std::size_t in = 0, out = 0;
};

struct Norm {
  std::vector<float> gamma, beta;
};

// y[rows × out] = x[rows × in] · Wᵀ + b.
void apply_linear(const Linear& layer, const float* x, std::size_t rows, float* y);
Linear load_linear(const SafeTensors& st, const std::string& name, std::size_t in, std::size_t out);
Norm load_norm(const SafeTensors& st, const std::string& name, std::size_t size);

class Encoder {
 public:
  Encoder(const EncoderConfig& config, const SafeTensors& weights);

  // Hidden states [ids.size() × hidden_size] of one sequence (all tokens attend to all tokens).
  std::vector<float> forward(const std::vector<std::int32_t>& ids) const;
  const EncoderConfig& config() const { return config_; }

 private:
  struct Layer {
    Linear query, key, value, output, intermediate, ffn_output;
    Norm attention_norm, output_norm;
  };
  void self_attention(const Layer& layer, std::vector<float>& x, std::size_t n) const;
  void feed_forward(const Layer& layer, std::vector<float>& x, std::size_t n) const;

  EncoderConfig config_;
  std::vector<float> embeddings_;
  Norm embedding_norm_;
  std::vector<Layer> layers_;
  kernels::RopeTable rope_;
};

}  // namespace attnkit::model
