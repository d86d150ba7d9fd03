// Embind bindings of the NER pipeline: a handle created from the model files' bytes; extract() leaves its
// entities in the handle for the TypeScript layer to copy out into buffers the api layer size-checks.
#include <emscripten/bind.h>

#include <string>

#include "attnkit/api/ner_api.hpp"
#include "guarded.hpp"
#include "value_objects.hpp"

namespace attnkit::wasm {
namespace {

using api::NerSession;

NerSession& ner_at(std::uintptr_t handle) { return object_at<NerSession>(handle); }

std::uintptr_t ner_create(const api::ModelFiles& files) {
  return guarded_handle([&] { return api::load_ner(files); });
}

// The number of entities found in UTF-8 text, or -1 (see lastError()).
double ner_extract(std::uintptr_t handle, const View<const std::uint8_t>& text) {
  return guarded_or(-1.0, [&] { return static_cast<double>(api::ner_extract(ner_at(handle), text)); });
}

// The number of entities found in several UTF-8 texts (counts: per text), or -1 (see lastError()).
double ner_extract_many(std::uintptr_t handle, const View<const std::uint8_t>& texts,
                        const View<const std::int32_t>& lengths, const View<std::int32_t>& counts) {
  return guarded_or(-1.0,
                    [&] { return static_cast<double>(api::ner_extract_many(ner_at(handle), texts, lengths, counts)); });
}

int ner_results(std::uintptr_t handle, const View<std::int32_t>& ints, const Floats& scores) {
  return guarded([&] { api::ner_take_entities(ner_at(handle), ints, scores); });
}

int ner_logits(std::uintptr_t handle, const View<const std::int32_t>& ids, const View<const std::int32_t>& lexicon,
               const Floats& output) {
  return guarded([&] { api::ner_logits(ner_at(handle), ids, lexicon, output); });
}

// The number of tokens (with [CLS] and [SEP]) whose lexicon bits were written, or -1 (see lastError()).
double ner_lexicon_bits(std::uintptr_t handle, const View<const std::uint8_t>& text, const View<std::int32_t>& output) {
  return guarded_or(-1.0, [&] { return static_cast<double>(api::ner_lexicon_bits(ner_at(handle), text, output)); });
}

double ner_has_lexicon(std::uintptr_t handle) { return ner_at(handle).ner.has_lexicon() ? 1 : 0; }

double ner_label_count(std::uintptr_t handle) { return static_cast<double>(ner_at(handle).ner.labels().size()); }

// The label's name, or "" for an index outside the labels (see lastError()).
std::string ner_label(std::uintptr_t handle, double index) {
  return guarded_or(std::string(), [&] { return api::ner_label(ner_at(handle), to_integer(index)); });
}

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_ner) {
  using namespace attnkit::wasm;  // not all of attnkit: its namespaces (attention, entropy) would hide bindings
  namespace api = attnkit::api;
  using attnkit::View;
  emscripten::value_object<api::ModelFiles>("ModelFiles")
      .field("config", &api::ModelFiles::config)
      .field("weights", &api::ModelFiles::weights)
      .field("vocab", &api::ModelFiles::vocab);
  emscripten::function("nerCreate", &ner_create);
  emscripten::function("nerDestroy", &destroy<NerSession>);
  emscripten::function("nerExtract", &ner_extract);
  emscripten::function("nerExtractMany", &ner_extract_many);
  emscripten::function("nerResults", &ner_results);
  emscripten::function("nerLogits", &ner_logits);
  emscripten::function("nerLexiconBits", &ner_lexicon_bits);
  emscripten::function("nerHasLexicon", &ner_has_lexicon);
  emscripten::function("nerLabelCount", &ner_label_count);
  emscripten::function("nerLabel", &ner_label);
}
