// Copies typed arrays into WASM memory for one call and frees everything afterwards, even on error.
import type { AttnkitWasmModule } from './attnkit.mjs';
import { AttnkitError } from './errors.js';

export class HeapScope {
  private readonly addresses: number[] = [];

  constructor(private readonly mod: AttnkitWasmModule, private readonly where: string) {}

  /** Reserves `count` floats (uninitialised) and returns the byte address. */
  allocFloats(count: number): number {
    const bytes = count * 4;
    const address = this.mod._malloc(bytes);
    if (address === 0) {
      throw new AttnkitError(`${this.where}: out of memory allocating ${bytes} bytes of WebAssembly memory`);
    }
    this.addresses.push(address);
    return address;
  }

  /** Copies `values` in and returns the byte address. */
  floats(values: Float32Array): number {
    const address = this.allocFloats(values.length);
    this.mod.HEAPF32.set(values, address >>> 2); // HEAPF32 is re-read: malloc may have grown memory
    return address;
  }

  /** Copies `count` floats out of WASM memory into a new array. */
  readFloats(address: number, count: number): Float32Array {
    return this.mod.HEAPF32.slice(address >>> 2, (address >>> 2) + count);
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
