// How far a trie-constrained answer strays from what the model would write on its own: at each step, the
// log p of the token the answer takes (EOS where it ends) minus the log p of the model's most likely token,
// both unrenormalised, summed along the answer. e^regret ∈ (0, 1] is KBQA's confidence: 1 when the trie never
// overrode the model; small when the model wanted to write something the KB does not have (typically an
// entity copied from the question), however sure the renormalised beam score is.
#pragma once
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "attnkit/decoding/beam_search.hpp"
#include "attnkit/decoding/token_trie.hpp"
#include "attnkit/model/seq2seq.hpp"

namespace attnkit::pipelines {

class ConstraintRegret {
 public:
  // Only the first `fields` fields of an entry (separated by `sep`, which also ends an entry) are scored: a
  // triple entry's third field, the subject's sense label (e.g. 中国香港影视男演员、歌手…), picks one of
  // several homonyms, which the question rarely names, so the model cannot write it unconstrained even when
  // the answer is right (measured: −2 to −7 per token on correct answers).
  explicit ConstraintRegret(std::int32_t sep = -1, std::size_t fields = SIZE_MAX) : sep_(sep), fields_(fields) {}

  // Before a beam step over `live` (row h of `next` is live[h]'s distribution): each row's maximum, and the
  // regret of ending at complete nodes.
  void before_step(const decoding::TokenTrie& trie, const std::vector<decoding::Hypothesis>& live,
                   const model::NextTokens& next, std::int32_t eos);
  // After it: each new live hypothesis's regret from its parent's (`next` still holds the parents' rows).
  void after_step(const std::vector<decoding::Hypothesis>& live, const model::NextTokens& next);
  // The regret (≤ 0) of the entry that ended at `node` (an internal Error for a node no step ended at).
  double of_entry(std::uint32_t node) const;

 private:
  double of_prefix(std::uint32_t node) const;                        // 0 at the root, the only node no step led to
  bool scored(const std::int32_t* tokens, std::size_t count) const;  // a step after this prefix counts

  std::int32_t sep_;
  std::size_t fields_;

  // Keyed by trie node: a node is one prefix, so one hypothesis at most reaches it.
  std::unordered_map<std::uint32_t, double> prefix_, entry_;
  std::vector<float> row_max_;
  std::vector<std::uint32_t> row_node_;
};

}  // namespace attnkit::pipelines
