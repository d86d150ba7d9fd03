// Shared by the KB index and sharded-KB tests: the tiny random KBQA model's files, a synthetic KB over its
// vocabulary, and a check that two KBQA objects give exactly the same answers in every mode.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "attnkit/pipelines/kbqa.hpp"
#include "fixtures.hpp"

namespace attnkit::test {

inline const std::string kTinyKbqa = std::string(ATTNKIT_FIXTURES_DIR) + "/tiny-kbqa/";
inline const char* const kChars[] = {"龙", "晶", "游", "戏", "繁", "体", "字", "怎", "么", "写", "守",
                                     "望", "星", "光", "出", "品", "公", "司", "哪", "家", "的", "是",
                                     "你", "知", "道", "小", "说", "作", "者", "谁", "北", "京"};

inline std::string word(std::mt19937& rng, std::size_t min, std::size_t max) {
  std::string out;
  for (std::size_t n = min + rng() % (max - min + 1); n > 0; --n) out += kChars[rng() % 32];
  return out;
}

// Subjects with several triples, shared names with different senses, repeated predicates, duplicates.
inline std::string synthetic_kb(unsigned seed, std::size_t subjects) {
  std::mt19937 rng(seed);
  std::vector<std::string> predicates;
  for (int p = 0; p < 12; ++p) predicates.push_back(word(rng, 1, 3));
  std::string text;
  for (std::size_t s = 0; s < subjects; ++s) {
    std::string subject = word(rng, 1, 4);
    if (rng() % 3 == 0) subject += "（" + word(rng, 1, 2) + "）";
    for (std::size_t t = 1 + rng() % 4; t > 0; --t)
      text += subject + " ||| " + predicates[rng() % predicates.size()] + " ||| " + word(rng, 0, 5) + "\n";
  }
  return text;
}

struct KbqaFiles {
  std::string config = read_file(kTinyKbqa + "config.json"), weights = read_file(kTinyKbqa + "model.safetensors"),
              vocab = read_file(kTinyKbqa + "vocab.txt");
  View<const std::uint8_t> weight_bytes() const {
    return {reinterpret_cast<const std::uint8_t*>(weights.data()), weights.size()};
  }
  pipelines::Kbqa with_kb(const std::string& kb, pipelines::TrieLayout layout) const {
    return pipelines::Kbqa(config, weight_bytes(), vocab, pipelines::KnowledgeBase::parse(kb), layout);
  }
  // The index is read in place: the Kbqa keeps its own copy of the bytes alive.
  pipelines::Kbqa with_index(const std::vector<std::uint8_t>& index, const std::string& vocab_text) const {
    auto copy = std::make_shared<const std::vector<std::uint8_t>>(index);
    return pipelines::Kbqa(config, weight_bytes(), vocab_text, copy, {copy->data(), copy->size()}, "kb.attnkit");
  }
  pipelines::Kbqa with_index(const std::vector<std::uint8_t>& index) const { return with_index(index, vocab); }
};

// The same answers, scores included, exactly.
inline void expect_same(const std::vector<pipelines::Answer>& a, const std::vector<pipelines::Answer>& b,
                        const std::string& question) {
  ASSERT_EQ(a.size(), b.size()) << question;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].subject, b[i].subject);
    EXPECT_EQ(a[i].predicate, b[i].predicate);
    EXPECT_EQ(a[i].object, b[i].object);
    EXPECT_EQ(a[i].score, b[i].score);
  }
}

// 12 random questions over the tiny vocabulary, every mode, beams 1–5: `got(question, options)` answers as
// `expected` does.
template <typename Ask>
void expect_answers_as(const pipelines::Kbqa& expected, Ask&& got, unsigned seed) {
  std::mt19937 rng(seed);
  for (int q = 0; q < 12; ++q) {
    const std::string question = word(rng, 2, 9) + "？";
    for (const auto mode :
         {pipelines::KbqaMode::kTriple, pipelines::KbqaMode::kSubject, pipelines::KbqaMode::kOpenPredicate}) {
      pipelines::KbqaOptions options;
      options.beams = 1 + q % 5;
      options.top_k = 3;
      options.mode = mode;
      expect_same(expected.ask(question, options), got(question, options), question);
    }
  }
}

inline void expect_same_answers(const pipelines::Kbqa& expected, const pipelines::Kbqa& got, unsigned seed) {
  expect_answers_as(
      expected, [&](const std::string& q, const pipelines::KbqaOptions& o) { return got.ask(q, o); }, seed);
}

}  // namespace attnkit::test
