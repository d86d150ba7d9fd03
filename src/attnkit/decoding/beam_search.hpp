// Beam search over any step function, optionally constrained by a trie (GENRE's
// prefix_allowed_tokens_fn semantics). It is a state machine the caller drives: read live(), compute
// log-probabilities for each live hypothesis, advance(); so the step may be C++ (the built-in models)
// or JavaScript, even asynchronous, without calling JS from inside WebAssembly.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "attnkit/decoding/token_trie.hpp"

namespace attnkit::decoding {

struct BeamSearchOptions {
  std::size_t beams = 4;
  std::size_t max_length = 32;  // generated tokens, EOS not counted
  std::size_t top_k = 4;        // results returned (≤ beams)
  std::size_t vocab_size = 0;
  std::int32_t eos_id = 0;
  double length_penalty = 1.0;  // finished score = Σ log p / length^length_penalty
  bool early_stopping = false;  // stop once top_k hypotheses finished, instead of when none can improve
  const TokenTrie* trie = nullptr;  // constrained: only trie continuations; EOS only at complete entries
  const char* where = "beam search";  // the caller's name, used in error messages
};

struct Hypothesis {
  std::vector<std::int32_t> tokens;
  double log_prob = 0.0;
  std::uint32_t node = 0;    // trie node of `tokens` (constrained mode)
  std::uint32_t parent = 0;  // index in the previous live() it grew from (to reorder a model's KV caches)
};

struct FinishedHypothesis {
  std::vector<std::int32_t> tokens;  // without EOS
  double log_prob = 0.0;
  double score = 0.0;                // length-normalised
  std::uint32_t node = TokenTrie::kNoNode;  // the complete trie entry (constrained mode)
};

class BeamSearch {
 public:
  explicit BeamSearch(const BeamSearchOptions& options);

  const std::vector<Hypothesis>& live() const { return live_; }
  bool done() const { return done_; }
  // log_probs: live().size() rows of vocab_size values. NaN or +Inf is an error; -Inf means impossible.
  void advance(const float* log_probs, std::size_t count);
  // The best finished hypotheses, best first (at most top_k).
  std::vector<FinishedHypothesis> results() const;

 private:
  struct Candidate {
    double log_prob;
    std::uint32_t parent;
    std::int32_t token;
    std::uint32_t node;
  };
  double normalised(double log_prob, std::size_t length) const;
  void add_finished(const Hypothesis& parent, double log_prob);
  void collect_candidates(const float* row, const Hypothesis& parent, std::uint32_t index);
  void update_done();

  BeamSearchOptions options_;
  std::vector<Hypothesis> live_;
  std::vector<FinishedHypothesis> finished_;  // kept sorted, best first, at most max(beams, top_k)
  std::vector<Candidate> candidates_;
  std::vector<TrieBranch> branches_;  // scratch: the trie's branches from one hypothesis
  std::size_t length_ = 0;
  bool done_ = false;
};

// Runs a search to the end with a C++ step function: fill(live, out) writes live.size() × vocab rows.
template <typename StepFunction>
std::vector<FinishedHypothesis> beam_search(const BeamSearchOptions& options, StepFunction&& fill) {
  BeamSearch search(options);
  std::vector<float> log_probs;
  while (!search.done()) {
    log_probs.resize(search.live().size() * options.vocab_size);
    fill(search.live(), log_probs.data());
    search.advance(log_probs.data(), log_probs.size());
  }
  return search.results();
}

}  // namespace attnkit::decoding
