#include "attnkit/pipelines/constraint_regret.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace attnkit::pipelines {

void ConstraintRegret::before_step(const decoding::TokenTrie& trie, const std::vector<decoding::Hypothesis>& live,
                                   const model::NextTokens& next, std::int32_t eos) {
  row_max_.resize(live.size());
  row_node_.resize(live.size());
  for (std::size_t h = 0; h < live.size(); ++h) {
    row_max_[h] = next.max_log_prob(h);
    row_node_[h] = live[h].node;
    if (trie.is_complete(live[h].node)) {
      const auto& tokens = live[h].tokens;
      entry_[live[h].node] =
          of_prefix(live[h].node) + (scored(tokens.data(), tokens.size()) ? next.log_prob(h, eos) - row_max_[h] : 0.0);
    }
  }
}

void ConstraintRegret::after_step(const std::vector<decoding::Hypothesis>& live, const model::NextTokens& next) {
  for (const auto& hypothesis : live) {
    const std::uint32_t parent = hypothesis.parent;
    const auto& tokens = hypothesis.tokens;
    const bool counts = scored(tokens.data(), tokens.size() - 1);
    prefix_[hypothesis.node] =
        of_prefix(row_node_[parent]) + (counts ? next.log_prob(parent, tokens.back()) - row_max_[parent] : 0.0);
  }
}

bool ConstraintRegret::scored(const std::int32_t* tokens, std::size_t count) const {
  if (fields_ == SIZE_MAX) return true;
  std::size_t separators = 0;
  for (std::size_t i = 0; i < count; ++i) separators += tokens[i] == sep_;
  return separators < fields_;
}

double ConstraintRegret::of_prefix(std::uint32_t node) const {
  const auto at = prefix_.find(node);
  return at == prefix_.end() ? 0.0 : at->second;
}

double ConstraintRegret::of_entry(std::uint32_t node) const {
  const auto at = entry_.find(node);
  if (at == entry_.end())  // a bug, not a caller's mistake: reported as 'internal'
    throw std::logic_error("ConstraintRegret: no step ended an entry at node " + std::to_string(node));
  return at->second;
}

}  // namespace attnkit::pipelines
