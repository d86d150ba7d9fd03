// A non-owning view of a contiguous array with its length, so entry points can check sizes against shapes.
#pragma once
#include <cstddef>

namespace attnkit {

template <typename T>
struct View {
  T* data = nullptr;
  std::size_t size = 0;
};

using ConstFloats = View<const float>;
using Floats = View<float>;

}  // namespace attnkit
