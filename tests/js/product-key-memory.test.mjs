import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttnkitError, ProductKeyMemory, init } from '../../dist/index.js';
import { randomFloats } from './reference.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/attention.json', import.meta.url), 'utf8'));
const inputs = (seed, count) => randomFloats(count, seed, -2, 2);

beforeAll(async () => { await init(); });

/** A safetensors file of float32 tensors (8-byte header length, JSON header, data). */
function safetensors(tensors) {
  const header = {};
  let offset = 0;
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const bytes = new Uint8Array(8 + json.length + offset);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(new TextEncoder().encode(json), 8);
  let at = 8 + json.length;
  for (const { data } of Object.values(tensors)) { bytes.set(new Uint8Array(data.buffer), at); at += data.byteLength; }
  return bytes;
}

function randomMemory({ heads = 1, n, dq, dv, k, inputDim = 0, seed = 1 }) {
  return new ProductKeyMemory({
    heads, subKeyCount: n, queryDim: dq, valueDim: dv, topK: k,
    subKeys: inputs(seed, heads * 2 * n * (dq / 2)), values: inputs(seed + 1, n * n * dv),
    ...(inputDim > 0 ? { inputDim, queryWeight: inputs(seed + 2, heads * dq * inputDim), queryBias: inputs(seed + 3, heads * dq) } : {}),
  });
}

describe('ProductKeyMemory matches the NumPy exhaustive reference (tests/fixtures/attention.json)', () => {
  for (const c of fixture.productKeyMemory) {
    it(`heads ${c.heads}, ${c.subKeyCount}² slots, queryDim ${c.queryDim}, topK ${c.topK}, inputDim ${c.inputDim}`, () => {
      const memory = new ProductKeyMemory({
        heads: c.heads, subKeyCount: c.subKeyCount, queryDim: c.queryDim, valueDim: c.valueDim, topK: c.topK,
        inputDim: c.inputDim, subKeys: inputs(c.seed + 1, c.heads * 2 * c.subKeyCount * (c.queryDim / 2)),
        values: inputs(c.seed + 2, c.subKeyCount ** 2 * c.valueDim),
        queryWeight: inputs(c.seed + 3, c.heads * c.queryDim * c.inputDim), queryBias: inputs(c.seed + 4, c.heads * c.queryDim),
      });
      const got = memory.lookup(inputs(c.seed, c.rows * c.inputDim));
      expect(Array.from(got.indices)).toEqual(c.indices.flat());
      c.weights.flat().forEach((w, i) => expect(Math.abs(got.weights[i] - w)).toBeLessThan(1e-5));
      c.output.flat().forEach((o, i) => expect(Math.abs(got.output[i] - o)).toBeLessThan(1e-5 + 1e-5 * Math.abs(o)));
      memory.dispose();
    });
  }
});

describe('ProductKeyMemory semantics', () => {
  it('the product search finds exactly the slots, weights and outputs of scoring all n² keys', () => {
    const memory = randomMemory({ heads: 3, n: 64, dq: 32, dv: 16, k: 16, inputDim: 24, seed: 7 });
    const x = inputs(11, 40 * 24);
    const product = memory.lookup(x);
    const exhaustive = memory.lookup(x, { search: 'exhaustive' });
    expect(product.indices).toEqual(exhaustive.indices);
    expect(product.weights).toEqual(exhaustive.weights);
    expect(product.output).toEqual(exhaustive.output);
    memory.dispose();
  });

  it('ties between slots go to the lower slot in both searches (duplicated sub-keys)', () => {
    const [n, dq] = [8, 4];
    const subKeys = new Float32Array(2 * n * (dq / 2));
    for (let i = 0; i < n; ++i) subKeys.set([i % 3, 1], 2 * i);  // rows 0/3/6 … share a sub-key
    for (let i = 0; i < n; ++i) subKeys.set([1, i % 2], 2 * (n + i));
    const memory = new ProductKeyMemory({ subKeyCount: n, queryDim: dq, valueDim: 2, topK: 5, subKeys, values: inputs(3, n * n * 2) });
    const q = Float32Array.from([1, 0, 0, 1]);
    const product = memory.lookup(q);
    expect(product.indices).toEqual(memory.lookup(q, { search: 'exhaustive' }).indices);
    // The best first-half sub-keys score 2 (i = 2, 5), the second half 1 (odd j): slots 2·8+1, 2·8+3, …
    expect(Array.from(product.indices)).toEqual([17, 19, 21, 23, 41]);
    memory.dispose();
  });

  it('output is the softmax-weighted sum of the chosen values, summed over heads', () => {
    const [heads, n, dq, dv, k] = [2, 10, 6, 5, 3];
    const values = inputs(5, n * n * dv);
    const memory = new ProductKeyMemory({ heads, subKeyCount: n, queryDim: dq, valueDim: dv, topK: k,
      subKeys: inputs(4, heads * 2 * n * (dq / 2)), values });
    const { output, indices, weights } = memory.lookup(inputs(6, heads * dq));
    const expected = new Float64Array(dv);
    for (let i = 0; i < heads * k; ++i) for (let c = 0; c < dv; ++c) expected[c] += weights[i] * values[indices[i] * dv + c];
    for (let c = 0; c < dv; ++c) expect(output[c]).toBeCloseTo(expected[c], 5);
    for (let h = 0; h < heads; ++h) expect(weights.subarray(h * k, (h + 1) * k).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    memory.dispose();
  });

  it('loads from a safetensors file and answers as the same memory built from arrays', async () => {
    const [heads, n, dq, dv, d] = [2, 12, 8, 4, 6];
    const t = { sub_keys: { shape: [heads, 2, n, dq / 2], data: inputs(20, heads * 2 * n * (dq / 2)) },
      values: { shape: [n * n, dv], data: inputs(21, n * n * dv) },
      'query.weight': { shape: [heads * dq, d], data: inputs(22, heads * dq * d) },
      'query.bias': { shape: [heads * dq], data: inputs(23, heads * dq) } };
    const fromFile = await ProductKeyMemory.load({ bytes: safetensors(t), topK: 4 });
    expect([fromFile.heads, fromFile.subKeyCount, fromFile.queryDim, fromFile.valueDim, fromFile.topK, fromFile.inputDim, fromFile.slots])
      .toEqual([heads, n, dq, dv, 4, d, n * n]);
    const fromArrays = new ProductKeyMemory({ heads, subKeyCount: n, queryDim: dq, valueDim: dv, topK: 4, inputDim: d,
      subKeys: t.sub_keys.data, values: t.values.data, queryWeight: t['query.weight'].data, queryBias: t['query.bias'].data });
    const x = inputs(24, 3 * d);
    expect(fromFile.lookup(x)).toEqual(fromArrays.lookup(x));
    fromFile.dispose();
    fromArrays.dispose();
  });
});

describe('ProductKeyMemory bad input', () => {
  const base = { subKeyCount: 4, queryDim: 4, valueDim: 2, topK: 2, subKeys: inputs(1, 16), values: inputs(2, 32) };
  const error = (options) => {
    try { new ProductKeyMemory(options).dispose(); } catch (e) { return e; }
    return undefined;
  };
  it('topK larger than the sub-key count', () => {
    expect(error({ ...base, topK: 5 })).toBeInstanceOf(AttnkitError);
    expect(error({ ...base, topK: 5 }).message).toMatch(/topK \(5\) must be at most subKeyCount \(4\)/);
  });
  it('odd queryDim, wrong tensor sizes, non-finite values, projection without inputDim', () => {
    expect(error({ ...base, queryDim: 3 }).message).toMatch(/queryDim must be even/);
    expect(error({ ...base, subKeys: inputs(1, 15) }).message).toMatch(/subKeys has 15 values, expected heads\*2\*subKeyCount\*queryDim\/2 = 16/);
    expect(error({ ...base, values: inputs(1, 31) }).message).toMatch(/values has 31 values/);
    expect(error({ ...base, values: new Float32Array(32).fill(NaN) }).message).toMatch(/values/);
    expect(error({ ...base, queryWeight: inputs(1, 8) }).message).toMatch(/inputDim is 0/);
    expect(error({ ...base, topk: 2 }).message).toMatch(/unknown option 'topk'/);
  });
  it('lookups with the wrong x, an unknown search, after dispose', () => {
    const memory = new ProductKeyMemory(base);
    expect(() => memory.lookup(inputs(1, 5))).toThrow(/x has 5 values, expected a positive multiple of heads\*queryDim = 4/);
    expect(() => memory.lookup(new Float32Array([1, NaN, 0, 0]))).toThrow(/x/);
    expect(() => memory.lookup(inputs(1, 4), { search: 'flat' })).toThrow(/search must be one of/);
    expect(memory.lookup(inputs(1, 8)).indices.length).toBe(4);  // the module keeps working
    memory.dispose();
    expect(() => memory.lookup(inputs(1, 4))).toThrow(/disposed/);
  });
  it('a truncated or foreign safetensors file is a named error', async () => {
    await expect(ProductKeyMemory.load({ bytes: new Uint8Array([1, 2, 3]), topK: 2 })).rejects.toThrow(/safetensors/);
    const noKeys = safetensors({ values: { shape: [16, 2], data: inputs(1, 32) } });
    await expect(ProductKeyMemory.load({ bytes: noKeys, topK: 2 })).rejects.toThrow(/sub_keys/);
    await expect(ProductKeyMemory.load({ topK: 2 })).rejects.toThrow(/one of url or bytes/);
  });
});
