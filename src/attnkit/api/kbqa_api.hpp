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
#include "attnkit/pipelines/kbqa.hpp"

namespace attnkit::api {

// A loaded model with its KB and the answers of its last question, held until the caller reads them.
struct KbqaSession {
  pipelines::Kbqa kbqa;
  std::vector<pipelines::Answer> last;
};

// The model directory's three files and the KB text ("subject ||| predicate ||| object" a line), whose
// tries are built in `layout`.
std::unique_ptr<KbqaSession> load_kbqa(const ModelFiles& model, View<const std::uint8_t> kb,
                                       pipelines::TrieLayout layout);

// The same with a prebuilt KB index file, read in place while `owner` keeps `index` alive; `name` (its URL
// or file name) is named in errors about it.
std::unique_ptr<KbqaSession> open_kbqa(const ModelFiles& model, std::shared_ptr<const void> owner,
                                       View<const std::uint8_t> index, const std::string& name);

// The KB index file of a session's KB for its model (compact layout; what `attnkit-cli build-kb` writes).
std::vector<std::uint8_t> kbqa_index(const KbqaSession& session);

// ask()'s options as the JS API names them (beams, topK, mode, lookahead, lengthPenalty, mutualInformation).
struct AskArgs {
  long long beams = 4, top_k = 1;
  pipelines::KbqaMode mode = pipelines::KbqaMode::kTriple;
  bool lookahead = true;
  double length_penalty = 0.0, mutual_information = 1.0;
};

// Answers a UTF-8 question into session.last and returns how many answers there are.
std::size_t kbqa_ask(KbqaSession& session, View<const std::uint8_t> question, const AskArgs& args);

// The last answers[index].
const pipelines::Answer& kbqa_answer(const KbqaSession& session, long long index);

// Full-recomputation log-probabilities [target.size × vocab] (row t predicts target[t]) into output.
void kbqa_log_probs(const KbqaSession& session, View<const std::int32_t> source, View<const std::int32_t> target,
                    Floats output);

}  // namespace attnkit::api
