#include "attnkit/core/string_pool.hpp"

#include <limits>

namespace attnkit {

void StringPool::write(std::vector<std::uint8_t>& out) const {
  put(out, static_cast<std::uint64_t>(size()));
  put_aligned(out, offsets_);
  put(out, static_cast<std::uint64_t>(bytes_.size()));
  out.insert(out.end(), bytes_.begin(), bytes_.end());
}

StringPool StringPool::read(ByteReader& in) {
  StringPool pool;
  const auto count = in.get<std::uint64_t>();
  if (count >= in.remaining() / 4) fail_file(in.where(), ": truncated input (", count, " strings)");
  pool.offsets_ = in.get_aligned<std::uint32_t>(count + 1);
  const auto size = in.get<std::uint64_t>();
  pool.bytes_ = in.get_array_ref<char>(size);
  if (pool.offsets_[0] != 0 || pool.offsets_.back() != size)
    fail_file(in.where(), ": string offsets do not span the ", size, " string bytes");
  for (std::size_t i = 1; i < pool.offsets_.size(); ++i)
    if (pool.offsets_[i] < pool.offsets_[i - 1]) fail_file(in.where(), ": string offsets are not ascending at ", i);
  return pool;
}

std::uint32_t StringPoolBuilder::intern(std::string_view text) {
  if (bytes_.size() + text.size() > std::numeric_limits<std::uint32_t>::max())
    fail("string pool: more than 4 GiB of distinct strings");
  // Append, then look the new id up: an equal string already there keeps its id and the copy is undone.
  bytes_.insert(bytes_.end(), text.begin(), text.end());
  offsets_.push_back(static_cast<std::uint32_t>(bytes_.size()));
  const auto id = static_cast<std::uint32_t>(offsets_.size() - 2);
  const auto [at, added] = index_.insert(id);
  if (added) return id;
  offsets_.pop_back();
  bytes_.resize(offsets_.back());
  return *at;
}

StringPool StringPoolBuilder::take() {
  index_.clear();
  bytes_.shrink_to_fit();  // both grew by doubling
  offsets_.shrink_to_fit();
  StringPool pool;
  pool.bytes_ = ArrayRef<char>(std::move(bytes_));
  pool.offsets_ = ArrayRef<std::uint32_t>(std::move(offsets_));
  return pool;
}

}  // namespace attnkit
