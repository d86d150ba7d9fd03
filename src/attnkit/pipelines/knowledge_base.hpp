// A knowledge base of (subject, predicate, object) triples, as KgCLUE's knowledge files write them: one
// "S ||| P ||| O" a line. A subject may end in a sense label, 龙晶（游戏）: name 龙晶, sense 游戏.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace attnkit::pipelines {

struct Triple {
  std::string subject, predicate, object;
};

// The subject's name and sense: 龙晶（游戏） → {龙晶, 游戏}; without a trailing （…） the sense is empty.
struct SubjectParts {
  std::string_view name, sense;
};
SubjectParts split_subject(std::string_view subject);

class KnowledgeBase {
 public:
  // Lines "S ||| P ||| O" (fields trimmed; blank lines skipped). attnkit::Error names the first bad line:
  // not three fields, or an empty subject or predicate.
  static KnowledgeBase parse(std::string_view text);
  explicit KnowledgeBase(std::vector<Triple> triples);

  const std::vector<Triple>& triples() const { return triples_; }
  std::size_t size() const { return triples_.size(); }

 private:
  KnowledgeBase() = default;
  void require_triples() const;

  std::vector<Triple> triples_;
};

}  // namespace attnkit::pipelines
