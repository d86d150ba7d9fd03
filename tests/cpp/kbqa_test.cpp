// The seq2seq runtime and KBQA pipeline against PyTorch on a random tiny model (tests/fixtures/tiny-kbqa,
// from scripts/make_model_fixtures.py): full-recomputation log-probabilities (generation mixed with the
// copy head), incremental decoding with the KV cache, and the probability of every KB entry under
// trie-constrained decoding.
#include "attnkit/pipelines/kbqa.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "attnkit/core/error.hpp"
#include "attnkit/model/config.hpp"
#include "attnkit/model/seq2seq.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

using test::read_file;

const std::string kTiny = std::string(ATTNKIT_FIXTURES_DIR) + "/tiny-kbqa/";

struct TinyModel {
  std::string bytes = read_file(kTiny + "model.safetensors");
  model::EncoderConfig config = model::parse_config(read_file(kTiny + "config.json"));
  model::Seq2Seq model{config,
                       model::SafeTensors::parse({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()})};
  nlohmann::json reference = nlohmann::json::parse(read_file(kTiny + "reference.json"));
};

pipelines::Kbqa tiny_kbqa(const std::string& kb_text) {
  const std::string bytes = read_file(kTiny + "model.safetensors");
  return pipelines::Kbqa(read_file(kTiny + "config.json"),
                         {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()},
                         read_file(kTiny + "vocab.txt"), pipelines::KnowledgeBase::parse(kb_text));
}

float worst_difference(const std::vector<float>& a, const nlohmann::json& rows, std::size_t vocab) {
  float worst = 0;
  for (std::size_t t = 0; t < rows.size(); ++t)
    for (std::size_t v = 0; v < vocab; ++v)
      worst = std::max(worst, std::fabs(a[t * vocab + v] - rows[t][v].get<float>()));
  return worst;
}

std::vector<float> row_log_probs(const model::NextTokens& next, std::size_t row) {
  std::vector<float> out(next.vocab);
  for (std::size_t id = 0; id < next.vocab; ++id) out[id] = next.log_prob(row, static_cast<std::int32_t>(id));
  return out;
}

TEST(Seq2Seq, FullRecomputationMatchesPyTorch) {
  TinyModel tiny;
  for (const auto& c : tiny.reference["cases"]) {
    const auto logits = tiny.model.log_probs(c["source"], c["target"]);
    EXPECT_LT(worst_difference(logits, c["logits"], tiny.model.vocab_size()), 1e-4f);
  }
}

TEST(Seq2Seq, IncrementalDecodingWithTheKvCacheEqualsFullRecomputation) {
  TinyModel tiny;
  const std::size_t vocab = tiny.model.vocab_size();
  for (const auto& c : tiny.reference["cases"]) {
    const std::vector<std::int32_t> source = c["source"], target = c["target"];
    const auto full = tiny.model.log_probs(source, target);
    std::vector<float> incremental;
    model::NextTokens next;
    model::DecoderState state = tiny.model.start(source, next);
    for (std::size_t t = 0; t < target.size(); ++t) {
      const auto row = row_log_probs(next, 0);
      incremental.insert(incremental.end(), row.begin(), row.end());
      if (t + 1 < target.size()) tiny.model.step({&state}, {target[t]}, next);
    }
    ASSERT_EQ(incremental.size(), full.size());
    float worst = 0;
    for (std::size_t i = 0; i < full.size(); ++i) worst = std::max(worst, std::fabs(full[i] - incremental[i]));
    EXPECT_LT(worst, 1e-5f);
    EXPECT_LT(worst_difference(incremental, c["logits"], vocab), 1e-4f);
  }
}

TEST(Seq2Seq, BatchedStepsEqualSeparateSteps) {
  TinyModel tiny;
  const std::vector<std::int32_t> a = tiny.reference["cases"][0]["source"], b = tiny.reference["cases"][1]["source"];
  model::NextTokens ignored, together, alone_a, alone_b;
  model::DecoderState sa = tiny.model.start(a, ignored), sb = tiny.model.start(b, ignored);
  model::DecoderState sa2 = sa, sb2 = sb;
  tiny.model.step({&sa, &sb}, {7, 9}, together);
  tiny.model.step({&sa2}, {7}, alone_a);
  tiny.model.step({&sb2}, {9}, alone_b);
  const auto pa = row_log_probs(together, 0), pb = row_log_probs(together, 1);
  const auto qa = row_log_probs(alone_a, 0), qb = row_log_probs(alone_b, 0);
  for (std::size_t v = 0; v < tiny.model.vocab_size(); ++v) {
    EXPECT_NEAR(pa[v], qa[v], 1e-5f);
    EXPECT_NEAR(pb[v], qb[v], 1e-5f);
  }
}

TEST(Seq2Seq, MaxLogProbIsTheLargestLogProbOverTheWholeVocabulary) {
  // max_log_prob looks only at the top logit and the ids the copy head can copy; here every id is scored.
  TinyModel tiny;
  for (const auto& c : tiny.reference["cases"]) {
    const std::vector<std::int32_t> source = c["source"], target = c["target"];
    model::NextTokens next;
    model::DecoderState state = tiny.model.start(source, next);
    for (std::size_t t = 0; t < target.size(); ++t) {
      const auto row = row_log_probs(next, 0);
      EXPECT_EQ(next.max_log_prob(0), *std::max_element(row.begin(), row.end())) << "step " << t;
      tiny.model.step({&state}, {target[t]}, next);
    }
  }
}

TEST(Seq2Seq, RejectsSequencesPastMaxLengthAndForeignCaches) {
  TinyModel tiny;
  model::NextTokens next;
  EXPECT_THROW(tiny.model.start({}, next), Error);
  EXPECT_THROW(tiny.model.start(std::vector<std::int32_t>(tiny.config.max_length + 1, 5), next), Error);
  EXPECT_THROW(tiny.model.start({2, 9999, 3}, next), Error);
  model::DecoderState unstarted;
  EXPECT_THROW(tiny.model.step({&unstarted}, {5}, next), Error);
  model::DecoderState foreign = tiny.model.start({2, 5, 3}, next);
  foreign.cache = model::KvCache{};
  EXPECT_THROW(tiny.model.step({&foreign}, {5}, next), Error);
}

TEST(Seq2Seq, TheBundledKbqaModelMatchesItsPyTorchReference) {
  const std::string dir = std::string(ATTNKIT_MODELS_DIR) + "/kbqa-kgclue/";
  const std::string bytes = read_file(dir + "model.safetensors");
  const model::Seq2Seq bundled(
      model::parse_config(read_file(dir + "config.json")),
      model::SafeTensors::parse({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}));
  const auto reference = nlohmann::json::parse(read_file(dir + "reference.json"));
  float worst = 0;
  for (const auto& c : reference["cases"]) {
    const auto out = bundled.log_probs(c["source"], c["target"]);
    const std::vector<std::size_t> ids = c["logit_ids"];
    for (std::size_t t = 0; t < c["logits"].size(); ++t)
      for (std::size_t j = 0; j < ids.size(); ++j)
        worst = std::max(worst, std::fabs(out[t * bundled.vocab_size() + ids[j]] - c["logits"][t][j].get<float>()));
  }
  EXPECT_LT(worst, 1e-3f);
}

TEST(Kbqa, ExhaustiveBeamsReproduceEveryEntryProbabilityFromPyTorch) {
  const auto kbqa = tiny_kbqa(read_file(kTiny + "kb.txt"));
  const auto reference = nlohmann::json::parse(read_file(kTiny + "reference.json"));
  for (const auto& c : reference["cases"]) {
    const auto& entries = c["entries"];
    const auto answers = kbqa.ask(c["question"].get<std::string>(), {16, entries.size(), pipelines::KbqaMode::kTriple});
    ASSERT_EQ(answers.size(), entries.size());
    double total = 0;
    for (std::size_t i = 0; i < answers.size(); ++i) {
      const auto expected = kbqa.kb().triple(entries[i]["triple"].get<std::int32_t>());
      EXPECT_EQ(answers[i].subject, expected.subject);
      EXPECT_EQ(answers[i].predicate, expected.predicate);
      EXPECT_EQ(answers[i].object, expected.object);
      EXPECT_NEAR(std::log(answers[i].score), entries[i]["log_prob"].get<double>(), 1e-4);
      total += answers[i].score;
    }
    EXPECT_NEAR(total, 1.0, 1e-4);  // constrained decoding is a distribution over KB entries
  }
}

TEST(Kbqa, EveryModeAnswersFromTheKnowledgeBase) {
  const auto kbqa = tiny_kbqa(read_file(kTiny + "kb.txt"));
  const auto& kb = kbqa.kb();
  const auto in_kb = [&](auto field) {
    for (std::int32_t t = 0; t < static_cast<std::int32_t>(kb.triple_count()); ++t)
      if (field(kb.triple(t))) return true;
    return false;
  };
  for (const auto mode :
       {pipelines::KbqaMode::kTriple, pipelines::KbqaMode::kSubject, pipelines::KbqaMode::kOpenPredicate}) {
    for (std::size_t beams : {1, 3}) {
      const auto answers = kbqa.ask("北京大学的校长是谁？", {beams, 3, mode});
      ASSERT_FALSE(answers.empty());
      EXPECT_LE(answers.size(), 3u);
      for (std::size_t i = 0; i < answers.size(); ++i) {
        const auto& a = answers[i];
        EXPECT_TRUE(in_kb([&](const pipelines::TripleView& t) { return t.subject == a.subject; }));
        EXPECT_TRUE(in_kb([&](const pipelines::TripleView& t) { return t.predicate == a.predicate; }));
        EXPECT_GT(a.score, 0.0);
        EXPECT_LE(a.score, 1.0 + 1e-9);
        if (mode != pipelines::KbqaMode::kOpenPredicate) {  // open-predicate ranks by PMI, not by score
          if (i > 0) EXPECT_LE(a.score, answers[i - 1].score + 1e-9);
          EXPECT_TRUE(in_kb([&](const pipelines::TripleView& t) {
            return t.subject == a.subject && t.predicate == a.predicate && t.object == a.object;
          }));
        }
      }
    }
  }
  EXPECT_TRUE(kbqa.ask("", {4, 1, pipelines::KbqaMode::kTriple}).empty());
  EXPECT_TRUE(kbqa.ask(" \t ", {4, 1, pipelines::KbqaMode::kTriple}).empty());
  EXPECT_THROW(kbqa.ask("北京", {0, 1, pipelines::KbqaMode::kTriple}), Error);
  EXPECT_THROW(kbqa.ask("北京", {4, 0, pipelines::KbqaMode::kTriple}), Error);
  EXPECT_THROW(kbqa.ask("北京", {4, 1, pipelines::KbqaMode::kTriple, true, -1.0}), Error);
  EXPECT_THROW(kbqa.ask("北京", {4, 1, pipelines::KbqaMode::kTriple, true, std::nan("")}), Error);
  for (const double lambda : {-0.1, 1.5, std::nan("")})
    EXPECT_THROW(kbqa.ask("北京", {4, 1, pipelines::KbqaMode::kOpenPredicate, true, 0.0, lambda}), Error);
}

// Σ log p(target[t]) over t ≥ from, by full recomputation (no KV cache, no batching).
double target_log_prob(const model::Seq2Seq& model, const std::vector<std::int32_t>& source,
                       const std::vector<std::int32_t>& target, std::size_t from) {
  const auto rows = model.log_probs(source, target);
  double sum = 0;
  for (std::size_t t = from; t < target.size(); ++t)
    sum += rows[t * model.vocab_size() + static_cast<std::size_t>(target[t])];
  return sum;
}

TEST(Kbqa, OpenPredicateRanksTheBeamsPredicatesByPointwiseMutualInformation) {
  const auto kbqa = tiny_kbqa(read_file(kTiny + "kb.txt"));
  const auto& tokenizer = kbqa.tokenizer();
  const std::int32_t cls = tokenizer.id("[CLS]"), sep = tokenizer.id("[SEP]");
  const std::string question = "北京大学的校长是谁？";
  // 8 beams hold all 5 KB predicates: the reranking sees every one.
  pipelines::KbqaOptions options{8, 8, pipelines::KbqaMode::kOpenPredicate, true, 0.0, 0.0};
  const auto by_probability = kbqa.ask(question, options);
  ASSERT_EQ(by_probability.size(), 5u);
  bool reordered = false;  // the test means something only if PMI changes the order somewhere
  for (const double lambda : {0.5, 1.0}) {
    options.mutual_information = lambda;
    const auto ranked = kbqa.ask(question, options);
    ASSERT_EQ(ranked.size(), 5u);
    const auto name = tokenizer.ids(pipelines::split_subject(ranked[0].subject).name);
    std::vector<std::pair<double, std::string>> expected;
    for (const auto& a : ranked) {
      // target "S [SEP] P [SEP]"; the question's source, and the subject's name as the whole question.
      std::vector<std::int32_t> target = name, alone{cls};
      target.push_back(sep);
      for (const auto id : tokenizer.ids(a.predicate)) target.push_back(id);
      target.push_back(sep);
      alone.insert(alone.end(), name.begin(), name.end());
      alone.push_back(sep);
      const double pmi = target_log_prob(kbqa.model(), kbqa.source_ids(question), target, name.size() + 1) -
                         lambda * target_log_prob(kbqa.model(), alone, target, name.size() + 1);
      expected.emplace_back(pmi, a.predicate);
      // The score stays the probability of the entry, whatever the ranking.
      const auto same = std::find_if(by_probability.begin(), by_probability.end(),
                                     [&](const auto& b) { return b.predicate == a.predicate; });
      ASSERT_NE(same, by_probability.end());
      EXPECT_NEAR(a.score, same->score, 1e-6);
    }
    std::vector<std::pair<double, std::string>> sorted = expected;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    for (std::size_t i = 0; i < ranked.size(); ++i) {
      EXPECT_EQ(ranked[i].predicate, sorted[i].second) << "λ " << lambda << ", rank " << i;
      reordered |= ranked[i].predicate != by_probability[i].predicate;
    }
  }
  EXPECT_TRUE(reordered);
}

TEST(KnowledgeBase, ParsesKgClueLinesAndNamesTheBadLine) {
  const auto kb = pipelines::KnowledgeBase::parse("龙晶（游戏） ||| 繁体 ||| 龍晶\n\n  北京 |||繁体|||  \r\n");
  ASSERT_EQ(kb.size(), 2u);
  EXPECT_EQ(kb.triple(0).subject, "龙晶（游戏）");
  EXPECT_EQ(kb.triple(1).predicate, "繁体");
  EXPECT_EQ(kb.triple(1).object, "");
  EXPECT_EQ(kb.ids(0).predicate, kb.ids(1).predicate);  // each distinct string is stored once
  auto message = [](const std::string& text) {
    try {
      pipelines::KnowledgeBase::parse(text);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("a ||| b ||| c\nno separator here\n"),
            "knowledge base line 2: expected \"subject ||| predicate ||| object\", got \"no separator here\"");
  EXPECT_EQ(message("a ||| b ||| c ||| d"),
            "knowledge base line 1: expected \"subject ||| predicate ||| object\", got \"a ||| b ||| c ||| d\"");
  EXPECT_EQ(message(" ||| b ||| c"), "knowledge base line 1: the subject is empty");
  EXPECT_EQ(message("a |||  ||| c"), "knowledge base line 1: the predicate is empty");
  EXPECT_EQ(message("\n \n"), "knowledge base: no triples");
  // A long bad line is cut at a character boundary: 26 three-byte characters = 78 bytes, the 27th would pass 80.
  std::string long_line;
  for (int i = 0; i < 30; ++i) long_line += "龙";
  EXPECT_EQ(message(long_line), "knowledge base line 1: expected \"subject ||| predicate ||| object\", got \"" +
                                    long_line.substr(0, 78) + "…\"");
}

TEST(KnowledgeBase, SplitsTheSenseLabelOffTheSubject) {
  EXPECT_EQ(pipelines::split_subject("龙晶（游戏）").name, "龙晶");
  EXPECT_EQ(pipelines::split_subject("龙晶（游戏）").sense, "游戏");
  EXPECT_EQ(pipelines::split_subject("守望星光（韩玉玲、刘东考演唱歌曲）").sense, "韩玉玲、刘东考演唱歌曲");
  EXPECT_EQ(pipelines::split_subject("北京").sense, "");
  EXPECT_EQ(pipelines::split_subject("（游戏）").name, "（游戏）");  // nothing before the label: all name
  EXPECT_EQ(pipelines::split_subject("a（b）c").name, "a（b）c");
}

TEST(Kbqa, RejectsKnowledgeBasesItCannotTokenize) { EXPECT_THROW(tiny_kbqa("\x01\x02 ||| 繁体 ||| x\n"), Error); }

}  // namespace
}  // namespace attnkit
