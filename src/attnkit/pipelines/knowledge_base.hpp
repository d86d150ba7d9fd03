// A knowledge base of (subject, predicate, object) triples, as KgCLUE's knowledge files write them: one
// "S ||| P ||| O" a line. A subject may end in a sense label, 龙晶（游戏）: name 龙晶, sense 游戏.
// Each distinct string is stored once (StringPool) and a triple is three bit-packed ids into it, so a
// million triples take their distinct text plus ~8 bytes each.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "attnkit/core/byte_io.hpp"
#include "attnkit/core/packed_ints.hpp"
#include "attnkit/core/string_pool.hpp"

namespace attnkit::pipelines {

struct TripleView {
  std::string_view subject, predicate, object;
};

struct TripleIds {
  std::uint32_t subject, predicate, object;  // ids into KnowledgeBase::strings()
};

// The subject's name and sense: 龙晶（游戏） → {龙晶, 游戏}; without a trailing （…） the sense is empty.
struct SubjectParts {
  std::string_view name, sense;
};
SubjectParts split_subject(std::string_view subject);

class KnowledgeBase {
 public:
  // Lines "S ||| P ||| O" (fields trimmed; blank lines skipped). attnkit::Error names the first bad line:
  // not three fields, or an empty subject or predicate. `first_line`: the number of the text's first line
  // (for a chunk of a larger file).
  static KnowledgeBase parse(std::string_view text, std::size_t first_line = 1);

  std::size_t size() const { return ids_.size() / 3; }
  TripleIds ids(std::size_t i) const {
    return {ids_.get(3 * i), ids_.get(3 * i + 1), ids_.get(3 * i + 2)};
  }
  TripleView triple(std::size_t i) const {
    const TripleIds t = ids(i);
    return {strings_.get(t.subject), strings_.get(t.predicate), strings_.get(t.object)};
  }
  const StringPool& strings() const { return strings_; }
  std::size_t memory_bytes() const { return strings_.memory_bytes() + ids_.memory_bytes(); }

  // For the KB index file: read() checks every id and every triple as parse() does (`in.where()` names it).
  void write(std::vector<std::uint8_t>& out) const;
  static KnowledgeBase read(ByteReader& in);

 private:
  KnowledgeBase() = default;

  StringPool strings_;
  PackedInts ids_;  // subject, predicate, object of triple i at 3i, 3i + 1, 3i + 2
};

}  // namespace attnkit::pipelines
