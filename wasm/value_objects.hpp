// Helpers to register the api layer's argument structs as Embind value_objects, so a JS object with the
// same field names converts to the struct: views of WASM memory as { address, count }, 64-bit sizes as JS
// numbers (Embind would want BigInt), enums as integers (the api layer checks their range).
#pragma once
#include <emscripten/bind.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "attnkit/core/view.hpp"

namespace attnkit::wasm {

// A JS number as a 64-bit integer: NaN becomes 0 and huge values are clamped (a cast would be undefined
// behaviour), fractions truncate; the api layer then reports whatever is out of range.
inline long long to_integer(double value) {
  return static_cast<long long>(std::isnan(value) ? 0.0 : std::clamp(value, -9.0e18, 9.0e18));
}

template <typename Member>
struct MemberOf;
template <typename Struct, typename Field>
struct MemberOf<Field Struct::*> {
  using StructType = Struct;
  using FieldType = Field;
};

template <auto member>
using StructOf = typename MemberOf<decltype(member)>::StructType;

template <auto member>
double get_integer(const StructOf<member>& s) {
  return static_cast<double>(s.*member);
}

template <auto member>
void set_integer(StructOf<member>& s, double value) {
  s.*member = static_cast<typename MemberOf<decltype(member)>::FieldType>(to_integer(value));
}

template <auto member>
int get_enum(const StructOf<member>& s) {
  return static_cast<int>(s.*member);
}

template <auto member>
void set_enum(StructOf<member>& s, int value) {
  s.*member = static_cast<typename MemberOf<decltype(member)>::FieldType>(value);
}

// Registers a 64-bit integer field as a JS number.
template <auto member, typename Object>
Object& integer_field(Object& object, const char* name) {
  return object.field(name, &get_integer<member>, &set_integer<member>);
}

template <auto member, typename Object>
Object& enum_field(Object& object, const char* name) {
  return object.field(name, &get_enum<member>, &set_enum<member>);
}

template <typename T>
std::uintptr_t view_address(const View<T>& view) {
  return reinterpret_cast<std::uintptr_t>(view.data);
}

template <typename T>
void set_view_address(View<T>& view, std::uintptr_t address) {
  view.data = reinterpret_cast<T*>(address);
}

// View<T> as { address, count }: `count` elements of T at `address` in WASM memory.
template <typename T>
void register_view(const char* name) {
  emscripten::value_object<View<T>>(name)
      .field("address", &view_address<T>, &set_view_address<T>)
      .field("count", &View<T>::size);
}

}  // namespace attnkit::wasm
