// Validated entry points for the KBQA pipeline: loading a model and a knowledge base, asking with the JS
// API's options (checked here, with their JS names), and reading answers and log-probabilities out into
// caller-sized buffers.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "attnkit/api/ner_api.hpp"
#include "attnkit/core/view.hpp"
#include "attnkit/pipelines/kb_shard_builder.hpp"
#include "attnkit/pipelines/kbqa.hpp"

namespace attnkit::api {

// A loaded model with its KB and the answers of its last question, held until the caller reads them; for
// a sharded KB, the shards the last question needs first (then `last` is empty).
struct KbqaSession {
  pipelines::Kbqa kbqa;
  std::vector<pipelines::Answer> last;
  std::vector<std::uint32_t> needed;
};

// The model directory's three files and the KB text ("subject ||| predicate ||| object" a line), whose
// tries are built in `layout`.
std::unique_ptr<KbqaSession> load_kbqa(const ModelFiles& model, View<const std::uint8_t> kb,
                                       pipelines::TrieLayout layout);

// The same with a prebuilt KB index file, read in place while `owner` keeps `index` alive; `name` (its URL
// or file name) is named in errors about it.
std::unique_ptr<KbqaSession> open_kbqa(const ModelFiles& model, std::shared_ptr<const void> owner,
                                       View<const std::uint8_t> index, const std::string& name);

// The same with the manifest of a sharded KB (`attnkit-cli build-kb --shards`), gzip'd or not; its shards are
// loaded with kbqa_load_shard as questions need them.
std::unique_ptr<KbqaSession> open_kbqa_shards(const ModelFiles& model, std::shared_ptr<const void> owner,
                                              View<const std::uint8_t> manifest, const std::string& name);

// Loads shard `shard` (its file, gzip'd text) of a session's sharded KB; `name` (its URL) is named in errors.
void kbqa_load_shard(KbqaSession& session, long long shard, View<const std::uint8_t> text, const std::string& name);

// The KB index file of a session's KB for its model (compact layout; what `attnkit-cli build-kb` writes).
std::vector<std::uint8_t> kbqa_index(const KbqaSession& session);

// ask()'s options as the JS API names them (beams, topK, mode, lookahead, lengthPenalty, mutualInformation).
struct AskArgs {
  long long beams = 4, top_k = 1;
  pipelines::KbqaMode mode = pipelines::KbqaMode::kTriple;
  bool lookahead = true;
  double length_penalty = 0.0, mutual_information = 1.0, min_confidence = 0.0;
  pipelines::KbqaRanking ranking = pipelines::KbqaRanking::kProbability;
};

// Answers a UTF-8 question into session.last and returns how many answers there are. On a sharded KB whose
// shards the question needs are not all loaded: 0 answers, and session.needed lists those shards.
std::size_t kbqa_ask(KbqaSession& session, View<const std::uint8_t> question, const AskArgs& args);

// The last answers[index].
const pipelines::Answer& kbqa_answer(const KbqaSession& session, long long index);

// Full-recomputation log-probabilities [target.size × vocab] (row t predicts target[t]) into output.
void kbqa_log_probs(const KbqaSession& session, View<const std::int32_t> source, View<const std::int32_t> target,
                    Floats output);

// A builder of a sharded KB and the shards of the bucket it cut last, held until the caller reads them.
struct KbShardBuilderSession {
  template <typename... Args>
  explicit KbShardBuilderSession(Args&&... args) : builder(std::forward<Args>(args)...) {}
  pipelines::KbShardBuilder builder;
  std::vector<std::string> shards;
};

// A builder for a model's vocabulary (vocab.txt's text): shards of about `shard_triples` triples, the KB's
// lines routed to `buckets` buckets on their way.
std::unique_ptr<KbShardBuilderSession> kb_shard_builder(View<const std::uint8_t> vocab, long long shard_triples,
                                                        long long buckets);
// Routes lines of the KB (whole lines, in order) to the builder's buckets.
void kb_shard_builder_route(KbShardBuilderSession& session, View<const std::uint8_t> lines);
// The lines routed to bucket `bucket` since the last call.
std::string kb_shard_builder_take_bucket(KbShardBuilderSession& session, long long bucket);
// Cuts one bucket's lines into session.shards; returns how many.
std::size_t kb_shard_builder_cut(KbShardBuilderSession& session, View<const std::uint8_t> lines);
// The last cut's shards[index] (moved out: read each once).
std::string kb_shard_builder_take_shard(KbShardBuilderSession& session, long long index);
// The builder's manifest (once every bucket is cut).
std::vector<std::uint8_t> kb_shard_manifest(KbShardBuilderSession& session);

}  // namespace attnkit::api
