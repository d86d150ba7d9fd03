#include "attnkit/attention/performer.hpp"

#include <cmath>

namespace attnkit::attention {
namespace {

class GaussianSource {
 public:
  explicit GaussianSource(std::uint64_t seed) : state_(seed) {}

  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = (static_cast<double>(next_bits() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
    const double u2 = static_cast<double>(next_bits() >> 11) * 0x1.0p-53;
    const double radius = std::sqrt(-2.0 * std::log(u1));
    spare_ = radius * std::sin(2.0 * M_PI * u2);
    has_spare_ = true;
    return radius * std::cos(2.0 * M_PI * u2);
  }

 private:
  std::uint64_t next_bits() {  // splitmix64
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  std::uint64_t state_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace

std::vector<float> performer_projection(std::size_t features, std::size_t head_dim, std::uint64_t seed) {
  GaussianSource gaussian(seed);
  std::vector<float> w(features * head_dim);
  std::vector<double> block(head_dim * head_dim);
  for (std::size_t start = 0; start < features; start += head_dim) {
    // A Gaussian square block, rows orthonormalised by modified Gram–Schmidt.
    for (auto& x : block) x = gaussian.next();
    for (std::size_t r = 0; r < head_dim; ++r) {
      double* row = &block[r * head_dim];
      for (std::size_t p = 0; p < r; ++p) {
        const double* prev = &block[p * head_dim];
        double proj = 0.0;
        for (std::size_t c = 0; c < head_dim; ++c) proj += row[c] * prev[c];
        for (std::size_t c = 0; c < head_dim; ++c) row[c] -= proj * prev[c];
      }
      double norm = 0.0;
      for (std::size_t c = 0; c < head_dim; ++c) norm += row[c] * row[c];
      norm = std::sqrt(norm);
      for (std::size_t c = 0; c < head_dim; ++c) row[c] /= norm;
    }
    // Each kept row gets the norm of an independent Gaussian vector (chi with head_dim degrees of freedom).
    for (std::size_t r = 0; r < head_dim && start + r < features; ++r) {
      double chi = 0.0;
      for (std::size_t c = 0; c < head_dim; ++c) {
        const double g = gaussian.next();
        chi += g * g;
      }
      chi = std::sqrt(chi);
      for (std::size_t c = 0; c < head_dim; ++c)
        w[(start + r) * head_dim + c] = static_cast<float>(block[r * head_dim + c] * chi);
    }
  }
  return w;
}

}  // namespace attnkit::attention
