// libFuzzer target: arbitrary bytes as an NER model's lexicon blob (gzip of "word<TAB>class" lines) either
// parse into a lexicon that then matches a fixed text, or throw attnkit::Error.
#include <cstddef>
#include <cstdint>

#include "attnkit/core/error.hpp"
#include "attnkit/text/lexicon.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto lexicon = attnkit::text::Lexicon::parse({data, size}, 8, "fuzz");
    lexicon.char_bits(U"浙商银行企业信贷部叶老桂博士");
  } catch (const attnkit::Error&) {
  }
  return 0;
}
