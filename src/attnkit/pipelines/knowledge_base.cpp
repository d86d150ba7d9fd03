#include "attnkit/pipelines/knowledge_base.hpp"

#include "attnkit/core/error.hpp"

namespace attnkit::pipelines {
namespace {

constexpr std::string_view kSeparator = "|||";
constexpr std::string_view kOpen = "（", kClose = "）";  // full-width, as KgCLUE writes sense labels

std::string_view trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// The first ~80 bytes of a line for a message, cut at a UTF-8 character boundary.
std::string excerpt(std::string_view line) {
  if (line.size() <= 80) return std::string(line);
  std::size_t cut = 80;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return std::string(line.substr(0, cut)) + "…";
}

void check(const Triple& t, std::size_t line) {
  if (t.subject.empty()) fail_file("knowledge base line ", line, ": the subject is empty");
  if (t.predicate.empty()) fail_file("knowledge base line ", line, ": the predicate is empty");
  for (const std::string* field : {&t.subject, &t.predicate, &t.object})
    if (field->find('\n') != std::string::npos || field->find(kSeparator) != std::string::npos)
      fail_file("knowledge base line ", line, ": a field contains a line break or '|||'");
}

}  // namespace

SubjectParts split_subject(std::string_view subject) {
  if (subject.size() > kClose.size() && subject.substr(subject.size() - kClose.size()) == kClose) {
    const std::size_t open = subject.rfind(kOpen);
    if (open != std::string_view::npos && open > 0)
      return {subject.substr(0, open),
              subject.substr(open + kOpen.size(), subject.size() - kClose.size() - open - kOpen.size())};
  }
  return {subject, {}};
}

KnowledgeBase KnowledgeBase::parse(std::string_view text) {
  KnowledgeBase kb;  // each line is checked as it is read, where its line number is known
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (line.empty()) continue;
    const std::size_t first = line.find(kSeparator);
    const std::size_t second = first == std::string_view::npos ? first : line.find(kSeparator, first + kSeparator.size());
    if (second == std::string_view::npos || line.find(kSeparator, second + kSeparator.size()) != std::string_view::npos)
      fail_file("knowledge base line ", line_number, ": expected \"subject ||| predicate ||| object\", got \"",
           excerpt(line), "\"");
    Triple t{std::string(trim(line.substr(0, first))),
             std::string(trim(line.substr(first + kSeparator.size(), second - first - kSeparator.size()))),
             std::string(trim(line.substr(second + kSeparator.size())))};
    check(t, line_number);
    kb.triples_.push_back(std::move(t));
  }
  kb.require_triples();
  return kb;
}

KnowledgeBase::KnowledgeBase(std::vector<Triple> triples) : triples_(std::move(triples)) {
  for (std::size_t i = 0; i < triples_.size(); ++i) check(triples_[i], i + 1);
  require_triples();
}

void KnowledgeBase::require_triples() const {
  if (triples_.empty()) fail_file("knowledge base: no triples");
}

}  // namespace attnkit::pipelines
