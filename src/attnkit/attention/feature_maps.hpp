// Feature maps φ of linear attention (kexue.fm 7546, 8338): φ(q)ᵀφ(k) stands in for exp(q·k).
#pragma once
#include <cstddef>

namespace attnkit::attention {

enum class FeatureMap { kEluPlusOne, kRelu, kExp, kPerformer };

struct FeatureMapSpec {
  FeatureMap map = FeatureMap::kEluPlusOne;
  const float* projection = nullptr;  // kPerformer: features × head_dim
  std::size_t features = 0;           // kPerformer: number of random features m
};

// Width of φ(x): head_dim, or m for Performer.
std::size_t feature_count(const FeatureMapSpec& spec, std::size_t head_dim);

// Exponential maps (exp, Performer) produce log-features u with φ = exp(u − shift): any shift common to
// all keys, or to one query's features, cancels in the attention ratio, so it is chosen for stability.
bool is_exponential(FeatureMap map);

// Writes φ(x) (or the log-features u for exponential maps) into out[feature_count].
void raw_features(const FeatureMapSpec& spec, const float* x, std::size_t head_dim, float* out);

}  // namespace attnkit::attention
