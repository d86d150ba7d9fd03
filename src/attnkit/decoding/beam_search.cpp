// Per step: every live hypothesis proposes candidates (its best 2·beams tokens, or every token the trie
// allows), candidates are ranked by total log-probability, EOS candidates join the finished list and the
// rest refill the beam. The search stops when the beam is empty, at max_length, or when no live
// hypothesis can still beat the top_k-th finished one (an exact bound: log-probabilities only fall).
#include "attnkit/decoding/beam_search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "attnkit/core/error.hpp"

namespace attnkit::decoding {

BeamSearch::BeamSearch(const BeamSearchOptions& options) : options_(options) {
  live_.push_back(Hypothesis{});
  if (options_.trie && !options_.trie->has_children(0) && !options_.trie->is_complete(0)) live_.clear();
  update_done();
}

double BeamSearch::normalised(double log_prob, std::size_t length) const {
  return log_prob / std::pow(static_cast<double>(std::max<std::size_t>(length, 1)), options_.length_penalty);
}

void BeamSearch::add_finished(const Hypothesis& parent, double log_prob) {
  FinishedHypothesis done{parent.tokens, log_prob, normalised(log_prob, parent.tokens.size()),
                          options_.trie ? parent.node : TokenTrie::kNoNode};
  const auto at = std::upper_bound(finished_.begin(), finished_.end(), done.score,
                                   [](double score, const FinishedHypothesis& h) { return score > h.score; });
  finished_.insert(at, std::move(done));
  if (finished_.size() > std::max(options_.beams, options_.top_k)) finished_.pop_back();
}

void BeamSearch::collect_candidates(const float* row, const Hypothesis& parent, std::uint32_t index) {
  const std::size_t vocab = options_.vocab_size;
  for (std::size_t t = 0; t < vocab; ++t) {
    if (std::isnan(row[t]) || row[t] == std::numeric_limits<float>::infinity())
      fail(options_.where, ": log-probability for hypothesis ", index, ", token ", t, " is ", row[t],
           " (NaN and +Infinity are not log-probabilities)");
  }
  auto propose = [&](std::int32_t token, std::uint32_t node) {
    const float lp = row[token];
    if (lp == -std::numeric_limits<float>::infinity()) return;
    candidates_.push_back({parent.log_prob + lp, index, token, node});
  };
  if (options_.trie) {
    const TokenTrie& trie = *options_.trie;
    trie.branches(parent.node, branches_);
    for (const TrieBranch& branch : branches_) {
      if (branch.token < 0 || static_cast<std::size_t>(branch.token) >= vocab)
        fail(options_.where, ": the trie allows token ", branch.token, ", outside the vocabulary of ", vocab);
      // The EOS id may separate fields inside entries (KBQA's S [SEP] P); only where an entry also ends
      // here would EOS mean two things.
      if (branch.token == options_.eos_id && trie.is_complete(parent.node))
        fail(options_.where, ": an entry ends where another continues with the EOS id ", options_.eos_id,
             "; EOS cannot both end and extend it");
      propose(branch.token, branch.node);
    }
    if (trie.is_complete(parent.node)) propose(options_.eos_id, TokenTrie::kNoNode);
    return;
  }
  // Unconstrained: only this row's best 2·beams tokens can survive the global ranking.
  const std::size_t keep = std::min(vocab, 2 * options_.beams);
  const std::size_t start = candidates_.size();
  for (std::size_t t = 0; t < vocab; ++t) {
    const double lp = parent.log_prob + row[t];
    if (row[t] == -std::numeric_limits<float>::infinity()) continue;
    const auto worse = [](const Candidate& a, const Candidate& b) { return a.log_prob > b.log_prob; };
    if (candidates_.size() - start < keep) {
      candidates_.push_back({lp, index, static_cast<std::int32_t>(t), 0});
      std::push_heap(candidates_.begin() + start, candidates_.end(), worse);
    } else if (lp > candidates_[start].log_prob) {
      std::pop_heap(candidates_.begin() + start, candidates_.end(), worse);
      candidates_.back() = {lp, index, static_cast<std::int32_t>(t), 0};
      std::push_heap(candidates_.begin() + start, candidates_.end(), worse);
    }
  }
}

void BeamSearch::advance(const float* log_probs, std::size_t count) {
  if (done_) fail(options_.where, ": the search is already finished");
  if (count != live_.size() * options_.vocab_size)
    fail(options_.where, ": the step function returned ", count, " log-probabilities, expected ", live_.size(),
         " hypotheses x vocabSize ", options_.vocab_size, " = ", live_.size() * options_.vocab_size);
  candidates_.clear();
  for (std::uint32_t h = 0; h < live_.size(); ++h) collect_candidates(log_probs + h * options_.vocab_size, live_[h], h);
  std::sort(candidates_.begin(), candidates_.end(),
            [](const Candidate& a, const Candidate& b) { return a.log_prob > b.log_prob; });

  ++length_;
  std::vector<Hypothesis> next;
  // Candidates past the point where the beam is full are dropped, EOS ones included (so beams = 1 is
  // greedy). With beams ≥ entries of a trie nothing is dropped: an entry that can end here does not
  // extend, so the extending prefixes number fewer than the beams.
  for (const Candidate& c : candidates_) {
    if (next.size() >= options_.beams) break;
    const Hypothesis& parent = live_[c.parent];
    // EOS ends a hypothesis, except as a trie child (a separator inside entries: node is set then).
    if (c.token == options_.eos_id && (!options_.trie || c.node == TokenTrie::kNoNode)) {
      add_finished(parent, c.log_prob);
      continue;
    }
    Hypothesis grown{parent.tokens, c.log_prob, c.node, c.parent};
    grown.tokens.push_back(c.token);
    next.push_back(std::move(grown));
  }
  live_ = std::move(next);
  if (length_ >= options_.max_length) {
    // Out of length: unconstrained hypotheses finish as they are; constrained ones only at an entry.
    for (const Hypothesis& h : live_)
      if (!options_.trie || options_.trie->is_complete(h.node)) add_finished(h, h.log_prob);
    live_.clear();
  }
  update_done();
}

void BeamSearch::update_done() {
  if (live_.empty()) {
    done_ = true;
    return;
  }
  if (finished_.size() < options_.top_k) return;
  if (options_.early_stopping) {
    done_ = true;
    return;
  }
  // Log-probabilities only decrease, so a live hypothesis's best possible final score is its current
  // sum normalised by the length that favours it most. (Positive "log-probabilities" from a step
  // function that returns raw scores void the bound: then the search runs to max_length.)
  double best_live = -std::numeric_limits<double>::infinity();
  for (const Hypothesis& h : live_) best_live = std::max(best_live, h.log_prob);
  if (best_live > 0) return;
  const double length = options_.length_penalty >= 0 ? static_cast<double>(options_.max_length)
                                                      : static_cast<double>(length_ + 1);
  const double bound = best_live / std::pow(std::max(length, 1.0), options_.length_penalty);
  done_ = bound <= finished_[options_.top_k - 1].score;
}

std::vector<FinishedHypothesis> BeamSearch::results() const {
  return {finished_.begin(), finished_.begin() + std::min(finished_.size(), options_.top_k)};
}

}  // namespace attnkit::decoding
