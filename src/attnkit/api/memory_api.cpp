#include "attnkit/api/memory_api.hpp"

#include <string>
#include <vector>

#include "attnkit/api/checks.hpp"
#include "attnkit/model/safetensors.hpp"

namespace attnkit::api {
namespace {

constexpr const char* kWhere = "ProductKeyMemory";

// The slot index is an int32 in the results: n² must fit.
constexpr long long kMaxSubKeys = 46340;

memory::ProductKeyShape check_dims(const ProductKeyDims& d) {
  require_positive(kWhere, "heads", d.heads);
  require_positive(kWhere, "subKeyCount", d.sub_key_count);
  require_positive(kWhere, "queryDim", d.query_dim);
  require_positive(kWhere, "valueDim", d.value_dim);
  require_positive(kWhere, "topK", d.top_k);
  if (d.sub_key_count > kMaxSubKeys)
    fail(kWhere, ": subKeyCount must be at most ", kMaxSubKeys, " (subKeyCount² slots are int32 indices), got ",
         d.sub_key_count);
  if (d.query_dim % 2 != 0) fail(kWhere, ": queryDim must be even (the query splits into two halves), got ", d.query_dim);
  if (d.top_k > d.sub_key_count)
    fail(kWhere, ": topK (", d.top_k, ") must be at most subKeyCount (", d.sub_key_count,
         "): it is the number of sub-keys kept from each half");
  if (d.input_dim < 0) fail(kWhere, ": inputDim must be >= 0 (0: x is the query itself), got ", d.input_dim);
  memory::ProductKeyShape shape;
  shape.heads = static_cast<std::size_t>(d.heads);
  shape.sub_keys = static_cast<std::size_t>(d.sub_key_count);
  shape.query_dim = static_cast<std::size_t>(d.query_dim);
  shape.value_dim = static_cast<std::size_t>(d.value_dim);
  shape.top_k = static_cast<std::size_t>(d.top_k);
  shape.input_dim = static_cast<std::size_t>(d.input_dim);
  return shape;
}

std::vector<float> copy_checked(const char* name, ConstFloats view, std::size_t expected, const char* shape_text) {
  require_size(kWhere, name, view, expected, shape_text);
  require_finite(kWhere, name, view.data, view.size);
  return {view.data, view.data + view.size};
}

std::size_t query_values(const memory::ProductKeyShape& s) { return checked_product(kWhere, s.heads, s.query_dim); }

}  // namespace

std::unique_ptr<memory::ProductKeyMemory> product_key_memory(const ProductKeyDims& dims, const ProductKeyWeights& w) {
  const memory::ProductKeyShape s = check_dims(dims);
  const std::size_t slots = checked_product(kWhere, s.sub_keys, s.sub_keys);
  auto sub_keys = copy_checked("subKeys", w.sub_keys, checked_product(kWhere, 2 * s.heads, s.sub_keys * (s.query_dim / 2)),
                               "heads*2*subKeyCount*queryDim/2");
  auto values = copy_checked("values", w.values, checked_product(kWhere, slots, s.value_dim), "subKeyCount^2*valueDim");
  std::vector<float> weight, bias;
  if (s.input_dim > 0) {
    weight = copy_checked("queryWeight", w.query_weight, checked_product(kWhere, query_values(s), s.input_dim),
                          "heads*queryDim*inputDim");
    bias = copy_checked("queryBias", w.query_bias, query_values(s), "heads*queryDim");
  } else if (w.query_weight.size > 0 || w.query_bias.size > 0) {
    fail(kWhere, ": queryWeight/queryBias were given but inputDim is 0; give inputDim (the width of x)");
  }
  return std::make_unique<memory::ProductKeyMemory>(s, std::move(sub_keys), std::move(values), std::move(weight),
                                                    std::move(bias));
}

std::unique_ptr<memory::ProductKeyMemory> product_key_memory_file(View<const std::uint8_t> file, long long top_k) {
  require_data(kWhere, "file", file);
  const model::SafeTensors st = model::SafeTensors::parse(file);
  const auto& keys = st.info("sub_keys").shape;
  if (keys.size() != 4 || keys[1] != 2)
    fail_file(kWhere, ": tensor sub_keys must have shape [heads, 2, subKeyCount, queryDim/2]");
  const auto& values = st.info("values").shape;
  if (values.size() != 2) fail_file(kWhere, ": tensor values must have shape [subKeyCount^2, valueDim]");
  const bool projected = st.has("query.weight");
  const auto& query = projected ? st.info("query.weight").shape : std::vector<std::size_t>{};
  if (projected && query.size() != 2) fail_file(kWhere, ": tensor query.weight must have shape [heads*queryDim, inputDim]");
  ProductKeyDims dims;
  dims.heads = static_cast<long long>(keys[0]);
  dims.sub_key_count = static_cast<long long>(keys[2]);
  dims.query_dim = static_cast<long long>(2 * keys[3]);
  dims.value_dim = static_cast<long long>(values[1]);
  dims.top_k = top_k;
  dims.input_dim = projected ? static_cast<long long>(query[1]) : 0;
  const memory::ProductKeyShape s = check_dims(dims);
  if (values[0] != s.sub_keys * s.sub_keys)
    fail_file(kWhere, ": tensor values has ", values[0], " rows, expected subKeyCount^2 = ", s.sub_keys * s.sub_keys);
  auto sub_keys = st.floats("sub_keys", keys);
  auto value_rows = st.floats("values", values);
  std::vector<float> weight, bias;
  if (projected) {
    weight = st.floats("query.weight", {query_values(s), s.input_dim});
    bias = st.floats("query.bias", {query_values(s)});
  }
  return std::make_unique<memory::ProductKeyMemory>(s, std::move(sub_keys), std::move(value_rows), std::move(weight),
                                                    std::move(bias));
}

void product_key_lookup(const memory::ProductKeyMemory& memory, const ProductKeyLookupArgs& args) {
  const char* where = "ProductKeyMemory.lookup";
  const auto& s = memory.shape();
  require_known(where, "search", args.search, memory::SlotSearch::kExhaustive);
  require_positive(where, "rows", args.rows);
  const std::size_t rows = static_cast<std::size_t>(args.rows);
  require_size(where, "x", args.x, checked_product(where, rows, memory.input_width()),
               s.input_dim > 0 ? "rows*inputDim" : "rows*heads*queryDim");
  require_finite(where, "x", args.x.data, args.x.size);
  require_size(where, "output", args.output, checked_product(where, rows, s.value_dim), "rows*valueDim");
  const std::size_t per_row = checked_product(where, s.heads, s.top_k);
  require_size(where, "indices", args.indices, checked_product(where, rows, per_row), "rows*heads*topK");
  require_size(where, "weights", args.weights, checked_product(where, rows, per_row), "rows*heads*topK");
  memory.lookup(args.x.data, rows, {args.output.data, args.indices.data, args.weights.data}, args.search);
}

}  // namespace attnkit::api
