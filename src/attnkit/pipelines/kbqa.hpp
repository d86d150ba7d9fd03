// Question answering over a knowledge base, the seed's "Seq2Seq + prefix tree" (kexue.fm/archives/8802):
// a UniLM seq2seq turns the question into "S [SEP] P [SEP] M" (subject name, predicate, sense label) with
// beam search constrained by a prefix trie of the KB, so every answer is a KB entry; the object is then
// read from the KB. Scores are probabilities under the model renormalised over the allowed tokens at each
// step, so the scores of all KB entries sum to 1.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "attnkit/decoding/beam_search.hpp"
#include "attnkit/decoding/token_trie.hpp"
#include "attnkit/model/seq2seq.hpp"
#include "attnkit/pipelines/constraint_regret.hpp"
#include "attnkit/pipelines/kb_index.hpp"
#include "attnkit/pipelines/kb_shards.hpp"
#include "attnkit/pipelines/kb_source.hpp"
#include "attnkit/pipelines/knowledge_base.hpp"
#include "attnkit/text/tokenizer.hpp"

namespace attnkit::pipelines {

enum class KbqaMode {
  kTriple,         // trie of "S [SEP] P [SEP] M" over the KB (the seed's design)
  kSubject,        // trie of subject names only: which entity is asked about
  kOpenPredicate,  // the subject from its trie, then the predicate from a trie of every KB predicate
};

// How the beam's entries (open-predicate: its subjects) are ranked.
enum class KbqaRanking {
  kProbability,  // by score: the entry's probability, renormalised over the KB's entries
  // by score × confidence: an entry the model would also write unconstrained goes before one the trie forced
  // it into. On KgCLUE dev (beam 4) this put the right subject first in 24 more questions of 2,000, mostly
  // ones where the model began copying at a leading word (股票…, 请问…) that some other KB subject starts with.
  kConfidence,
};

struct KbqaOptions {
  std::size_t beams = 4;
  std::size_t top_k = 1;
  KbqaMode mode = KbqaMode::kTriple;
  bool lookahead = true;        // open-predicate: the seed's LCS lookahead towards predicates copied from the question
  double length_penalty = 0.0;  // entries ranked by log p / length^α (0: by probability)
  // open-predicate: the beam's predicates reranked by log p(P | question, S) − λ·log p(P | S), p(P | S) being
  // the model's answer when the question is the subject's name alone. λ = 1 ranks by pointwise mutual
  // information with the question (Li et al. 2016), which discounts predicates the model favours for any
  // question (those seen in training) in favour of those this question is about. 0: by probability.
  double mutual_information = 1.0;
  // Answers whose confidence is below this are dropped (abstention: "not in this knowledge base"); in [0, 1].
  double min_confidence = 0.0;
  KbqaRanking ranking = KbqaRanking::kProbability;
};

struct Answer {
  std::string subject, predicate, object;  // object empty when the KB has no (subject, predicate) triple
  double score;                            // probability of the decoded entry, renormalised over the KB's entries
  // e^regret (ConstraintRegret): how close the entry is to what the model writes unconstrained, in (0, 1];
  // low when the question's answer is likely not in the KB, which `score` cannot tell.
  double confidence;
};

class Kbqa {
 public:
  static constexpr std::size_t kMaxBeams = 64;  // the beam's KV caches grow with it

  // The three files of a seq2seq model directory and the KB, whose tries are built here; weights are
  // copied, bytes may be released.
  Kbqa(std::string_view config_json, View<const std::uint8_t> safetensors, std::string_view vocab, KnowledgeBase kb,
       TrieLayout layout = TrieLayout::kCompact);
  // The same with a prebuilt KB index file (KbIndex::serialize) instead of the KB, read in place while
  // `owner` keeps `kb_index` alive; `where` names it in errors.
  Kbqa(std::string_view config_json, View<const std::uint8_t> safetensors, std::string_view vocab,
       std::shared_ptr<const void> owner, View<const std::uint8_t> kb_index, const char* where);
  // The same with the manifest of a sharded KB (KbShardBuilder): its shards are loaded with load_shard()
  // as questions need them.
  struct Sharded {};
  Kbqa(Sharded, std::string_view config_json, View<const std::uint8_t> safetensors, std::string_view vocab,
       std::shared_ptr<const void> owner, View<const std::uint8_t> manifest, const char* where);

  // A question on a sharded KB throws ShardsNeeded with the shards it reached that are not loaded yet; ask
  // again once they are.
  std::vector<Answer> ask(std::string_view question, const KbqaOptions& options) const;
  const model::Seq2Seq& model() const { return model_; }
  const text::Tokenizer& tokenizer() const { return tokenizer_; }
  const KbSource& kb() const { return *kb_; }
  // The KB held in memory, or null for a sharded one (and the reverse).
  const KbIndex* index() const { return dynamic_cast<const KbIndex*>(kb_.get()); }
  const KbShards* shards() const { return dynamic_cast<const KbShards*>(kb_.get()); }
  // Loads shard `shard` of a sharded KB from its text (KbShards::load); an Error for a KB held whole.
  void load_shard(std::uint32_t shard, View<const std::uint8_t> text, const char* where);
  // An index file of this KB for this model's vocabulary (compact layout, KB in memory only).
  std::vector<std::uint8_t> serialize_index() const;
  // The source ids the model reads for a question: [CLS] question [SEP], the question cut to fit.
  std::vector<std::int32_t> source_ids(std::string_view question) const;

 private:
  using IndexSource = std::function<std::unique_ptr<KbSource>(const text::Tokenizer&, std::int32_t sep)>;
  Kbqa(std::string_view config_json, const model::SafeTensors& weights, text::Tokenizer tokenizer,
       const IndexSource& index);
  // Mutual-information reranking of open predicates: a second decoder state, the question being the subject's
  // name alone, follows the beam step by step in the same batches; the model's unnormalised log p of each
  // trie node's prefix is kept under both contexts.
  struct PredicatePrior {
    model::DecoderState alone;                                                   // after [CLS] S [SEP] S [SEP]
    model::NextTokens next;                                                      // its next-token distribution
    std::unordered_map<std::uint32_t, std::pair<double, double>> prefix, entry;  // node → (log p | question, log p | S)
    void record(const decoding::TokenTrie& trie, std::uint32_t node, const model::NextTokens& question,
                std::size_t question_row, const model::NextTokens& alone_next, std::size_t alone_row, std::int32_t eos);
  };
  // A question's search on a sharded KB, stopped where it reached a shard not loaded yet: asked again once
  // the shard is loaded, it goes on from that step instead of decoding the steps before it again.
  struct SearchKey {
    std::vector<std::int32_t> source;
    std::size_t beams, top_k;
    KbqaMode mode;
    double length_penalty;
    bool operator==(const SearchKey& o) const {
      return source == o.source && beams == o.beams && top_k == o.top_k && mode == o.mode &&
             length_penalty == o.length_penalty;
    }
  };
  struct Checkpoint {
    SearchKey key;
    decoding::BeamSearch search;
    std::vector<model::DecoderState> states;
    model::NextTokens next;
    ConstraintRegret regret;
  };
  // Whether search() with `key` resumes a checkpoint (then its state need not be started).
  bool resumes(const SearchKey* key) const { return key && checkpoint_ && checkpoint_->key == *key; }
  // The key of a search that may resume: a sharded KB's (null otherwise).
  std::unique_ptr<SearchKey> search_key(const std::vector<std::int32_t>& source, std::size_t beams, std::size_t top_k,
                                        KbqaMode mode, double length_penalty) const;
  // `resume` (a sharded KB, no lookahead or prior): resumes a checkpoint of this key, and leaves one when a
  // step reaches a shard not loaded; `state` and `next` are unused when resuming. `regret`, if given, records
  // every result's regret (kept in the checkpoint too).
  std::vector<decoding::FinishedHypothesis> search(model::DecoderState state, model::NextTokens next,
                                                   const decoding::TokenTrie& trie, std::size_t beams,
                                                   std::size_t top_k, double length_penalty, ConstraintRegret* regret,
                                                   const std::vector<std::int32_t>* lookahead = nullptr,
                                                   PredicatePrior* prior = nullptr,
                                                   const SearchKey* resume = nullptr) const;
  // ask() before the answers below min_confidence are dropped.
  std::vector<Answer> answer(std::string_view question, const KbqaOptions& options) const;
  std::vector<Answer> open_predicate(const std::vector<std::int32_t>& source, const KbqaOptions& options) const;
  // Orders the search's entries by score + regret (KbqaRanking::kConfidence), stably.
  static void rank_by_confidence(std::vector<decoding::FinishedHypothesis>& found, const ConstraintRegret& regret);
  PredicatePrior predicate_prior(const std::vector<std::int32_t>& subject, std::size_t question_tokens) const;

  text::Tokenizer tokenizer_;
  model::Seq2Seq model_;
  std::int32_t cls_, sep_;
  std::unique_ptr<KbSource> kb_;
  mutable std::unique_ptr<Checkpoint> checkpoint_;
};

}  // namespace attnkit::pipelines
