// The attention family on [batch, heads, length, dim] Float32Arrays: softmax attention (fused, online
// softmax), GAU attention, linear attention (batch and streaming) with Performer features, and RoPE.
import type { AttentionDims, AttentionTensors, AttnkitWasmModule, FeatureMapArgs, MaskArgs } from './attnkit.mjs';
import { AttnkitError } from './errors.js';
import { failedHandle, HeapScope, withHeap } from './heap.js';
import { loadedModule } from './loader.js';
import { checkOptions, optionKeys } from './options.js';
import { OwnedHandle } from './owned.js';
import {
  optionalSize, requireChoice, requireCount, requireFiniteNumber, requireFloat32Array, requireLength, requireSize,
  toInt32Array,
} from './validate.js';

/** Shapes and masks shared by every attention function. Tensors are row-major [batch, heads, length, dim]. */
export interface AttentionShapeOptions {
  batch?: number;
  heads?: number;
  queryLen: number;
  /** Defaults to queryLen. Larger than queryLen with `causal` = decoding with a KV cache. */
  keyLen?: number;
  headDim: number;
  /** Defaults to headDim. */
  valueDim?: number;
  /** Query i sees keys j ≤ i + keyLen − queryLen. */
  causal?: boolean;
  /** With causal: the first prefixLen keys are visible to every query (UniLM prefix-LM). */
  prefixLen?: number;
  /** Key padding: batch item b sees only its first keyLengths[b] keys. */
  keyLengths?: Int32Array | number[];
}

/** 'inv-sqrt-d' (1/√d), 'entropy-invariant' (log_trainLen(n)/√d, n = visible keys), or a number. */
export type AttentionScale = 'inv-sqrt-d' | 'entropy-invariant' | number;

/** Adaptive attention span (Sukhbaatar et al. 2019); needs `causal`. */
export interface AdaptiveSpanOptions {
  /** z per head (heads values, each > 0): keys up to z back weigh fully... */
  size: Float32Array | number[];
  /** ...then fade linearly to 0 over the ramp R (> 0): weight clamp((R + z − x)/R, 0, 1) at distance x. */
  ramp: number;
}

/** Persistent memory (all-attention, arXiv 1907.01470): count learned key/value vectors per head. */
export interface PersistentMemoryOptions {
  /** [heads, count, headDim], shared by every batch item. */
  keys: Float32Array;
  /** [heads, count, valueDim]. */
  values: Float32Array;
  count: number;
}

export interface AttentionOptions extends AttentionShapeOptions {
  /** Keys at distance x back weigh clamp((ramp + z − x)/ramp, 0, 1); keys past z + ramp are never visited. */
  span?: AdaptiveSpanOptions;
  /** Extra keys and values that every query sees, through any mask (no position). */
  persistent?: PersistentMemoryOptions;
  scale?: AttentionScale;
  /** Training length L of the entropy-invariant scale (equal to 1/√d at n = L). Default 512. */
  trainLen?: number;
  /** Floor on n for the entropy-invariant scale (bert4keras's softmax_plus uses 16). Default 1. */
  minKeys?: number;
}

const SHAPE_KEYS = optionKeys<AttentionShapeOptions>()(
  'batch', 'heads', 'queryLen', 'keyLen', 'headDim', 'valueDim', 'causal', 'prefixLen', 'keyLengths');

interface Shape extends AttentionDims {
  causal: boolean; prefixLen: number; keyLengths: Int32Array;
}

function readShape(where: string, q: unknown, k: unknown, v: unknown, options: AttentionShapeOptions): Shape {
  requireFloat32Array(where, 'q', q);
  requireFloat32Array(where, 'k', k);
  requireFloat32Array(where, 'v', v);
  if (typeof options !== 'object' || options === null) throw new AttnkitError(`${where}: options with the shape are required`);
  const queryLen = requireSize(where, 'queryLen', options.queryLen);
  const headDim = requireSize(where, 'headDim', options.headDim);
  const shape: Shape = {
    batch: optionalSize(where, 'batch', options.batch, 1),
    heads: optionalSize(where, 'heads', options.heads, 1),
    queryLen,
    keyLen: optionalSize(where, 'keyLen', options.keyLen, queryLen),
    headDim,
    valueDim: optionalSize(where, 'valueDim', options.valueDim, headDim),
    causal: Boolean(options.causal),
    prefixLen: options.prefixLen === undefined ? 0 : requireCount(where, 'prefixLen', options.prefixLen),
    keyLengths: options.keyLengths === undefined ? new Int32Array(0) : toInt32Array(where, 'keyLengths', options.keyLengths),
  };
  const { batch, heads, keyLen, valueDim } = shape;
  requireLength(where, 'q', q as Float32Array, 'batch*heads*queryLen*headDim', batch, heads, queryLen, headDim);
  requireLength(where, 'k', k as Float32Array, 'batch*heads*keyLen*headDim', batch, heads, keyLen, headDim);
  requireLength(where, 'v', v as Float32Array, 'batch*heads*keyLen*valueDim', batch, heads, keyLen, valueDim);
  requireLength(where, 'output', { length: batch * heads * queryLen * valueDim }, 'batch*heads*queryLen*valueDim',
    batch, heads, queryLen, valueDim);
  return shape;
}

/** Copies q, k, v and keyLengths in, runs `call` with the tensors' views, dims and mask, returns the output. */
function runAttention(
  mod: AttnkitWasmModule, where: string, q: Float32Array, k: Float32Array, v: Float32Array, s: Shape,
  call: (heap: HeapScope, tensors: AttentionTensors, dims: AttentionDims, mask: MaskArgs) => number,
): Float32Array {
  const { batch, heads, queryLen, keyLen, headDim, valueDim } = s;
  return withHeap(mod, where, (heap) => {
    const output = heap.output(batch * heads * queryLen * valueDim);
    const tensors = { q: heap.view(q), k: heap.view(k), v: heap.view(v), output };
    const mask = { causal: s.causal, prefixLen: s.prefixLen, keyLengths: heap.view(s.keyLengths) };
    heap.check(call(heap, tensors, { batch, heads, queryLen, keyLen, headDim, valueDim }, mask));
    return heap.take(Float32Array, output);
  });
}

const SCALE_KINDS = { 'inv-sqrt-d': 0, 'entropy-invariant': 1 } as const;
const EXPLICIT_SCALE = 2;
const ATTENTION_KEYS = optionKeys<AttentionOptions>()(...SHAPE_KEYS,
  'span', 'persistent', 'scale', 'trainLen', 'minKeys');
const SPAN_KEYS = optionKeys<AdaptiveSpanOptions>()('size', 'ramp');
const PERSISTENT_KEYS = optionKeys<PersistentMemoryOptions>()('keys', 'values', 'count');

interface Extras { spanSize: Float32Array; ramp: number; keys: Float32Array; values: Float32Array; count: number }

/** The span and persistent options, type-checked (sizes and values are checked by the api layer). */
function readExtras(where: string, options: Pick<AttentionOptions, 'span' | 'persistent'>): Extras {
  const extras: Extras = { spanSize: new Float32Array(0), ramp: 0, keys: new Float32Array(0), values: new Float32Array(0), count: 0 };
  if (options.span !== undefined) {
    const span = checkOptions(where, options.span, SPAN_KEYS, 'span');
    if (span.size instanceof Float32Array) extras.spanSize = span.size;
    else if (Array.isArray(span.size) && span.size.every((z) => typeof z === 'number')) extras.spanSize = Float32Array.from(span.size);
    else throw new AttnkitError(`${where}: span.size must be a Float32Array or an array of numbers (one span per head)`);
    if (extras.spanSize.length === 0) throw new AttnkitError(`${where}: span.size is empty; give one span per head`);
    if (typeof span.ramp !== 'number') throw new AttnkitError(`${where}: span.ramp must be a number, got ${String(span.ramp)}`);
    extras.ramp = span.ramp;
  }
  if (options.persistent !== undefined) {
    const memory = checkOptions(where, options.persistent, PERSISTENT_KEYS, 'persistent');
    extras.keys = requireFloat32Array(where, 'persistent.keys', memory.keys);
    extras.values = requireFloat32Array(where, 'persistent.values', memory.values);
    extras.count = requireSize(where, 'persistent.count', memory.count);
  }
  return extras;
}

/** Fused multi-head softmax attention; never forms the n×m score matrix. A fully masked row gives zeros. */
export function attention(q: Float32Array, k: Float32Array, v: Float32Array, options: AttentionOptions): Float32Array {
  const where = 'attention';
  const s = readShape(where, q, k, v, options);
  checkOptions(where, options, ATTENTION_KEYS);
  return softmaxAttention(where, q, k, v, s, options);
}

function softmaxAttention(where: string, q: Float32Array, k: Float32Array, v: Float32Array, s: Shape,
                          options: Omit<AttentionOptions, keyof AttentionShapeOptions>): Float32Array {
  const extras = readExtras(where, options);
  const mod = loadedModule(where);
  const scale = options.scale ?? 'inv-sqrt-d';
  let kind: number = EXPLICIT_SCALE;
  let value = 0;
  if (typeof scale === 'number') value = requireFiniteNumber(where, 'scale', scale);
  else kind = SCALE_KINDS[requireChoice(where, 'scale', scale, ['inv-sqrt-d', 'entropy-invariant'] as const)];
  const trainLen = requireFiniteNumber(where, 'trainLen', options.trainLen ?? 512);
  const minKeys = requireFiniteNumber(where, 'minKeys', options.minKeys ?? 1);
  return runAttention(mod, where, q, k, v, s, (heap, tensors, dims, mask) =>
    mod.attention(tensors, dims, mask, { kind, value, trainLen, minKeys },
      { size: heap.view(extras.spanSize), ramp: extras.ramp },
      { keys: heap.view(extras.keys), values: heap.view(extras.values), count: extras.count }));
}

export interface GauAttentionOptions extends AttentionShapeOptions {
  /** 'relu2': relu²(Q·Kᵀ/√d)/n (GAU); 'softmax': softmax(log_trainLen(n)·Q·Kᵀ/√d), the seed's fix. */
  variant?: 'relu2' | 'softmax';
  trainLen?: number;
}
const GAU_KEYS = optionKeys<GauAttentionOptions>()(...SHAPE_KEYS,
  'variant', 'trainLen');

/** GAU attention (kexue.fm 8934, 9019); n is the number of keys each query sees. */
export function gauAttention(q: Float32Array, k: Float32Array, v: Float32Array, options: GauAttentionOptions): Float32Array {
  const where = 'gauAttention';
  const mod = loadedModule(where);
  const variant = requireChoice(where, 'variant', options?.variant ?? 'relu2', ['relu2', 'softmax'] as const);
  if (variant === 'softmax') {
    const s = readShape('attention', q, k, v, options);
    checkOptions(where, options, GAU_KEYS);
    return softmaxAttention('attention', q, k, v, s, { scale: 'entropy-invariant', trainLen: options.trainLen });
  }
  const s = readShape(where, q, k, v, options);
  checkOptions(where, options, GAU_KEYS);
  return runAttention(mod, where, q, k, v, s, (_heap, tensors, dims, mask) => mod.relu2Attention(tensors, dims, mask));
}

export type FeatureMapName = 'elu+1' | 'relu' | 'exp' | 'performer';
const FEATURE_MAPS: readonly FeatureMapName[] = ['elu+1', 'relu', 'exp', 'performer'];

export interface FeatureMapOptions {
  /** φ: 'elu+1' (default), 'relu', 'exp' (the seed's choice), 'performer' (FAVOR+ random features). */
  featureMap?: FeatureMapName;
  /** Performer: number of random features m (default 256), drawn from `seed` (default 0)... */
  features?: number;
  seed?: number;
  /** ...or your own projection W (features × headDim), e.g. from performerProjection(). */
  projection?: Float32Array;
  /** Added to the relu map's denominator (default 1e-6). */
  eps?: number;
}

const FEATURE_MAP_KEYS = optionKeys<FeatureMapOptions>()('featureMap', 'features', 'seed', 'projection', 'eps');

interface FeatureArgs { map: number; projection: Float32Array; features: number; eps: number }

/** The binding's FeatureMapArgs, with the projection copied into the heap scope. */
function featureMapArgs(heap: HeapScope, f: FeatureArgs): FeatureMapArgs {
  return { map: f.map, projection: heap.view(f.projection), features: f.features, eps: f.eps };
}

function readFeatureMap(where: string, options: FeatureMapOptions, headDim: number): FeatureArgs {
  const name = requireChoice(where, 'featureMap', options.featureMap ?? 'elu+1', FEATURE_MAPS);
  const eps = requireFiniteNumber(where, 'eps', options.eps ?? 1e-6);
  if (name !== 'performer') return { map: FEATURE_MAPS.indexOf(name), projection: new Float32Array(0), features: 0, eps };
  const projection = options.projection !== undefined
    ? requireFloat32Array(where, 'projection', options.projection)
    : performerProjection(optionalSize(where, 'features', options.features, 256), headDim, options.seed ?? 0);
  const features = optionalSize(where, 'features', options.features, projection.length / headDim);
  return { map: 3, projection, features, eps };
}

export interface LinearAttentionOptions extends AttentionShapeOptions, FeatureMapOptions {}
const LINEAR_KEYS = optionKeys<LinearAttentionOptions>()(...SHAPE_KEYS,
  ...FEATURE_MAP_KEYS);

/** Linear attention φ(q)ᵀΣφ(k)vᵀ / φ(q)ᵀΣφ(k); causal uses running sums (needs queryLen == keyLen). */
export function linearAttention(q: Float32Array, k: Float32Array, v: Float32Array, options: LinearAttentionOptions): Float32Array {
  const where = 'linearAttention';
  const mod = loadedModule(where);
  const s = readShape(where, q, k, v, options);
  checkOptions(where, options, LINEAR_KEYS);
  const f = readFeatureMap(where, options, s.headDim);
  return runAttention(mod, where, q, k, v, s, (heap, tensors, dims, mask) =>
    mod.linearAttention(tensors, dims, mask, featureMapArgs(heap, f)));
}

/** The Performer projection W (features × headDim): orthogonal Gaussian blocks, chi norms, reproducible by seed. */
export function performerProjection(features: number, headDim: number, seed = 0): Float32Array {
  const where = 'performerProjection';
  const mod = loadedModule(where);
  const f = requireSize(where, 'features', features);
  const d = requireSize(where, 'headDim', headDim);
  requireLength(where, 'projection', { length: f * d }, 'features*headDim', f, d);
  return withHeap(mod, where, (heap) => {
    const output = heap.output(f * d);
    heap.check(mod.performerProjection(f, d, requireFiniteNumber(where, 'seed', seed), output));
    return heap.take(Float32Array, output);
  });
}

export interface RopeOptions {
  seqLen: number;
  headDim: number;
  /** Position of the first row (for decoding after a cache). Default 0. */
  positionOffset?: number;
  /** θ_m = base^(−2m/headDim). Default 10000. */
  base?: number;
}
const ROPE_KEYS = optionKeys<RopeOptions>()('seqLen', 'headDim', 'positionOffset', 'base');

/** Rotary position embedding, interleaved pairs (RoFormer, GlobalPointer), applied in place; returns x. */
export function rope(x: Float32Array, options: RopeOptions): Float32Array {
  const where = 'rope';
  const mod = loadedModule(where);
  requireFloat32Array(where, 'x', x);
  const seqLen = requireSize(where, 'seqLen', options?.seqLen);
  const headDim = requireSize(where, 'headDim', options.headDim);
  checkOptions(where, options, ROPE_KEYS);
  const offset = requireCount(where, 'positionOffset', options.positionOffset ?? 0);
  const base = requireFiniteNumber(where, 'base', options.base ?? 10000);
  withHeap(mod, where, (heap) => {
    const inOut = heap.view(x);
    heap.check(mod.rope(inOut, seqLen, headDim, offset, base));
    x.set(heap.take(Float32Array, inOut));
  });
  return x;
}

export interface LinearAttentionStateOptions extends FeatureMapOptions {
  headDim: number;
  /** Defaults to headDim. */
  valueDim?: number;
}
const STATE_KEYS = optionKeys<LinearAttentionStateOptions>()('headDim', 'valueDim',
  ...FEATURE_MAP_KEYS);

/**
 * Causal linear attention one token at a time (the "RNN" view): holds S = Σφ(k)vᵀ and z = Σφ(k).
 * step() gives the same output as linearAttention(..., { causal: true }) at that position.
 * Owns WASM memory: call dispose() (a FinalizationRegistry is only a backstop).
 */
export class LinearAttentionState extends OwnedHandle {
  readonly headDim: number;
  readonly valueDim: number;

  constructor(options: LinearAttentionStateOptions) {
    const where = 'LinearAttentionState';
    super(loadedModule(where), 'LinearAttentionState');
    this.headDim = requireSize(where, 'headDim', options?.headDim);
    checkOptions(where, options, STATE_KEYS);
    this.valueDim = optionalSize(where, 'valueDim', options.valueDim, this.headDim);
    const f = readFeatureMap(where, options, this.headDim);
    const handle = withHeap(this.mod, where, (heap) =>
      heap.checked(this.mod.linearStateCreate(this.headDim, this.valueDim, featureMapArgs(heap, f)), failedHandle));
    this.adopt(handle, (h) => this.mod.linearStateDestroy(h));
  }

  /** Appends (k, v) and returns the attention output of q over every token so far. */
  step(q: Float32Array, k: Float32Array, v: Float32Array): Float32Array {
    const where = 'LinearAttentionState.step';
    const handle = this.handle(where);
    requireFloat32Array(where, 'q', q);
    requireFloat32Array(where, 'k', k);
    requireFloat32Array(where, 'v', v);
    requireLength(where, 'q', q, 'headDim', this.headDim);
    requireLength(where, 'k', k, 'headDim', this.headDim);
    requireLength(where, 'v', v, 'valueDim', this.valueDim);
    return withHeap(this.mod, where, (heap) => {
      const output = heap.output(this.valueDim);
      heap.check(this.mod.linearStateStep(handle, { q: heap.view(q), k: heap.view(k), v: heap.view(v), output }));
      return heap.take(Float32Array, output);
    });
  }

  /** Forgets every token. */
  reset(): void {
    this.mod.linearStateReset(this.handle('LinearAttentionState.reset'));
  }

  /** Number of tokens seen since creation or reset(). */
  get tokens(): number {
    return this.mod.linearStateTokens(this.handle('LinearAttentionState.tokens'));
  }
}
