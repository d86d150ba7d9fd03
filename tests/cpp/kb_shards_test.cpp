// A sharded KB (KbShardBuilder → manifest + shard texts, KbShards) answers exactly as the same KB held in
// memory, every mode, whether its shards are loaded up front or as questions reach them; every triple is
// in exactly one shard and a subject's triples are never cut apart; bad manifests and shards are named
// errors that leave the KBQA object usable.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "attnkit/core/error.hpp"
#include "attnkit/pipelines/kb_shard_builder.hpp"
#include "attnkit/pipelines/kbqa.hpp"
#include "kbqa_helpers.hpp"

namespace attnkit {
namespace {

using pipelines::Kbqa;
using test::KbqaFiles;
using test::synthetic_kb;

struct Sharded {
  std::vector<std::uint8_t> manifest;
  std::vector<std::string> shards;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

// Routes the KB in chunks of `chunk_lines` lines, then cuts each bucket, as attnkit-cli does on disk.
Sharded build(const KbqaFiles& files, const std::string& kb, std::size_t shard_triples, std::size_t buckets,
              std::size_t chunk_lines) {
  const auto tokenizer = text::Tokenizer::from_vocab(files.vocab);
  pipelines::KbShardBuilder builder(tokenizer, tokenizer.id("[SEP]"), shard_triples, buckets);
  std::vector<std::string> bucket_text(buckets);
  const auto lines = lines_of(kb);
  for (std::size_t i = 0; i < lines.size(); i += chunk_lines) {
    std::string chunk;
    for (std::size_t j = i; j < std::min(lines.size(), i + chunk_lines); ++j) chunk += lines[j] + "\n";
    builder.route(chunk);
    for (std::size_t b = 0; b < buckets; ++b) bucket_text[b] += builder.take_bucket(b);
  }
  Sharded out;
  for (const auto& text : bucket_text)
    for (auto& shard : builder.cut(text)) out.shards.push_back(std::move(shard));
  out.manifest = builder.manifest(pipelines::vocab_fingerprint(tokenizer));
  EXPECT_EQ(out.shards.size(), builder.shard_count());
  return out;
}

Kbqa open(const KbqaFiles& files, const std::vector<std::uint8_t>& manifest) {
  auto copy = std::make_shared<const std::vector<std::uint8_t>>(manifest);
  return Kbqa(Kbqa::Sharded{}, files.config, files.weight_bytes(), files.vocab, copy, {copy->data(), copy->size()},
              "kb.manifest");
}

View<const std::uint8_t> bytes(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Asks, loading the shards the question needs until it is answered; counts the rounds.
std::vector<pipelines::Answer> ask_loading(Kbqa& kbqa, const Sharded& sharded, const std::string& question,
                                           const pipelines::KbqaOptions& options, std::size_t& rounds) {
  for (;;) {
    try {
      return kbqa.ask(question, options);
    } catch (const pipelines::ShardsNeeded& needed) {
      ++rounds;
      EXPECT_FALSE(needed.shards().empty());
      for (const auto shard : needed.shards()) {
        EXPECT_FALSE(kbqa.shards()->loaded(shard));
        kbqa.load_shard(shard, bytes(sharded.shards.at(shard)), "shard");
      }
    }
  }
}

TEST(KbShards, EveryTripleIsInOneShardAndNoSubjectIsCutApart) {
  const KbqaFiles files;
  const std::string kb = synthetic_kb(5, 400);
  const Sharded sharded = build(files, kb, 9, 3, 17);
  std::multiset<std::string> expected, got;
  for (const auto& line : lines_of(kb)) expected.insert(line);
  std::map<std::string, std::size_t> shard_of_subject;
  for (std::size_t s = 0; s < sharded.shards.size(); ++s) {
    for (const auto& line : lines_of(sharded.shards[s])) {
      got.insert(line);
      const auto subject = line.substr(0, line.find(" ||| "));
      const auto [at, inserted] = shard_of_subject.emplace(subject, s);
      EXPECT_EQ(at->second, s) << subject;
    }
  }
  EXPECT_EQ(got, expected);
  EXPECT_GT(sharded.shards.size(), 20u);  // 9 triples a shard: the KB is really cut
}

TEST(KbShards, AnswersExactlyAsTheKbInMemoryLoadedUpFrontOrOnDemand) {
  const KbqaFiles files;
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const std::string kb = synthetic_kb(seed, 200);
    const Kbqa whole = files.with_kb(kb, pipelines::TrieLayout::kFlat);
    for (const std::size_t shard_triples : {1, 6, 40, 100000}) {
      const Sharded sharded = build(files, kb, shard_triples, 1 + seed % 3, 1 + seed * 7);
      Kbqa loaded = open(files, sharded.manifest);
      for (std::uint32_t s = 0; s < sharded.shards.size(); ++s) loaded.load_shard(s, bytes(sharded.shards[s]), "shard");
      test::expect_same_answers(whole, loaded, seed);
      EXPECT_EQ(loaded.kb().triple_count(), whole.kb().triple_count());

      Kbqa lazy = open(files, sharded.manifest);
      std::size_t rounds = 0;
      test::expect_answers_as(
          whole,
          [&](const std::string& question, const pipelines::KbqaOptions& options) {
            return ask_loading(lazy, sharded, question, options, rounds);
          },
          seed + 100);
      // Only the shards questions reached are loaded (fewer than all when the KB is cut finely).
      EXPECT_LE(lazy.shards()->loaded_count(), sharded.shards.size());
      if (shard_triples == 1) EXPECT_LT(lazy.shards()->loaded_count(), sharded.shards.size());
      EXPECT_GT(rounds, 0u);
    }
  }
}

std::string error_of(const std::function<void()>& body, ErrorCode* code = nullptr) {
  try {
    body();
  } catch (const Error& e) {
    if (code) *code = e.code();
    return e.what();
  }
  return "no error";
}

TEST(KbShards, BadManifestsAndShardsAreNamedErrorsAndTheKbStaysUsable) {
  const KbqaFiles files;
  const std::string kb = synthetic_kb(7, 120);
  const Sharded sharded = build(files, kb, 8, 2, 50);
  ErrorCode code{};
  // Manifest: truncated, a flipped byte, not a manifest, another vocabulary.
  auto truncated = sharded.manifest;
  truncated.resize(truncated.size() / 2);
  EXPECT_NE(error_of([&] { open(files, truncated); }, &code).find("kb.manifest"), std::string::npos);
  EXPECT_EQ(code, ErrorCode::kCorruptFile);
  auto flipped = sharded.manifest;
  flipped[flipped.size() / 2] ^= 0x40;
  EXPECT_NE(error_of([&] { open(files, flipped); }).find("checksum"), std::string::npos);
  EXPECT_NE(error_of([&] {
              open(files, {'<', 'h', 't', 'm', 'l', '>', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                           0,   0,   0,   0,   0,   0,   0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            }).find("bad magic"),
            std::string::npos);
  std::string other_vocab = files.vocab;
  other_vocab.replace(other_vocab.rfind('\n', other_vocab.size() - 2) + 1, 1, "Z");
  EXPECT_NE(error_of(
                [&] {
                  auto copy = std::make_shared<const std::vector<std::uint8_t>>(sharded.manifest);
                  Kbqa(Kbqa::Sharded{}, files.config, files.weight_bytes(), other_vocab, copy,
                       {copy->data(), copy->size()}, "kb.manifest");
                },
                &code)
                .find("another vocabulary"),
            std::string::npos);
  EXPECT_EQ(code, ErrorCode::kInvalidArgument);

  // Shards: a flipped byte, truncated, another shard's text, a shard that does not exist.
  Kbqa kbqa = open(files, sharded.manifest);
  std::string bad = sharded.shards[1];
  bad[bad.size() / 2] ^= 0x01;
  EXPECT_NE(error_of([&] { kbqa.load_shard(1, bytes(bad), "shard 1"); }, &code).find("shard 1: checksum mismatch"),
            std::string::npos);
  EXPECT_EQ(code, ErrorCode::kCorruptFile);
  EXPECT_NE(error_of([&] { kbqa.load_shard(1, bytes(sharded.shards[1].substr(0, 10)), "shard 1"); }).find("checksum"),
            std::string::npos);
  EXPECT_NE(error_of([&] { kbqa.load_shard(1, bytes(sharded.shards[2]), "shard 1"); }).find("checksum"),
            std::string::npos);
  EXPECT_NE(error_of([&] { kbqa.load_shard(99999, bytes(sharded.shards[1]), "shard 99999"); }).find("does not exist"),
            std::string::npos);
  EXPECT_FALSE(kbqa.shards()->loaded(1));
  // Still usable: every question answers once its shards load, as the KB in memory does.
  const Kbqa whole = files.with_kb(kb, pipelines::TrieLayout::kFlat);
  std::size_t rounds = 0;
  const auto expected = whole.ask("龙晶是什么？", {});
  const auto got = ask_loading(kbqa, sharded, "龙晶是什么？", {}, rounds);
  ASSERT_EQ(expected.size(), got.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(expected[i].object, got[i].object);
  // A KB held whole has no shards.
  Kbqa in_memory = files.with_kb(kb, pipelines::TrieLayout::kCompact);
  EXPECT_NE(error_of([&] { in_memory.load_shard(0, bytes(sharded.shards[0]), "shard 0"); }).find("no shards"),
            std::string::npos);
}

// The fuzz seeds (a 4-byte manifest length, the manifest, shard 0's text): the valid ones open and load their
// shard, the truncated one is an Error; so the fuzzer starts from inputs that reach deep.
TEST(KbShards, FuzzCorpusSeedsAreValidWhereTheySayThey) {
  const KbqaFiles files;
  const auto tokenizer = text::Tokenizer::from_vocab(files.vocab);
  const std::filesystem::path corpus =
      std::filesystem::path(ATTNKIT_FIXTURES_DIR) / ".." / "fuzz" / "corpus" / "kb_shards";
  std::size_t valid = 0, count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::vector<std::uint8_t> input((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GE(input.size(), 4u);
    std::uint32_t size;
    std::memcpy(&size, input.data(), 4);
    const bool expect_valid = entry.path().filename().string().rfind("valid", 0) == 0;
    ++count;
    try {
      if (size > input.size() - 4) fail_file("the manifest is cut short");
      pipelines::KbShards kb(nullptr, {input.data() + 4, size}, pipelines::vocab_fingerprint(tokenizer), 3, "seed");
      kb.load(0, {input.data() + 4 + size, input.size() - 4 - size}, tokenizer, "seed shard");
      EXPECT_TRUE(expect_valid) << entry.path();
      valid += kb.loaded(0);
    } catch (const Error& e) {
      EXPECT_FALSE(expect_valid) << entry.path() << ": " << e.what();
    }
  }
  EXPECT_EQ(count, 4u);
  EXPECT_EQ(valid, 3u);
}

}  // namespace
}  // namespace attnkit
