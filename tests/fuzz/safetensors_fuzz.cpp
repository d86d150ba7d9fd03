// libFuzzer target: SafeTensors::parse on arbitrary bytes either throws attnkit::Error or yields tensors
// whose every value can be read (ASan/UBSan watch the reads).
#include <cstddef>
#include <cstdint>

#include "attnkit/core/error.hpp"
#include "attnkit/model/safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto st = attnkit::model::SafeTensors::parse({data, size});
    for (const auto& [name, info] : st.tensors()) {
      try {
        st.floats(name, info.shape);
      } catch (const attnkit::Error&) {  // non-finite values
      }
    }
  } catch (const attnkit::Error&) {
  }
  return 0;
}
