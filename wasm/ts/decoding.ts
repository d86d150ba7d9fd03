// PrefixTrie (compact, serialisable) and beam search, optionally constrained by a trie.
import type { AttnkitWasmModule } from './attnkit.mjs';
import { AttnkitError } from './errors.js';
import { failedCount, failedHandle, HeapScope, takeBytes, withHeap } from './heap.js';
import { loadedModule } from './loader.js';
import { checkOptions, optionKeys } from './options.js';
import { OwnedHandle } from './owned.js';
import {
  requireBytes, requireChoice, requireFiniteNumber, requireFloat32Array, requireSize, toInt32Array,
} from './validate.js';

type TokenIds = Int32Array | readonly number[];

function tokenIds(where: string, name: string, value: unknown): Int32Array {
  const typed = ArrayBuffer.isView(value) && !(value instanceof Int32Array) && !(value instanceof DataView);
  return toInt32Array(where, name, typed ? Array.from(value as unknown as ArrayLike<number>) : value);
}

/**
 * How a trie is stored in WASM memory: 'flat' (default) as arrays, 12 bytes a node, the fastest lookups;
 * 'compact' succinct (LOUDS, bit-packed labels and values), about 2–3 bytes a node. Same nodes, answers
 * and serialize() round trip; a compact trie suits large, immutable sets (a knowledge base's entries).
 */
export type TrieLayout = 'compact' | 'flat';
export const TRIE_LAYOUTS: readonly TrieLayout[] = ['compact', 'flat'];  // in decoding::TrieLayout order

export interface TrieOptions {
  layout?: TrieLayout;
}
const TRIE_KEYS = optionKeys<TrieOptions>()('layout');

/**
 * A prefix trie over token-id sequences, each complete sequence carrying a value (e.g. a KB row), in WASM
 * memory ('flat' or 'compact' layout). Call dispose() when done.
 */
export class PrefixTrie extends OwnedHandle {
  private constructor(mod: AttnkitWasmModule, handle: number) {
    super(mod, 'PrefixTrie');
    this.adopt(handle, (h) => mod.trieDestroy(h));
  }

  /** Builds from sequences (any order, duplicates allowed); values default to each sequence's index. */
  static from(sequences: readonly TokenIds[], values?: TokenIds, options: TrieOptions = {}): PrefixTrie {
    const where = 'PrefixTrie.from';
    const mod = loadedModule(where);
    checkOptions(where, options, TRIE_KEYS);
    const layout = TRIE_LAYOUTS.indexOf(requireChoice(where, 'layout', options.layout ?? 'flat', TRIE_LAYOUTS));
    if (!Array.isArray(sequences)) throw new AttnkitError(`${where}: sequences must be an array of token-id arrays`);
    const lengths = new Int32Array(sequences.length);
    let total = 0;
    sequences.forEach((s, i) => {
      if (!s || typeof (s as ArrayLike<number>).length !== 'number') throw new AttnkitError(`${where}: sequences[${i}] is not an array of token ids`);
      lengths[i] = (s as ArrayLike<number>).length;
      total += lengths[i];
    });
    const tokens = new Int32Array(total);
    let at = 0;
    sequences.forEach((s, i) => {
      const ids = tokenIds(where, `sequences[${i}]`, s);
      tokens.set(ids, at);
      at += ids.length;
    });
    const valueArray = values === undefined ? new Int32Array(0) : tokenIds(where, 'values', values);
    const handle = withHeap(mod, where, (heap) =>
      heap.checked(mod.trieBuild(heap.view(tokens), heap.view(lengths), heap.view(valueArray), layout), failedHandle));
    return new PrefixTrie(mod, handle);
  }

  /** Rebuilds a trie from serialize() bytes; truncated or corrupted bytes throw a clear Error. */
  static deserialize(bytes: Uint8Array): PrefixTrie {
    const where = 'PrefixTrie.deserialize';
    const mod = loadedModule(where);
    const checked = requireBytes(where, 'bytes', bytes);
    const handle = withHeap(mod, where, (heap) => heap.checked(mod.trieDeserialize(heap.view(checked)), failedHandle));
    return new PrefixTrie(mod, handle);
  }

  /** Versioned, checksummed bytes (e.g. to cache a KB trie). */
  serialize(): Uint8Array {
    const where = 'PrefixTrie.serialize';
    return takeBytes(this.mod, this.mod.trieSerialize(this.handle(where)));
  }

  /** Token ids allowed after `prefix`, ascending; throws when no entry starts with `prefix`. */
  next(prefix: TokenIds): Int32Array {
    const where = 'PrefixTrie.next';
    return this.atNode(where, prefix, true, (node) => withHeap(this.mod, where, (heap) => {
      const output = heap.output(heap.checked(this.mod.trieNextCount(this.handle(where), node), failedCount));
      heap.check(this.mod.trieNextCopy(this.handle(where), node, output));
      return heap.take(Int32Array, output);
    })) as Int32Array;
  }

  /** Whether some entry starts with `prefix`. */
  has(prefix: TokenIds): boolean {
    return this.atNode('PrefixTrie.has', prefix, false, (node) => node >= 0) as boolean;
  }

  /** Whether `prefix` is itself an entry. */
  isComplete(prefix: TokenIds): boolean {
    return this.values(prefix).length > 0;
  }

  /** The first value of the entry `prefix`, or undefined when it is not an entry. */
  value(prefix: TokenIds): number | undefined {
    return this.values(prefix)[0];
  }

  /** Every value of the entry `prefix` (several when a sequence was added more than once). */
  values(prefix: TokenIds): Int32Array {
    const where = 'PrefixTrie.values';
    return this.atNode(where, prefix, false, (node) => (node < 0 ? new Int32Array(0) : this.valuesAt(node))) as Int32Array;
  }

  /** Number of distinct entries. */
  get size(): number {
    return this.mod.trieEntryCount(this.handle('PrefixTrie.size'));
  }

  get nodeCount(): number {
    return this.mod.trieNodeCount(this.handle('PrefixTrie.nodeCount'));
  }

  /** WASM memory held by the trie's arrays. */
  get byteLength(): number {
    return this.mod.trieMemoryBytes(this.handle('PrefixTrie.byteLength'));
  }

  /** @internal For beamSearch: the C++ handle (checked alive). */
  handleFor(where: string): number {
    return this.handle(where);
  }

  /** @internal The values of a node id. */
  valuesAt(node: number): Int32Array {
    const where = 'PrefixTrie.values';
    return withHeap(this.mod, where, (heap) => {
      const output = heap.output(heap.checked(this.mod.trieValueCount(this.handle(where), node), failedCount));
      heap.check(this.mod.trieValuesCopy(this.handle(where), node, output));
      return heap.take(Int32Array, output);
    });
  }

  private atNode(where: string, prefix: TokenIds, required: boolean, body: (node: number) => unknown): unknown {
    const handle = this.handle(where);
    const ids = tokenIds(where, 'prefix', prefix);
    const node = withHeap(this.mod, where, (heap) => {
      const view = heap.view(ids);
      return required ? heap.checked(this.mod.trieRequire(handle, view), failedCount) : this.mod.trieFind(handle, view);
    });
    return body(node);
  }
}

/** Maps the live hypotheses (token prefixes) to log-probabilities: prefixes.length × vocabSize values. */
export type StepFunction = (prefixes: Int32Array[]) => Float32Array | Promise<Float32Array>;

export interface BeamSearchOptions {
  vocabSize: number;
  /** Default 4; 1 is greedy decoding. */
  beams?: number;
  /** Longest output in tokens, EOS not counted (default 32). Hypotheses still open then finish without EOS. */
  maxLength?: number;
  eosId: number;
  /** Finished score = Σ log p / length^lengthPenalty (default 1). */
  lengthPenalty?: number;
  /** Stop once topK hypotheses finished (default false: stop when no live one can still beat them). */
  earlyStopping?: boolean;
  /** Results returned, ≤ beams (default beams). */
  topK?: number;
  /** Constrain every step to the trie's continuations; EOS only at complete entries. */
  trie?: PrefixTrie;
}
const BEAM_KEYS = optionKeys<BeamSearchOptions>()(
  'vocabSize', 'beams', 'maxLength', 'eosId', 'lengthPenalty', 'earlyStopping', 'topK', 'trie');

export interface BeamResult {
  /** The generated tokens, without EOS. */
  tokens: Int32Array;
  /** Length-normalised score (the ranking key). */
  score: number;
  /** Σ log p over the tokens (and EOS). */
  logProb: number;
  /** With a trie: the values of the entry produced. */
  values?: Int32Array;
}

/** The search as a generator: yields live prefixes, receives their log-probabilities, returns results. */
function* searchSteps(options: BeamSearchOptions): Generator<Int32Array[], BeamResult[], Float32Array> {
  const where = 'beamSearch';
  const mod = loadedModule(where);
  if (typeof options !== 'object' || options === null) throw new AttnkitError(`${where}: options are required`);
  checkOptions(where, options, BEAM_KEYS);
  const beams = requireSize(where, 'beams', options.beams ?? 4);
  const vocabSize = requireSize(where, 'vocabSize', options.vocabSize);
  const trie = options.trie;
  if (trie !== undefined && !(trie instanceof PrefixTrie)) throw new AttnkitError(`${where}: trie must be a PrefixTrie`);
  const args = {
    beams, maxLength: requireSize(where, 'maxLength', options.maxLength ?? 32),
    topK: requireSize(where, 'topK', options.topK ?? beams), vocabSize,
    eosId: requireFiniteNumber(where, 'eosId', options.eosId),
    lengthPenalty: requireFiniteNumber(where, 'lengthPenalty', options.lengthPenalty ?? 1),
    earlyStopping: Boolean(options.earlyStopping),
  };
  const handle = withHeap(mod, where, (heap) =>
    heap.checked(mod.beamCreate(args, trie ? trie.handleFor(where) : 0), failedHandle));
  try {
    while (!mod.beamDone(handle)) {
      const prefixes = liveHypotheses(mod, handle);
      const logProbs = yield prefixes;
      if (trie) trie.handleFor(where); // the trie must outlive the search
      requireFloat32Array(where, 'the step function result', logProbs);
      withHeap(mod, where, (heap) => heap.check(mod.beamAdvance(handle, heap.view(logProbs))));
    }
    return readResults(mod, handle, trie);
  } finally {
    mod.beamDestroy(handle);
  }
}

function liveHypotheses(mod: AttnkitWasmModule, handle: number): Int32Array[] {
  const count = mod.beamLiveCount(handle);
  return withHeap(mod, 'beamSearch', (heap) => {
    const lengths = heap.output(count);
    const tokens = heap.output(mod.beamLiveTokenCount(handle));
    heap.check(mod.beamLiveCopy(handle, lengths, tokens));
    const lengthArray = heap.take(Int32Array, lengths);
    const all = heap.take(Int32Array, tokens);
    let at = 0;
    return Array.from(lengthArray, (length) => all.subarray(at, (at += length)));
  });
}

function readResults(mod: AttnkitWasmModule, handle: number, trie: PrefixTrie | undefined): BeamResult[] {
  return withHeap(mod, 'beamSearch', (heap: HeapScope) => {
    const sizes = mod.beamResultSizes(handle);
    const ints = heap.output(sizes.ints);
    const scores = heap.output(sizes.scores, 8);
    heap.check(mod.beamResults(handle, ints, scores));
    const intCount = sizes.ints;
    const intArray = heap.take(Int32Array, ints);
    const scoreArray = heap.take(Float64Array, scores);
    const results: BeamResult[] = [];
    for (let at = 0, r = 0; at < intCount; ++r) {
      const length = intArray[at];
      const node = intArray[at + 1];
      const result: BeamResult = { tokens: intArray.slice(at + 2, at + 2 + length), score: scoreArray[2 * r], logProb: scoreArray[2 * r + 1] };
      if (trie && node >= 0) result.values = trie.valuesAt(node);
      results.push(result);
      at += 2 + length;
    }
    return results;
  });
}

/** Beam search with any (possibly async) step function; best results first. */
export async function beamSearch(step: StepFunction, options: BeamSearchOptions): Promise<BeamResult[]> {
  if (typeof step !== 'function') throw new AttnkitError('beamSearch: step must be a function');
  const steps = searchSteps(options);
  let next = steps.next();
  while (!next.done) next = steps.next(await step(next.value));
  return next.value;
}

/** beamSearch for a synchronous step function, returning the results directly. */
export function beamSearchSync(step: (prefixes: Int32Array[]) => Float32Array, options: BeamSearchOptions): BeamResult[] {
  if (typeof step !== 'function') throw new AttnkitError('beamSearch: step must be a function');
  const steps = searchSteps(options);
  let next = steps.next();
  while (!next.done) next = steps.next(step(next.value));
  return next.value;
}
