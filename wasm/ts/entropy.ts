// Entropy tools: entropy of distributions, entropy normalisation (power transform to a target entropy),
// and the entropy-invariant attention scale.
import { moduleError, withHeap } from './heap.js';
import { loadedModule } from './loader.js';
import { checkOptions, optionKeys } from './options.js';
import { optionalSize, requireChoice, requireFiniteNumber, requireFloat32Array, requireLength, requireSize } from './validate.js';

export interface RowsOptions {
  /** Default 1 (p is one distribution). */
  rows?: number;
  /** Default p.length / rows. */
  cols?: number;
}

const ROWS_KEYS = optionKeys<RowsOptions>()('rows', 'cols');

function readRows(where: string, p: unknown, options: RowsOptions = {}): { rows: number; cols: number } {
  const array = requireFloat32Array(where, 'p', p);
  const rows = optionalSize(where, 'rows', options.rows, 1);
  const cols = optionalSize(where, 'cols', options.cols, Math.max(1, Math.floor(array.length / rows)));
  requireLength(where, 'p', array, 'rows*cols', rows, cols);
  return { rows, cols };
}

/** H(p) = −Σ p ln p (nats) of each row; rows must be distributions (≥ 0, summing to 1). */
export function entropy(p: Float32Array, options?: RowsOptions): Float64Array {
  const where = 'entropy';
  const mod = loadedModule(where);
  const { rows, cols } = readRows(where, p, checkOptions(where, options, ROWS_KEYS));
  return withHeap(mod, where, (heap) => {
    const output = heap.output(rows, 8);
    heap.check(mod.entropy({ p: heap.view(p), output, rows, cols }));
    return heap.take(Float64Array, output);
  });
}

export interface EntropyNormalizeOptions extends RowsOptions {
  /** 'auto' (default): the seed's iteration, then safeguarded Newton/bisection; or either alone. */
  method?: 'auto' | 'seed' | 'newton';
  /** |H(p̃) − target| allowed. Default 1e-6. */
  tolerance?: number;
  /** Default 50. */
  maxIterations?: number;
}

export interface EntropyNormalizeResult {
  /** p̃ = p^γ / Σ p^γ per row; zeros stay zero. */
  probs: Float32Array;
  /** γ per row (0: uniform over the support; Infinity: uniform over the argmax set). */
  gamma: Float64Array;
  /** Iterations each row used. */
  iterations: Int32Array;
}

const METHODS = ['auto', 'seed', 'newton'] as const;
const NORMALIZE_KEYS = optionKeys<EntropyNormalizeOptions>()('rows', 'cols', 'method', 'tolerance', 'maxIterations');

/**
 * Entropy normalisation (kexue.fm 8829): per row, γ with H(p^γ/Σp^γ) = target. `target` is one number
 * for every row or one per row, within [ln |argmax|, ln |support|] of its row (else a clear Error).
 */
export function entropyNormalize(p: Float32Array, target: number | ArrayLike<number>,
                                 options: EntropyNormalizeOptions = {}): EntropyNormalizeResult {
  const where = 'entropyNormalize';
  const mod = loadedModule(where);
  const { rows, cols } = readRows(where, p, checkOptions(where, options, NORMALIZE_KEYS));
  const targets = typeof target === 'number' ? Float64Array.of(target) : Float64Array.from(target ?? []);
  const method = METHODS.indexOf(requireChoice(where, 'method', options.method ?? 'auto', METHODS));
  const tolerance = requireFiniteNumber(where, 'tolerance', options.tolerance ?? 1e-6);
  const maxIterations = requireSize(where, 'maxIterations', options.maxIterations ?? 50);
  return withHeap(mod, where, (heap) => {
    const output = heap.output(p.length);
    const gammas = heap.output(rows, 8);
    const iterations = heap.output(rows);
    heap.check(mod.entropyNormalize({ p: heap.view(p), output, rows, cols, targets: heap.view(targets), method,
      tolerance, maxIterations, gammas, iterations }));
    return {
      probs: heap.take(Float32Array, output),
      gamma: heap.take(Float64Array, gammas),
      iterations: heap.take(Int32Array, iterations),
    };
  });
}

export interface EntropyInvariantScaleOptions {
  /** The length L where the scale equals 1/√headDim. Default 512. */
  trainLen?: number;
  /** Floor on n. Default 1. */
  minKeys?: number;
}
const SCALE_KEYS = optionKeys<EntropyInvariantScaleOptions>()('trainLen', 'minKeys');

/** λ(n) = ln(max(n, minKeys)) / ln(trainLen) / √headDim ("从熵不变性看Attention的Scale操作"). */
export function entropyInvariantScale(keys: number, headDim: number, options: EntropyInvariantScaleOptions = {}): number {
  const where = 'entropyInvariantScale';
  const mod = loadedModule(where);
  const d = requireSize(where, 'headDim', headDim);
  checkOptions(where, options, SCALE_KEYS);
  const scale = mod.entropyInvariantScale(requireFiniteNumber(where, 'keys', keys), d,
    requireFiniteNumber(where, 'trainLen', options.trainLen ?? 512), requireFiniteNumber(where, 'minKeys', options.minKeys ?? 1));
  if (Number.isNaN(scale)) throw moduleError(mod);
  return scale;
}
