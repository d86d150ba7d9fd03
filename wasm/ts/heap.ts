// Copies typed arrays into WASM memory for one call and frees everything afterwards, even on error.
// Views of memory are re-read after each allocation: malloc may grow (and so replace) the buffer.
import type { AttnkitWasmModule, View } from './attnkit.mjs';
import { AttnkitError, errorCode } from './errors.js';

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array | BigUint64Array;
type TypedConstructor<T extends Typed> = { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number };

export class HeapScope {
  private readonly addresses: number[] = [];

  constructor(private readonly mod: AttnkitWasmModule, private readonly where: string) {}

  /** Reserves `bytes` (uninitialised, 8-byte aligned) and returns the address; 0 bytes gives address 0. */
  private reserve(bytes: number): number {
    if (bytes === 0) return 0;
    const address = this.mod._malloc(bytes);
    if (address === 0) {
      throw new AttnkitError(`${this.where}: out of memory allocating ${bytes} bytes of WebAssembly memory`, 'out-of-memory');
    }
    return address;
  }

  /** reserve(), freed with the scope. */
  private alloc(bytes: number): number {
    const address = this.reserve(bytes);
    if (address !== 0) this.addresses.push(address);
    return address;
  }

  /** Copies `values` in and returns the binding's view of them (address 0 for an empty array). */
  view(values: Typed): View {
    const address = this.alloc(values.byteLength);
    if (address !== 0) heapU8(this.mod).set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), address);
    return { address, count: values.length };
  }

  /**
   * Copies `bytes` in for a binding that takes the copy over (and frees it, also when it fails): the
   * scope does not free it. For large files the binding reads in place.
   */
  adopted(bytes: Uint8Array): View {
    const address = this.reserve(bytes.byteLength);
    if (address !== 0) heapU8(this.mod).set(bytes, address);
    return { address, count: bytes.length };
  }

  /** Reserves room for `count` elements of `bytesPerElement` bytes and returns the binding's view of it. */
  output(count: number, bytesPerElement = 4): View {
    return { address: this.alloc(count * bytesPerElement), count };
  }

  /** Copies an output view out into a new array of the given type. */
  take<T extends Typed>(type: TypedConstructor<T>, view: View): T {
    // slice() allocates without zero-filling: measured the cheapest way to a fresh copy in V8.
    return new type(heapU8(this.mod).buffer as ArrayBuffer, view.address, view.count).slice() as T;
  }

  /** Turns a non-zero status from a binding into the C++ error. */
  check(status: number): void {
    if (status !== 0) throw moduleError(this.mod);
  }

  /** A result that signals failure with `failed` (a handle of 0, a count of -1, NaN) becomes the C++ error. */
  checked<T>(result: T, failed: (result: T) => boolean): T {
    if (failed(result)) throw moduleError(this.mod);
    return result;
  }

  free(): void {
    for (const address of this.addresses) this.mod._free(address);
    this.addresses.length = 0;
  }
}

/**
 * The module's memory as bytes. In the threaded module a worker thread may grow the shared memory, which
 * leaves HEAPU8 a view of the old, shorter buffer until this thread calls into Emscripten's JS again.
 */
export function heapU8(mod: AttnkitWasmModule): Uint8Array {
  const memory = mod.wasmMemory;
  return memory && mod.HEAPU8.buffer !== memory.buffer ? new Uint8Array(memory.buffer) : mod.HEAPU8;
}

/** The error the module recorded for its last failed call. */
export function moduleError(mod: AttnkitWasmModule): AttnkitError {
  return new AttnkitError(mod.lastError(), errorCode(mod.lastErrorCode()));
}

/** Bytes a binding malloc'ed for JavaScript ({ address, count }; address 0 = failed): copied out, then freed. */
export function takeBytes(mod: AttnkitWasmModule, made: { address: number; count: number }): Uint8Array {
  if (made.address === 0) throw moduleError(mod);
  const bytes = heapU8(mod).slice(made.address, made.address + made.count);
  mod._free(made.address);
  return bytes;
}

export const failedHandle = (handle: number): boolean => handle === 0;
export const failedCount = (count: number): boolean => count < 0 || Number.isNaN(count);

/** Runs `body` with a fresh HeapScope, freeing its allocations afterwards. */
export function withHeap<T>(mod: AttnkitWasmModule, where: string, body: (heap: HeapScope) => T): T {
  const heap = new HeapScope(mod, where);
  try {
    return body(heap);
  } finally {
    heap.free();
  }
}
