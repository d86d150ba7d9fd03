// attnkit's public API.
export { init, threadsAvailable, type Attnkit, type InitOptions } from './loader.js';
export { AttnkitError, type AttnkitErrorCode } from './errors.js';
export { gemm, softmax, layerNorm, type GemmShape, type RowsShape, type LayerNormOptions } from './kernels.js';
export {
  attention, gauAttention, linearAttention, performerProjection, rope, LinearAttentionState,
  type AttentionShapeOptions, type AttentionOptions, type AdaptiveSpanOptions, type PersistentMemoryOptions, type AttentionScale, type GauAttentionOptions,
  type FeatureMapName, type FeatureMapOptions, type LinearAttentionOptions, type LinearAttentionStateOptions,
  type RopeOptions,
} from './attention.js';
export {
  entropy, entropyNormalize, entropyInvariantScale, type RowsOptions, type EntropyNormalizeOptions,
  type EntropyNormalizeResult, type EntropyInvariantScaleOptions,
} from './entropy.js';
export {
  PrefixTrie, beamSearch, beamSearchSync, type StepFunction, type BeamSearchOptions, type BeamResult,
  type TrieLayout, type TrieOptions,
} from './decoding.js';
export {
  ProductKeyMemory, type ProductKeyMemoryOptions, type ProductKeyLoadOptions, type LookupOptions, type MemoryLookup,
} from './memory.js';
export {
  BioHash, HammingIndex, type BioHashSource, type NgramFeatures, type HammingIndexOptions, type HammingSearchOptions,
  type HammingHits,
} from './hashing.js';
export { NER, type Entity, type ExtractOptions } from './ner.js';
export { KbShardBuilder, type KbShardBuilderOptions } from './kb-shards.js';
export { DEFAULT_MIN_CONFIDENCE, KBQA, type Answer, type AskOptions, type KbqaMode, type KbqaRanking, type KbqaLoadOptions, type KnowledgeSource, type ShardStats, type TripleInput } from './kbqa.js';
export type { ModelSource, FetchOptions, ProgressCallback } from './model-files.js';
export { AttnkitWorker, type Timed } from './worker-client.js';
