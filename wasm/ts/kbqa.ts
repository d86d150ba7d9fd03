// Question answering over a knowledge base in WebAssembly: KBQA.load() a seq2seq model and a KB (the
// bundled KgCLUE model and KB by default), then ask(question) → [{ subject, predicate, object, score }].
// Decoding is beam search constrained by a prefix trie of the KB, so every answer is a KB entry.
import type { AttnkitWasmModule } from './attnkit.mjs';
import { TRIE_LAYOUTS, type TrieLayout } from './decoding.js';
import { AttnkitError } from './errors.js';
import { failedCount, failedHandle, moduleError, takeBytes, withHeap } from './heap.js';
import { init, loadedModule } from './loader.js';
import {
  checkModelSource, FETCH_KEYS, type FetchOptions, type ModelSource, directoryUrl, loadModelFiles, modelFileViews,
  progressSum, readBytes,
} from './model-files.js';
import { checkOptions, optionKeys } from './options.js';
import { OwnedHandle } from './owned.js';
import { optionalSize, requireChoice, requireFiniteNumber, toInt32Array } from './validate.js';

export interface Answer {
  subject: string;
  predicate: string;
  /** Empty in 'open-predicate' mode when the KB has no triple for (subject, predicate). */
  object: string;
  /** Probability of the decoded entry; over all KB entries these sum to 1. */
  score: number;
}

/**
 * 'triple' (default): the trie holds every "subject, predicate, sense" of the KB (the seed's design).
 * 'subject': the trie holds subject names only. 'open-predicate': the subject from its trie, then the
 * predicate from a trie of every predicate in the KB, not only the subject's own.
 */
export type KbqaMode = 'triple' | 'subject' | 'open-predicate';
const MODES: readonly KbqaMode[] = ['triple', 'subject', 'open-predicate'];

export interface AskOptions {
  /** Beam width (default 4, at most 64). */
  beams?: number;
  /** Answers returned, best first (default 1). */
  topK?: number;
  mode?: KbqaMode;
  /** 'open-predicate': favour predicates the question can still be copied into (the seed's LCS lookahead; default true). */
  lookahead?: boolean;
  /** Entries ranked by log p / length^lengthPenalty (default 0: by probability). */
  lengthPenalty?: number;
  /**
   * 'open-predicate': λ in [0, 1]. The beam's predicates P are reranked by log p(P | question, S) − λ·log p(P | S),
   * p(P | S) being the model's answer when the question is the subject's name alone; λ = 1 ranks by pointwise
   * mutual information with the question, discounting predicates the model gives any question (those it was
   * trained on) for those this question asks about. Default 1; 0 ranks by probability. `score` stays p.
   */
  mutualInformation?: number;
}
const ASK_KEYS = optionKeys<AskOptions>()('beams', 'topK', 'mode', 'lookahead', 'lengthPenalty', 'mutualInformation');

export type TripleInput = readonly [string, string, string] | { subject: string; predicate: string; object: string };

/**
 * KB text ("S ||| P ||| O" a line), { url } of such a file, triples, or { index } a prebuilt KB index
 * (`attnkit-cli build-kb`, or KBQA.index()): its URL or bytes, opened without tokenizing anything.
 */
export type KnowledgeSource = string | { url: string | URL } | readonly TripleInput[] |
  { index: string | URL | Uint8Array | ArrayBuffer };

export interface KbqaLoadOptions extends FetchOptions {
  /** The seq2seq model directory (default: the bundled KgCLUE model). */
  model?: ModelSource;
  /**
   * The knowledge base. Default: the model directory's kb.attnkit (a prebuilt index, as the bundled model
   * ships its KgCLUE triples), else its kb.txt.
   */
  kb?: KnowledgeSource;
  /**
   * How the tries of a KB given as text are held: 'compact' (default; 6.7× smaller than 'flat' on KgCLUE)
   * or 'flat'. Answers are identical. An index is always compact.
   */
  trie?: TrieLayout;
}
const LOAD_KEYS = optionKeys<KbqaLoadOptions>()('model', 'kb', 'trie', ...FETCH_KEYS);

const DEFAULT_MODEL = new URL('./models/kbqa-kgclue/', import.meta.url);
const encoder = new TextEncoder();

function tripleLine(where: string, triple: TripleInput, index: number): string {
  const fields = Array.isArray(triple) ? triple : [
    (triple as { subject: unknown }).subject, (triple as { predicate: unknown }).predicate,
    (triple as { object: unknown }).object];
  if (fields.length !== 3 || fields.some((f) => typeof f !== 'string')) {
    throw new AttnkitError(`${where}: kb[${index}] must be [subject, predicate, object] or { subject, predicate, object } strings`);
  }
  if (fields.some((f) => /[\r\n]|\|\|\|/.test(f as string))) {
    throw new AttnkitError(`${where}: kb[${index}] has a field containing a line break or '|||'`);
  }
  return fields.join(' ||| ');
}

/** The KB's bytes: text, or an index file (`name` says which, for messages). */
interface KnowledgeBytes {
  bytes: Uint8Array;
  index?: string;
}

/**
 * A model directory's KB: its prebuilt index kb.attnkit (the bundled model ships one), else its kb.txt. A
 * server that answers a missing file with its index.html (SPA fallback) counts as not having the index.
 */
async function directoryKnowledge(where: string, directory: URL, fetchOptions: FetchOptions): Promise<KnowledgeBytes> {
  const url = new URL('kb.attnkit', directory);
  try {
    const bytes = await readBytes(where, url, fetchOptions);
    if (INDEX_MAGIC.every((c, i) => bytes[i] === c.charCodeAt(0))) return { bytes, index: url.href };
  } catch (error) {
    if (!(error instanceof AttnkitError && error.code === 'not-found')) throw error;
  }
  return { bytes: await readBytes(where, new URL('kb.txt', directory), fetchOptions) };
}

async function knowledgeBytes(where: string, kb: KnowledgeSource | undefined, model: ModelSource | undefined,
                              fetchOptions: FetchOptions): Promise<KnowledgeBytes> {
  const directory = directoryUrl(model?.url ?? DEFAULT_MODEL, DEFAULT_MODEL);
  if (kb === undefined) return directoryKnowledge(where, directory, fetchOptions);
  if (typeof kb === 'string') return { bytes: encoder.encode(kb) };
  if (Array.isArray(kb)) return { bytes: encoder.encode(kb.map((t, i) => tripleLine(where, t, i)).join('\n')) };
  if (typeof kb === 'object' && kb !== null && 'index' in kb) {
    checkOptions(where, kb, INDEX_KEYS, 'kb');
    const { index } = kb;
    if (index instanceof Uint8Array) return { bytes: index, index: 'kb.index' };
    if (index instanceof ArrayBuffer) return { bytes: new Uint8Array(index), index: 'kb.index' };
    if (typeof index !== 'string' && !(index instanceof URL)) {
      throw new AttnkitError(`${where}: kb.index must be a URL or the index file's bytes`);
    }
    const url = new URL(String(index), directory);
    return { bytes: await readBytes(where, url, fetchOptions), index: url.href };
  }
  if (typeof kb === 'object' && kb !== null && 'url' in kb) {  // KB text
    return { bytes: await readBytes(where, new URL(String(kb.url), directory), fetchOptions) };
  }
  throw new AttnkitError(`${where}: kb must be KB text, { url }, an array of triples, or { index }`);
}
const INDEX_KEYS = optionKeys<{ index: unknown }>()('index');
const INDEX_MAGIC = [...'ATKKBIX1'];  // a KB index file's first bytes (src/attnkit/pipelines/kb_index.cpp)

export class KBQA extends OwnedHandle {
  /** Triples in the knowledge base. */
  readonly size: number;
  /** Bytes held by its prefix tries in WASM memory. */
  readonly trieBytes: number;
  private readonly vocabSize: number;

  private constructor(mod: AttnkitWasmModule, handle: number) {
    super(mod, 'KBQA');
    this.adopt(handle, (h) => mod.kbqaDestroy(h));
    this.size = mod.kbqaTripleCount(handle);
    this.trieBytes = mod.kbqaTrieBytes(handle);
    this.vocabSize = mod.kbqaVocabSize(handle);
  }

  /**
   * Loads a model and a KB; both default to the bundled KgCLUE ones (no network in Node; in browsers they
   * are fetched from beside the package once, then read from the Cache API).
   */
  static async load(options: KbqaLoadOptions = {}): Promise<KBQA> {
    const where = 'KBQA.load';
    if (typeof options !== 'object' || options === null) throw new AttnkitError(`${where}: options must be an object`);
    checkOptions(where, options, LOAD_KEYS);
    if (options.model !== undefined) checkModelSource(where, options.model, 'model');
    await init();
    const mod = loadedModule(where);
    const [modelProgress, kbProgress] = progressSum(options.onProgress, 2);
    const layout = TRIE_LAYOUTS.indexOf(requireChoice(where, 'trie', options.trie ?? 'compact', TRIE_LAYOUTS));
    const [files, kb] = await Promise.all([
      loadModelFiles(where, { cache: options.cache, ...options.model, onProgress: modelProgress }, DEFAULT_MODEL),
      knowledgeBytes(where, options.kb, options.model, { cache: options.cache, onProgress: kbProgress }),
    ]);
    if (kb.index !== undefined && options.trie === 'flat') {
      throw new AttnkitError(`${where}: trie 'flat' needs the KB as text; an index is always compact`);
    }
    // An index is read in place: kbqaOpen takes its copy over (and frees it, also when it fails), so that copy
    // is made last, when nothing else can throw before the call.
    const handle = withHeap(mod, where, (heap) => heap.checked(kb.index === undefined
      ? mod.kbqaCreate(modelFileViews(heap, files), heap.view(kb.bytes), layout)
      : mod.kbqaOpen(modelFileViews(heap, files), heap.adopted(kb.bytes), kb.index), failedHandle));
    return new KBQA(mod, handle);
  }

  /** The best KB entries for `question`, best first; [] for a question with no tokens. */
  ask(question: string, options: AskOptions = {}): Answer[] {
    const where = 'KBQA.ask';
    const handle = this.handle(where);
    if (typeof question !== 'string') throw new AttnkitError(`${where}: question must be a string, got ${typeof question}`);
    checkOptions(where, options, ASK_KEYS);
    const beams = optionalSize(where, 'beams', options.beams, 4);
    const topK = optionalSize(where, 'topK', options.topK, 1);
    const mode = MODES.indexOf(requireChoice(where, 'mode', options.mode ?? 'triple', MODES));
    const lengthPenalty = requireFiniteNumber(where, 'lengthPenalty', options.lengthPenalty ?? 0);
    const mutualInformation = requireFiniteNumber(where, 'mutualInformation', options.mutualInformation ?? 1);
    const bytes = encoder.encode(question);
    const args = { beams, topK, mode, lookahead: options.lookahead !== false, lengthPenalty, mutualInformation };
    const count = withHeap(this.mod, where, (heap) =>
      heap.checked(this.mod.kbqaAsk(handle, heap.view(bytes), args), failedCount));
    return Array.from({ length: count }, (_, i) => {
      const answer = this.mod.kbqaAnswer(handle, i);
      if (!answer) throw moduleError(this.mod);
      return answer;
    });
  }

  /**
   * The KB index file of this KB for this model (what `attnkit-cli build-kb` writes): pass it back as
   * `KBQA.load({ kb: { index } })` to open the KB without tokenizing it. Compact layout only.
   */
  index(): Uint8Array {
    return takeBytes(this.mod, this.mod.kbqaIndex(this.handle('KBQA.index')));
  }

  /**
   * The model's log-probabilities [target.length × vocab] (generation mixed with copying) by full
   * recomputation: row t is the distribution of target[t] given the source ([CLS] question [SEP]) and
   * target[0..t). For checking a model against its training framework.
   */
  logProbs(source: Int32Array | readonly number[], target: Int32Array | readonly number[]): Float32Array {
    const where = 'KBQA.logProbs';
    const handle = this.handle(where);
    const s = toInt32Array(where, 'source', source);
    const t = toInt32Array(where, 'target', target);
    if (s.length === 0) throw new AttnkitError(`${where}: source must not be empty`);
    return withHeap(this.mod, where, (heap) => {
      const output = heap.output(t.length * this.vocabSize);
      heap.check(this.mod.kbqaLogits(handle, heap.view(s), heap.view(t), output));
      return heap.take(Float32Array, output);
    });
  }
}
