import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttnkitError, BioHash, HammingIndex, init } from '../../dist/index.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/biohash.json', import.meta.url), 'utf8'));
let hash;

beforeAll(async () => {
  await init();
  hash = await BioHash.load();
});

const hex = (word) => `0x${word.toString(16).padStart(16, '0')}`;
const popcount = (x) => { let n = 0; for (; x; x &= x - 1n) ++n; return n; };

describe('BioHash codes equal scripts/train_biohash.py (tests/fixtures/biohash.json)', () => {
  it('the bundled model has the fixture\'s shape', () => {
    expect(hash.bits % 64).toBe(0);
    expect(hash.active).toBeLessThanOrEqual(hash.bits);
  });
  for (const c of fixture.cases) {
    it(`${JSON.stringify(c.text.slice(0, 24))}${c.text.length > 24 ? '…' : ''}`, () => {
      const code = hash.encode([c.text]);
      expect(Array.from(code, hex)).toEqual(c.code);
      const { buckets, counts } = hash.features(c.text);
      expect(Array.from(buckets)).toEqual(c.features.map(([b]) => b));
      expect(Array.from(counts)).toEqual(c.features.map(([, n]) => n));
      expect(Array.from(code).reduce((n, w) => n + popcount(w), 0)).toBe(hash.active);
    });
  }
  it('encodes a batch exactly as one text at a time', () => {
    const texts = fixture.cases.map((c) => c.text);
    const batch = hash.encode(texts);
    texts.forEach((t, i) => expect(batch.subarray(i * hash.words, (i + 1) * hash.words)).toEqual(hash.encode(t)));
  });
});

describe('HammingIndex', () => {
  function randomCodes(count, words, seed) {
    let s = seed;
    const codes = new BigUint64Array(count * words);
    for (let i = 0; i < codes.length; ++i) {
      let w = 0n;
      for (let b = 0; b < 64; ++b) { s = (s * 1103515245 + 12345) >>> 0; if ((s >>> 16) % 8 === 0) w |= 1n << BigInt(b); }
      codes[i] = w;
    }
    return codes;
  }
  const brute = (codes, query, words, metric) => {
    const n = codes.length / words;
    const score = Array.from({ length: n }, (_, i) => {
      let total = 0;
      for (let w = 0; w < words; ++w) total += popcount(metric === 'overlap' ? codes[i * words + w] & query[w] : codes[i * words + w] ^ query[w]);
      return total;
    });
    const order = [...score.keys()].sort((a, b) => (metric === 'overlap' ? score[b] - score[a] : score[a] - score[b]) || a - b);
    return { order, score };
  };

  // 64, 192 and 2048 bits take the scalar loop, 256 and 1024 the i8x16.popcnt one (two words at a time,
  // four entries a step); 703 entries leave a tail of 3 for the scalar loop.
  for (const bits of [64, 192, 256, 1024, 2048]) {
    it(`finds the same nearest entries, in the same order, as a brute-force ranking (${bits} bits, both metrics)`, () => {
      const words = bits / 64;
      const codes = randomCodes(703, words, 3);
      const queries = randomCodes(4, words, 9);
      const index = new HammingIndex({ bits });
      expect(index.add(codes.subarray(0, 300 * words))).toBe(300);
      expect(index.add(codes.subarray(300 * words))).toBe(703);
      for (const metric of ['overlap', 'hamming']) {
        const { indices, scores } = index.search(queries, { topK: 12, metric });
        for (let q = 0; q < 4; ++q) {
          const { order, score } = brute(codes, queries.subarray(q * words, (q + 1) * words), words, metric);
          expect(Array.from(indices.subarray(q * 12, (q + 1) * 12))).toEqual(order.slice(0, 12));
          expect(Array.from(scores.subarray(q * 12, (q + 1) * 12))).toEqual(order.slice(0, 12).map((i) => score[i]));
        }
      }
      index.dispose();
    });
  }

  it('a text\'s own code is its nearest entry, with overlap = active bits', () => {
    const texts = fixture.cases.map((c) => c.text).filter((t, i, all) => t.trim() !== '' && all.indexOf(t) === i);
    const index = new HammingIndex({ bits: hash.bits });
    index.add(hash.encode(texts));
    const { indices, scores } = index.search(hash.encode(texts[5]), { topK: 1 });
    expect(scores[0]).toBe(hash.active);
    expect(texts[indices[0]]).toBe(texts[5]);
    index.dispose();
  });

  it('rejects code lengths that are not a multiple of 64, wrong arrays and options, and use after dispose', () => {
    expect(() => new HammingIndex({ bits: 100 })).toThrow(/bits must be a multiple of 64 \(codes are packed in 64-bit words\), got 100/);
    expect(() => new HammingIndex({ bits: 0 })).toThrow(AttnkitError);
    const index = new HammingIndex({ bits: 128 });
    expect(() => index.add(new BigUint64Array(3))).toThrow(/codes has 3 64-bit words, not a multiple of bits\/64 = 2/);
    expect(() => index.add(new Uint32Array(4))).toThrow(/codes must be a BigUint64Array/);
    index.add(new BigUint64Array([1n, 0n]));
    expect(() => index.search(new BigUint64Array(2), { metric: 'jaccard' })).toThrow(/metric must be one of 'overlap', 'hamming'/);
    expect(() => index.search(new BigUint64Array(2), { topK: 0 })).toThrow(/topK must be a positive integer/);
    expect(() => index.search(new BigUint64Array(2), { k: 3 })).toThrow(/unknown option 'k'/);
    expect(Array.from(index.search(new BigUint64Array([1n, 0n]), { topK: 2 }).indices)).toEqual([0, -1]);
    index.dispose();
    expect(() => index.search(new BigUint64Array(2))).toThrow(/disposed/);
    expect(() => hash.encode([1, 2])).toThrow(/texts must be a string or an array of strings/);
  });

  it('a wrong model directory or file is a named Error', async () => {
    await expect(BioHash.load({ url: new URL('../../dist/models/ner-cluener/', import.meta.url) })).rejects.toThrow(/"type" must be "biohash"/);
    await expect(BioHash.load({ url: new URL('../fixtures/no-such-model/', import.meta.url) })).rejects.toMatchObject({ code: 'not-found' });
    const config = JSON.stringify({ type: 'biohash', buckets: 4, units: 100, active: 2 });
    await expect(BioHash.load({ files: { config, weights: new Uint8Array(16) } })).rejects.toThrow(/multiple of 64/);
    await expect(BioHash.load({ files: { config: { type: 'biohash', buckets: 4, units: 64, active: 2 }, weights: new Uint8Array(16) } }))
      .rejects.toThrow(/safetensors/);
  });
});
