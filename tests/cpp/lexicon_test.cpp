// The NER word lexicon: matches and feature bits on a hand-worked case, parity with the Python dict matcher
// (tests/fixtures/lexicon-matches, from scripts/make_model_fixtures.py) and rejection of malformed blobs.
#include "attnkit/text/lexicon.hpp"

#include <gtest/gtest.h>

#include "attnkit/core/error.hpp"
#include "attnkit/text/unicode.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

using text::Lexicon;
using Match = Lexicon::Match;

Lexicon lexicon_of(const std::string& lines, std::size_t classes = 8) {
  const auto gz = test::gzip_stored(lines);
  return Lexicon::parse({gz.data(), gz.size()}, classes, "test lexicon");
}

std::string error_of(const std::string& lines) {
  try {
    lexicon_of(lines);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Lexicon, FindsNestedAndOverlappingWordsWithTheirBits) {
  // 北京 (class 1) ⊂ 北京大学 (2); 大学 (4) overlaps 大学生 (4) and 学生 (5); 北 alone is too short to match.
  const Lexicon lexicon = lexicon_of("北\t1\n北京\t1\n北京大学\t2\n大学\t4\n大学生\t4\n学生\t5\n");
  EXPECT_EQ(lexicon.word_count(), 6u);
  const std::u32string text = U"在北京大学生";  // 在0 北1 京2 大3 学4 生5
  EXPECT_EQ(lexicon.matches(text), (std::vector<Match>{{1, 3, 1}, {1, 5, 2}, {3, 5, 4}, {3, 6, 4}, {4, 6, 5}}));
  // bit = role · 8 + class; roles B = 0, M = 1, E = 2.
  const auto b = [](int role, int cls) { return 1u << (role * 8 + cls); };
  const std::vector<std::uint32_t> expected = {
      0,                                      // 在
      b(0, 1) | b(0, 2),                      // 北: begins 北京, 北京大学
      b(2, 1) | b(1, 2),                      // 京: ends 北京, inside 北京大学
      b(1, 2) | b(0, 4),                      // 大: inside 北京大学, begins 大学 and 大学生
      b(2, 2) | b(2, 4) | b(1, 4) | b(0, 5),  // 学: ends 北京大学 and 大学, inside 大学生, begins 学生
      b(2, 4) | b(2, 5)};                     // 生: ends 大学生 and 学生
  EXPECT_EQ(lexicon.char_bits(text), expected);
  // A token covering several characters gets the OR of their bits; tokens past the text get nothing.
  const std::vector<text::Token> tokens = {{7, 0, 2}, {8, 2, 3}, {9, 3, 6}, {10, 6, 7}};
  EXPECT_EQ(
      Lexicon::token_bits(expected, tokens),
      (std::vector<std::uint32_t>{expected[0] | expected[1], expected[2], expected[3] | expected[4] | expected[5], 0}));
  EXPECT_TRUE(lexicon.matches(U"").empty());
  EXPECT_TRUE(lexicon.matches(U"北").empty());
}

TEST(Lexicon, MatchesThePythonDictMatcherOnCluenerSentences) {
  const std::string dir = std::string(ATTNKIT_FIXTURES_DIR) + "/lexicon-matches/";
  const std::string gz = test::read_file(dir + "words.txt.gz");
  const auto fixture = nlohmann::json::parse(test::read_file(dir + "cases.json"));
  const Lexicon lexicon = Lexicon::parse({reinterpret_cast<const std::uint8_t*>(gz.data()), gz.size()},
                                         fixture["classes"].get<std::size_t>(), "lexicon-matches");
  std::size_t total = 0;
  for (const auto& c : fixture["cases"]) {
    const std::u32string text = text::decode_utf8(c["text"].get<std::string>());
    std::vector<Match> expected;
    for (const auto& m : c["matches"])
      expected.push_back({m[0].get<std::uint32_t>(), m[1].get<std::uint32_t>(), m[2].get<std::uint32_t>()});
    EXPECT_EQ(lexicon.matches(text), expected) << c["text"];
    EXPECT_EQ(lexicon.char_bits(text), c["char_bits"].get<std::vector<std::uint32_t>>()) << c["text"];
    total += expected.size();
  }
  EXPECT_GT(total, 500u);  // the fixture is not trivially empty
}

TEST(Lexicon, RejectsMalformedBlobsWithANamedError) {
  EXPECT_NE(error_of("北京\n").find("line 1 is not 'word<TAB>class'"), std::string::npos);
  EXPECT_NE(error_of("北京\t1\n\t2\n").find("line 2 is not 'word<TAB>class'"), std::string::npos);
  EXPECT_NE(error_of("北京\t\n").find("line 1 has no class index"), std::string::npos);
  EXPECT_NE(error_of("北京\tx\n").find("has class 'x', not a number"), std::string::npos);
  EXPECT_NE(error_of("北京\t8\n").find("line 1 has class 8, the config names 8"), std::string::npos);
  EXPECT_NE(error_of("北京\t1\n北京\t2\n").find("lists a word twice"), std::string::npos);
  EXPECT_NE(error_of("\xff\xfe\t1\n").find("line 1 is not valid UTF-8"), std::string::npos);
  const std::uint8_t not_gzip[] = {'n', 'o', 't'};
  EXPECT_THROW(Lexicon::parse({not_gzip, 3}, 8, "test"), Error);
  EXPECT_EQ(error_of(""), "no error");  // an empty lexicon matches nothing
}

}  // namespace
}  // namespace attnkit
