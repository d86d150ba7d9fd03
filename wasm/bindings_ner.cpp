// Embind bindings of the NER pipeline: a handle created from the model files' bytes; extract() leaves its
// entities in the handle for the TypeScript layer to copy out.
#include <emscripten/bind.h>

#include <string_view>

#include "attnkit/pipelines/ner.hpp"
#include "guarded.hpp"

namespace attnkit::wasm {
namespace {

struct NerHandle {
  pipelines::Ner ner;
  std::vector<pipelines::Entity> last;
};

NerHandle& ner_at(std::uintptr_t handle) { return *reinterpret_cast<NerHandle*>(handle); }

int ner_create(std::uintptr_t config, int config_bytes, std::uintptr_t weights, int weight_bytes, std::uintptr_t vocab,
               int vocab_bytes, std::uintptr_t handle_out) {
  return guarded([&] {
    auto* handle = new NerHandle{pipelines::Ner(text_at(config, config_bytes), in<std::uint8_t>(weights, weight_bytes),
                                                text_at(vocab, vocab_bytes)),
                                 {}};
    *reinterpret_cast<std::uintptr_t*>(handle_out) = reinterpret_cast<std::uintptr_t>(handle);
  });
}

void ner_destroy(std::uintptr_t handle) { delete &ner_at(handle); }

// Runs extraction on UTF-8 text; the entity count is written to count_out.
int ner_extract(std::uintptr_t handle, std::uintptr_t text, int bytes, std::uintptr_t count_out) {
  return guarded([&] {
    ner_at(handle).last = ner_at(handle).ner.extract(text_at(text, bytes));
    *reinterpret_cast<std::int32_t*>(count_out) = static_cast<std::int32_t>(ner_at(handle).last.size());
  });
}

// The last entities as [start, end, type] int triples and float scores (then released).
void ner_results(std::uintptr_t handle, std::uintptr_t ints, std::uintptr_t scores) {
  auto* int_out = reinterpret_cast<std::int32_t*>(ints);
  auto* score_out = reinterpret_cast<float*>(scores);
  for (const auto& e : ner_at(handle).last) {
    *int_out++ = static_cast<std::int32_t>(e.start);
    *int_out++ = static_cast<std::int32_t>(e.end);
    *int_out++ = static_cast<std::int32_t>(e.type);
    *score_out++ = e.score;
  }
  std::vector<pipelines::Entity>().swap(ner_at(handle).last);  // read once: do not hold the memory until the next call
}

// Writes the head logits [types × count × count] of `count` token ids into out.
int ner_logits(std::uintptr_t handle, std::uintptr_t ids, int count, std::uintptr_t out) {
  return guarded([&] {
    const auto* first = reinterpret_cast<const std::int32_t*>(ids);
    const auto logits = ner_at(handle).ner.logits({first, first + count});
    std::copy(logits.begin(), logits.end(), reinterpret_cast<float*>(out));
  });
}

int ner_label_count(std::uintptr_t handle) { return static_cast<int>(ner_at(handle).ner.labels().size()); }
std::string ner_label(std::uintptr_t handle, int index) { return ner_at(handle).ner.labels().at(static_cast<std::size_t>(index)); }

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_ner) {
  using namespace attnkit::wasm;
  emscripten::function("nerCreate", &ner_create);
  emscripten::function("nerDestroy", &ner_destroy);
  emscripten::function("nerExtract", &ner_extract);
  emscripten::function("nerResults", &ner_results);
  emscripten::function("nerLogits", &ner_logits);
  emscripten::function("nerLabelCount", &ner_label_count);
  emscripten::function("nerLabel", &ner_label);
}
