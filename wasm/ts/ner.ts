// Named-entity recognition in WebAssembly: NER.load() a model directory (the bundled CLUENER model by
// default), then extract(text) → [{ start, end, type, text, score }] with nested entities kept.
import type { AttnkitWasmModule } from './attnkit.mjs';
import { AttnkitError } from './errors.js';
import { failedCount, failedHandle, type HeapScope, withHeap } from './heap.js';
import { init, loadedModule } from './loader.js';
import { checkModelSource, type ModelSource, loadModelFiles, modelFileViews } from './model-files.js';
import { checkOptions } from './options.js';
import { OwnedHandle } from './owned.js';

export interface Entity {
  /** Index in the input string of the first character (JS string index, UTF-16). */
  start: number;
  /** Index just past the last character: text.slice(start, end) is the entity. */
  end: number;
  type: string;
  text: string;
  /** sigmoid of the span's score: every returned entity has score > 0.5. */
  score: number;
}

/** NER.extract's options: none in this version. */
export type ExtractOptions = Record<string, never>;

const DEFAULT_MODEL = new URL('./models/ner-cluener/', import.meta.url);
const encoder = new TextEncoder();

/** UTF-16 index of every code point boundary of `text` (length: code points + 1). */
function codePointToIndex(text: string): Int32Array {
  const map = new Int32Array(text.length + 1);
  let points = 0;
  for (let i = 0; i < text.length; ++i) {
    const unit = text.charCodeAt(i);
    map[points++] = i;
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) ++i;
    }
  }
  map[points] = text.length;
  return map.subarray(0, points + 1);
}

export class NER extends OwnedHandle {
  /** The entity types this model predicts. */
  readonly labels: readonly string[];

  private constructor(mod: AttnkitWasmModule, handle: number) {
    super(mod, 'NER');
    this.adopt(handle, (h) => mod.nerDestroy(h));
    this.labels = Array.from({ length: mod.nerLabelCount(handle) }, (_, i) => mod.nerLabel(handle, i));
  }

  /** Loads a model: the bundled CLUENER model, or { url } of a model directory, or { files }. */
  static async load(source: ModelSource = {}): Promise<NER> {
    const where = 'NER.load';
    checkModelSource(where, source);
    await init();
    const mod = loadedModule(where);
    const files = await loadModelFiles(where, source, DEFAULT_MODEL);
    const handle = withHeap(mod, where, (heap) => heap.checked(mod.nerCreate(modelFileViews(heap, files)), failedHandle));
    return new NER(mod, handle);
  }

  /**
   * The span logits [labels.length × n × n] for token ids (starting with [CLS], ending with [SEP]); cells
   * with i > j hold -1e12. For checking a model against its training framework. A model with a word
   * lexicon (`hasLexicon`) also needs each token's lexicon feature bits, as lexiconFeatures(text) gives them.
   */
  logits(ids: Int32Array | readonly number[], lexicon?: Uint32Array | readonly number[]): Float32Array {
    const where = 'NER.logits';
    const handle = this.handle(where);
    const tokenIds = Int32Array.from(ids as ArrayLike<number>);
    if (tokenIds.length === 0) throw new AttnkitError(`${where}: ids must not be empty`);
    const bits = Int32Array.from((lexicon ?? []) as ArrayLike<number>);
    const count = this.labels.length * tokenIds.length * tokenIds.length;
    return withHeap(this.mod, where, (heap) => {
      const output = heap.output(count);
      heap.check(this.mod.nerLogits(handle, heap.view(tokenIds), heap.view(bits), output));
      return heap.take(Float32Array, output);
    });
  }

  /** Whether the model reads word-lexicon features (a dictionary of typed words, inside its weights file). */
  get hasLexicon(): boolean {
    return this.mod.nerHasLexicon(this.handle('NER.hasLexicon')) === 1;
  }

  /**
   * Per token of `text`, with 0 for [CLS] and [SEP] around them: the bits of the lexicon words covering it
   * (bit role·classes + class, role 0 first character, 1 inside, 2 last), as the model's encoder sees them.
   */
  lexiconFeatures(text: string): Uint32Array {
    const where = 'NER.lexiconFeatures';
    const handle = this.handle(where);
    if (typeof text !== 'string') throw new AttnkitError(`${where}: text must be a string, got ${typeof text}`);
    const bytes = encoder.encode(text);
    return withHeap(this.mod, where, (heap) => {
      const output = heap.output(text.length + 2); // ≥ code points + 2: a token covers at least one
      const count = heap.checked(this.mod.nerLexiconBits(handle, heap.view(bytes), output), failedCount);
      return new Uint32Array(heap.take(Int32Array, output).buffer, 0, count);
    });
  }

  /**
   * Entities in `text`, sorted by start (longer first); nested and overlapping entities are all kept.
   * `options` has no keys in this version: one passed anyway (say a threshold a later version may add) is an
   * error rather than silently ignored.
   */
  extract(text: string, options?: ExtractOptions): Entity[] {
    const where = 'NER.extract';
    const handle = this.handle(where);
    if (typeof text !== 'string') throw new AttnkitError(`${where}: text must be a string, got ${typeof text}`);
    checkOptions(where, options, []);
    const bytes = encoder.encode(text); // lone surrogates become U+FFFD, one code point each, as in JS
    const found = withHeap(this.mod, where, (heap) => {
      const count = heap.checked(this.mod.nerExtract(handle, heap.view(bytes)), failedCount);
      return this.takeResults(heap, handle, count);
    });
    return this.entities(text, found, 0, found.scores.length);
  }

  /**
   * extract() of each text, the same entities and scores, with the encoder run over many texts' windows at
   * once (about 2,048 tokens a batch): each weight matrix is applied to all their rows in one GEMM.
   */
  extractMany(texts: readonly string[], options?: ExtractOptions): Entity[][] {
    const where = 'NER.extractMany';
    const handle = this.handle(where);
    if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) {
      throw new AttnkitError(`${where}: texts must be an array of strings`);
    }
    checkOptions(where, options, []);
    const encoded = texts.map((t) => encoder.encode(t));
    const bytes = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
    let at = 0;
    for (const e of encoded) { bytes.set(e, at); at += e.length; }
    const lengths = Int32Array.from(encoded, (e) => e.length);
    const { found, counts } = withHeap(this.mod, where, (heap) => {
      const perText = heap.output(texts.length, 4);
      const count = heap.checked(this.mod.nerExtractMany(handle, heap.view(bytes), heap.view(lengths), perText), failedCount);
      const counts = heap.take(Int32Array, perText);
      return { found: this.takeResults(heap, handle, count), counts };
    });
    let first = 0;
    return texts.map((text, t) => {
      const entities = this.entities(text, found, first, counts[t]);
      first += counts[t];
      return entities;
    });
  }

  /** The last extraction's [start, end, type] triples (code points) and scores, copied out of WASM memory. */
  private takeResults(heap: HeapScope, handle: number, count: number): Found {
    const ints = heap.output(count * 3);
    const scores = heap.output(count);
    heap.check(this.mod.nerResults(handle, ints, scores));
    return { ints: heap.take(Int32Array, ints), scores: heap.take(Float32Array, scores) };
  }

  /** Entities first … first + count − 1 of `found`, which belong to `text`, as JS string ranges. */
  private entities(text: string, found: Found, first: number, count: number): Entity[] {
    const index = codePointToIndex(text);
    return Array.from({ length: count }, (_, i) => {
      const e = first + i;
      const start = index[found.ints[3 * e]];
      const end = index[found.ints[3 * e + 1]];
      return { start, end, type: this.labels[found.ints[3 * e + 2]], text: text.slice(start, end), score: found.scores[e] };
    });
  }
}

interface Found { ints: Int32Array; scores: Float32Array }
