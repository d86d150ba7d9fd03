#include "attnkit/pipelines/kbqa.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "attnkit/core/error.hpp"
#include "attnkit/decoding/lookahead.hpp"
#include "attnkit/pipelines/model_checks.hpp"

namespace attnkit::pipelines {
namespace {

// Keeps the `keep` entries of `found` with the highest key(entry), in that order (stable: ties keep the search's
// order). The one reordering behind both the confidence ranking and the PMI reranking of predicates.
template <typename Key>
void rank_by(std::vector<decoding::FinishedHypothesis>& found, std::size_t keep, const Key& key) {
  std::vector<std::pair<double, std::size_t>> order;
  for (std::size_t i = 0; i < found.size(); ++i) order.emplace_back(key(found[i]), i);
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<decoding::FinishedHypothesis> ranked;
  for (std::size_t i = 0; i < std::min(order.size(), keep); ++i) ranked.push_back(std::move(found[order[i].second]));
  found = std::move(ranked);
}

// row ← log p renormalised over the tokens the trie allows after `node` (EOS where an entry ends there),
// −∞ elsewhere: the seed's renormalisation over the allowed ids. With lookahead weights w (one per allowed
// token), log p / w (the seed's p^{1/w}) before renormalising.
void allowed_log_probs(const model::NextTokens& next, std::size_t r, const decoding::TokenTrie& trie,
                       std::uint32_t node, std::int32_t eos, const std::vector<float>* weights, float* row,
                       std::vector<decoding::TrieBranch>& allowed) {
  std::fill(row, row + next.vocab, -std::numeric_limits<float>::infinity());
  trie.branches(node, allowed);
  const bool complete = trie.is_complete(node);
  float top = -std::numeric_limits<float>::infinity();
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    const float lp = next.log_prob(r, allowed[i].token);
    top = std::max(top, row[allowed[i].token] = weights ? lp / (*weights)[i] : lp);
  }
  if (complete) top = std::max(top, row[eos] = next.log_prob(r, eos));
  double sum = complete ? std::exp(double(row[eos]) - top) : 0.0;
  for (const auto& b : allowed) sum += std::exp(double(row[b.token]) - top);
  const float log_sum = top + static_cast<float>(std::log(sum));
  for (const auto& b : allowed) row[b.token] -= log_sum;
  if (complete) row[eos] -= log_sum;
}

}  // namespace

Kbqa::Kbqa(std::string_view config_json, View<const std::uint8_t> safetensors, std::string_view vocab, KnowledgeBase kb,
           TrieLayout layout)
    : Kbqa(config_json, model::SafeTensors::parse(safetensors), text::Tokenizer::from_vocab(vocab),
           [&](const text::Tokenizer& tokenizer, std::int32_t sep) {
             return std::make_unique<KbIndex>(KbIndex::build(std::move(kb), tokenizer, sep, layout));
           }) {}

Kbqa::Kbqa(std::string_view config_json, View<const std::uint8_t> safetensors, std::string_view vocab,
           std::shared_ptr<const void> owner, View<const std::uint8_t> kb_index, const char* where)
    : Kbqa(config_json, model::SafeTensors::parse(safetensors), text::Tokenizer::from_vocab(vocab),
           [&](const text::Tokenizer& tokenizer, std::int32_t sep) {
             return std::make_unique<KbIndex>(
                 KbIndex::open(std::move(owner), kb_index, vocab_fingerprint(tokenizer), sep, where));
           }) {}

Kbqa::Kbqa(Sharded, std::string_view config_json, View<const std::uint8_t> safetensors, std::string_view vocab,
           std::shared_ptr<const void> owner, View<const std::uint8_t> manifest, const char* where)
    : Kbqa(config_json, model::SafeTensors::parse(safetensors), text::Tokenizer::from_vocab(vocab),
           [&](const text::Tokenizer& tokenizer, std::int32_t sep) {
             return std::make_unique<KbShards>(std::move(owner), manifest, vocab_fingerprint(tokenizer), sep, where);
           }) {}

Kbqa::Kbqa(std::string_view config_json, const model::SafeTensors& weights, text::Tokenizer tokenizer,
           const IndexSource& index)
    : tokenizer_(std::move(tokenizer)),
      model_(checked_config("KBQA", config_json, tokenizer_, "attnkit-seq2seq"), weights),
      cls_(required_token("KBQA", tokenizer_, "[CLS]")),
      sep_(required_token("KBQA", tokenizer_, "[SEP]")),
      kb_(index(tokenizer_, sep_)) {}

void Kbqa::load_shard(std::uint32_t shard, View<const std::uint8_t> text, const char* where) {
  auto* sharded = dynamic_cast<KbShards*>(kb_.get());
  if (!sharded) fail(where, ": this KB is held whole, it has no shards");
  sharded->load(shard, text, tokenizer_, where);
}

std::unique_ptr<Kbqa::SearchKey> Kbqa::search_key(const std::vector<std::int32_t>& source, std::size_t beams,
                                                  std::size_t top_k, KbqaMode mode, double length_penalty) const {
  if (!shards()) return nullptr;
  return std::make_unique<SearchKey>(SearchKey{source, beams, top_k, mode, length_penalty});
}

std::vector<std::uint8_t> Kbqa::serialize_index() const {
  const KbIndex* whole = index();
  if (!whole) fail("KBQA.index: a sharded KB has no single index file (its manifest and shards are its index)");
  return whole->serialize(vocab_fingerprint(tokenizer_), sep_);
}

std::vector<std::int32_t> Kbqa::source_ids(std::string_view question) const {
  std::vector<std::int32_t> source = tokenizer_.ids(question);
  const std::size_t limit = model_.config().max_length / 2 - 2;  // half the length for the question
  if (source.size() > limit) source.resize(limit);
  source.insert(source.begin(), cls_);
  source.push_back(sep_);
  return source;
}

std::vector<decoding::FinishedHypothesis> Kbqa::search(model::DecoderState state, model::NextTokens next,
                                                       const decoding::TokenTrie& trie, std::size_t beams,
                                                       std::size_t top_k, double length_penalty,
                                                       ConstraintRegret* regret,
                                                       const std::vector<std::int32_t>* lookahead,
                                                       PredicatePrior* prior, const SearchKey* resume) const {
  const std::size_t vocab = model_.vocab_size();
  decoding::BeamSearchOptions options;
  options.beams = beams;
  options.top_k = std::min(top_k, beams);
  options.vocab_size = vocab;
  options.eos_id = sep_;
  options.length_penalty = length_penalty;
  options.max_length = model_.config().max_length - state.cache.length;
  options.trie = &trie;
  decoding::BeamSearch search(options);
  std::vector<model::DecoderState> states, alone;  // alone: the prior's states, one per live hypothesis
  if (resumes(resume)) {
    search = std::move(checkpoint_->search);
    states = std::move(checkpoint_->states);
    next = std::move(checkpoint_->next);
    if (regret) *regret = std::move(checkpoint_->regret);
  } else {
    states.push_back(std::move(state));
  }
  checkpoint_.reset();
  const model::NextTokens* alone_next = nullptr;  // the prior's distributions: rows alone_row + h
  std::size_t alone_row = 0;
  if (prior) {
    alone.push_back(std::move(prior->alone));
    alone_next = &prior->next;
  }
  std::vector<float> log_probs;
  std::vector<decoding::TrieBranch> allowed;
  while (!search.done()) {
    const auto& live = search.live();
    log_probs.resize(live.size() * vocab);
    for (std::size_t h = 0; h < live.size(); ++h) {
      std::vector<float> weights;
      if (lookahead)
        weights = decoding::lookahead_weights(trie, live[h].node, {live[h].tokens.data(), live[h].tokens.size()},
                                              {lookahead->data(), lookahead->size()});
      allowed_log_probs(next, h, trie, live[h].node, sep_, lookahead ? &weights : nullptr, log_probs.data() + h * vocab,
                        allowed);
      if (prior) prior->record(trie, live[h].node, next, h, *alone_next, alone_row + h, sep_);
    }
    if (regret) regret->before_step(trie, live, next, sep_);
    try {
      kb_->require_loaded();  // a sharded KB: the step read below a shard not loaded yet
    } catch (const ShardsNeeded&) {
      if (resume)  // the step's inputs, before anything of it was applied
        checkpoint_ =
            std::make_unique<Checkpoint>(Checkpoint{*resume, std::move(search), std::move(states), std::move(next),
                                                    regret ? std::move(*regret) : ConstraintRegret()});
      throw;
    }
    search.advance(log_probs.data(), log_probs.size());
    if (search.done()) break;
    if (regret) regret->after_step(search.live(), next);
    // Each surviving hypothesis takes its parent's state: copied, except by the parent's last child (moved).
    std::vector<std::size_t> children(states.size(), 0);
    for (const auto& hypothesis : search.live()) ++children[hypothesis.parent];
    std::vector<model::DecoderState> grown, alone_grown;
    std::vector<model::DecoderState*> pointers;
    std::vector<std::int32_t> tokens;
    for (const auto& hypothesis : search.live()) {
      const std::uint32_t parent = hypothesis.parent;
      const bool last = --children[parent] == 0;
      grown.push_back(last ? std::move(states[parent]) : states[parent]);
      if (prior) alone_grown.push_back(last ? std::move(alone[parent]) : alone[parent]);
      tokens.push_back(hypothesis.tokens.back());
    }
    states = std::move(grown);
    alone = std::move(alone_grown);
    for (auto& s : states) pointers.push_back(&s);
    // The prior's states step in the same batch (rows live … 2·live − 1): no steps of its own, and one GEMM
    // over twice the rows costs less than two.
    for (auto& s : alone) pointers.push_back(&s);
    if (prior) {
      const std::size_t live_count = tokens.size();
      for (std::size_t i = 0; i < live_count; ++i) tokens.push_back(tokens[i]);
    }
    model_.step(pointers, tokens, next);
    alone_next = &next;
    alone_row = states.size();
  }
  return search.results();
}

std::vector<Answer> Kbqa::ask(std::string_view question, const KbqaOptions& options) const {
  // The API layer (api/kbqa_api) checks options and names them for users; this only keeps the core safe.
  if (options.beams < 1 || options.beams > kMaxBeams || options.top_k < 1 ||
      !(options.length_penalty >= 0 && options.length_penalty <= 10) ||
      !(options.mutual_information >= 0 && options.mutual_information <= 1) ||
      !(options.min_confidence >= 0 && options.min_confidence <= 1))
    fail("Kbqa::ask: options out of range (beams in [1, ", kMaxBeams, "], top_k >= 1, length_penalty in [0, 10], ",
         "mutual_information and min_confidence in [0, 1])");
  std::vector<Answer> answers = answer(question, options);
  answers.erase(std::remove_if(answers.begin(), answers.end(),
                               [&](const Answer& a) { return a.confidence < options.min_confidence; }),
                answers.end());
  return answers;
}

std::vector<Answer> Kbqa::answer(std::string_view question, const KbqaOptions& options) const {
  const auto source = source_ids(question);
  if (source.size() == 2) return {};  // nothing to ask: no tokens in the question
  if (options.mode == KbqaMode::kOpenPredicate) return open_predicate(source, options);
  const auto& trie = options.mode == KbqaMode::kTriple ? kb_->triples() : kb_->subjects();
  // Reranking needs every entry the beam finishes, not only the top_k by score.
  const bool rerank = options.ranking == KbqaRanking::kConfidence && options.beams > 1;
  const std::size_t searched = rerank ? options.beams : options.top_k;
  const auto key = search_key(source, options.beams, searched, options.mode, options.length_penalty);
  model::NextTokens next;
  model::DecoderState state;
  if (!resumes(key.get())) state = model_.start(source, next);
  std::vector<Answer> answers;
  std::vector<std::int32_t> values;
  // A triple entry is "S [SEP] P [SEP] M": only the subject's name S (and its end) is scored. The sense label M
  // picks one of several homonyms, which the question rarely names; the predicate P is often one of several
  // the question could mean (KgCLUE dev, setting 4: scoring S and P gave AUROC 0.980, as S alone 0.982, but
  // kept only 67 % of in-KB answers at confidence 0.001, against 98 % with S alone).
  ConstraintRegret regret(sep_, options.mode == KbqaMode::kTriple ? 1 : SIZE_MAX);
  auto found_entries = search(std::move(state), std::move(next), trie, options.beams, searched, options.length_penalty,
                              &regret, nullptr, nullptr, key.get());
  if (rerank) rank_by_confidence(found_entries, regret);
  for (const auto& found : found_entries) {
    trie.values(found.node, values);
    kb_->require_loaded();
    for (const std::int32_t index : values) {
      if (answers.size() == options.top_k) return answers;
      const TripleView t = kb_->triple(index);
      answers.push_back({std::string(t.subject), std::string(t.predicate), std::string(t.object),
                         std::exp(found.log_prob), std::exp(regret.of_entry(found.node))});
    }
  }
  return answers;
}

std::vector<Answer> Kbqa::open_predicate(const std::vector<std::int32_t>& source, const KbqaOptions& options) const {
  // The subject's search resumes where it reached a shard not loaded yet; the predicates' trie is in the
  // manifest, and the state this search starts from is extended after it, so it is always started.
  model::NextTokens next;
  model::DecoderState state = model_.start(source, next);
  const bool rerank_subjects = options.ranking == KbqaRanking::kConfidence && options.beams > 1;
  const std::size_t searched = rerank_subjects ? options.beams : 1;
  const auto key = search_key(source, options.beams, searched, KbqaMode::kOpenPredicate, options.length_penalty);
  // The confidence is the subject's alone, as in the other modes: the predicate is open by design.
  ConstraintRegret subject_regret;
  auto subjects = search(state, next, kb_->subjects(), options.beams, searched, options.length_penalty, &subject_regret,
                         nullptr, nullptr, key.get());
  if (rerank_subjects) rank_by_confidence(subjects, subject_regret);
  if (subjects.empty()) return {};
  const auto& subject = subjects.front();
  std::vector<std::int32_t> forced = subject.tokens;
  forced.push_back(sep_);
  if (state.cache.length + forced.size() >= model_.config().max_length) return {};
  model_.extend(state, forced, next);
  std::vector<std::int32_t> triples;
  kb_->subjects().values(subject.node, triples);
  kb_->require_loaded();
  // The seed's lookahead on the predicate: favour continuations that can still copy question tokens.
  const std::vector<std::int32_t> question(source.begin() + 1, source.end() - 1);
  const bool rerank = options.mutual_information > 0 && options.beams > 1;  // one candidate: nothing to rerank
  PredicatePrior prior;
  if (rerank) prior = predicate_prior(subject.tokens, question.size());
  auto found = search(std::move(state), std::move(next), kb_->predicates(), options.beams,
                      rerank ? options.beams : options.top_k, options.length_penalty, nullptr,
                      options.lookahead ? &question : nullptr, rerank ? &prior : nullptr);
  if (rerank) {
    // Unnormalised model probabilities here (not renormalised over the trie): PMI compares the model's own
    // p(P | question, S) and p(P | S); renormalising either term per step loses the comparison.
    rank_by(found, options.top_k, [&](const decoding::FinishedHypothesis& f) {
      const auto& [given_question, given_subject] = prior.entry.at(f.node);
      return given_question - options.mutual_information * given_subject;
    });
  }
  std::vector<Answer> answers;
  std::vector<std::int32_t> predicate_value;
  for (const auto& f : found) {
    kb_->predicates().values(f.node, predicate_value);
    const std::string_view predicate = kb_->predicate(predicate_value.at(0));
    // The subject's first triple with this predicate (KB order), if it has one.
    std::size_t match = triples.size();
    for (std::size_t i = 0; i < triples.size() && match == triples.size(); ++i)
      if (kb_->triple(triples[i]).predicate == predicate) match = i;
    const TripleView named = kb_->triple(triples[match < triples.size() ? match : 0]);
    answers.push_back({std::string(named.subject), std::string(predicate),
                       match < triples.size() ? std::string(named.object) : std::string(),
                       std::exp(subject.log_prob + f.log_prob), std::exp(subject_regret.of_entry(subject.node))});
  }
  return answers;
}

void Kbqa::rank_by_confidence(std::vector<decoding::FinishedHypothesis>& found, const ConstraintRegret& regret) {
  // score is log p (or log p / length^α); the regret is log confidence: the sum ranks by their product.
  rank_by(found, found.size(),
          [&](const decoding::FinishedHypothesis& f) { return f.score + regret.of_entry(f.node); });
}

Kbqa::PredicatePrior Kbqa::predicate_prior(const std::vector<std::int32_t>& subject,
                                           std::size_t question_tokens) const {
  // Source [CLS] S [SEP], S cut to the question's length: then it fits wherever the question's decoding fits.
  std::vector<std::int32_t> source{cls_};
  source.insert(source.end(), subject.begin(),
                subject.begin() + static_cast<std::ptrdiff_t>(std::min(subject.size(), question_tokens)));
  source.push_back(sep_);
  std::vector<std::int32_t> forced = subject;
  forced.push_back(sep_);
  PredicatePrior prior;
  prior.alone = model_.start(source, prior.next);
  model_.extend(prior.alone, forced, prior.next);
  return prior;
}

void Kbqa::PredicatePrior::record(const decoding::TokenTrie& trie, std::uint32_t node,
                                  const model::NextTokens& question, std::size_t question_row,
                                  const model::NextTokens& alone_next, std::size_t alone_row, std::int32_t eos) {
  const auto at = prefix.find(node);
  const std::pair<double, double> base = at == prefix.end() ? std::pair<double, double>{0, 0} : at->second;
  const auto extended = [&](std::int32_t token) {
    return std::pair<double, double>{base.first + question.log_prob(question_row, token),
                                     base.second + alone_next.log_prob(alone_row, token)};
  };
  std::vector<decoding::TrieBranch> allowed;
  trie.branches(node, allowed);
  for (const auto& b : allowed) prefix[b.node] = extended(b.token);
  if (trie.is_complete(node)) entry[node] = extended(eos);
}

}  // namespace attnkit::pipelines
