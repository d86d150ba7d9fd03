// Distinct strings stored once, back to back, and referred to by id: a knowledge base's subjects,
// predicates and objects repeat (a subject has many triples, a predicate thousands), so triples hold three
// ids into one pool instead of three strings (a std::string is 12–32 bytes before its characters).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "attnkit/core/byte_io.hpp"

namespace attnkit {

class StringPool {
 public:
  std::size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::string_view get(std::uint32_t id) const {
    return {bytes_.data() + offsets_[id], offsets_[id + 1] - offsets_[id]};
  }
  std::size_t memory_bytes() const { return bytes_.memory_bytes() + offsets_.memory_bytes(); }

  void write(std::vector<std::uint8_t>& out) const;
  // Reads in place; checks that the offsets ascend within the bytes (the strings are the caller's to check).
  static StringPool read(ByteReader& in);

 private:
  friend class StringPoolBuilder;
  ArrayRef<char> bytes_;
  ArrayRef<std::uint32_t> offsets_;  // string i is bytes_[offsets_[i], offsets_[i + 1])
};

// Interns strings into a pool: the index holds ids and hashes the pool's own bytes, so no string is kept
// twice while building. Not copyable or movable (the index refers to it); take() hands the pool over.
class StringPoolBuilder {
 public:
  StringPoolBuilder() : index_(16, Hash{this}, Equal{this}) {}
  StringPoolBuilder(const StringPoolBuilder&) = delete;
  StringPoolBuilder& operator=(const StringPoolBuilder&) = delete;

  std::uint32_t intern(std::string_view text);
  StringPool take();

 private:
  std::string_view at(std::uint32_t id) const {
    return {bytes_.data() + offsets_[id], offsets_[id + 1] - offsets_[id]};
  }
  struct Hash {
    const StringPoolBuilder* builder;
    std::size_t operator()(std::uint32_t id) const { return std::hash<std::string_view>()(builder->at(id)); }
  };
  struct Equal {
    const StringPoolBuilder* builder;
    bool operator()(std::uint32_t a, std::uint32_t b) const { return builder->at(a) == builder->at(b); }
  };
  std::vector<char> bytes_;  // handed over to the pool as it is
  std::vector<std::uint32_t> offsets_ = {0};
  std::unordered_set<std::uint32_t, Hash, Equal> index_;
};

}  // namespace attnkit
