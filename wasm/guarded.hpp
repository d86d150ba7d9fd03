// What every binding file shares: the guard that turns C++ exceptions into a status code plus
// lastError() (thrown as a JS Error by the TypeScript layer), and typed views of WASM memory addresses.
#pragma once
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include "attnkit/core/view.hpp"

namespace attnkit::wasm {

std::string& last_error();

template <typename Body>
int guarded(Body&& body) {
  try {
    body();
    return 0;
  } catch (const std::bad_alloc&) {
    last_error() = "out of memory: the request needs more WebAssembly memory than is available";
  } catch (const std::length_error&) {  // a container asked for more elements than 32-bit memory can hold
    last_error() = "out of memory: the request needs more WebAssembly memory than is available (over 4 GiB)";
  } catch (const std::exception& error) {
    last_error() = error.what();
  } catch (...) {
    last_error() = "unknown C++ exception";
  }
  return 1;
}

template <typename T>
View<const T> in(std::uintptr_t address, int count) {
  return {reinterpret_cast<const T*>(address), static_cast<std::size_t>(count)};
}

template <typename T>
View<T> out(std::uintptr_t address, int count) {
  return {reinterpret_cast<T*>(address), static_cast<std::size_t>(count)};
}

// UTF-8 text the TypeScript layer copied into WASM memory.
inline std::string_view text_at(std::uintptr_t address, int bytes) {
  return {reinterpret_cast<const char*>(address), static_cast<std::size_t>(bytes)};
}

}  // namespace attnkit::wasm
