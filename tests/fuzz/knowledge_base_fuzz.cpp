// libFuzzer target: parsing arbitrary bytes as a KB ("S ||| P ||| O" lines) either throws attnkit::Error or
// yields triples that are trimmed, non-empty where required, and free of separators and line breaks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "attnkit/core/error.hpp"
#include "attnkit/pipelines/knowledge_base.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto kb = attnkit::pipelines::KnowledgeBase::parse(text);
    for (std::size_t i = 0; i < kb.size(); ++i) {
      const auto t = kb.triple(i);
      if (t.subject.empty() || t.predicate.empty()) __builtin_trap();
      for (const std::string_view field : {t.subject, t.predicate, t.object}) {
        if (field.find("|||") != std::string_view::npos || field.find('\n') != std::string_view::npos) __builtin_trap();
        if (!field.empty() && (field.front() == ' ' || field.back() == ' ')) __builtin_trap();
      }
      const auto parts = attnkit::pipelines::split_subject(t.subject);
      if (parts.name.empty() || parts.name.size() + parts.sense.size() > t.subject.size()) __builtin_trap();
    }
  } catch (const attnkit::Error&) {
  }
  return 0;
}
