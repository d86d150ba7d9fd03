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

// `where` and `line` name the triple: a line of a KB text, or a triple of an index file.
void check(const TripleView& t, const char* where, const char* line, std::size_t number) {
  if (t.subject.empty()) fail_file(where, line, number, ": the subject is empty");
  if (t.predicate.empty()) fail_file(where, line, number, ": the predicate is empty");
  for (const std::string_view field : {t.subject, t.predicate, t.object})
    if (field.find('\n') != std::string_view::npos || field.find(kSeparator) != std::string_view::npos)
      fail_file(where, line, number, ": a field contains a line break or '|||'");
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

KnowledgeBase KnowledgeBase::parse(std::string_view text, std::size_t first_line) {
  StringPoolBuilder strings;
  std::vector<std::uint32_t> ids;
  std::size_t line_number = first_line - 1;
  while (!text.empty()) {  // each line is checked as it is read, where its line number is known
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
    const TripleView t{trim(line.substr(0, first)),
                       trim(line.substr(first + kSeparator.size(), second - first - kSeparator.size())),
                       trim(line.substr(second + kSeparator.size()))};
    check(t, "knowledge base", " line ", line_number);
    for (const std::string_view field : {t.subject, t.predicate, t.object}) ids.push_back(strings.intern(field));
  }
  if (ids.empty()) fail_file("knowledge base: no triples");
  KnowledgeBase kb;
  kb.strings_ = strings.take();
  kb.ids_ = PackedInts(ids.size(), PackedInts::width_for(kb.strings_.size() - 1));
  for (std::size_t i = 0; i < ids.size(); ++i) kb.ids_.set(i, ids[i]);
  return kb;
}

void KnowledgeBase::write(std::vector<std::uint8_t>& out) const {
  strings_.write(out);
  ids_.write(out);
}

KnowledgeBase KnowledgeBase::read(ByteReader& in) {
  KnowledgeBase kb;
  kb.strings_ = StringPool::read(in);
  kb.ids_ = PackedInts::read(in);
  if (kb.ids_.size() == 0 || kb.ids_.size() % 3 != 0) fail_file(in.where(), ": ", kb.ids_.size(), " string ids are not whole triples");
  for (std::size_t i = 0; i < kb.ids_.size(); ++i)
    if (kb.ids_.get(i) >= kb.strings_.size()) fail_file(in.where(), ": triple ", i / 3, " refers to a missing string");
  for (std::size_t i = 0; i < kb.size(); ++i) check(kb.triple(i), in.where(), ": triple ", i);
  return kb;
}

}  // namespace attnkit::pipelines
