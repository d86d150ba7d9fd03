// The encoder and Efficient GlobalPointer head against PyTorch on a random tiny model
// (tests/fixtures/tiny-ner, from scripts/make_model_fixtures.py), for fp32 and fp16 weights.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>

#include "attnkit/core/error.hpp"
#include "attnkit/model/config.hpp"
#include "attnkit/model/encoder.hpp"
#include "attnkit/model/global_pointer.hpp"
#include "attnkit/text/lexicon.hpp"
#include "attnkit/text/tokenizer.hpp"
#include "attnkit/text/unicode.hpp"
#include "fixtures.hpp"

namespace attnkit {
namespace {

using test::read_file;

// Runs the model in `dir` on each reference case; reports the largest |Δ| of hidden states (when the
// reference has them) and of span logits (i ≤ j).
void expect_parity(const std::string& dir, const std::string& weights_file, const std::string& reference_file,
                   float* worst_hidden, float* worst_logit) {
  const auto config = model::parse_config(read_file(dir + "config.json"));
  const std::string bytes = read_file(dir + weights_file);
  const auto st = model::SafeTensors::parse({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
  const model::Encoder encoder(config, st);
  const model::EfficientGlobalPointer head(config, st);
  const auto tokenizer = text::Tokenizer::from_vocab(read_file(dir + "vocab.txt"));
  const auto reference = nlohmann::json::parse(read_file(dir + reference_file));
  *worst_hidden = *worst_logit = 0;
  for (const auto& c : reference["cases"]) {
    std::vector<std::int32_t> ids = {tokenizer.id("[CLS]")};
    for (const auto id : tokenizer.ids(c["text"].get<std::string>())) ids.push_back(id);
    ids.push_back(tokenizer.id("[SEP]"));
    ASSERT_EQ(ids, c["ids"].get<std::vector<std::int32_t>>());
    const std::size_t n = ids.size(), h = config.hidden_size;
    // A lexicon model's features: the C++ trie matcher's bits must equal Python's before the model runs.
    std::vector<std::uint32_t> bits;
    if (config.lexicon.features() > 0) {
      const auto lexicon = text::Lexicon::parse(st.bytes("lexicon.words"), config.lexicon.classes.size(), "parity");
      const std::string text = c["text"].get<std::string>();
      const auto token_bits =
          text::Lexicon::token_bits(lexicon.char_bits(text::decode_utf8(text)), tokenizer.tokenize(text));
      bits = {0};
      bits.insert(bits.end(), token_bits.begin(), token_bits.end());
      bits.push_back(0);
      EXPECT_EQ(bits, c["lexicon"].get<std::vector<std::uint32_t>>()) << text;
    }
    const auto hidden = encoder.forward(ids, bits);
    if (c.contains("hidden"))
      for (std::size_t t = 0; t < n; ++t)
        for (std::size_t j = 0; j < h; ++j)
          *worst_hidden = std::max(*worst_hidden, std::fabs(hidden[t * h + j] - c["hidden"][t][j].get<float>()));
    const auto logits = head.forward(hidden, n, bits.empty() ? nullptr : bits.data());
    for (std::size_t a = 0; a < head.types(); ++a)
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i; j < n; ++j)
          *worst_logit =
              std::max(*worst_logit, std::fabs(logits[(a * n + i) * n + j] - c["logits"][a][i][j].get<float>()));
  }
}

TEST(EncoderParity, Fp32AndFp16WeightsMatchPyTorchWithin1e4) {
  // Each weights file has its own reference, computed by PyTorch in fp32 on exactly those weights; the
  // lexicon model adds the word-lexicon features to the embeddings and its span biases to the head's logits.
  for (const char* model : {"tiny-ner", "tiny-ner-lexicon"}) {
    for (const auto& [weights, reference] :
         {std::pair{"model.safetensors", "reference.json"}, std::pair{"model-f16.safetensors", "reference-f16.json"}}) {
      float hidden, logit;
      expect_parity(std::string(ATTNKIT_FIXTURES_DIR) + "/" + model + "/", weights, reference, &hidden, &logit);
      EXPECT_LE(hidden, 1e-4f) << model << " " << weights;
      EXPECT_LE(logit, 1e-4f) << model << " " << weights;
      std::cout << model << " " << weights << " parity: max |Δ| hidden " << hidden << ", logits " << logit << "\n";
    }
  }
}

TEST(Encoder, ALexiconModelNeedsItsFeaturesAndRejectsBitsBeyondThem) {
  const std::string dir = std::string(ATTNKIT_FIXTURES_DIR) + "/tiny-ner-lexicon/";
  const auto config = model::parse_config(read_file(dir + "config.json"));
  const std::string bytes = read_file(dir + "model.safetensors");
  const model::Encoder encoder(
      config, model::SafeTensors::parse({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}));
  ASSERT_EQ(config.lexicon.features(), 24u);
  EXPECT_NO_THROW(encoder.forward({2, 5, 3}, {0, (1u << 24) - 1, 0}));
  EXPECT_THROW(encoder.forward({2, 5, 3}), Error);
  EXPECT_THROW(encoder.forward({2, 5, 3}, {0, 1u << 24, 0}), Error);
  EXPECT_THROW(encoder.forward({2, 5, 3}, {0, 1}), Error);
  ASSERT_TRUE(config.lexicon.spans);
  const model::EfficientGlobalPointer head(
      config, model::SafeTensors::parse({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}));
  EXPECT_THROW(head.forward(std::vector<float>(3 * config.hidden_size), 3), Error);
}

TEST(GlobalPointer, LexiconSpanBiasIsAddedWhereAClassBeginsAtIAndEndsAtJ) {
  // Hand-worked: the same hidden states with and without feature bits differ by exactly bias[c][t] on the
  // cells (i, j ≥ i) where token i has class c's B bit and token j its E bit; nowhere else.
  const std::string dir = std::string(ATTNKIT_FIXTURES_DIR) + "/tiny-ner-lexicon/";
  const auto config = model::parse_config(read_file(dir + "config.json"));
  const std::string bytes = read_file(dir + "model.safetensors");
  const auto st = model::SafeTensors::parse({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
  const model::EfficientGlobalPointer head(config, st);
  const std::size_t n = 4, types = head.types(), classes = config.lexicon.classes.size();
  const auto bias = st.floats("head.lexicon_span_bias", {classes, types});
  std::vector<float> hidden(n * config.hidden_size);
  for (std::size_t k = 0; k < hidden.size(); ++k) hidden[k] = std::sin(0.37f * static_cast<float>(k));
  // Token 1 begins classes 2 and 4; token 2 ends class 2 and begins class 1; token 3 ends classes 4 and 1.
  const auto begin = [](std::size_t c) { return 1u << c; };
  const auto end = [&](std::size_t c) { return 1u << (2 * classes + c); };
  const std::vector<std::uint32_t> bits = {0, begin(2) | begin(4), end(2) | begin(1), end(4) | end(1)};
  const std::vector<std::uint32_t> none(n, 0);
  const auto with = head.forward(hidden, n, bits.data()), without = head.forward(hidden, n, none.data());
  for (std::size_t t = 0; t < types; ++t)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i; j < n; ++j) {
        float expected = 0;
        if (i == 1 && j == 2) expected = bias[2 * types + t];
        if (i == 1 && j == 3) expected = bias[4 * types + t];
        if (i == 2 && j == 3) expected = bias[1 * types + t];
        EXPECT_NEAR(with[(t * n + i) * n + j] - without[(t * n + i) * n + j], expected, 1e-6f) << t << " " << i << j;
      }
}

TEST(EncoderParity, TheBundledNerModelMatchesItsPyTorchReference) {
  float hidden, logit;
  expect_parity(std::string(ATTNKIT_MODELS_DIR) + "/ner-cluener/", "model.safetensors", "reference.json", &hidden,
                &logit);
  EXPECT_LE(logit, 1e-4f);
  std::cout << "bundled NER model parity: max |Δ| logits " << logit << "\n";
}

TEST(Encoder, ForwardBatchRowsEqualEachSequencesOwnForwardExactly) {
  // The dense layers run over all sequences' rows at once; a GEMM row depends on no other row, and attention
  // stays within each sequence, so every row must be bit-identical to the sequence's own forward().
  const std::string dir = std::string(ATTNKIT_FIXTURES_DIR) + "/tiny-ner/";
  const auto config = model::parse_config(read_file(dir + "config.json"));
  const std::string bytes = read_file(dir + "model.safetensors");
  const model::Encoder encoder(
      config, model::SafeTensors::parse({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}));
  std::vector<std::vector<std::int32_t>> sequences;
  for (const std::size_t n : {1u, 7u, 2u, 33u, 5u, 100u}) {
    std::vector<std::int32_t> ids;
    for (std::size_t i = 0; i < std::min(n, config.max_length); ++i)
      ids.push_back(static_cast<std::int32_t>((i * 7 + n) % config.vocab_size));
    sequences.push_back(ids);
  }
  const auto batched = encoder.forward_batch(sequences);
  std::size_t row0 = 0;
  for (const auto& ids : sequences) {
    const auto alone = encoder.forward(ids);
    const std::vector<float> rows(
        batched.begin() + static_cast<std::ptrdiff_t>(row0 * config.hidden_size),
        batched.begin() + static_cast<std::ptrdiff_t>((row0 + ids.size()) * config.hidden_size));
    EXPECT_EQ(rows, alone) << "sequence of " << ids.size();
    row0 += ids.size();
  }
  EXPECT_EQ(row0 * config.hidden_size, batched.size());
  EXPECT_THROW(encoder.forward_batch({{1, 2}, {}}), Error);
}

TEST(ModelConfig, RejectsMissingFieldsAndWrongTypes) {
  auto message = [](const std::string& json) {
    try {
      model::parse_config(json);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("{").find("not valid JSON"), std::string::npos);
  EXPECT_EQ(message(R"({"hidden_size": 8})"), "config.json: missing field 'vocab_size'");
  EXPECT_EQ(message(R"({"vocab_size": "10"})"), "config.json: 'vocab_size' must be a positive integer, got \"10\"");
  const std::string base = R"({"vocab_size":10,"hidden_size":8,"num_layers":1,"num_heads":2,"intermediate_size":16,)";
  EXPECT_EQ(message(base + R"("head":{"type":"crf","head_size":4,"labels":["a"]}})"),
            "config.json: head type 'crf' is not supported ('efficient_global_pointer')");
  EXPECT_EQ(message(base + R"("head":{"type":"efficient_global_pointer","head_size":4,"labels":[]}})"),
            "config.json head: 'labels' must be a non-empty array of strings");
  EXPECT_EQ(
      message(base + R"("hidden_act":"relu","head":{"type":"efficient_global_pointer","head_size":4,"labels":["a"]}})"),
      "config.json: 'hidden_act' = 'relu' is not supported (only 'gelu')");
  EXPECT_EQ(message(base + R"("head":{"type":"efficient_global_pointer","head_size":4,"labels":["a"]}})"), "no error");
  const std::string head = R"("head":{"type":"efficient_global_pointer","head_size":4,"labels":["a"]},)";
  EXPECT_EQ(message(base + head + R"("lexicon":{"classes":["p"],"roles":["B","E"]}})"),
            "config.json lexicon: roles must be [\"B\", \"M\", \"E\"] (first, inside, last character)");
  EXPECT_EQ(message(base + head + R"("lexicon":{"classes":["p","q"],"roles":["B","M","E"],"features":3}})"),
            "config.json lexicon: 'features' must be 3 × the number of classes (6)");
  EXPECT_EQ(message(base + head +
                    R"("lexicon":{"classes":["0","1","2","3","4","5","6","7","8","9","10"],"roles":["B","M","E"]}})"),
            "config.json lexicon: 11 classes × 3 roles exceed 32 features");
  EXPECT_EQ(message(base + head + R"("lexicon":{"classes":["p"],"roles":["B","M","E"],"spans":1}})"),
            "config.json lexicon: 'spans' must be true or false, got 1");
  EXPECT_EQ(message(base + head + R"("lexicon":{"classes":["p","q"],"roles":["B","M","E"]}})"), "no error");
}

}  // namespace
}  // namespace attnkit
