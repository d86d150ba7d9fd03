// An immutable array that either owns its elements or borrows them from a file's bytes held elsewhere
// (e.g. a KB index the caller keeps alive): opening a 40 MB index then reads its tries and strings in
// place instead of copying them, which halves the peak memory of opening it.
#pragma once
#include <cstddef>
#include <utility>
#include <vector>

namespace attnkit {

template <typename T>
class ArrayRef {
 public:
  ArrayRef() = default;
  ArrayRef(std::vector<T> owned) : owned_(std::move(owned)), data_(owned_.data()), size_(owned_.size()) {}  // NOLINT
  static ArrayRef borrow(const T* data, std::size_t size) {
    ArrayRef array;
    array.data_ = data;
    array.size_ = size;
    array.borrowed_ = true;
    return array;
  }
  ArrayRef(const ArrayRef& other) { *this = other; }
  ArrayRef(ArrayRef&& other) noexcept { *this = std::move(other); }
  ArrayRef& operator=(const ArrayRef& other) {
    if (this == &other) return *this;
    owned_ = other.owned_;
    borrowed_ = other.borrowed_;
    data_ = borrowed_ ? other.data_ : owned_.data();
    size_ = other.size_;
    return *this;
  }
  ArrayRef& operator=(ArrayRef&& other) noexcept {
    owned_ = std::move(other.owned_);  // a moved vector keeps its buffer, so data_ stays valid
    borrowed_ = other.borrowed_;
    data_ = borrowed_ ? other.data_ : owned_.data();
    size_ = other.size_;
    return *this;
  }

  const T* data() const { return data_; }
  // Writable elements of an owned array (builders fill one, then only read it); null when borrowed.
  T* owned_data() { return borrowed_ ? nullptr : owned_.data(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T& back() const { return data_[size_ - 1]; }
  // Bytes it occupies: its own, or those it borrows (which are in memory too, held by their owner).
  std::size_t memory_bytes() const { return borrowed_ ? size_ * sizeof(T) : owned_.capacity() * sizeof(T); }

 private:
  std::vector<T> owned_;
  const T* data_ = nullptr;
  std::size_t size_ = 0;
  bool borrowed_ = false;
};

}  // namespace attnkit
