// The basic kernels on Float32Arrays with explicit shapes: gemm, softmax, layerNorm.
import { withHeap } from './heap.js';
import { loadedModule } from './loader.js';
import { checkOptions, optionKeys } from './options.js';
import { requireFiniteNumber, requireFloat32Array, requireLength, requireSize } from './validate.js';

export interface GemmShape {
  /** Rows of A and C. */
  m: number;
  /** Columns of C. */
  n: number;
  /** Columns of A (the shared dimension). */
  k: number;
  /** When true, B is n×k and C = A·Bᵀ (as Q·Kᵀ); otherwise B is k×n and C = A·B. */
  bTransposed?: boolean;
}
const GEMM_KEYS = optionKeys<GemmShape>()('m', 'n', 'k', 'bTransposed');

/** C = A·B or A·Bᵀ, f32, row-major. Returns C (m×n). */
export function gemm(a: Float32Array, b: Float32Array, shape: GemmShape): Float32Array {
  const where = 'gemm';
  const mod = loadedModule(where);
  requireFloat32Array(where, 'a', a);
  requireFloat32Array(where, 'b', b);
  const m = requireSize(where, 'm', shape?.m);
  const n = requireSize(where, 'n', shape?.n);
  const k = requireSize(where, 'k', shape?.k);
  checkOptions(where, shape, GEMM_KEYS, 'shape');
  const bTransposed = Boolean(shape.bTransposed);
  requireLength(where, 'a', a, 'm*k', m, k);
  requireLength(where, 'b', b, bTransposed ? 'n*k' : 'k*n', k, n);
  requireLength(where, 'c', { length: m * n }, 'm*n', m, n);
  return withHeap(mod, where, (heap) => {
    const c = heap.output(m * n);
    heap.check(mod.gemm({ a: heap.view(a), b: heap.view(b), c, m, n, k, bTransposed }));
    return heap.take(Float32Array, c);
  });
}

export interface RowsShape {
  rows: number;
  cols: number;
}
const ROWS_KEYS = optionKeys<RowsShape>()('rows', 'cols');

/** Numerically stable softmax of each row; -Infinity entries are masked (a fully masked row gives 0s). */
export function softmax(x: Float32Array, shape: RowsShape): Float32Array {
  const where = 'softmax';
  const mod = loadedModule(where);
  requireFloat32Array(where, 'x', x);
  const rows = requireSize(where, 'rows', shape?.rows);
  const cols = requireSize(where, 'cols', shape?.cols);
  checkOptions(where, shape, ROWS_KEYS, 'shape');
  requireLength(where, 'x', x, 'rows*cols', rows, cols);
  return withHeap(mod, where, (heap) => {
    const inOut = heap.view(x);  // in place: the output overwrites the copy of x
    heap.check(mod.softmax({ input: inOut, output: inOut, rows, cols }));
    return heap.take(Float32Array, inOut);
  });
}

export interface LayerNormOptions extends RowsShape {
  /** Added to the variance; default 1e-12 as in BERT. */
  eps?: number;
}
const LAYER_NORM_KEYS = optionKeys<LayerNormOptions>()('rows', 'cols', 'eps');

/** (x − mean) / sqrt(var + eps) · gamma + beta over each row; gamma and beta have `cols` values. */
export function layerNorm(x: Float32Array, gamma: Float32Array, beta: Float32Array,
                          options: LayerNormOptions): Float32Array {
  const where = 'layerNorm';
  const mod = loadedModule(where);
  requireFloat32Array(where, 'x', x);
  requireFloat32Array(where, 'gamma', gamma);
  requireFloat32Array(where, 'beta', beta);
  const rows = requireSize(where, 'rows', options?.rows);
  const cols = requireSize(where, 'cols', options?.cols);
  checkOptions(where, options, LAYER_NORM_KEYS);
  const eps = requireFiniteNumber(where, 'eps', options.eps ?? 1e-12);
  requireLength(where, 'x', x, 'rows*cols', rows, cols);
  return withHeap(mod, where, (heap) => {
    const inOut = heap.view(x);
    heap.check(mod.layerNorm({ input: inOut, gamma: heap.view(gamma), beta: heap.view(beta), output: inOut, rows, cols, eps }));
    return heap.take(Float32Array, inOut);
  });
}
