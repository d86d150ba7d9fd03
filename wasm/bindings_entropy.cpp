// Embind bindings of the entropy tools: each takes one argument struct.
#include <emscripten/bind.h>

#include "attnkit/api/entropy_api.hpp"
#include "guarded.hpp"
#include "value_objects.hpp"

namespace attnkit::wasm {
namespace {

using api::EntropyArgs;
using api::EntropyNormalizeArgs;

int entropy(const EntropyArgs& args) { return guarded([&] { api::entropy(args); }); }
int entropy_normalize(const EntropyNormalizeArgs& args) { return guarded([&] { api::entropy_normalize(args); }); }

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_entropy) {
  using namespace attnkit::wasm;  // not all of attnkit: its namespaces (attention, entropy) would hide bindings
  namespace api = attnkit::api;
  using attnkit::View;
  emscripten::value_object<EntropyArgs> entropy_args("EntropyArgs");
  entropy_args.field("p", &EntropyArgs::p).field("output", &EntropyArgs::output);
  integer_field<&EntropyArgs::rows>(entropy_args, "rows");
  integer_field<&EntropyArgs::cols>(entropy_args, "cols");

  // method: 0 auto, 1 seed, 2 newton (entropy::SolveMethod).
  emscripten::value_object<EntropyNormalizeArgs> normalize_args("EntropyNormalizeArgs");
  normalize_args.field("p", &EntropyNormalizeArgs::p)
      .field("output", &EntropyNormalizeArgs::output)
      .field("targets", &EntropyNormalizeArgs::targets)
      .field("tolerance", &EntropyNormalizeArgs::tolerance)
      .field("gammas", &EntropyNormalizeArgs::gammas)
      .field("iterations", &EntropyNormalizeArgs::iterations);
  integer_field<&EntropyNormalizeArgs::rows>(normalize_args, "rows");
  integer_field<&EntropyNormalizeArgs::cols>(normalize_args, "cols");
  enum_field<&EntropyNormalizeArgs::method>(normalize_args, "method");
  integer_field<&EntropyNormalizeArgs::max_iterations>(normalize_args, "maxIterations");

  emscripten::function("entropy", &entropy);
  emscripten::function("entropyNormalize", &entropy_normalize);
}
