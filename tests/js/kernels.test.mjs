import { beforeAll, describe, expect, it } from 'vitest';
import { AttnkitError, gemm, init, layerNorm, softmax } from '../../dist/index.js';
import { maxAbsDiff, randomFloats, referenceGemm, referenceLayerNorm, referenceSoftmax } from './reference.mjs';

beforeAll(async () => { await init(); });

describe('gemm', () => {
  const shapes = [[1, 1, 1], [3, 5, 7], [4, 8, 4], [13, 17, 19], [64, 64, 64], [97, 33, 300], [5, 9, 513], [130, 70, 3]];
  for (const [m, n, k] of shapes) {
    for (const bTransposed of [false, true]) {
      it(`matches the float64 reference for m=${m} n=${n} k=${k} bTransposed=${bTransposed}`, () => {
        const a = randomFloats(m * k, 1);
        const b = randomFloats(k * n, 2);
        const c = gemm(a, b, { m, n, k, bTransposed });
        expect(c).toBeInstanceOf(Float32Array);
        expect(c.length).toBe(m * n);
        expect(maxAbsDiff(c, referenceGemm(a, b, m, n, k, bTransposed))).toBeLessThan(1e-4 * Math.sqrt(k));
      });
    }
  }

  it('computes a hand-worked 2×2 product', () => {
    const a = new Float32Array([1, 2, 3, 4]);
    const b = new Float32Array([5, 6, 7, 8]);
    expect(Array.from(gemm(a, b, { m: 2, n: 2, k: 2 }))).toEqual([19, 22, 43, 50]);
    expect(Array.from(gemm(a, b, { m: 2, n: 2, k: 2, bTransposed: true }))).toEqual([17, 23, 39, 53]);
  });

  it('does not modify its inputs', () => {
    const a = randomFloats(12, 3);
    const b = randomFloats(12, 4);
    const [a0, b0] = [a.slice(), b.slice()];
    gemm(a, b, { m: 3, n: 3, k: 4 });
    expect(a).toEqual(a0);
    expect(b).toEqual(b0);
  });
});

describe('softmax', () => {
  for (const cols of [1, 3, 4, 5, 17, 64, 513]) {
    it(`matches the reference for rows of ${cols}`, () => {
      const x = randomFloats(3 * cols, cols, -30, 30);
      expect(maxAbsDiff(softmax(x, { rows: 3, cols }), referenceSoftmax(x, 3, cols))).toBeLessThan(1e-6);
    });
  }

  it('is stable for huge logits and gives zeros for a fully masked row', () => {
    const x = new Float32Array([1000, 1000, -1000, -Infinity, -Infinity, -Infinity]);
    const y = softmax(x, { rows: 2, cols: 3 });
    expect(y[0]).toBeCloseTo(0.5, 6);
    expect(y[2]).toBe(0);
    expect(Array.from(y.subarray(3))).toEqual([0, 0, 0]);
  });
});

describe('layerNorm', () => {
  for (const cols of [1, 3, 8, 33, 768]) {
    it(`matches the reference for rows of ${cols} with a large offset`, () => {
      const x = randomFloats(4 * cols, cols, 50, 60);
      const gamma = randomFloats(cols, 7);
      const beta = randomFloats(cols, 8);
      const y = layerNorm(x, gamma, beta, { rows: 4, cols, eps: 1e-5 });
      expect(maxAbsDiff(y, referenceLayerNorm(x, gamma, beta, 4, cols, 1e-5))).toBeLessThan(2e-4);
    });
  }
});

describe('bad input is a clear Error and the module keeps working', () => {
  const a = new Float32Array([1, 2, 3, 4]);
  const cases = [
    ['a not a Float32Array', () => gemm([1, 2, 3, 4], a, { m: 2, n: 2, k: 2 }), /gemm: a must be a Float32Array, got Array/],
    ['zero size', () => gemm(a, a, { m: 0, n: 2, k: 2 }), /gemm: m must be a positive integer, got 0/],
    ['negative size', () => gemm(a, a, { m: -2, n: 2, k: 2 }), /gemm: m must be a positive integer, got -2/],
    ['fractional size', () => gemm(a, a, { m: 2, n: 2, k: 1.5 }), /gemm: k must be a positive integer, got 1.5/],
    ['missing shape', () => gemm(a, a), /gemm: m must be a positive integer, got undefined/],
    ['length mismatch', () => gemm(a, a, { m: 2, n: 3, k: 2 }), /gemm: b has 4 values, expected k\*n = 6/],
    ['overflowing shape', () => gemm(a, a, { m: 2 ** 30, n: 2 ** 30, k: 2 }), /too large/],
    ['NaN in a (caught in C++)', () => gemm(new Float32Array([1, NaN, 3, 4]), a, { m: 2, n: 2, k: 2 }), /gemm: a\[1\] is not finite/],
    ['Inf in b (caught in C++)', () => gemm(a, new Float32Array([1, 2, Infinity, 4]), { m: 2, n: 2, k: 2 }), /gemm: b\[2\] is not finite/],
    ['softmax NaN', () => softmax(new Float32Array([0, NaN]), { rows: 1, cols: 2 }), /softmax: input\[1\] is nan/],
    ['softmax +Inf', () => softmax(new Float32Array([Infinity, 0]), { rows: 1, cols: 2 }), /softmax: input\[0\] is inf/],
    ['softmax shape', () => softmax(a, { rows: 3, cols: 2 }), /softmax: x has 4 values, expected rows\*cols = 6/],
    ['layerNorm gamma length', () => layerNorm(a, new Float32Array(3), new Float32Array(2), { rows: 2, cols: 2 }), /layerNorm: gamma has 3 values, expected cols = 2/],
    ['layerNorm eps', () => layerNorm(a, new Float32Array(2), new Float32Array(2), { rows: 2, cols: 2, eps: -1 }), /layerNorm: eps must be a positive finite number/],
    ['layerNorm NaN eps', () => layerNorm(a, new Float32Array(2), new Float32Array(2), { rows: 2, cols: 2, eps: NaN }), /layerNorm: eps must be a finite number/],
  ];
  for (const [name, call, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(call).toThrow(AttnkitError);
      expect(call).toThrow(message);
      expect(Array.from(gemm(a, a, { m: 2, n: 2, k: 2 }))).toEqual([7, 10, 15, 22]);
    });
  }
});
