#include "attnkit/api/kbqa_api.hpp"

#include <algorithm>

#include "attnkit/api/checks.hpp"
#include "attnkit/core/gzip.hpp"
#include "attnkit/pipelines/knowledge_base.hpp"
#include "attnkit/pipelines/model_checks.hpp"

namespace attnkit::api {
namespace {

constexpr long long kMaxBeams = static_cast<long long>(pipelines::Kbqa::kMaxBeams);

pipelines::KbqaOptions checked_options(const AskArgs& args) {
  const char* where = "KBQA";
  if (args.beams < 1 || args.top_k < 1)
    fail(where, ": beams and topK must be at least 1, got ", args.beams, " and ", args.top_k);
  if (args.beams > kMaxBeams) fail(where, ": beams must be in [1, ", kMaxBeams, "], got ", args.beams);
  require_known(where, "mode", args.mode, pipelines::KbqaMode::kOpenPredicate);
  require_known(where, "ranking", args.ranking, pipelines::KbqaRanking::kConfidence);
  if (!(args.length_penalty >= 0 && args.length_penalty <= 10))
    fail(where, ": lengthPenalty must be in [0, 10], got ", args.length_penalty);
  if (!(args.mutual_information >= 0 && args.mutual_information <= 1))
    fail(where, ": mutualInformation must be in [0, 1], got ", args.mutual_information);
  if (!(args.min_confidence >= 0 && args.min_confidence <= 1))
    fail(where, ": minConfidence must be in [0, 1], got ", args.min_confidence);
  return {static_cast<std::size_t>(args.beams),
          static_cast<std::size_t>(args.top_k),
          args.mode,
          args.lookahead,
          args.length_penalty,
          args.mutual_information,
          args.min_confidence,
          args.ranking};
}

}  // namespace

std::unique_ptr<KbqaSession> load_kbqa(const ModelFiles& model, View<const std::uint8_t> kb,
                                       pipelines::TrieLayout layout) {
  require_files("KBQA.load", model);
  require_data("KBQA.load", "kb", kb);
  require_known("KBQA.load", "trie", layout, pipelines::TrieLayout::kFlat);
  return std::make_unique<KbqaSession>(
      KbqaSession{pipelines::Kbqa(text_of(model.config), model.weights, text_of(model.vocab),
                                  pipelines::KnowledgeBase::parse(text_of(kb)), layout),
                  {},
                  {}});
}

std::unique_ptr<KbqaSession> open_kbqa(const ModelFiles& model, std::shared_ptr<const void> owner,
                                       View<const std::uint8_t> index, const std::string& name) {
  require_files("KBQA.load", model);
  require_data("KBQA.load", "kb.index", index);
  const std::string where = "KBQA.load: " + name;
  return std::make_unique<KbqaSession>(
      KbqaSession{pipelines::Kbqa(text_of(model.config), model.weights, text_of(model.vocab), std::move(owner), index,
                                  where.c_str()),
                  {},
                  {}});
}

std::unique_ptr<KbqaSession> open_kbqa_shards(const ModelFiles& model, std::shared_ptr<const void> owner,
                                              View<const std::uint8_t> manifest, const std::string& name) {
  require_files("KBQA.load", model);
  require_data("KBQA.load", "kb.shards", manifest);
  const std::string where = "KBQA.load: " + name;
  if (is_gzip(manifest)) {  // as attnkit-cli writes it (half the bytes to fetch): decompressed, then read in place
    auto text =
        std::make_shared<const std::vector<std::uint8_t>>(gunzip(manifest, where.c_str(), std::size_t{1} << 30));
    manifest = {text->data(), text->size()};
    owner = text;
  }
  return std::make_unique<KbqaSession>(
      KbqaSession{pipelines::Kbqa(pipelines::Kbqa::Sharded{}, text_of(model.config), model.weights,
                                  text_of(model.vocab), std::move(owner), manifest, where.c_str()),
                  {},
                  {}});
}

void kbqa_load_shard(KbqaSession& session, long long shard, View<const std::uint8_t> text, const std::string& name) {
  const std::string where = "KBQA: shard " + name;
  require_data(where.c_str(), "text", text);
  if (shard < 0 || shard > UINT32_MAX) fail(where, ": shard number ", shard, " is out of range");
  session.kbqa.load_shard(static_cast<std::uint32_t>(shard), text, where.c_str());
}

std::vector<std::uint8_t> kbqa_index(const KbqaSession& session) {
  const auto* whole = session.kbqa.index();
  if (whole && whole->layout() != pipelines::TrieLayout::kCompact)
    fail("KBQA.index: only a KB loaded with the compact trie layout (the default) has an index file");
  return session.kbqa.serialize_index();
}

std::size_t kbqa_ask(KbqaSession& session, View<const std::uint8_t> question, const AskArgs& args) {
  const auto options = checked_options(args);
  require_data("KBQA.ask", "question", question);
  session.last.clear();
  session.needed.clear();
  try {
    session.last = session.kbqa.ask(text_of(question), options);
  } catch (const pipelines::ShardsNeeded& shards) {
    session.needed = shards.shards();
  }
  return session.last.size();
}

const pipelines::Answer& kbqa_answer(const KbqaSession& session, long long index) {
  if (index < 0 || static_cast<unsigned long long>(index) >= session.last.size())
    fail("KBQA.ask: answer ", index, " is outside the last question's ", session.last.size(), " answers");
  return session.last[static_cast<std::size_t>(index)];
}

void kbqa_log_probs(const KbqaSession& session, View<const std::int32_t> source, View<const std::int32_t> target,
                    Floats output) {
  const char* where = "KBQA.logProbs";
  require_data(where, "source", source);
  require_data(where, "target", target);
  if (source.size == 0) fail(where, ": source must not be empty");
  const std::size_t vocab = session.kbqa.model().vocab_size();
  require_size(where, "output", output, checked_product(where, target.size, vocab), "target.length*vocabSize");
  const auto log_probs = session.kbqa.model().log_probs({source.data, source.data + source.size},
                                                        {target.data, target.data + target.size});
  std::copy(log_probs.begin(), log_probs.end(), output.data);
}

std::unique_ptr<KbShardBuilderSession> kb_shard_builder(View<const std::uint8_t> vocab, long long shard_triples,
                                                        long long buckets) {
  const char* where = "buildKbShards";
  require_data(where, "vocab", vocab);
  if (shard_triples < 1 || shard_triples > (1LL << 24))
    fail(where, ": shardTriples must be in [1, 2^24], got ", shard_triples);
  if (buckets < 1 || buckets > 4096) fail(where, ": buckets must be in [1, 4096], got ", buckets);
  auto tokenizer = text::Tokenizer::from_vocab(text_of(vocab));
  const std::int32_t sep = pipelines::required_token("KBQA", tokenizer, "[SEP]");
  return std::make_unique<KbShardBuilderSession>(std::move(tokenizer), sep, static_cast<std::size_t>(shard_triples),
                                                 static_cast<std::size_t>(buckets));
}

void kb_shard_builder_route(KbShardBuilderSession& session, View<const std::uint8_t> lines) {
  require_data("buildKbShards", "lines", lines);
  session.builder.route(text_of(lines));
}

std::string kb_shard_builder_take_bucket(KbShardBuilderSession& session, long long bucket) {
  if (bucket < 0 || static_cast<unsigned long long>(bucket) >= session.builder.bucket_count())
    fail("buildKbShards: bucket ", bucket, " is outside the builder's ", session.builder.bucket_count());
  return session.builder.take_bucket(static_cast<std::size_t>(bucket));
}

std::size_t kb_shard_builder_cut(KbShardBuilderSession& session, View<const std::uint8_t> lines) {
  require_data("buildKbShards", "lines", lines);
  session.shards = session.builder.cut(text_of(lines));
  return session.shards.size();
}

std::string kb_shard_builder_take_shard(KbShardBuilderSession& session, long long index) {
  if (index < 0 || static_cast<unsigned long long>(index) >= session.shards.size())
    fail("buildKbShards: shard ", index, " is outside the last cut's ", session.shards.size());
  return std::move(session.shards[static_cast<std::size_t>(index)]);
}

std::vector<std::uint8_t> kb_shard_manifest(KbShardBuilderSession& session) {
  return session.builder.manifest(pipelines::vocab_fingerprint(session.builder.tokenizer()));
}

}  // namespace attnkit::api
