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

// A sharded KB: takes ownership of the manifest's bytes as kbqa_open does of an index's.
std::uintptr_t kbqa_open_shards(const api::ModelFiles& model, const View<const std::uint8_t>& manifest,
                                const std::string& name) {
  return guarded_handle([&] {
    std::shared_ptr<const void> owner(manifest.data, [](const void* bytes) { std::free(const_cast<void*>(bytes)); });
    return api::open_kbqa_shards(model, std::move(owner), manifest, name);
  });
}

int kbqa_load_shard(std::uintptr_t handle, double shard, const View<const std::uint8_t>& text,
                    const std::string& name) {
  return guarded([&] { api::kbqa_load_shard(kbqa_at(handle), to_integer(shard), text, name); });
}

// The shards the last question needs loaded before it can be answered (empty once it was answered).
emscripten::val kbqa_needed(std::uintptr_t handle) {
  emscripten::val out = emscripten::val::array();
  for (const std::uint32_t shard : kbqa_at(handle).needed) out.call<void>("push", shard);
  return out;
}

double kbqa_shard_count(std::uintptr_t handle) {
  const auto* shards = kbqa_at(handle).kbqa.shards();
  return shards ? static_cast<double>(shards->shard_count()) : 0.0;
}

double kbqa_shards_loaded(std::uintptr_t handle) {
  const auto* shards = kbqa_at(handle).kbqa.shards();
  return shards ? static_cast<double>(shards->loaded_count()) : 0.0;
}

// The KB index file's bytes (see guarded_bytes).
View<const std::uint8_t> kbqa_index(std::uintptr_t handle) {
  return guarded_bytes([&] { return api::kbqa_index(kbqa_at(handle)); });
}

// The number of answers to a UTF-8 question, or -1 (see lastError()).
double kbqa_ask(std::uintptr_t handle, const View<const std::uint8_t>& question, const api::AskArgs& args) {
  return guarded_or(-1.0, [&] { return static_cast<double>(api::kbqa_ask(kbqa_at(handle), question, args)); });
}

// The last answers[index] as { subject, predicate, object, score, confidence }; undefined for a bad index (see
// lastError()).
emscripten::val kbqa_answer(std::uintptr_t handle, double index) {
  return guarded_or(emscripten::val::undefined(), [&] {
    const auto& answer = api::kbqa_answer(kbqa_at(handle), to_integer(index));
    emscripten::val out = emscripten::val::object();
    out.set("subject", answer.subject);
    out.set("predicate", answer.predicate);
    out.set("object", answer.object);
    out.set("score", answer.score);
    out.set("confidence", answer.confidence);
    return out;
  });
}

int kbqa_logits(std::uintptr_t handle, const View<const std::int32_t>& source, const View<const std::int32_t>& target,
                const Floats& output) {
  return guarded([&] { api::kbqa_log_probs(kbqa_at(handle), source, target, output); });
}

double kbqa_vocab_size(std::uintptr_t handle) { return static_cast<double>(kbqa_at(handle).kbqa.model().vocab_size()); }
double kbqa_triple_count(std::uintptr_t handle) {
  return static_cast<double>(kbqa_at(handle).kbqa.kb().triple_count());
}
double kbqa_trie_bytes(std::uintptr_t handle) { return static_cast<double>(kbqa_at(handle).kbqa.kb().trie_bytes()); }

// The sharded-KB builder (`attnkit-cli build-kb --shards`).
api::KbShardBuilderSession& builder_at(std::uintptr_t handle) { return object_at<api::KbShardBuilderSession>(handle); }

std::uintptr_t kb_shard_builder_create(const View<const std::uint8_t>& vocab, double shard_triples, double buckets) {
  return guarded_handle([&] { return api::kb_shard_builder(vocab, to_integer(shard_triples), to_integer(buckets)); });
}

int kb_shard_builder_route(std::uintptr_t handle, const View<const std::uint8_t>& lines) {
  return guarded([&] { api::kb_shard_builder_route(builder_at(handle), lines); });
}

View<const std::uint8_t> kb_shard_builder_take_bucket(std::uintptr_t handle, double bucket) {
  return guarded_bytes([&] {
    const std::string lines = api::kb_shard_builder_take_bucket(builder_at(handle), to_integer(bucket));
    return std::vector<std::uint8_t>(lines.begin(), lines.end());
  });
}

double kb_shard_builder_cut(std::uintptr_t handle, const View<const std::uint8_t>& lines) {
  return guarded_or(-1.0, [&] { return static_cast<double>(api::kb_shard_builder_cut(builder_at(handle), lines)); });
}

View<const std::uint8_t> kb_shard_builder_shard(std::uintptr_t handle, double index) {
  return guarded_bytes([&] {
    const std::string text = api::kb_shard_builder_take_shard(builder_at(handle), to_integer(index));
    return std::vector<std::uint8_t>(text.begin(), text.end());
  });
}

View<const std::uint8_t> kb_shard_builder_manifest(std::uintptr_t handle) {
  return guarded_bytes([&] { return api::kb_shard_manifest(builder_at(handle)); });
}

// { triples, shards, cuts } so far.
emscripten::val kb_shard_builder_stats(std::uintptr_t handle) {
  const auto& builder = builder_at(handle).builder;
  emscripten::val out = emscripten::val::object();
  out.set("triples", static_cast<double>(builder.triple_count()));
  out.set("shards", static_cast<double>(builder.shard_count()));
  out.set("cuts", static_cast<double>(builder.cut_count()));
  return out;
}

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
  enum_field<&api::AskArgs::ranking>(ask_args, "ranking");
  ask_args.field("lookahead", &api::AskArgs::lookahead)
      .field("lengthPenalty", &api::AskArgs::length_penalty)
      .field("mutualInformation", &api::AskArgs::mutual_information)
      .field("minConfidence", &api::AskArgs::min_confidence);
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
  emscripten::function("kbqaOpenShards", &kbqa_open_shards);
  emscripten::function("kbqaLoadShard", &kbqa_load_shard);
  emscripten::function("kbqaNeeded", &kbqa_needed);
  emscripten::function("kbqaShardCount", &kbqa_shard_count);
  emscripten::function("kbqaShardsLoaded", &kbqa_shards_loaded);
  emscripten::function("kbShardBuilderCreate", &kb_shard_builder_create);
  emscripten::function("kbShardBuilderRoute", &kb_shard_builder_route);
  emscripten::function("kbShardBuilderTakeBucket", &kb_shard_builder_take_bucket);
  emscripten::function("kbShardBuilderCut", &kb_shard_builder_cut);
  emscripten::function("kbShardBuilderShard", &kb_shard_builder_shard);
  emscripten::function("kbShardBuilderManifest", &kb_shard_builder_manifest);
  emscripten::function("kbShardBuilderStats", &kb_shard_builder_stats);
  emscripten::function("kbShardBuilderDestroy", &destroy<api::KbShardBuilderSession>);
}
