// What every binding shares: the guard that turns a C++ exception into a failure value plus lastError(),
// and the conversion of owned C++ objects into handles (addresses) for the TypeScript wrappers.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <vector>

#include "attnkit/core/view.hpp"

#include "last_error.hpp"

namespace attnkit::wasm {

// Runs `body`; returns its result, or `on_error` after recording the exception in last_error().
template <typename T, typename Body>
T guarded_or(T on_error, Body&& body) {
  try {
    return body();
  } catch (...) {
    last_error() = api::describe(std::current_exception());
  }
  return on_error;
}

// Status form for calls with no result: 0 ok, 1 failed (see last_error()).
template <typename Body>
int guarded(Body&& body) {
  return guarded_or(1, [&] {
    body();
    return 0;
  });
}

// Creates an object and hands its ownership to the caller as a handle; 0 when creation failed.
template <typename Create>
std::uintptr_t guarded_handle(Create&& create) {
  return guarded_or(std::uintptr_t{0}, [&] { return reinterpret_cast<std::uintptr_t>(create().release()); });
}

// Bytes made in C++ handed to JavaScript: a malloc'ed copy ({ address, count }) the caller frees; {0, 0} when
// `make` throws (see last_error()).
template <typename Make>
View<const std::uint8_t> guarded_bytes(Make&& make) {
  return guarded_or(View<const std::uint8_t>{}, [&] {
    const std::vector<std::uint8_t> bytes = make();
    void* copy = std::malloc(bytes.empty() ? 1 : bytes.size());  // malloc(0) may return null
    if (!copy) throw std::bad_alloc();
    std::memcpy(copy, bytes.data(), bytes.size());
    return View<const std::uint8_t>{static_cast<const std::uint8_t*>(copy), bytes.size()};
  });
}

template <typename T>
T& object_at(std::uintptr_t handle) {
  return *reinterpret_cast<T*>(handle);
}

template <typename T>
void destroy(std::uintptr_t handle) {
  delete reinterpret_cast<T*>(handle);
}

}  // namespace attnkit::wasm
