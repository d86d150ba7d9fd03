// SIMD operations on one contiguous vector, shared by softmax, the attention policies and entropy tools.
#pragma once
#include <cstddef>

namespace attnkit::kernels {

// Largest value of x[0..n) (which holds no NaN); -inf for n = 0.
float vector_max(const float* x, std::size_t n);

// out[i] = exp(x[i] − shift) for shift ≥ every x[i] (a maximum: the softmax's shift); returns Σ out. x and out
// may alias.
float exp_shifted(const float* x, float* out, std::size_t n, float shift);

// x[i] *= factor.
void scale_in_place(float* x, std::size_t n, float factor);

// y[i] += alpha · x[i].
void axpy(float alpha, const float* x, float* y, std::size_t n);

// Σ x[i].
float vector_sum(const float* x, std::size_t n);

// Σ x[i]·y[i].
float dot(const float* x, const float* y, std::size_t n);

}  // namespace attnkit::kernels
