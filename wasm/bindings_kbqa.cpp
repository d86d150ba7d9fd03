// Embind bindings of the KBQA pipeline: a handle created from the model files' bytes and the KB text;
// ask() takes the options struct and leaves its answers in the handle for the TypeScript layer to read.
#include <emscripten/bind.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "attnkit/api/kbqa_api.hpp"
#include "guarded.hpp"
#include "value_objects.hpp"

namespace attnkit::wasm {
namespace {

using api::KbqaSession;

KbqaSession& kbqa_at(std::uintptr_t handle) { return object_at<KbqaSession>(handle); }

// layout: 0 compact, 1 flat (pipelines::TrieLayout).
std::uintptr_t kbqa_create(const api::ModelFiles& model, const View<const std::uint8_t>& kb, int layout) {
  return guarded_handle([&] { return api::load_kbqa(model, kb, static_cast<pipelines::TrieLayout>(layout)); });
}

// Takes ownership of `index`, which the caller malloc'ed (freed here, also on failure): the KB is read in
// place, without a second copy of a file that may be tens of megabytes.
std::uintptr_t kbqa_open(const api::ModelFiles& model, const View<const std::uint8_t>& index, const std::string& name) {
  return guarded_handle([&] {
    // If making the owner throws, it has already freed the bytes.
    std::shared_ptr<const void> owner(index.data, [](const void* bytes) { std::free(const_cast<void*>(bytes)); });
    return api::open_kbqa(model, std::move(owner), index, name);
  });
}

// The KB index file's bytes (see guarded_bytes).
View<const std::uint8_t> kbqa_index(std::uintptr_t handle) {
  return guarded_bytes([&] { return api::kbqa_index(kbqa_at(handle)); });
}

// The number of answers to a UTF-8 question, or -1 (see lastError()).
double kbqa_ask(std::uintptr_t handle, const View<const std::uint8_t>& question, const api::AskArgs& args) {
  return guarded_or(-1.0, [&] { return static_cast<double>(api::kbqa_ask(kbqa_at(handle), question, args)); });
}

// The last answers[index] as { subject, predicate, object, score }; undefined for a bad index (see lastError()).
emscripten::val kbqa_answer(std::uintptr_t handle, double index) {
  return guarded_or(emscripten::val::undefined(), [&] {
    const auto& answer = api::kbqa_answer(kbqa_at(handle), to_integer(index));
    emscripten::val out = emscripten::val::object();
    out.set("subject", answer.subject);
    out.set("predicate", answer.predicate);
    out.set("object", answer.object);
    out.set("score", answer.score);
    return out;
  });
}

int kbqa_logits(std::uintptr_t handle, const View<const std::int32_t>& source, const View<const std::int32_t>& target,
                const Floats& output) {
  return guarded([&] { api::kbqa_log_probs(kbqa_at(handle), source, target, output); });
}

double kbqa_vocab_size(std::uintptr_t handle) { return static_cast<double>(kbqa_at(handle).kbqa.model().vocab_size()); }
double kbqa_triple_count(std::uintptr_t handle) {
  return static_cast<double>(kbqa_at(handle).kbqa.knowledge_base().size());
}
double kbqa_trie_bytes(std::uintptr_t handle) { return static_cast<double>(kbqa_at(handle).kbqa.trie_bytes()); }

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_kbqa) {
  using namespace attnkit::wasm;  // not all of attnkit: its namespaces (attention, entropy) would hide bindings
  namespace api = attnkit::api;
  using attnkit::View;
  // mode: 0 triple, 1 subject, 2 open predicate (pipelines::KbqaMode).
  emscripten::value_object<api::AskArgs> ask_args("AskArgs");
  integer_field<&api::AskArgs::beams>(ask_args, "beams");
  integer_field<&api::AskArgs::top_k>(ask_args, "topK");
  enum_field<&api::AskArgs::mode>(ask_args, "mode");
  ask_args.field("lookahead", &api::AskArgs::lookahead)
      .field("lengthPenalty", &api::AskArgs::length_penalty)
      .field("mutualInformation", &api::AskArgs::mutual_information);
  emscripten::function("kbqaCreate", &kbqa_create);
  emscripten::function("kbqaOpen", &kbqa_open);
  emscripten::function("kbqaIndex", &kbqa_index);
  emscripten::function("kbqaDestroy", &destroy<KbqaSession>);
  emscripten::function("kbqaAsk", &kbqa_ask);
  emscripten::function("kbqaAnswer", &kbqa_answer);
  emscripten::function("kbqaLogits", &kbqa_logits);
  emscripten::function("kbqaVocabSize", &kbqa_vocab_size);
  emscripten::function("kbqaTripleCount", &kbqa_triple_count);
  emscripten::function("kbqaTrieBytes", &kbqa_trie_bytes);
}
