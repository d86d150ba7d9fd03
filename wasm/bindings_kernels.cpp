// Embind bindings of the basic kernels (gemm, softmax, layerNorm): each takes one argument struct.
#include <emscripten/bind.h>

#include "attnkit/api/kernels_api.hpp"
#include "guarded.hpp"
#include "value_objects.hpp"

namespace attnkit::wasm {
namespace {

int gemm(const api::GemmArgs& args) { return guarded([&] { api::gemm(args); }); }
int softmax(const api::SoftmaxArgs& args) { return guarded([&] { api::softmax(args); }); }
int layer_norm(const api::LayerNormArgs& args) { return guarded([&] { api::layer_norm(args); }); }

}  // namespace
}  // namespace attnkit::wasm

EMSCRIPTEN_BINDINGS(attnkit_kernels) {
  using namespace attnkit::wasm;  // not all of attnkit: its namespaces (attention, entropy) would hide bindings
  namespace api = attnkit::api;
  using attnkit::View;
  emscripten::value_object<api::GemmArgs> gemm_args("GemmArgs");
  gemm_args.field("a", &api::GemmArgs::a).field("b", &api::GemmArgs::b).field("c", &api::GemmArgs::c);
  integer_field<&api::GemmArgs::m>(gemm_args, "m");
  integer_field<&api::GemmArgs::n>(gemm_args, "n");
  integer_field<&api::GemmArgs::k>(gemm_args, "k");
  gemm_args.field("bTransposed", &api::GemmArgs::b_transposed);

  emscripten::value_object<api::SoftmaxArgs> softmax_args("SoftmaxArgs");
  softmax_args.field("input", &api::SoftmaxArgs::input).field("output", &api::SoftmaxArgs::output);
  integer_field<&api::SoftmaxArgs::rows>(softmax_args, "rows");
  integer_field<&api::SoftmaxArgs::cols>(softmax_args, "cols");

  emscripten::value_object<api::LayerNormArgs> layer_norm_args("LayerNormArgs");
  layer_norm_args.field("input", &api::LayerNormArgs::input)
      .field("gamma", &api::LayerNormArgs::gamma)
      .field("beta", &api::LayerNormArgs::beta)
      .field("output", &api::LayerNormArgs::output)
      .field("eps", &api::LayerNormArgs::eps);
  integer_field<&api::LayerNormArgs::rows>(layer_norm_args, "rows");
  integer_field<&api::LayerNormArgs::cols>(layer_norm_args, "cols");

  emscripten::function("gemm", &gemm);
  emscripten::function("softmax", &softmax);
  emscripten::function("layerNorm", &layer_norm);
}
