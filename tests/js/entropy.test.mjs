import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttnkitError, entropy, entropyNormalize, gemm, init } from '../../dist/index.js';
import { randomFloats } from './reference.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/attention.json', import.meta.url), 'utf8'));

beforeAll(async () => { await init(); });

function softmaxOfLogits(n, seed, spread) {
  const logits = randomFloats(n, seed, -spread, spread);
  const max = Math.max(...logits);
  const e = Array.from(logits, (x) => Math.exp(x - max));
  const z = e.reduce((s, x) => s + x, 0);
  return Float32Array.from(e, (x) => x / z);
}

function referenceEntropy(p) {
  return -Array.from(p).reduce((s, x) => s + (x > 0 ? x * Math.log(x) : 0), 0);
}

describe('entropy', () => {
  it('gives ln n for uniform rows, 0 for one-hot rows, ln 2 for two halves', () => {
    const p = new Float32Array([0.25, 0.25, 0.25, 0.25, 0, 1, 0, 0, 0.5, 0, 0.5, 0]);
    const h = entropy(p, { rows: 3, cols: 4 });
    expect(h[0]).toBeCloseTo(Math.log(4), 9);
    expect(h[1]).toBe(0);
    expect(h[2]).toBeCloseTo(Math.log(2), 9);
  });
});

describe('entropyNormalize', () => {
  for (const c of fixture.entropyNormalize) {
    for (const method of ['auto', 'seed', 'newton']) {
      it(`hits target ${c.target} for n=${c.cols} within 10 iterations (${method}) and matches NumPy's bisection`, () => {
        const p = softmaxOfLogits(c.cols, c.seed, c.spread);
        const { probs, gamma, iterations } = entropyNormalize(p, c.target, { method, tolerance: 1e-6 });
        expect(Math.abs(referenceEntropy(probs) - c.target)).toBeLessThan(1e-5);
        expect(iterations[0]).toBeLessThanOrEqual(10);
        expect(gamma[0]).toBeCloseTo(c.gamma, 3);
        c.expected[0].forEach((want, i) => expect(Math.abs(probs[i] - want)).toBeLessThan(1e-6 + 1e-4 * want));
      });
    }
  }

  it('normalises many rows at once with one target per row', () => {
    const rows = 3, cols = 50;
    const p = new Float32Array(rows * cols);
    for (let r = 0; r < rows; ++r) p.set(softmaxOfLogits(cols, 100 + r, 3), r * cols);
    const targets = [1, 2, 3];
    const { probs } = entropyNormalize(p, targets, { rows, cols });
    const h = entropy(probs, { rows, cols });
    targets.forEach((t, r) => expect(h[r]).toBeCloseTo(t, 5));
  });

  it('reaches the ends of the range exactly: uniform over the support and over the argmax set', () => {
    const p = new Float32Array([0.5, 0.3, 0, 0.2]);
    expect(Array.from(entropyNormalize(p, Math.log(3)).probs).map((x) => +x.toFixed(6))).toEqual([0.333333, 0.333333, 0, 0.333333]);
    expect(Array.from(entropyNormalize(p, 0).probs)).toEqual([1, 0, 0, 0]);
  });
});

describe('entropy tools reject bad input with a clear Error and keep working', () => {
  const cases = [
    ['a row not summing to 1', () => entropy(new Float32Array([0.5, 0.6])), /entropy: row 0 sums to 1.1/],
    ['a negative probability', () => entropy(new Float32Array([-0.5, 1.5])), /entropy: p\[0\] = -0.5 is not a probability/],
    ['NaN', () => entropy(new Float32Array([NaN, 1])), /entropy: p\[0\] = nan is not a probability/],
    ['rows that do not divide', () => entropy(new Float32Array(5).fill(0.2), { rows: 2 }), /entropy: p has 5 values, expected rows\*cols = 4/],
    ['a target above ln n', () => entropyNormalize(new Float32Array([0.5, 0.5]), 1), /target\[0\] = 1 is outside \[0, ln cols = 0.693147\]/],
    ['a negative target', () => entropyNormalize(new Float32Array([0.5, 0.5]), -0.1), /is outside \[0, ln cols/],
    ['an unreachable target (one-hot)', () => entropyNormalize(new Float32Array([0, 1, 0]), 0.5), /row 0: target entropy 0.5 is not reachable by p\^γ; this row's range is \[0, 0\]/],
    ['an unreachable target (uniform)', () => entropyNormalize(new Float32Array([0.25, 0.25, 0.25, 0.25]), 1), /this row's range is \[1.38629, 1.38629\]/],
    ['wrong number of targets', () => entropyNormalize(new Float32Array([0.5, 0.5, 0.5, 0.5]), [0.1, 0.2, 0.3], { rows: 2 }), /target has 3 values, expected 1 or rows = 2/],
    ['an unknown method', () => entropyNormalize(new Float32Array([0.5, 0.5]), 0.5, { method: 'magic' }), /method must be one of 'auto', 'seed', 'newton'/],
    ['too few iterations', () => entropyNormalize(softmaxOfLogits(100, 5, 4), 1, { maxIterations: 1 }), /row 0 did not reach the target within 1 iterations/],
  ];
  for (const [name, call, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(call).toThrow(AttnkitError);
      expect(call).toThrow(message);
      expect(Array.from(gemm(new Float32Array([1, 2]), new Float32Array([3, 4]), { m: 1, n: 1, k: 2 }))).toEqual([11]);
    });
  }
});
