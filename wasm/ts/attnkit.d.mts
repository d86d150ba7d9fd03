// Types of the Emscripten-generated module (dist/attnkit.mjs): the Embind functions of wasm/bindings_*.cpp.
// Argument objects are the api layer's structs (src/attnkit/api/*.hpp), with the same field names. A buffer
// is a view of WASM memory, { address, count } (count in elements), whose size the api layer checks.
// Failures: a status of 1, a handle of 0, a count or node of -1, or NaN; then lastError()/lastErrorCode().

export interface View {
  address: number;
  count: number;
}

export interface GemmArgs { a: View; b: View; c: View; m: number; n: number; k: number; bTransposed: boolean }
export interface SoftmaxArgs { input: View; output: View; rows: number; cols: number }
export interface LayerNormArgs {
  input: View; gamma: View; beta: View; output: View; rows: number; cols: number; eps: number;
}

export interface AttentionTensors { q: View; k: View; v: View; output: View }
export interface AttentionDims {
  batch: number; heads: number; queryLen: number; keyLen: number; headDim: number; valueDim: number;
}
export interface MaskArgs { causal: boolean; prefixLen: number; keyLengths: View }
/** kind: 0 inverse √d, 1 entropy-invariant, 2 explicit `value`. */
export interface AttentionScale { kind: number; value: number; trainLen: number; minKeys: number }
/** Adaptive span: size (z per head; empty = no span) and ramp R. */
export interface SpanArgs { size: View; ramp: number }
/** Persistent memory: keys [heads, count, headDim], values [heads, count, valueDim]; count 0 = none. */
export interface PersistentArgs { keys: View; values: View; count: number }
export interface ProductKeyDims {
  heads: number; subKeyCount: number; queryDim: number; valueDim: number; topK: number; inputDim: number;
}
export interface ProductKeyWeights { subKeys: View; values: View; queryWeight: View; queryBias: View }
/** search: 0 product keys, 1 exhaustive. */
export interface ProductKeyLookupArgs { x: View; rows: number; output: View; indices: View; weights: View; search: number }
export interface BioHashFiles { config: View; weights: View }
/** metric: 0 overlap, 1 Hamming distance. */
export interface CodeSearchArgs { queries: View; topK: number; metric: number; indices: View; scores: View }
/** map: 0 elu+1, 1 relu, 2 exp, 3 performer (projection: features × headDim). */
export interface FeatureMapArgs { map: number; projection: View; features: number; eps: number }

export interface EntropyArgs { p: View; output: View; rows: number; cols: number }
/** method: 0 auto, 1 seed, 2 newton. */
export interface EntropyNormalizeArgs {
  p: View; output: View; rows: number; cols: number; targets: View; method: number; tolerance: number;
  maxIterations: number; gammas: View; iterations: View;
}

export interface BeamArgs {
  beams: number; maxLength: number; topK: number; vocabSize: number; eosId: number; lengthPenalty: number;
  earlyStopping: boolean;
}
export interface ResultSizes { ints: number; scores: number }

export interface ModelFiles { config: View; weights: View; vocab: View }
/** mode: 0 triple, 1 subject, 2 open predicate. */
export interface AskArgs {
  beams: number; topK: number; mode: number; lookahead: boolean; lengthPenalty: number; mutualInformation: number;
  minConfidence: number; ranking: number;
}
export interface AnswerRecord { subject: string; predicate: string; object: string; score: number; confidence: number }

export interface AttnkitWasmModule {
  HEAPU8: Uint8Array;
  /** The threaded module only: its shared memory (HEAPU8 may be a stale view after another thread grew it). */
  wasmMemory?: WebAssembly.Memory;
  /** The threaded module only: Emscripten's pthread workers (Node: unref'd so they never keep a process alive). */
  PThread?: { unusedWorkers: { unref?(): void }[]; runningWorkers: { unref?(): void }[] };
  _malloc(bytes: number): number;
  _free(address: number): void;
  lastError(): string;
  lastErrorCode(): string;
  heapBytesInUse(): number;
  setThreads(threads: number): number;
  threadCount(): number;

  gemm(args: GemmArgs): number;
  softmax(args: SoftmaxArgs): number;
  layerNorm(args: LayerNormArgs): number;

  attention(tensors: AttentionTensors, dims: AttentionDims, mask: MaskArgs, scale: AttentionScale, span: SpanArgs,
            persistent: PersistentArgs): number;
  relu2Attention(tensors: AttentionTensors, dims: AttentionDims, mask: MaskArgs): number;
  linearAttention(tensors: AttentionTensors, dims: AttentionDims, mask: MaskArgs, featureMap: FeatureMapArgs): number;
  linearStateCreate(headDim: number, valueDim: number, featureMap: FeatureMapArgs): number;
  linearStateStep(handle: number, step: AttentionTensors): number;
  linearStateReset(handle: number): void;
  linearStateTokens(handle: number): number;
  linearStateDestroy(handle: number): void;
  performerProjection(features: number, headDim: number, seed: number, output: View): number;
  rope(x: View, seqLen: number, headDim: number, positionOffset: number, base: number): number;
  entropyInvariantScale(keys: number, headDim: number, trainLen: number, minKeys: number): number;

  entropy(args: EntropyArgs): number;
  entropyNormalize(args: EntropyNormalizeArgs): number;

  /** layout: 0 compact, 1 flat. */
  trieBuild(tokens: View, lengths: View, values: View, layout: number): number;
  trieDeserialize(bytes: View): number;
  trieSerialize(handle: number): View;
  trieDestroy(handle: number): void;
  trieFind(handle: number, prefix: View): number;
  trieRequire(handle: number, prefix: View): number;
  trieNextCount(handle: number, node: number): number;
  trieNextCopy(handle: number, node: number, output: View): number;
  trieValueCount(handle: number, node: number): number;
  trieValuesCopy(handle: number, node: number, output: View): number;
  trieEntryCount(handle: number): number;
  trieNodeCount(handle: number): number;
  trieMemoryBytes(handle: number): number;
  beamCreate(args: BeamArgs, trie: number): number;
  beamDestroy(handle: number): void;
  beamDone(handle: number): boolean;
  beamLiveCount(handle: number): number;
  beamLiveTokenCount(handle: number): number;
  beamLiveCopy(handle: number, lengths: View, tokens: View): number;
  beamAdvance(handle: number, logProbs: View): number;
  beamResultSizes(handle: number): ResultSizes;
  beamResults(handle: number, ints: View, scores: View): number;

  pkmCreate(dims: ProductKeyDims, weights: ProductKeyWeights): number;
  pkmCreateFromFile(file: View, topK: number): number;
  pkmLookup(handle: number, args: ProductKeyLookupArgs): number;
  pkmShape(handle: number): ProductKeyDims;
  pkmDestroy(handle: number): void;

  biohashCreate(files: BioHashFiles): number;
  biohashDestroy(handle: number): void;
  biohashEncode(handle: number, texts: View, lengths: View, codes: View): number;
  biohashFeatures(handle: number, text: View, buckets: View, counts: View): number;
  /** which: 0 buckets, 1 units (bits), 2 active. */
  biohashSize(handle: number, which: number): number;
  codeTableCreate(bits: number): number;
  codeTableDestroy(handle: number): void;
  codeTableAdd(handle: number, codes: View): number;
  codeTableSearch(handle: number, args: CodeSearchArgs): number;
  codeTableSize(handle: number): number;
  codeTableBytes(handle: number): number;

  nerCreate(files: ModelFiles): number;
  nerDestroy(handle: number): void;
  nerExtract(handle: number, text: View): number;
  nerExtractMany(handle: number, texts: View, lengths: View, counts: View): number;
  nerResults(handle: number, ints: View, scores: View): number;
  nerLogits(handle: number, ids: View, lexicon: View, output: View): number;
  nerLexiconBits(handle: number, text: View, output: View): number;
  nerHasLexicon(handle: number): number;
  nerLabelCount(handle: number): number;
  nerLabel(handle: number, index: number): string;

  /** layout: 0 compact, 1 flat. */
  kbqaCreate(model: ModelFiles, kb: View, layout: number): number;
  kbqaOpen(model: ModelFiles, index: View, name: string): number;
  kbqaIndex(handle: number): View;
  kbqaDestroy(handle: number): void;
  kbqaAsk(handle: number, question: View, args: AskArgs): number;
  kbqaAnswer(handle: number, index: number): AnswerRecord | undefined;
  kbqaLogits(handle: number, source: View, target: View, output: View): number;
  kbqaVocabSize(handle: number): number;
  kbqaTripleCount(handle: number): number;
  kbqaTrieBytes(handle: number): number;
  kbqaOpenShards(model: ModelFiles, manifest: View, name: string): number;
  kbqaLoadShard(handle: number, shard: number, text: View, name: string): number;
  kbqaNeeded(handle: number): number[];
  kbqaShardCount(handle: number): number;
  kbqaShardsLoaded(handle: number): number;
  kbShardBuilderCreate(vocab: View, shardTriples: number, buckets: number): number;
  kbShardBuilderRoute(handle: number, lines: View): number;
  kbShardBuilderTakeBucket(handle: number, bucket: number): View;
  kbShardBuilderCut(handle: number, lines: View): number;
  kbShardBuilderShard(handle: number, index: number): View;
  kbShardBuilderManifest(handle: number): View;
  kbShardBuilderStats(handle: number): { triples: number; shards: number; cuts: number };
  kbShardBuilderDestroy(handle: number): void;
}

export interface AttnkitModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  instantiateWasm?: (
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void,
  ) => object | false;
  /** attnkit-threads.mjs only: pthread workers started with the module (PTHREAD_POOL_SIZE). */
  attnkitWorkers?: number;
  /** Where the module's companion files are (the threaded build's worker script). */
  locateFile?: (path: string, scriptDirectory: string) => string;
}

declare function createAttnkitModule(options?: AttnkitModuleOptions): Promise<AttnkitWasmModule>;
export default createAttnkitModule;
