// Performer FAVOR+ positive random features (Choromanski et al.): the projection W (features × head_dim),
// Gaussian rows made orthogonal in blocks of head_dim and rescaled to chi-distributed norms.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace attnkit::attention {

// Reproducible for a given seed (splitmix64 + Box–Muller, no platform RNG).
std::vector<float> performer_projection(std::size_t features, std::size_t head_dim, std::uint64_t seed);

}  // namespace attnkit::attention
