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
  /**
   * In (0, 1]: how close the answer is to what the model writes unconstrained (e^Σ, over the answer's tokens,
   * of log p(token) − log p(the model's most likely token), unrenormalised). Near 1 when the model itself
   * writes this KB entry; low when it wanted to write something the KB lacks — usually a question whose answer
   * is not in the KB, where `score` can still be near 1.
   */
  confidence: number;
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
  /**
   * In [0, 1]: answers whose `confidence` is below it are left out, so a question whose answer is not in the
   * KB gets [] ("not in this knowledge base") instead of the nearest entry. Default DEFAULT_MIN_CONFIDENCE;
   * 0 returns every answer.
   */
  minConfidence?: number;
  /**
   * How the beam's entries (open-predicate: its subjects) are ranked: 'confidence' (default) by score ×
   * confidence, so an entry the model would also write unconstrained goes before one the trie forced it into;
   * 'probability' by score alone. `score` stays the probability either way.
   */
  ranking?: KbqaRanking;
}
export type KbqaRanking = 'probability' | 'confidence';
const RANKINGS: readonly KbqaRanking[] = ['probability', 'confidence'];
const ASK_KEYS = optionKeys<AskOptions>()('beams', 'topK', 'mode', 'lookahead', 'lengthPenalty', 'mutualInformation',
  'minConfidence', 'ranking');

/**
 * ask()'s default minConfidence, chosen on KgCLUE dev's out-of-KB setting (scripts/eval-kbqa.mjs, setting 4):
 * see the README's coverage/accuracy table.
 */
export const DEFAULT_MIN_CONFIDENCE = 0.003;

export type TripleInput = readonly [string, string, string] | { subject: string; predicate: string; object: string };

/**
 * KB text ("S ||| P ||| O" a line), { url } of such a file, triples, { index } a prebuilt KB index
 * (`attnkit-cli build-kb`, or KBQA.index()): its URL or bytes, opened without tokenizing anything, or
 * { shards } the URL of a sharded KB's manifest (`attnkit-cli build-kb --shards DIR` writes DIR/manifest.attnkit.gz
 * and DIR/shards/N.txt.gz): only the manifest is fetched up front, each shard the first time a question
 * reaches it (use askAsync).
 */
export type KnowledgeSource = string | { url: string | URL } | readonly TripleInput[] |
  { index: string | URL | Uint8Array | ArrayBuffer } | { shards: string | URL };

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

/** The KB's bytes: text, an index file or a sharded KB's manifest (their URLs or names, for messages). */
interface KnowledgeBytes {
  bytes: Uint8Array;
  index?: string;
  shards?: URL;
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
  if (typeof kb === 'object' && kb !== null && 'shards' in kb) {
    checkOptions(where, kb, SHARDS_KEYS, 'kb');
    if (typeof kb.shards !== 'string' && !(kb.shards instanceof URL)) {
      throw new AttnkitError(`${where}: kb.shards must be the URL of a sharded KB's manifest.attnkit`);
    }
    const url = new URL(String(kb.shards), directory);
    const bytes = await readBytes(where, url, fetchOptions);
    if (!MANIFEST_MAGIC.every((c, i) => bytes[i] === c.charCodeAt(0)) && !GZIP_MAGIC.every((b, i) => bytes[i] === b)) {
      throw new AttnkitError(`${where}: ${url.href} is not a sharded KB's manifest (an HTML page or another file?)`,
        'corrupt-file');
    }
    return { bytes, shards: url };
  }
  if (typeof kb === 'object' && kb !== null && 'url' in kb) {  // KB text
    return { bytes: await readBytes(where, new URL(String(kb.url), directory), fetchOptions) };
  }
  throw new AttnkitError(`${where}: kb must be KB text, { url }, an array of triples, { index } or { shards }`);
}
const INDEX_KEYS = optionKeys<{ index: unknown }>()('index');
const SHARDS_KEYS = optionKeys<{ shards: unknown }>()('shards');
const MANIFEST_MAGIC = [...'ATKKBSM1'];  // a sharded KB's manifest (src/attnkit/pipelines/kb_shards.cpp)
const GZIP_MAGIC = [0x1f, 0x8b];  // attnkit-cli writes the manifest gzip'd: it is fetched before any question
const INDEX_MAGIC = [...'ATKKBIX1'];  // a KB index file's first bytes (src/attnkit/pipelines/kb_index.cpp)

/** How far a sharded KB is loaded. */
export interface ShardStats {
  /** Shards in the KB. */
  count: number;
  /** Shards loaded so far. */
  loaded: number;
  /** Bytes of shard files read so far (gzip'd, from the network or the Cache API). */
  bytesRead: number;
}

/** Where a sharded KB's shards are and how to fetch them. */
interface ShardSource {
  manifest: URL;
  fetchOptions: FetchOptions;
}

export class KBQA extends OwnedHandle {
  /** Triples in the knowledge base. */
  readonly size: number;
  private readonly vocabSize: number;
  private readonly shards: ShardSource | undefined;
  private readonly loading = new Map<number, Promise<void>>();
  private shardBytesRead = 0;

  private constructor(mod: AttnkitWasmModule, handle: number, shards?: ShardSource) {
    super(mod, 'KBQA');
    this.adopt(handle, (h) => mod.kbqaDestroy(h));
    this.size = mod.kbqaTripleCount(handle);
    this.vocabSize = mod.kbqaVocabSize(handle);
    this.shards = shards;
  }

  /** Bytes held by its prefix tries in WASM memory (for a sharded KB: its manifest's and the loaded shards'). */
  get trieBytes(): number {
    return this.mod.kbqaTrieBytes(this.handle('KBQA.trieBytes'));
  }

  /** For a sharded KB ({ kb: { shards } }): how many shards it has and has loaded; undefined otherwise. */
  get shardStats(): ShardStats | undefined {
    if (!this.shards) return undefined;
    const handle = this.handle('KBQA.shardStats');
    return { count: this.mod.kbqaShardCount(handle), loaded: this.mod.kbqaShardsLoaded(handle),
      bytesRead: this.shardBytesRead };
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
    if ((kb.index !== undefined || kb.shards !== undefined) && options.trie === 'flat') {
      throw new AttnkitError(`${where}: trie 'flat' needs the KB as text; an index or sharded KB is always compact`);
    }
    // An index or manifest is read in place: kbqaOpen(Shards) takes its copy over (and frees it, also when it
    // fails), so that copy is made last, when nothing else can throw before the call.
    const handle = withHeap(mod, where, (heap) => heap.checked(
      kb.shards !== undefined ? mod.kbqaOpenShards(modelFileViews(heap, files), heap.adopted(kb.bytes), kb.shards.href)
        : kb.index !== undefined ? mod.kbqaOpen(modelFileViews(heap, files), heap.adopted(kb.bytes), kb.index)
          : mod.kbqaCreate(modelFileViews(heap, files), heap.view(kb.bytes), layout), failedHandle));
    return new KBQA(mod, handle, kb.shards && { manifest: kb.shards, fetchOptions: { cache: options.cache } });
  }

  /**
   * The best KB entries for `question`, best first; [] for a question with no tokens. On a sharded KB this
   * needs the shards the question reaches to be loaded already: use askAsync, which loads them.
   */
  ask(question: string, options: AskOptions = {}): Answer[] {
    const where = 'KBQA.ask';
    const answers = this.tryAsk(where, question, options);
    if (Array.isArray(answers)) return answers;
    throw new AttnkitError(`${where}: the question needs shard(s) ${answers.needed.join(', ')} of the sharded KB, ` +
      'not loaded yet: use await kbqa.askAsync(question)', 'invalid-state');
  }

  /**
   * ask(), loading the shards of a sharded KB the question reaches first (fetched beside its manifest, kept in
   * the Cache API so they work offline later). The same answers as ask() on a KB held whole.
   */
  async askAsync(question: string, options: AskOptions = {}): Promise<Answer[]> {
    const where = 'KBQA.askAsync';
    for (;;) {
      const answers = this.tryAsk(where, question, options);
      if (Array.isArray(answers)) return answers;
      await Promise.all(answers.needed.map((shard) => this.loadShard(where, shard)));
    }
  }

  private tryAsk(where: string, question: string, options: AskOptions): Answer[] | { needed: number[] } {
    const handle = this.handle(where);
    if (typeof question !== 'string') throw new AttnkitError(`${where}: question must be a string, got ${typeof question}`);
    checkOptions(where, options, ASK_KEYS);
    const beams = optionalSize(where, 'beams', options.beams, 4);
    const topK = optionalSize(where, 'topK', options.topK, 1);
    const mode = MODES.indexOf(requireChoice(where, 'mode', options.mode ?? 'triple', MODES));
    const lengthPenalty = requireFiniteNumber(where, 'lengthPenalty', options.lengthPenalty ?? 0);
    const mutualInformation = requireFiniteNumber(where, 'mutualInformation', options.mutualInformation ?? 1);
    const minConfidence = requireFiniteNumber(where, 'minConfidence', options.minConfidence ?? DEFAULT_MIN_CONFIDENCE);
    const bytes = encoder.encode(question);
    const ranking = RANKINGS.indexOf(requireChoice(where, 'ranking', options.ranking ?? 'confidence', RANKINGS));
    const args = { beams, topK, mode, lookahead: options.lookahead !== false, lengthPenalty, mutualInformation,
      minConfidence, ranking };
    const count = withHeap(this.mod, where, (heap) =>
      heap.checked(this.mod.kbqaAsk(handle, heap.view(bytes), args), failedCount));
    if (this.shards) {
      const needed = this.mod.kbqaNeeded(handle);
      if (needed.length > 0) return { needed };
    }
    return Array.from({ length: count }, (_, i) => {
      const answer = this.mod.kbqaAnswer(handle, i);
      if (!answer) throw moduleError(this.mod);
      return answer;
    });
  }

  /** Fetches, checks and loads one shard; concurrent questions needing it share one fetch. */
  private loadShard(where: string, shard: number): Promise<void> {
    const pending = this.loading.get(shard);
    if (pending) return pending;
    const source = this.shards as ShardSource;
    const url = new URL(`shards/${shard}.txt.gz`, source.manifest);
    const load = (async () => {
      const gzipped = await readBytes(where, url, source.fetchOptions);
      this.shardBytesRead += gzipped.length;
      // Decompressed in WASM, synchronously: the browser's DecompressionStream took longer than the shard's
      // tries take to build, in event-loop turns a waiting question pays for.
      const handle = this.handle(where);
      withHeap(this.mod, where, (heap) => heap.check(this.mod.kbqaLoadShard(handle, shard, heap.view(gzipped), url.href)));
    })();
    this.loading.set(shard, load);
    // A failed shard may be tried again by a later question (the server or network may have recovered).
    load.catch(() => this.loading.delete(shard));
    return load;
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
