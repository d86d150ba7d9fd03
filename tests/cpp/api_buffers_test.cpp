// Every api entry point that writes into a caller's buffer checks the buffer's size first: given one that is
// one element too small it throws an invalid-argument attnkit::Error naming the buffer, and writes nothing
// (the buffers here are exactly the too-small size on the heap, so under ASan a write past one would fail).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "attnkit/api/attention_api.hpp"
#include "attnkit/api/decoding_api.hpp"
#include "attnkit/api/entropy_api.hpp"
#include "attnkit/api/kbqa_api.hpp"
#include "attnkit/api/kernels_api.hpp"
#include "attnkit/api/ner_api.hpp"
#include "attnkit/core/error.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

using test::read_file;

// The call must throw an invalid-argument Error whose message contains `names` (function and buffer).
void expect_too_small(const std::function<void()>& call, const std::string& names) {
  try {
    call();
    ADD_FAILURE() << "no error; expected one naming " << names;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    EXPECT_NE(std::string(e.what()).find(names), std::string::npos) << e.what();
  }
}

template <typename T>
View<T> view(std::vector<T>& v) {
  return {v.data(), v.size()};
}
template <typename T>
View<const T> const_view(const std::vector<T>& v) {
  return {v.data(), v.size()};
}
View<const std::uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

const std::vector<float> kOnes(64, 0.25f);

TEST(ApiBuffers, KernelsRejectAnOutputOneElementShort) {
  std::vector<float> c(3);  // 2×2 needed
  expect_too_small(
      [&] {
        api::gemm({{kOnes.data(), 4}, {kOnes.data(), 4}, view(c), 2, 2, 2, false});
      },
      "gemm: c has 3");
  expect_too_small([&] { api::softmax({{kOnes.data(), 4}, view(c), 2, 2}); }, "softmax: output has 3");
  expect_too_small(
      [&] {
        api::layer_norm({{kOnes.data(), 4}, {kOnes.data(), 2}, {kOnes.data(), 2}, view(c), 2, 2, 1e-5});
      },
      "layerNorm: output has 3");
}

TEST(ApiBuffers, AttentionFamilyRejectsAnOutputOneElementShort) {
  const ConstFloats qkv{kOnes.data(), 16};  // batch 1, heads 1, 4 × 4
  std::vector<float> out(15);
  const api::AttentionDims dims{1, 1, 4, 4, 4, 4};
  expect_too_small([&] { api::attention(qkv, qkv, qkv, view(out), dims, {}, {}); }, "attention: output has 15");
  expect_too_small([&] { api::relu2_attention(qkv, qkv, qkv, view(out), dims, {}); }, "gauAttention: output has 15");
  expect_too_small(
      [&] {
        api::linear_attention(qkv, qkv, qkv, view(out), dims, {}, attention::FeatureMap::kEluPlusOne, {}, 0, 1e-6);
      },
      "linearAttention: output has 15");

  auto state = api::linear_attention_state(4, 4, attention::FeatureMap::kEluPlusOne, {}, 0, 1e-6);
  std::vector<float> row(3);
  const ConstFloats four{kOnes.data(), 4};
  expect_too_small(
      [&] {
        api::linear_state_step(*state, {four, four, four, view(row)});
      },
      "LinearAttentionState.step: output has 3");
  EXPECT_EQ(state->tokens(), 0u);  // rejected before anything was appended

  std::vector<float> projection(4 * 8 - 1);
  expect_too_small([&] { api::performer_projection(4, 8, 1, view(projection)); }, "performerProjection: output has 31");
  std::vector<float> x(4 * 8 - 1, 0.5f);
  expect_too_small([&] { api::rope(view(x), 4, 8, 0, 10000); }, "rope: x has 31");
}

TEST(ApiBuffers, EntropyToolsRejectOutputsOneElementShort) {
  const std::vector<float> p = {0.5f, 0.5f, 0.25f, 0.75f};
  std::vector<double> one(1);
  expect_too_small([&] { api::entropy({const_view(p), view(one), 2, 2}); }, "entropy: output has 1");

  const std::vector<double> target = {0.5};
  std::vector<float> out(4), short_out(3);
  std::vector<double> gammas(2), short_gammas(1);
  std::vector<std::int32_t> iterations(2), short_iterations(1);
  auto normalize = [&](std::vector<float>& o, std::vector<double>& g, std::vector<std::int32_t>& it) {
    api::entropy_normalize(
        {const_view(p), view(o), 2, 2, const_view(target), entropy::SolveMethod::kAuto, 1e-6, 50, view(g), view(it)});
  };
  expect_too_small([&] { normalize(short_out, gammas, iterations); }, "entropyNormalize: output has 3");
  expect_too_small([&] { normalize(out, short_gammas, iterations); }, "entropyNormalize: gammas has 1");
  expect_too_small([&] { normalize(out, gammas, short_iterations); }, "entropyNormalize: iterations has 1");
}

TEST(ApiBuffers, TrieAndBeamSearchCopiesRejectBuffersOneElementShort) {
  const std::vector<std::int32_t> tokens = {1, 2, 1, 3, 1, 3};
  const std::vector<std::int32_t> lengths = {2, 2, 2};
  const auto trie = api::build_trie(const_view(tokens), const_view(lengths), {});
  const std::uint32_t after_one = trie->find({tokens.data(), 1});
  std::vector<std::int32_t> one(1);
  expect_too_small([&] { api::copy_next_tokens(*trie, after_one, view(one)); }, "PrefixTrie.next: output has 1");
  const std::uint32_t entry = trie->find({tokens.data() + 2, 2});  // [1, 3] was added twice: two values
  expect_too_small([&] { api::copy_values(*trie, entry, view(one)); }, "PrefixTrie.values: output has 1");
  expect_too_small([&] { api::copy_values(*trie, 1000, view(one)); }, "PrefixTrie.values: node 1000");

  api::BeamArgs args;
  args.beams = 2;
  args.top_k = 2;
  args.vocab_size = 4;
  args.max_length = 3;
  auto search = api::beam_search(args, trie.get());
  std::vector<float> step(3);  // one live hypothesis × vocabulary 4
  expect_too_small([&] { api::advance(*search, const_view(step)); }, "beamSearch: the step function returned 3");
  std::vector<float> log_probs(4, -1.0f);
  api::advance(*search, const_view(log_probs));  // the trie allows only token 1 first: one live [1]
  const std::size_t live = search->live().size(), live_tokens = api::live_token_count(*search);
  ASSERT_EQ(live, 1u);
  std::vector<std::int32_t> lengths_out(live), short_lengths(live - 1), tokens_out(live_tokens),
      short_tokens(live_tokens - 1);
  expect_too_small([&] { api::copy_live(*search, view(short_lengths), view(tokens_out)); },
                   "beamSearch: lengths has 0");
  expect_too_small([&] { api::copy_live(*search, view(lengths_out), view(short_tokens)); }, "beamSearch: tokens has 0");
  while (!search->done()) {
    std::vector<float> row(search->live().size() * 4, -1.0f);
    api::advance(*search, const_view(row));
  }
  const auto sizes = api::result_sizes(*search);
  ASSERT_GT(sizes.ints, 0u);
  std::vector<std::int32_t> ints(sizes.ints - 1), all_ints(sizes.ints);
  std::vector<double> scores(sizes.scores), short_scores(sizes.scores - 1);
  expect_too_small([&] { api::copy_results(*search, view(ints), view(scores)); }, "beamSearch: ints has");
  expect_too_small([&] { api::copy_results(*search, view(all_ints), view(short_scores)); }, "beamSearch: scores has");
}

TEST(ApiBuffers, NerAndKbqaCopiesRejectBuffersOneElementShort) {
  const std::string ner_dir = std::string(ATTNKIT_FIXTURES_DIR) + "/tiny-ner/";
  const std::string ner_config = read_file(ner_dir + "config.json"),
                    ner_weights = read_file(ner_dir + "model.safetensors"),
                    ner_vocab = read_file(ner_dir + "vocab.txt");
  auto ner = api::load_ner({bytes(ner_config), bytes(ner_weights), bytes(ner_vocab)});
  const std::vector<std::int32_t> ids = {2, 5, 6, 3};
  std::vector<float> logits(ner->ner.labels().size() * ids.size() * ids.size() - 1);
  expect_too_small([&] { api::ner_logits(*ner, const_view(ids), {}, view(logits)); }, "NER.logits: output has");

  const std::size_t found = api::ner_extract(*ner, bytes("北京大学的张三在上海工作"));
  std::vector<std::int32_t> ints(found * 3 + 2);  // a buffer of the wrong size, too large or too small, is refused
  std::vector<float> scores(found);
  expect_too_small([&] { api::ner_take_entities(*ner, view(ints), view(scores)); }, "NER.extract: ints has");
  std::vector<std::int32_t> right(found * 3);
  if (found > 0) {
    std::vector<float> short_scores(found - 1);
    expect_too_small([&] { api::ner_take_entities(*ner, view(right), view(short_scores)); }, "NER.extract: scores has");
  }
  EXPECT_NO_THROW(api::ner_take_entities(*ner, view(right), view(scores)));

  const std::string kbqa_dir = std::string(ATTNKIT_FIXTURES_DIR) + "/tiny-kbqa/";
  const std::string config = read_file(kbqa_dir + "config.json"), weights = read_file(kbqa_dir + "model.safetensors"),
                    vocab = read_file(kbqa_dir + "vocab.txt"), kb = read_file(kbqa_dir + "kb.txt");
  auto kbqa = api::load_kbqa({bytes(config), bytes(weights), bytes(vocab)}, bytes(kb), pipelines::TrieLayout::kCompact);
  const std::vector<std::int32_t> source = {2, 5, 3}, target = {6, 7};
  std::vector<float> log_probs(target.size() * kbqa->kbqa.model().vocab_size() - 1);
  expect_too_small([&] { api::kbqa_log_probs(*kbqa, const_view(source), const_view(target), view(log_probs)); },
                   "KBQA.logProbs: output has");
  expect_too_small([&] { api::kbqa_answer(*kbqa, 0); }, "KBQA.ask: answer 0 is outside");
}

}  // namespace
}  // namespace attnkit
