// Attention scales λ in softmax(λ·q·k): 1/√d, the entropy-invariant log_L(n)/√d, or an explicit value.
#pragma once
#include <cstddef>

namespace attnkit::attention {

enum class ScaleKind { kInverseSqrtDim, kEntropyInvariant, kExplicit };

struct AttentionScale {
  ScaleKind kind = ScaleKind::kInverseSqrtDim;
  double value = 0.0;        // kExplicit only
  double train_len = 512.0;  // kEntropyInvariant: the length L at which λ equals 1/√d
  double min_keys = 1.0;     // kEntropyInvariant: n is floored here (bert4keras's softmax_plus uses 16)
};

// λ(n) = ln(max(n, min_keys)) / ln(train_len) / √head_dim ("从熵不变性看Attention的Scale操作", kexue.fm 8823).
double entropy_invariant_scale(double keys, std::size_t head_dim, double train_len, double min_keys = 1.0);

// λ for a query that sees `visible_keys` keys (mask-aware n for the entropy-invariant scale).
double attention_scale(const AttentionScale& scale, std::size_t head_dim, std::size_t visible_keys);

}  // namespace attnkit::attention
