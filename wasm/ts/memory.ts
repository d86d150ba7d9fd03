// Product-key memory (Lample et al. 2019): n² value slots found through two sets of n sub-keys. lookup(x) gives
// the heads' summed outputs and, per head, the k slots and their softmax weights.
import { AttnkitError } from './errors.js';
import { failedHandle, withHeap } from './heap.js';
import { init, loadedModule } from './loader.js';
import { type FetchOptions, FETCH_KEYS, readBytes } from './model-files.js';
import { checkOptions, optionKeys } from './options.js';
import { OwnedHandle } from './owned.js';
import type { AttnkitWasmModule, ProductKeyDims } from './attnkit.mjs';
import { optionalSize, requireBytes, requireChoice, requireCount, requireFloat32Array, requireSize } from './validate.js';

export interface ProductKeyMemoryOptions {
  /** Heads share the values; each has its own slice of the query and its own sub-keys. Default 1. */
  heads?: number;
  /** n: sub-keys per half; the memory has n² slots. */
  subKeyCount: number;
  /** d_q per head (even): each half is d_q / 2 wide. */
  queryDim: number;
  valueDim: number;
  /** k slots per head (k ≤ n). */
  topK: number;
  /** [heads, 2, n, queryDim / 2]: the first and the second half's sub-keys per head. */
  subKeys: Float32Array;
  /** [n², valueDim]; slot i·n + j pairs sub-key i of the first half with j of the second. */
  values: Float32Array;
  /** With a query projection q = W·x + b: the width of x, W [heads·queryDim, inputDim], b [heads·queryDim]. */
  inputDim?: number;
  queryWeight?: Float32Array;
  queryBias?: Float32Array;
}

export interface ProductKeyLoadOptions extends FetchOptions {
  /** A safetensors file: sub_keys [H, 2, n, d/2], values [n², dv], optional query.weight and query.bias. */
  url?: string | URL;
  bytes?: Uint8Array;
  topK: number;
}

export interface LookupOptions {
  /** 'product' (default): through the sub-keys. 'exhaustive': every slot scored in full, for checking. */
  search?: 'product' | 'exhaustive';
}

export interface MemoryLookup {
  /** [rows, valueDim]: Σ over heads of Σ weights · values[indices]. */
  output: Float32Array;
  /** [rows, heads, topK]: slots, best first (ties: lower slot first). */
  indices: Int32Array;
  /** [rows, heads, topK]: softmax of the slots' scores. */
  weights: Float32Array;
}

const OPTION_KEYS = optionKeys<ProductKeyMemoryOptions>()('heads', 'subKeyCount', 'queryDim', 'valueDim', 'topK',
  'subKeys', 'values', 'inputDim', 'queryWeight', 'queryBias');
const LOAD_KEYS = optionKeys<ProductKeyLoadOptions>()('url', 'bytes', 'topK', ...FETCH_KEYS);
const LOOKUP_KEYS = optionKeys<LookupOptions>()('search');
const EMPTY = new Float32Array(0);

export class ProductKeyMemory extends OwnedHandle {
  readonly heads: number;
  readonly subKeyCount: number;
  readonly queryDim: number;
  readonly valueDim: number;
  readonly topK: number;
  /** 0 when x is the query itself ([heads·queryDim] per row). */
  readonly inputDim: number;

  /** A memory from arrays (copied into WASM memory). Call dispose() when done. */
  constructor(options: ProductKeyMemoryOptions);
  constructor(options: ProductKeyMemoryOptions, mod: AttnkitWasmModule, handle: number);
  constructor(options: ProductKeyMemoryOptions, mod?: AttnkitWasmModule, made?: number) {
    const where = 'ProductKeyMemory';
    super(mod ?? loadedModule(where), 'ProductKeyMemory');
    let handle = made ?? 0;
    if (made === undefined) {
      checkOptions(where, options, OPTION_KEYS);
      const dims: ProductKeyDims = {
        heads: optionalSize(where, 'heads', options.heads, 1), subKeyCount: requireSize(where, 'subKeyCount', options.subKeyCount),
        queryDim: requireSize(where, 'queryDim', options.queryDim), valueDim: requireSize(where, 'valueDim', options.valueDim),
        topK: requireSize(where, 'topK', options.topK), inputDim: requireCount(where, 'inputDim', options.inputDim ?? 0),
      };
      const subKeys = requireFloat32Array(where, 'subKeys', options.subKeys);
      const values = requireFloat32Array(where, 'values', options.values);
      const queryWeight = options.queryWeight === undefined ? EMPTY : requireFloat32Array(where, 'queryWeight', options.queryWeight);
      const queryBias = options.queryBias === undefined ? EMPTY : requireFloat32Array(where, 'queryBias', options.queryBias);
      handle = withHeap(this.mod, where, (heap) => heap.checked(this.mod.pkmCreate(dims, {
        subKeys: heap.view(subKeys), values: heap.view(values), queryWeight: heap.view(queryWeight), queryBias: heap.view(queryBias),
      }), failedHandle));
    }
    this.adopt(handle, (h) => this.mod.pkmDestroy(h));
    const shape = this.mod.pkmShape(handle);
    this.heads = shape.heads;
    this.subKeyCount = shape.subKeyCount;
    this.queryDim = shape.queryDim;
    this.valueDim = shape.valueDim;
    this.topK = shape.topK;
    this.inputDim = shape.inputDim;
  }

  /** A memory from a safetensors file (a URL, fetched or read from disk, or its bytes). */
  static async load(options: ProductKeyLoadOptions): Promise<ProductKeyMemory> {
    const where = 'ProductKeyMemory.load';
    checkOptions(where, options, LOAD_KEYS);
    const topK = requireSize(where, 'topK', options?.topK);
    if ((options.url === undefined) === (options.bytes === undefined)) throw new AttnkitError(`${where}: give one of url or bytes`);
    await init();
    const mod = loadedModule(where);
    const bytes = options.bytes !== undefined ? requireBytes(where, 'bytes', options.bytes)
      : await readBytes(where, new URL(String(options.url), globalThis.location?.href ?? import.meta.url), options);
    const handle = withHeap(mod, where, (heap) => heap.checked(mod.pkmCreateFromFile(heap.view(bytes), topK), failedHandle));
    return new ProductKeyMemory(undefined as unknown as ProductKeyMemoryOptions, mod, handle);
  }

  /** The number of value slots, subKeyCount². */
  get slots(): number {
    return this.subKeyCount * this.subKeyCount;
  }

  /** Looks up rows of x ([rows, inputDim], or [rows, heads·queryDim] without a projection). */
  lookup(x: Float32Array, options: LookupOptions = {}): MemoryLookup {
    const where = 'ProductKeyMemory.lookup';
    const handle = this.handle(where);
    requireFloat32Array(where, 'x', x);
    checkOptions(where, options, LOOKUP_KEYS);
    const search = requireChoice(where, 'search', options.search ?? 'product', ['product', 'exhaustive'] as const);
    const width = this.inputDim > 0 ? this.inputDim : this.heads * this.queryDim;
    if (x.length === 0 || x.length % width !== 0) {
      throw new AttnkitError(`${where}: x has ${x.length} values, expected a positive multiple of ${this.inputDim > 0 ? 'inputDim' : 'heads*queryDim'} = ${width}`);
    }
    const rows = x.length / width;
    const slots = rows * this.heads * this.topK;
    return withHeap(this.mod, where, (heap) => {
      const output = heap.output(rows * this.valueDim);
      const indices = heap.output(slots);
      const weights = heap.output(slots);
      heap.check(this.mod.pkmLookup(handle, { x: heap.view(x), rows, output, indices, weights, search: search === 'product' ? 0 : 1 }));
      return { output: heap.take(Float32Array, output), indices: heap.take(Int32Array, indices), weights: heap.take(Float32Array, weights) };
    });
  }
}
