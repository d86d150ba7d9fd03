// Types of the Emscripten-generated module (dist/attnkit.mjs): the Embind functions of wasm/bindings_*.cpp.
// Addresses and sizes are numbers; functions that can fail return a status (0 = ok, else see lastError()).
export interface AttnkitWasmModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(address: number): void;
  lastError(): string;
  heapBytesInUse(): number;
  gemm(a: number, aCount: number, b: number, bCount: number, c: number, cCount: number,
       m: number, n: number, k: number, bTransposed: boolean): number;
  softmax(input: number, output: number, count: number, rows: number, cols: number): number;
  layerNorm(input: number, gamma: number, beta: number, output: number, count: number, gammaCount: number,
            betaCount: number, rows: number, cols: number, eps: number): number;
  attention(q: number, qCount: number, k: number, kCount: number, v: number, vCount: number, out: number,
            outCount: number, batch: number, heads: number, queryLen: number, keyLen: number, headDim: number,
            valueDim: number, causal: boolean, prefixLen: number, keyLengths: number, keyLengthsCount: number,
            scaleKind: number, scaleValue: number, trainLen: number, minKeys: number): number;
  relu2Attention(q: number, qCount: number, k: number, kCount: number, v: number, vCount: number, out: number,
                 outCount: number, batch: number, heads: number, queryLen: number, keyLen: number, headDim: number,
                 valueDim: number, causal: boolean, prefixLen: number, keyLengths: number, keyLengthsCount: number): number;
  linearAttention(q: number, qCount: number, k: number, kCount: number, v: number, vCount: number, out: number,
                  outCount: number, batch: number, heads: number, queryLen: number, keyLen: number, headDim: number,
                  valueDim: number, causal: boolean, prefixLen: number, keyLengths: number, keyLengthsCount: number,
                  featureMap: number,
                  projection: number, projectionCount: number, features: number, eps: number): number;
  linearStateCreate(headDim: number, valueDim: number, featureMap: number, projection: number, projectionCount: number,
                    features: number, eps: number, handleOut: number): number;
  linearStateStep(handle: number, q: number, k: number, v: number, out: number): number;
  linearStateReset(handle: number): void;
  linearStateTokens(handle: number): number;
  linearStateDestroy(handle: number): void;
  performerProjection(features: number, headDim: number, seed: number, out: number, outCount: number): number;
  rope(x: number, count: number, seqLen: number, headDim: number, positionOffset: number, base: number): number;
  entropyInvariantScale(keys: number, headDim: number, trainLen: number, minKeys: number, out: number): number;
  entropy(p: number, count: number, rows: number, cols: number, out: number): number;
  entropyNormalize(p: number, out: number, count: number, rows: number, cols: number, targets: number,
                   targetsCount: number, method: number, tolerance: number, maxIterations: number, gammas: number,
                   iterations: number): number;
  trieBuild(tokens: number, tokenCount: number, lengths: number, lengthCount: number, values: number, valueCount: number,
            handleOut: number): number;
  trieDeserialize(bytes: number, count: number, handleOut: number): number;
  trieSerialize(handle: number, dataOut: number, sizeOut: number): number;
  trieDestroy(handle: number): void;
  trieFind(handle: number, prefix: number, length: number): number;
  trieRequire(handle: number, prefix: number, length: number, nodeOut: number): number;
  trieNextCount(handle: number, node: number): number;
  trieNextCopy(handle: number, node: number, out: number): void;
  trieValueCount(handle: number, node: number): number;
  trieValuesCopy(handle: number, node: number, out: number): void;
  trieEntryCount(handle: number): number;
  trieNodeCount(handle: number): number;
  trieMemoryBytes(handle: number): number;
  beamCreate(beams: number, maxLength: number, topK: number, vocabSize: number, eosId: number, lengthPenalty: number,
             earlyStopping: boolean, trie: number, handleOut: number): number;
  beamDestroy(handle: number): void;
  beamDone(handle: number): boolean;
  beamLiveCount(handle: number): number;
  beamLiveTokenCount(handle: number): number;
  beamLiveCopy(handle: number, lengths: number, tokens: number): void;
  beamAdvance(handle: number, logProbs: number, count: number): number;
  beamResults(handle: number, ints: number, scores: number, sizesOut: number): void;
  nerCreate(config: number, configBytes: number, weights: number, weightBytes: number, vocab: number, vocabBytes: number,
            handleOut: number): number;
  nerDestroy(handle: number): void;
  nerExtract(handle: number, text: number, bytes: number, countOut: number): number;
  nerResults(handle: number, ints: number, scores: number): void;
  nerLogits(handle: number, ids: number, count: number, out: number): number;
  nerLabelCount(handle: number): number;
  nerLabel(handle: number, index: number): string;
  kbqaCreate(config: number, configBytes: number, weights: number, weightBytes: number, vocab: number, vocabBytes: number,
             kb: number, kbBytes: number, handleOut: number): number;
  kbqaDestroy(handle: number): void;
  kbqaAsk(handle: number, question: number, bytes: number, beams: number, topK: number, mode: number,
          lookahead: boolean, lengthPenalty: number, mutualInformation: number, countOut: number): number;
  kbqaAnswerText(handle: number, index: number, field: number): string;
  kbqaAnswerScore(handle: number, index: number): number;
  kbqaLogits(handle: number, source: number, sourceCount: number, target: number, targetCount: number, out: number): number;
  kbqaVocabSize(handle: number): number;
  kbqaTripleCount(handle: number): number;
  kbqaTrieBytes(handle: number): number;
}

export interface AttnkitModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  instantiateWasm?: (
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void,
  ) => object | false;
}

declare function createAttnkitModule(options?: AttnkitModuleOptions): Promise<AttnkitWasmModule>;
export default createAttnkitModule;
