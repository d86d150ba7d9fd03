// Copies typed arrays into WASM memory for one call and frees everything afterwards, even on error.
// Views of memory are re-read after each allocation: malloc may grow (and so replace) the buffer.
import type { AttnkitWasmModule } from './attnkit.mjs';
import { AttnkitError } from './errors.js';

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array;
type TypedConstructor<T extends Typed> = { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number };

export class HeapScope {
  private readonly addresses: number[] = [];

  constructor(private readonly mod: AttnkitWasmModule, private readonly where: string) {}

  /** Reserves `bytes` (uninitialised, 8-byte aligned) and returns the address; 0 bytes gives address 0. */
  alloc(bytes: number): number {
    if (bytes === 0) return 0;
    const address = this.mod._malloc(bytes);
    if (address === 0) {
      throw new AttnkitError(`${this.where}: out of memory allocating ${bytes} bytes of WebAssembly memory`);
    }
    this.addresses.push(address);
    return address;
  }

  allocFloats(count: number): number {
    return this.alloc(count * 4);
  }

  /** Copies `values` in and returns the address (0 for an empty array). */
  copyIn(values: Typed): number {
    const address = this.alloc(values.byteLength);
    if (address !== 0) this.mod.HEAPU8.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), address);
    return address;
  }

  /** Alias kept for the float kernels' readability. */
  floats(values: Float32Array): number {
    return this.copyIn(values);
  }

  /** Copies `count` elements at `address` out into a new array of the given type. */
  read<T extends Typed>(type: TypedConstructor<T>, address: number, count: number): T {
    // slice() allocates without zero-filling: measured the cheapest way to a fresh copy in V8.
    return new type(this.mod.HEAPU8.buffer as ArrayBuffer, address, count).slice() as T;
  }

  readFloats(address: number, count: number): Float32Array {
    return this.read(Float32Array, address, count);
  }

  /** Turns a non-zero status from a binding into the C++ error's message. */
  check(status: number): void {
    if (status !== 0) throw new AttnkitError(this.mod.lastError());
  }

  free(): void {
    for (const address of this.addresses) this.mod._free(address);
    this.addresses.length = 0;
  }
}

/** Runs `body` with a fresh HeapScope, freeing its allocations afterwards. */
export function withHeap<T>(mod: AttnkitWasmModule, where: string, body: (heap: HeapScope) => T): T {
  const heap = new HeapScope(mod, where);
  try {
    return body(heap);
  } finally {
    heap.free();
  }
}
