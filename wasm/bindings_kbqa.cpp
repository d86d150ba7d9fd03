// Embind bindings of the KBQA pipeline: a handle created from the model files' bytes and the KB text;
// ask() leaves its answers in the handle for the TypeScript layer to read out.
#include <emscripten/bind.h>

#include "attnkit/core/error.hpp"
#include "attnkit/pipelines/kbqa.hpp"
#include "guarded.hpp"

namespace attnkit::wasm {
namespace {

struct KbqaHandle {
  pipelines::Kbqa kbqa;
  std::vector<pipelines::Answer> last;
};

KbqaHandle& kbqa_at(std::uintptr_t handle) { return *reinterpret_cast<KbqaHandle*>(handle); }

int kbqa_create(std::uintptr_t config, int config_bytes, std::uintptr_t weights, int weight_bytes, std::uintptr_t vocab,
                int vocab_bytes, std::uintptr_t kb, int kb_bytes, std::uintptr_t handle_out) {
  return guarded([&] {
    auto* handle = new KbqaHandle{pipelines::Kbqa(text_at(config, config_bytes), in<std::uint8_t>(weights, weight_bytes),
                                                  text_at(vocab, vocab_bytes),
                                                  pipelines::KnowledgeBase::parse(text_at(kb, kb_bytes))),
                                  {}};
    *reinterpret_cast<std::uintptr_t*>(handle_out) = reinterpret_cast<std::uintptr_t>(handle);
  });
}

void kbqa_destroy(std::uintptr_t handle) { delete &kbqa_at(handle); }

// mode: 0 triple, 1 subject, 2 open predicate. The answer count is written to count_out.
int kbqa_ask(std::uintptr_t handle, std::uintptr_t question, int bytes, int beams, int top_k, int mode,
             bool lookahead, double length_penalty, double mutual_information, std::uintptr_t count_out) {
  return guarded([&] {
    if (beams < 1 || top_k < 1) fail("KBQA: beams and topK must be at least 1, got ", beams, " and ", top_k);
    if (mode < 0 || mode > 2) fail("KBQA: unknown mode ", mode);
    const pipelines::KbqaOptions options{static_cast<std::size_t>(beams), static_cast<std::size_t>(top_k),
                                         static_cast<pipelines::KbqaMode>(mode), lookahead, length_penalty,
                                         mutual_information};
    kbqa_at(handle).last = kbqa_at(handle).kbqa.ask(text_at(question, bytes), options);
    *reinterpret_cast<std::int32_t*>(count_out) = static_cast<std::int32_t>(kbqa_at(handle).last.size());
  });
}

// Field 0 subject, 1 predicate, 2 object of the last answers[index].
std::string kbqa_answer_text(std::uintptr_t handle, int index, int field) {
  const auto& a = kbqa_at(handle).last.at(static_cast<std::size_t>(index));
  return field == 0 ? a.subject : field == 1 ? a.predicate : a.object;
}

double kbqa_answer_score(std::uintptr_t handle, int index) {
  return kbqa_at(handle).last.at(static_cast<std::size_t>(index)).score;
}

// Full-recomputation log-probabilities [target_count × vocab] (row t predicts target[t]), for parity checks.
int kbqa_logits(std::uintptr_t handle, std::uintptr_t source, int source_count, std::uintptr_t target, int target_count,
                std::uintptr_t out) {
  return guarded([&] {
    const auto* s = reinterpret_cast<const std::int32_t*>(source);
    const auto* t = reinterpret_cast<const std::int32_t*>(target);
    const auto logits = kbqa_at(handle).kbqa.model().log_probs({s, s + source_count}, {t, t + target_count});
    std::copy(logits.begin(), logits.end(), reinterpret_cast<float*>(out));
  });
}

int kbqa_vocab_size(std::uintptr_t handle) { return static_cast<int>(kbqa_at(handle).kbqa.model().vocab_size()); }
int kbqa_triple_count(std::uintptr_t handle) { return static_cast<int>(kbqa_at(handle).kbqa.knowledge_base().size()); }
double kbqa_trie_bytes(std::uintptr_t handle) { return static_cast<double>(kbqa_at(handle).kbqa.trie_bytes()); }

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_kbqa) {
  using namespace attnkit::wasm;
  emscripten::function("kbqaCreate", &kbqa_create);
  emscripten::function("kbqaDestroy", &kbqa_destroy);
  emscripten::function("kbqaAsk", &kbqa_ask);
  emscripten::function("kbqaAnswerText", &kbqa_answer_text);
  emscripten::function("kbqaAnswerScore", &kbqa_answer_score);
  emscripten::function("kbqaLogits", &kbqa_logits);
  emscripten::function("kbqaVocabSize", &kbqa_vocab_size);
  emscripten::function("kbqaTripleCount", &kbqa_triple_count);
  emscripten::function("kbqaTrieBytes", &kbqa_trie_bytes);
}
