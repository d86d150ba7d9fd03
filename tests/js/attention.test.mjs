import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AttnkitError, LinearAttentionState, attention, entropyInvariantScale, gauAttention, gemm, init, linearAttention,
  performerProjection, rope,
} from '../../dist/index.js';
import { maxAbsDiff, randomFloats } from './reference.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/attention.json', import.meta.url), 'utf8'));
const inputs = (seed, count) => randomFloats(count, seed, -2, 2);

beforeAll(async () => { await init(); });

function runCase(c) {
  const d = c.dims;
  const heads = d.batch * d.heads;
  const q = inputs(c.seed, heads * d.queryLen * d.headDim);
  const k = inputs(c.seed + 1, heads * d.keyLen * d.headDim);
  const v = inputs(c.seed + 2, heads * d.keyLen * d.valueDim);
  const options = { ...d, ...c.mask };
  if (c.kind === 'softmax') {
    const s = c.scale;
    const scale = s.kind === 'explicit' ? s.value : s.kind ?? 'inv-sqrt-d';
    if (c.span) options.span = c.span;
    if (c.persistent) {
      options.persistent = { count: c.persistent, keys: inputs(c.seed + 3, d.heads * c.persistent * d.headDim),
        values: inputs(c.seed + 4, d.heads * c.persistent * d.valueDim) };
    }
    return attention(q, k, v, { ...options, scale, trainLen: s.trainLen, minKeys: s.minKeys });
  }
  if (c.kind === 'relu2') return gauAttention(q, k, v, options);
  return linearAttention(q, k, v, { ...options, featureMap: c.featureMap });
}

describe('attention kernels match the NumPy reference (tests/fixtures/attention.json)', () => {
  for (const c of fixture.attention) {
    const d = c.dims;
    const label = `${c.kind}${c.featureMap ? ` ${c.featureMap}` : ''} B${d.batch} H${d.heads} Lq${d.queryLen} Lk${d.keyLen} `
      + `d${d.headDim}/${d.valueDim} mask ${JSON.stringify(c.mask)} scale ${JSON.stringify(c.scale)}`;
    const extras = `${c.span ? ` span ${JSON.stringify(c.span)}` : ''}${c.persistent ? ` persistent ${c.persistent}` : ''}`;
    // The span and persistent-memory cases are held to 1e-5 (float64 NumPy reference, ≤ 300 keys).
    const tolerance = c.span || c.persistent ? 1e-5 : 2e-4;
    it(label + extras, () => {
      const out = runCase(c);
      c.rows.forEach((row, i) => {
        const got = out.subarray(row * d.valueDim, (row + 1) * d.valueDim);
        c.expected[i].forEach((want, j) => {
          expect(Math.abs(got[j] - want)).toBeLessThanOrEqual(tolerance + tolerance * Math.abs(want));
        });
      });
    });
  }

  for (const c of fixture.rope) {
    it(`rope seqLen ${c.seqLen} headDim ${c.headDim} offset ${c.positionOffset} base ${c.base} (in place)`, () => {
      const x = inputs(c.seed, c.count);
      // Only the options: the fixture case also holds its seed and expected rows (unknown keys are an error).
      const result = rope(x, { seqLen: c.seqLen, headDim: c.headDim, positionOffset: c.positionOffset, base: c.base });
      expect(result).toBe(x);
      c.rows.forEach((row, i) => {
        expect(maxAbsDiff(x.subarray(row * c.headDim, (row + 1) * c.headDim), c.expected[i])).toBeLessThan(1e-5);
      });
    });
  }
});

describe('attention semantics', () => {
  it('entropy-invariant scale equals 1/sqrt(d) at the training length and grows as log n', () => {
    expect(entropyInvariantScale(512, 64)).toBeCloseTo(1 / 8, 12);
    expect(entropyInvariantScale(1024, 64, { trainLen: 512 })).toBeCloseTo(10 / 9 / 8, 12);
    expect(entropyInvariantScale(4, 64, { minKeys: 16 })).toBeCloseTo(Math.log(16) / Math.log(512) / 8, 12);
  });

  it('with the entropy-invariant scale at n = trainLen, attention equals the 1/sqrt(d) attention', () => {
    const [n, d] = [64, 32];
    const q = inputs(1, n * d), k = inputs(2, n * d), v = inputs(3, n * d);
    const a = attention(q, k, v, { queryLen: n, headDim: d });
    const b = attention(q, k, v, { queryLen: n, headDim: d, scale: 'entropy-invariant', trainLen: n });
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
  });

  it('an adaptive span past every distance (z + R > n) equals plain causal attention', () => {
    const [heads, n, d] = [2, 150, 16];
    const q = inputs(40, heads * n * d), k = inputs(41, heads * n * d), v = inputs(42, heads * n * d);
    const full = attention(q, k, v, { heads, queryLen: n, headDim: d, causal: true });
    const spanned = attention(q, k, v, { heads, queryLen: n, headDim: d, causal: true, span: { size: [n, 2 * n], ramp: 1 } });
    expect(maxAbsDiff(full, spanned)).toBeLessThan(1e-6);
  });

  it('keys at distance ≥ z + R have no effect: changing them leaves the output bit-identical', () => {
    const [n, d, z, ramp] = [300, 16, 20, 10];
    const q = inputs(43, n * d), k = inputs(44, n * d), v = inputs(45, n * d);
    const options = { queryLen: n, headDim: d, causal: true, span: { size: [z], ramp } };
    const out = attention(q, k, v, options);
    const k2 = k.slice(), v2 = v.slice();
    k2.fill(9, 0, 100 * d); v2.fill(-9, 0, 100 * d);  // keys 0..99: out of reach of queries ≥ 130
    const changed = attention(q, k2, v2, options);
    expect(changed.subarray(130 * d)).toEqual(out.subarray(130 * d));
    expect(maxAbsDiff(changed.subarray(0, 100 * d), out.subarray(0, 100 * d))).toBeGreaterThan(0.1);
  });

  it('spans wider than one 256-key tile equal the formula a_tr ∝ m_z(t − r)·e^{s_tr} (float64, by hand)', () => {
    // z + R + tile rows > 256 makes the kernel take a whole span window as one wider key tile (up to 1024).
    const [heads, n, d, ramp] = [2, 1400, 8, 16];
    const sizes = [500, 900.5];
    const q = inputs(49, heads * n * d), k = inputs(50, heads * n * d), v = inputs(51, heads * n * d);
    const out = attention(q, k, v, { heads, queryLen: n, headDim: d, causal: true, span: { size: sizes, ramp } });
    for (let h = 0; h < heads; ++h) {
      for (const t of [0, 17, 515, 516, 1000, 1399]) {
        const weights = [];
        for (let r = 0; r <= t; ++r) {
          const m = Math.min(1, Math.max(0, (ramp + sizes[h] - (t - r)) / ramp));
          let s = 0;
          for (let c = 0; c < d; ++c) s += q[(h * n + t) * d + c] * k[(h * n + r) * d + c];
          weights.push(m * Math.exp(s / Math.sqrt(d)));
        }
        const total = weights.reduce((a, b) => a + b, 0);
        for (let c = 0; c < d; ++c) {
          let expected = 0;
          weights.forEach((w, r) => { expected += (w / total) * v[(h * n + r) * d + c]; });
          expect(Math.abs(out[(h * n + t) * d + c] - expected)).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('a short ramp makes a hard window: the span equals attention over the last z + 1 keys', () => {
    const [n, d, z] = [40, 8, 5];
    const q = inputs(46, n * d), k = inputs(47, n * d), v = inputs(48, n * d);
    const out = attention(q, k, v, { queryLen: n, headDim: d, causal: true, span: { size: [z], ramp: 0.5 } });
    for (const t of [0, 3, 5, 6, 20, 39]) {
      const first = Math.max(0, t - z);
      const windowed = attention(q.subarray(t * d, (t + 1) * d), k.subarray(first * d, (t + 1) * d), v.subarray(first * d, (t + 1) * d),
        { queryLen: 1, keyLen: t + 1 - first, headDim: d });
      expect(maxAbsDiff(out.subarray(t * d, (t + 1) * d), windowed)).toBeLessThan(1e-6);
    }
  });

  it('persistent memory equals concatenating its keys and values in front of every head by hand', () => {
    const [batch, heads, n, d, dv, count] = [2, 3, 37, 16, 8, 5];
    const q = inputs(50, batch * heads * n * d), k = inputs(51, batch * heads * n * d), v = inputs(52, batch * heads * n * dv);
    const keys = inputs(53, heads * count * d), values = inputs(54, heads * count * dv);
    const out = attention(q, k, v, { batch, heads, queryLen: n, headDim: d, valueDim: dv, persistent: { keys, values, count } });
    const m = n + count;
    const kc = new Float32Array(batch * heads * m * d), vc = new Float32Array(batch * heads * m * dv);
    for (let b = 0; b < batch; ++b) for (let h = 0; h < heads; ++h) {
      const head = b * heads + h;
      kc.set(keys.subarray(h * count * d, (h + 1) * count * d), head * m * d);
      kc.set(k.subarray(head * n * d, (head + 1) * n * d), head * m * d + count * d);
      vc.set(values.subarray(h * count * dv, (h + 1) * count * dv), head * m * dv);
      vc.set(v.subarray(head * n * dv, (head + 1) * n * dv), head * m * dv + count * dv);
    }
    const byHand = attention(q, kc, vc, { batch, heads, queryLen: n, keyLen: m, headDim: d, valueDim: dv });
    expect(maxAbsDiff(out, byHand)).toBeLessThan(1e-6);
  });

  it('persistent keys are seen through any mask: a fully padded row attends to the memory alone', () => {
    const [n, d, count] = [6, 8, 2];
    const q = inputs(55, n * d), keys = inputs(56, count * d), values = inputs(57, count * d);
    const out = attention(q, q, q, { queryLen: n, headDim: d, keyLengths: [0], persistent: { keys, values, count } });
    const memoryOnly = attention(q, keys, values, { queryLen: n, keyLen: count, headDim: d });
    expect(maxAbsDiff(out, memoryOnly)).toBeLessThan(1e-6);
  });

  it('a KV-cache query (queryLen 1, causal) equals the last row of full causal attention', () => {
    const [n, d] = [70, 16];
    const q = inputs(4, n * d), k = inputs(5, n * d), v = inputs(6, n * d);
    const full = attention(q, k, v, { queryLen: n, headDim: d, causal: true });
    const last = attention(q.subarray((n - 1) * d), k, v, { queryLen: 1, keyLen: n, headDim: d, causal: true });
    expect(maxAbsDiff(last, full.subarray((n - 1) * d))).toBeLessThan(1e-6);
  });

  it("GAU 'softmax' variant is attention with the entropy-invariant scale", () => {
    const [n, d] = [40, 16];
    const q = inputs(7, n * d), k = inputs(8, n * d), v = inputs(9, n * d);
    const gau = gauAttention(q, k, v, { queryLen: n, headDim: d, variant: 'softmax', trainLen: 64 });
    const ref = attention(q, k, v, { queryLen: n, headDim: d, scale: 'entropy-invariant', trainLen: 64 });
    expect(maxAbsDiff(gau, ref)).toBe(0);
  });

  it('LinearAttentionState streams token by token to the causal result, for every feature map', () => {
    const [n, d, dv] = [33, 16, 8];
    const q = inputs(10, n * d), k = inputs(11, n * d), v = inputs(12, n * dv);
    for (const featureMap of ['elu+1', 'relu', 'exp', 'performer']) {
      const options = { featureMap, features: 48, seed: 3 };
      const causal = linearAttention(q, k, v, { queryLen: n, headDim: d, valueDim: dv, causal: true, ...options });
      const state = new LinearAttentionState({ headDim: d, valueDim: dv, ...options });
      for (let i = 0; i < n; ++i) {
        const out = state.step(q.subarray(i * d, (i + 1) * d), k.subarray(i * d, (i + 1) * d), v.subarray(i * dv, (i + 1) * dv));
        expect(maxAbsDiff(out, causal.subarray(i * dv, (i + 1) * dv))).toBeLessThan(1e-6);
      }
      expect(state.tokens).toBe(n);
      state.reset();
      expect(state.tokens).toBe(0);
      state.dispose();
      expect(() => state.step(q.subarray(0, d), k.subarray(0, d), v.subarray(0, dv))).toThrow('LinearAttentionState.step: this LinearAttentionState was disposed');
    }
  });

  it('Performer attention converges to softmax attention as the number of features grows', () => {
    const [n, d] = [64, 16];
    const q = randomFloats(n * d, 21, -0.7, 0.7), k = randomFloats(n * d, 22, -0.7, 0.7), v = inputs(23, n * d);
    const exact = attention(q, k, v, { queryLen: n, headDim: d });
    const errors = [16, 64, 256, 1024].map((features) => {
      let total = 0;
      for (let seed = 1; seed <= 4; ++seed) {
        const approx = linearAttention(q, k, v, { queryLen: n, headDim: d, featureMap: 'performer', features, seed });
        total += approx.reduce((s, x, i) => s + Math.abs(x - exact[i]), 0) / approx.length / 4;
      }
      return total;
    });
    for (let i = 1; i < errors.length; ++i) expect(errors[i]).toBeLessThan(errors[i - 1]);
    expect(errors.at(-1)).toBeLessThan(0.02);
  });

  it('performerProjection is reproducible by seed and orthogonal within a block', () => {
    const w = performerProjection(20, 8, 42);
    expect(w).toEqual(performerProjection(20, 8, 42));
    expect(w).not.toEqual(performerProjection(20, 8, 43));
    for (let a = 0; a < 8; ++a)
      for (let b = a + 1; b < 8; ++b) {
        let dot = 0;
        for (let c = 0; c < 8; ++c) dot += w[a * 8 + c] * w[b * 8 + c];
        expect(Math.abs(dot)).toBeLessThan(1e-4);
      }
  });
});

describe('attention rejects bad input with a clear Error and keeps working', () => {
  const q = inputs(30, 2 * 4 * 8);
  const base = { heads: 2, queryLen: 4, headDim: 8 };
  const cases = [
    ['NaN in q', () => attention(Float32Array.from(q, (x, i) => (i === 5 ? NaN : x)), q, q, base), /attention: q\[5\] is not finite/],
    ['wrong q length', () => attention(q.subarray(1), q, q, base), /attention: q has 63 values, expected batch\*heads\*queryLen\*headDim = 64/],
    ['zero headDim', () => attention(q, q, q, { ...base, headDim: 0 }), /attention: headDim must be a positive integer, got 0/],
    ['missing options', () => attention(q, q, q), /attention: options with the shape are required/],
    ['unknown scale', () => attention(q, q, q, { ...base, scale: 'log' }), /attention: scale must be one of 'inv-sqrt-d', 'entropy-invariant', got log/],
    ['NaN scale', () => attention(q, q, q, { ...base, scale: NaN }), /attention: scale must be a finite number/],
    ['trainLen 1', () => attention(q, q, q, { ...base, scale: 'entropy-invariant', trainLen: 1 }), /attention: trainLen must be a finite number > 1, got 1/],
    ['prefixLen without causal', () => attention(q, q, q, { ...base, prefixLen: 2 }), /needs causal: true/],
    ['prefixLen past keyLen', () => attention(q, q, q, { ...base, causal: true, prefixLen: 9 }), /prefixLen must be in \[0, keyLen = 4\], got 9/],
    ['keyLengths too long', () => attention(q, q, q, { ...base, keyLengths: [5] }), /keyLengths\[0\] must be in \[0, keyLen = 4\], got 5/],
    ['keyLengths wrong count', () => attention(q, q, q, { ...base, keyLengths: [1, 2] }), /keyLengths has 2 values, expected batch = 1/],
    ['k not a Float32Array', () => attention(q, Array.from(q), q, base), /attention: k must be a Float32Array, got Array/],
    ['unknown feature map', () => linearAttention(q, q, q, { ...base, featureMap: 'tanh' }), /featureMap must be one of/],
    ['causal linear with a cache', () => linearAttention(q.subarray(0, 16), q, q, { ...base, queryLen: 1, keyLen: 4, causal: true }), /causal linear attention needs queryLen == keyLen/],
    ['prefix-LM linear', () => linearAttention(q, q, q, { ...base, causal: true, prefixLen: 2 }), /prefixLen \(prefix-LM\) is not supported by linear attention/],
    ['performer projection size', () => linearAttention(q, q, q, { ...base, featureMap: 'performer', features: 4, projection: new Float32Array(8) }), /projection has 8 values, expected features\*headDim = 32/],
    ['performer seed', () => performerProjection(4, 8, -1), /seed must be an integer in \[0, 2\^53\)/],
    ['odd rope dim', () => rope(new Float32Array(14), { seqLen: 2, headDim: 7 }), /rope: headDim must be even/],
    ['rope length', () => rope(new Float32Array(10), { seqLen: 2, headDim: 4 }), /rope: x has 10 values, expected a positive multiple of seqLen\*headDim = 8/],
    ['state step length', () => new LinearAttentionState({ headDim: 8 }).step(q.subarray(0, 7), q.subarray(0, 8), q.subarray(0, 8)), /LinearAttentionState.step: q has 7 values, expected headDim = 8/],
    ['gau variant', () => gauAttention(q, q, q, { ...base, variant: 'gelu' }), /variant must be one of 'relu2', 'softmax'/],
    ['entropyInvariantScale keys', () => entropyInvariantScale(0, 64), /keys must be a finite number >= 1, got 0/],
    ['span 0', () => attention(q, q, q, { ...base, causal: true, span: { size: [0, 1], ramp: 2 } }), /span.size\[0\] must be a finite number > 0, got 0/],
    ['span NaN', () => attention(q, q, q, { ...base, causal: true, span: { size: [NaN, 1], ramp: 2 } }), /span.size\[0\] must be a finite number > 0, got nan/i],
    ['span negative', () => attention(q, q, q, { ...base, causal: true, span: { size: [-3, 1], ramp: 2 } }), /span.size\[0\] must be a finite number > 0/],
    ['ramp 0', () => attention(q, q, q, { ...base, causal: true, span: { size: [2, 2], ramp: 0 } }), /span.ramp must be a finite number > 0, got 0/],
    ['ramp Infinity', () => attention(q, q, q, { ...base, causal: true, span: { size: [2, 2], ramp: Infinity } }), /span.ramp must be a finite number > 0/],
    ['span per head count', () => attention(q, q, q, { ...base, causal: true, span: { size: [2, 3, 4], ramp: 1 } }), /span.size has 3 values, expected heads = 2/],
    ['span without causal', () => attention(q, q, q, { ...base, span: { size: [2, 2], ramp: 1 } }), /adaptive span needs causal: true/],
    ['span with prefixLen', () => attention(q, q, q, { ...base, causal: true, prefixLen: 1, span: { size: [2, 2], ramp: 1 } }), /cannot be combined with prefixLen/],
    ['span typo', () => attention(q, q, q, { ...base, causal: true, span: { size: [2, 2], rampWidth: 1 } }), /unknown option 'rampWidth' in span/],
    ['persistent count mismatch', () => attention(q, q, q, { ...base, persistent: { keys: q.subarray(0, 16), values: q.subarray(0, 16), count: 3 } }), /persistent.keys has 16 values, expected heads\*persistent.count\*headDim = 48/],
    ['persistent values size', () => attention(q, q, q, { ...base, persistent: { keys: q.subarray(0, 16), values: q.subarray(0, 8), count: 1 } }), /persistent.values has 8 values, expected heads\*persistent.count\*valueDim = 16/],
    ['persistent count 0', () => attention(q, q, q, { ...base, persistent: { keys: q, values: q, count: 0 } }), /persistent.count must be a positive integer/],
    ['persistent NaN', () => attention(q, q, q, { ...base, persistent: { keys: new Float32Array(16).fill(NaN), values: q.subarray(0, 16), count: 1 } }), /persistent.keys/],
  ];
  for (const [name, call, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(call).toThrow(AttnkitError);
      expect(call).toThrow(message);
      expect(Array.from(gemm(new Float32Array([1, 2]), new Float32Array([3, 4]), { m: 1, n: 1, k: 2 }))).toEqual([11]);
    });
  }

  it('a fully masked query row gives zeros, not NaN', () => {
    const out = attention(q.subarray(0, 32), q.subarray(0, 32), q.subarray(0, 32), { queryLen: 4, headDim: 8, keyLengths: [0] });
    expect(Array.from(out).every((x) => x === 0)).toBe(true);
  });
});
