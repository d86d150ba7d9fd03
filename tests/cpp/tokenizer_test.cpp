// The C++ tokenizer against the Python reference (tests/fixtures/tokenizer.json), and hand-worked cases.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "attnkit/core/error.hpp"
#include "attnkit/text/tokenizer.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

const text::Tokenizer& bert_tokenizer() {
  static const text::Tokenizer tokenizer = [] {
    std::ifstream in(std::string(ATTNKIT_SHARED_DATA_DIR) + "/vocab/bert-base-chinese-vocab.txt");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return text::Tokenizer::from_vocab(buffer.str());
  }();
  return tokenizer;
}

TEST(Tokenizer, MatchesThePythonReferenceIdsAndOffsets) {
  const auto fixture = test::load_fixture("tokenizer.json");
  ASSERT_GE(fixture["cases"].size(), 200u);
  for (const auto& c : fixture["cases"]) {
    const std::string text = c["text"];
    const auto tokens = bert_tokenizer().tokenize(text);
    std::vector<std::int32_t> ids, starts, ends;
    for (const auto& t : tokens) ids.push_back(t.id), starts.push_back(t.start), ends.push_back(t.end);
    ASSERT_EQ(ids, c["ids"].get<std::vector<std::int32_t>>()) << text;
    ASSERT_EQ(starts, c["starts"].get<std::vector<std::int32_t>>()) << text;
    ASSERT_EQ(ends, c["ends"].get<std::vector<std::int32_t>>()) << text;
  }
}

TEST(Tokenizer, HandWorkedMixedScripts) {
  const auto& tok = bert_tokenizer();
  // "A1 你好😀": the word "a1" (lower-cased), 你 and 好 (CJK: one token each), 😀 (not in the vocab:
  // [UNK]) at code point 5.
  const auto tokens = tok.tokenize("A1 你好😀");
  std::vector<std::string> pieces;
  for (const auto& t : tokens) pieces.push_back(tok.token(t.id));
  ASSERT_EQ(pieces.back(), "[UNK]");
  EXPECT_EQ(tokens.back().start, 5u);  // code points: A,1,space,你,好,😀
  EXPECT_EQ(tokens.back().end, 6u);
  EXPECT_EQ(pieces[pieces.size() - 3], "你");
  EXPECT_EQ(tokens[tokens.size() - 3].start, 3u);
  EXPECT_TRUE(tok.tokenize("").empty());
  EXPECT_TRUE(tok.tokenize(" \t\n\u3000 ").empty());
}

TEST(Tokenizer, InvalidUtf8AndLoneSurrogatesAreDroppedNotFatal) {
  const auto& tok = bert_tokenizer();
  // 0xFF is never valid; ED A0 80 is an encoded lone surrogate (what a JS lone surrogate becomes).
  const std::string text = std::string("你") + "\xFF" + "\xED\xA0\x80" + "好";
  const auto tokens = tok.tokenize(text);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tok.token(tokens[0].id), "你");
  EXPECT_EQ(tokens[1].start, 5u);  // 你, then four replacement characters (one per bad byte), then 好
  EXPECT_EQ(tok.token(tokens[1].id), "好");
}

TEST(Tokenizer, RejectsEmptyVocabAndVocabWithoutUnk) {
  EXPECT_THROW(text::Tokenizer::from_vocab(""), Error);
  EXPECT_THROW(text::Tokenizer::from_vocab("[PAD]\n[CLS]\nhello\n"), Error);
  const auto tiny = text::Tokenizer::from_vocab("[UNK]\nhe\n##llo\n");
  const auto tokens = tiny.tokenize("hello hex");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].id, 1);
  EXPECT_EQ(tokens[1].id, 2);
  EXPECT_EQ(tokens[2].id, 0);  // "hex" cannot be covered: one [UNK] for the word
  EXPECT_EQ(tokens[2].start, 6u);
  EXPECT_EQ(tokens[2].end, 9u);
}

}  // namespace
}  // namespace attnkit
