// KBQA over the compact tries and over a prebuilt index file gives exactly the answers of today's flat
// tries (random tiny model, a synthetic KB over its vocabulary, every mode); the index file rejects
// truncation, corruption and another vocabulary with errors that name it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "attnkit/core/error.hpp"
#include "attnkit/pipelines/kbqa.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

using pipelines::Kbqa;
using test::read_file;

const std::string kTiny = std::string(ATTNKIT_FIXTURES_DIR) + "/tiny-kbqa/";
const char* const kChars[] = {"龙", "晶", "游", "戏", "繁", "体", "字", "怎", "么", "写", "守",
                              "望", "星", "光", "出", "品", "公", "司", "哪", "家", "的", "是",
                              "你", "知", "道", "小", "说", "作", "者", "谁", "北", "京"};

std::string word(std::mt19937& rng, std::size_t min, std::size_t max) {
  std::string out;
  for (std::size_t n = min + rng() % (max - min + 1); n > 0; --n) out += kChars[rng() % 32];
  return out;
}

// Subjects with several triples, shared names with different senses, repeated predicates, duplicates.
std::string synthetic_kb(unsigned seed, std::size_t subjects) {
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

struct Files {
  std::string config = read_file(kTiny + "config.json"), weights = read_file(kTiny + "model.safetensors"),
              vocab = read_file(kTiny + "vocab.txt");
  View<const std::uint8_t> weight_bytes() const {
    return {reinterpret_cast<const std::uint8_t*>(weights.data()), weights.size()};
  }
  Kbqa with_kb(const std::string& kb, pipelines::TrieLayout layout) const {
    return Kbqa(config, weight_bytes(), vocab, pipelines::KnowledgeBase::parse(kb), layout);
  }
  // The index is read in place: the Kbqa keeps its own copy of the bytes alive.
  Kbqa with_index(const std::vector<std::uint8_t>& index, const std::string& vocab_text) const {
    auto copy = std::make_shared<const std::vector<std::uint8_t>>(index);
    return Kbqa(config, weight_bytes(), vocab_text, copy, {copy->data(), copy->size()}, "kb.attnkit");
  }
  Kbqa with_index(const std::vector<std::uint8_t>& index) const { return with_index(index, vocab); }
};

void expect_same_answers(const Kbqa& expected, const Kbqa& got, unsigned seed) {
  std::mt19937 rng(seed);
  for (int q = 0; q < 12; ++q) {
    const std::string question = word(rng, 2, 9) + "？";
    for (const auto mode :
         {pipelines::KbqaMode::kTriple, pipelines::KbqaMode::kSubject, pipelines::KbqaMode::kOpenPredicate}) {
      pipelines::KbqaOptions options;
      options.beams = 1 + q % 5;
      options.top_k = 3;
      options.mode = mode;
      const auto a = expected.ask(question, options), b = got.ask(question, options);
      ASSERT_EQ(a.size(), b.size()) << question;
      for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].subject, b[i].subject);
        EXPECT_EQ(a[i].predicate, b[i].predicate);
        EXPECT_EQ(a[i].object, b[i].object);
        EXPECT_EQ(a[i].score, b[i].score);
      }
    }
  }
}

TEST(KbIndex, CompactTriesAndTheIndexFileAnswerExactlyAsTheFlatTries) {
  const Files files;
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const std::string kb = synthetic_kb(seed, 150);
    const Kbqa flat = files.with_kb(kb, pipelines::TrieLayout::kFlat);
    const Kbqa compact = files.with_kb(kb, pipelines::TrieLayout::kCompact);
    expect_same_answers(flat, compact, seed);
    const auto index = compact.serialize_index();
    const Kbqa opened = files.with_index(index);
    expect_same_answers(flat, opened, seed + 10);
    EXPECT_EQ(opened.serialize_index(), index);  // deterministic and lossless
    EXPECT_EQ(opened.knowledge_base().size(), flat.knowledge_base().size());
    EXPECT_LT(compact.trie_bytes() * 3, flat.trie_bytes());
    EXPECT_THROW(flat.serialize_index(), Error);  // only the compact layout has a file format
  }
}

TEST(KbIndex, TruncatedCorruptedOrForeignIndexesAreNamedErrors) {
  const Files files;
  const auto index = files.with_kb(synthetic_kb(4, 40), pipelines::TrieLayout::kCompact).serialize_index();
  const auto message = [&](const std::vector<std::uint8_t>& bytes) {
    try {
      files.with_index(bytes);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  for (std::size_t len : {std::size_t{0}, std::size_t{20}, index.size() / 2, index.size() - 1})
    EXPECT_NE(message({index.begin(), index.begin() + static_cast<std::ptrdiff_t>(len)}).find("kb.attnkit: "),
              std::string::npos);
  for (std::size_t at = 0; at < index.size(); at += 5) {
    auto corrupted = index;
    corrupted[at] ^= 0x21;
    const std::string m = message(corrupted);
    EXPECT_EQ(m.rfind("kb.attnkit: ", 0), 0u) << "byte " << at << ": " << m;
  }
  // Another vocabulary (one token renamed): the token ids in the tries would mean other characters.
  std::string vocab = files.vocab;
  vocab.replace(vocab.find("北"), 3, "南");
  try {
    files.with_index(index, vocab);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("another vocabulary"), std::string::npos) << e.what();
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  }
}

// Every committed fuzz seed of the index format opens or throws attnkit::Error.
TEST(KbIndex, FuzzCorpusInputsAreHandled) {
  const Files files;
  const std::filesystem::path corpus =
      std::filesystem::path(ATTNKIT_FIXTURES_DIR) / ".." / "fuzz" / "corpus" / "kb_index";
  std::size_t count = 0, valid = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++count;
    try {
      files.with_index(bytes);
      ++valid;
    } catch (const Error&) {
    }
  }
  EXPECT_GE(count, 3u);
  EXPECT_GE(valid, 2u);
}

}  // namespace
}  // namespace attnkit
