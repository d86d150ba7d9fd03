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
#include "kbqa_helpers.hpp"

namespace attnkit {
namespace {

using pipelines::Kbqa;
using test::expect_same_answers;
using test::KbqaFiles;
using test::synthetic_kb;

TEST(KbIndex, CompactTriesAndTheIndexFileAnswerExactlyAsTheFlatTries) {
  const KbqaFiles files;
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const std::string kb = synthetic_kb(seed, 150);
    const Kbqa flat = files.with_kb(kb, pipelines::TrieLayout::kFlat);
    const Kbqa compact = files.with_kb(kb, pipelines::TrieLayout::kCompact);
    expect_same_answers(flat, compact, seed);
    const auto index = compact.serialize_index();
    const Kbqa opened = files.with_index(index);
    expect_same_answers(flat, opened, seed + 10);
    EXPECT_EQ(opened.serialize_index(), index);  // deterministic and lossless
    EXPECT_EQ(opened.kb().triple_count(), flat.kb().triple_count());
    EXPECT_LT(compact.kb().trie_bytes() * 3, flat.kb().trie_bytes());
    EXPECT_THROW(flat.serialize_index(), Error);  // only the compact layout has a file format
  }
}

TEST(KbIndex, TruncatedCorruptedOrForeignIndexesAreNamedErrors) {
  const KbqaFiles files;
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
  const KbqaFiles files;
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
