// libFuzzer target: a product-key memory from arbitrary safetensors bytes either throws attnkit::Error or
// answers a lookup (both searches) within its buffers (ASan/UBSan watch). The first byte picks topK.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "attnkit/api/memory_api.hpp"
#include "attnkit/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  try {
    const auto memory = attnkit::api::product_key_memory_file({data + 1, size - 1}, data[0] % 8 + 1);
    const auto& s = memory->shape();
    if (s.sub_keys > 64) return 0;  // the exhaustive search is n² per row: keep runs fast
    std::vector<float> x(memory->input_width(), 0.5f), out(s.value_dim), weights(s.heads * s.top_k);
    std::vector<std::int32_t> indices(s.heads * s.top_k);
    for (auto search : {attnkit::memory::SlotSearch::kProduct, attnkit::memory::SlotSearch::kExhaustive})
      attnkit::api::product_key_lookup(*memory, {{x.data(), x.size()}, 1, {out.data(), out.size()},
                                                 {indices.data(), indices.size()}, {weights.data(), weights.size()}, search});
  } catch (const attnkit::Error&) {
  }
  return 0;
}
