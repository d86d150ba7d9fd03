// Little-endian binary files: appending values and arrays, reading them back with bounds checks, and the
// FNV-1a checksum every attnkit file format ends with. Host order is little-endian on every target attnkit
// builds for (x86, ARM, WebAssembly), so values are copied as they are.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "attnkit/core/array_ref.hpp"
#include "attnkit/core/error.hpp"
#include "attnkit/core/view.hpp"

namespace attnkit {

inline std::uint64_t fnv1a(const std::uint8_t* data, std::size_t size, std::uint64_t hash = 0xcbf29ce484222325ULL) {
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 0x100000001b3ULL;
  return hash;
}

template <typename T>
void put(std::vector<std::uint8_t>& out, const T& value) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(&value);
  out.insert(out.end(), bytes, bytes + sizeof(T));
}

template <typename T>
void put_array(std::vector<std::uint8_t>& out, const std::vector<T>& values) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(values.data());
  out.insert(out.end(), bytes, bytes + values.size() * sizeof(T));
}

// An array a reader can borrow in place (ByteReader::get_aligned): zero bytes up to a multiple of 8 from the
// file's start, then the elements.
template <typename T>
void put_aligned(std::vector<std::uint8_t>& out, const ArrayRef<T>& values) {
  out.resize((out.size() + 7) / 8 * 8, 0);
  out.insert(out.end(), reinterpret_cast<const std::uint8_t*>(values.begin()),
             reinterpret_cast<const std::uint8_t*>(values.end()));
}

// Every attnkit file ends with the FNV-1a 64 checksum of the bytes before it: writers append it last,
// readers check it (bytes.size ≥ 8) before trusting anything else.
inline void put_checksum(std::vector<std::uint8_t>& out) { put(out, fnv1a(out.data(), out.size())); }
inline bool checksum_matches(View<const std::uint8_t> bytes) {
  std::uint64_t stored;
  std::memcpy(&stored, bytes.data + bytes.size - 8, 8);
  return stored == fnv1a(bytes.data, bytes.size - 8);
}

// Reads what put/put_array wrote; running past the end is a corrupt-file Error naming `where`.
class ByteReader {
 public:
  ByteReader(View<const std::uint8_t> bytes, const char* where) : data_(bytes.data), size_(bytes.size), where_(where) {}
  template <typename T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  // `count` comes from the file: it is checked against the bytes left before anything is allocated.
  template <typename T>
  void get_array(std::vector<T>& out, std::uint64_t count) {
    if (count > (size_ - offset_) / sizeof(T)) fail_file(where_, ": truncated input");
    out.resize(static_cast<std::size_t>(count));
    if (count > 0) std::memcpy(out.data(), take(out.size() * sizeof(T)), out.size() * sizeof(T));
  }
  // What put_aligned wrote: the padding skipped, then the array read in place (see get_array_ref).
  template <typename T>
  ArrayRef<T> get_aligned(std::uint64_t count) {
    const std::size_t padded = (offset_ + 7) / 8 * 8;
    if (padded > size_) fail_file(where_, ": truncated input");
    offset_ = padded;
    return get_array_ref<T>(count);
  }
  // An array read in place (borrowed from the bytes, which must outlive it) where it is aligned for T,
  // else copied.
  template <typename T>
  ArrayRef<T> get_array_ref(std::uint64_t count) {
    if (count > (size_ - offset_) / sizeof(T)) fail_file(where_, ": truncated input");
    const std::uint8_t* at = take(static_cast<std::size_t>(count) * sizeof(T));
    if (reinterpret_cast<std::uintptr_t>(at) % alignof(T) == 0)
      return ArrayRef<T>::borrow(reinterpret_cast<const T*>(at), count);
    std::vector<T> copy(static_cast<std::size_t>(count));
    if (count > 0) std::memcpy(copy.data(), at, copy.size() * sizeof(T));
    return ArrayRef<T>(std::move(copy));
  }
  View<const std::uint8_t> get_bytes(std::uint64_t count) {
    if (count > size_ - offset_) fail_file(where_, ": truncated input");
    return {take(static_cast<std::size_t>(count)), static_cast<std::size_t>(count)};
  }
  std::size_t remaining() const { return size_ - offset_; }
  const char* where() const { return where_; }

 private:
  const std::uint8_t* take(std::size_t bytes) {
    if (bytes > size_ - offset_) fail_file(where_, ": truncated input");
    const std::uint8_t* at = data_ + offset_;
    offset_ += bytes;
    return at;
  }
  const std::uint8_t* data_;
  std::size_t size_, offset_ = 0;
  const char* where_;
};

}  // namespace attnkit
