// BioHash codes and Hamming search: BioHash.load() the bundled KgCLUE hash (or a directory of your own),
// encode(texts) → sparse binary codes, and a HammingIndex that finds the nearest codes by popcount.
import type { AttnkitWasmModule } from './attnkit.mjs';
import { AttnkitError } from './errors.js';
import { failedCount, failedHandle, withHeap } from './heap.js';
import { init, loadedModule } from './loader.js';
import { directoryUrl, type FetchOptions, FETCH_KEYS, progressSum, readBytes } from './model-files.js';
import { checkOptions, optionKeys } from './options.js';
import { OwnedHandle } from './owned.js';
import { requireChoice, requireSize } from './validate.js';

export interface BioHashSource extends FetchOptions {
  /** A directory URL holding config.json and model.safetensors (ends with '/'). */
  url?: string | URL;
  /** The two files themselves. */
  files?: { config: string | object; weights: Uint8Array | ArrayBuffer };
}

export interface NgramFeatures {
  /** Hash buckets, ascending. */
  buckets: Int32Array;
  /** How often the text's n-grams fall in each bucket. */
  counts: Float32Array;
}

const DEFAULT_MODEL = new URL('./models/biohash-kgclue/', import.meta.url);
const SOURCE_KEYS = optionKeys<BioHashSource>()('url', 'files', ...FETCH_KEYS);
const encoder = new TextEncoder();

function requireTexts(where: string, texts: unknown): string[] {
  const list = typeof texts === 'string' ? [texts] : texts;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
    throw new AttnkitError(`${where}: texts must be a string or an array of strings`);
  }
  return list;
}

export class BioHash extends OwnedHandle {
  /** n-gram hash buckets (the input dimension D). */
  readonly buckets: number;
  /** Bits per code (K units), a multiple of 64. */
  readonly bits: number;
  /** Bits set in every code (the k winners). */
  readonly active: number;

  private constructor(mod: AttnkitWasmModule, handle: number) {
    super(mod, 'BioHash');
    this.adopt(handle, (h) => mod.biohashDestroy(h));
    this.buckets = mod.biohashSize(handle, 0);
    this.bits = mod.biohashSize(handle, 1);
    this.active = mod.biohashSize(handle, 2);
  }

  /** Loads a hash: the bundled one (learned on KgCLUE questions and KB subjects), { url } or { files }. */
  static async load(source: BioHashSource = {}): Promise<BioHash> {
    const where = 'BioHash.load';
    checkOptions(where, source, SOURCE_KEYS);
    await init();
    const mod = loadedModule(where);
    let config: Uint8Array;
    let weights: Uint8Array;
    if (source.files) {
      checkOptions(where, source.files, ['config', 'weights'], 'options.files');
      const files = source.files;
      if (!(files.weights instanceof Uint8Array || files.weights instanceof ArrayBuffer)) {
        throw new AttnkitError(`${where}: files.weights must be a Uint8Array or ArrayBuffer`);
      }
      config = encoder.encode(typeof files.config === 'string' ? files.config : JSON.stringify(files.config));
      weights = files.weights instanceof Uint8Array ? files.weights : new Uint8Array(files.weights);
    } else {
      const directory = directoryUrl(source.url ?? DEFAULT_MODEL, DEFAULT_MODEL);
      const progress = progressSum(source.onProgress, 2);
      [config, weights] = await Promise.all(['config.json', 'model.safetensors'].map((name, i) =>
        readBytes(where, new URL(name, directory), { cache: source.cache, onProgress: progress[i] })));
    }
    const handle = withHeap(mod, where, (heap) =>
      heap.checked(mod.biohashCreate({ config: heap.view(config), weights: heap.view(weights) }), failedHandle));
    return new BioHash(mod, handle);
  }

  /** 64-bit words per code. */
  get words(): number {
    return this.bits / 64;
  }

  /** The codes of the texts, back to back: texts.length × words 64-bit words (bit u of a code: unit u won). */
  encode(texts: string | readonly string[]): BigUint64Array {
    const where = 'BioHash.encode';
    const handle = this.handle(where);
    const list = requireTexts(where, texts);
    const encoded = list.map((t) => encoder.encode(t));
    const bytes = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
    let at = 0;
    for (const e of encoded) { bytes.set(e, at); at += e.length; }
    const lengths = Int32Array.from(encoded, (e) => e.length);
    return withHeap(this.mod, where, (heap) => {
      const codes = heap.output(list.length * this.words, 8);
      heap.check(this.mod.biohashEncode(handle, heap.view(bytes), heap.view(lengths), codes));
      return heap.take(BigUint64Array, codes);
    });
  }

  /** The text's hashed unigram + bigram counts: the vector the code is computed from. */
  features(text: string): NgramFeatures {
    const where = 'BioHash.features';
    const handle = this.handle(where);
    const [single] = requireTexts(where, text);
    const bytes = encoder.encode(single);
    const capacity = Math.max(1, 2 * bytes.length);  // ≤ 2 n-grams per code point, ≤ 1 code point per byte
    return withHeap(this.mod, where, (heap) => {
      const buckets = heap.output(capacity);
      const counts = heap.output(capacity);
      const count = heap.checked(this.mod.biohashFeatures(handle, heap.view(bytes), buckets, counts), failedCount);
      return { buckets: heap.take(Int32Array, buckets).slice(0, count), counts: heap.take(Float32Array, counts).slice(0, count) };
    });
  }
}

export interface HammingIndexOptions {
  /** Bits per code, a positive multiple of 64. */
  bits: number;
}

export interface HammingSearchOptions {
  /** Entries per query (default 10). */
  topK?: number;
  /** 'overlap' (default): most bits in common, popcount(a & b), for sparse codes such as BioHash's.
   *  'hamming': fewest differing bits, popcount(a ^ b), for dense codes such as random-projection signs. */
  metric?: 'overlap' | 'hamming';
}

export interface HammingHits {
  /** [queries, topK] entry indices, nearest first (ties: lower index first); -1 past the index's size. */
  indices: Int32Array;
  /** [queries, topK] the overlaps or distances. */
  scores: Int32Array;
}

const INDEX_KEYS = optionKeys<HammingIndexOptions>()('bits');
const SEARCH_KEYS = optionKeys<HammingSearchOptions>()('topK', 'metric');

function requireCodes(where: string, codes: unknown, words: number): BigUint64Array {
  if (!(codes instanceof BigUint64Array)) throw new AttnkitError(`${where}: codes must be a BigUint64Array`);
  if (codes.length % words !== 0) {
    throw new AttnkitError(`${where}: codes has ${codes.length} 64-bit words, not a multiple of bits/64 = ${words}`);
  }
  return codes;
}

/** A table of binary codes in WASM memory with exact nearest-code search. Call dispose() when done. */
export class HammingIndex extends OwnedHandle {
  readonly bits: number;

  constructor(options: HammingIndexOptions) {
    const where = 'HammingIndex';
    super(loadedModule(where), 'HammingIndex');
    checkOptions(where, options, INDEX_KEYS);
    this.bits = requireSize(where, 'bits', options?.bits);
    const handle = withHeap(this.mod, where, (heap) => heap.checked(this.mod.codeTableCreate(this.bits), failedHandle));
    this.adopt(handle, (h) => this.mod.codeTableDestroy(h));
  }

  /** Codes stored. */
  get size(): number {
    return this.mod.codeTableSize(this.handle('HammingIndex.size'));
  }

  /** Bytes of WASM memory the codes take. */
  get memoryBytes(): number {
    return this.mod.codeTableBytes(this.handle('HammingIndex.memoryBytes'));
  }

  /** Appends codes (bits/64 words each, e.g. from BioHash.encode); entry indices continue from size. */
  add(codes: BigUint64Array): number {
    const where = 'HammingIndex.add';
    const handle = this.handle(where);
    requireCodes(where, codes, this.bits / 64);
    withHeap(this.mod, where, (heap) => heap.check(this.mod.codeTableAdd(handle, heap.view(codes))));
    return this.size;
  }

  /** The topK nearest entries of each query code (queries back to back). */
  search(queries: BigUint64Array, options: HammingSearchOptions = {}): HammingHits {
    const where = 'HammingIndex.search';
    const handle = this.handle(where);
    checkOptions(where, options, SEARCH_KEYS);
    requireCodes(where, queries, this.bits / 64);
    if (queries.length === 0) throw new AttnkitError(`${where}: queries is empty`);
    const topK = requireSize(where, 'topK', options.topK ?? 10);
    const metric = requireChoice(where, 'metric', options.metric ?? 'overlap', ['overlap', 'hamming'] as const);
    const count = (queries.length / (this.bits / 64)) * topK;
    return withHeap(this.mod, where, (heap) => {
      const indices = heap.output(count);
      const scores = heap.output(count);
      heap.check(this.mod.codeTableSearch(handle, { queries: heap.view(queries), topK, metric: metric === 'overlap' ? 0 : 1, indices, scores }));
      return { indices: heap.take(Int32Array, indices), scores: heap.take(Int32Array, scores) };
    });
  }
}
