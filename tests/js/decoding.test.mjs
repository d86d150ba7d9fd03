import { beforeAll, describe, expect, it } from 'vitest';
import { AttnkitError, PrefixTrie, beamSearch, beamSearchSync, gemm, init } from '../../dist/index.js';

beforeAll(async () => { await init(); });

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

/** Random sequences over ids [1, vocab), with duplicates and prefixes of earlier ones mixed in. */
function randomSequences(count, maxLen, vocab, seed) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < count; ++i) {
    if (i > 0 && r() < 0.2) {
      const base = out[Math.floor(r() * out.length)];
      out.push(r() < 0.5 ? base.slice() : base.slice(0, Math.floor(r() * (base.length + 1))));
    } else {
      out.push(Array.from({ length: Math.floor(r() * (maxLen + 1)) }, () => 1 + Math.floor(r() * (vocab - 1))));
    }
  }
  return out;
}

/** The naive model: prefix → sorted next tokens, entry → values. */
function naive(sequences) {
  const next = new Map();
  const values = new Map();
  sequences.forEach((seq, i) => {
    for (let k = 0; k <= seq.length; ++k) {
      const key = seq.slice(0, k).join(',');
      if (!next.has(key)) next.set(key, new Set());
      if (k < seq.length) next.get(key).add(seq[k]);
    }
    const key = seq.join(',');
    values.set(key, [...(values.get(key) ?? []), 1000 + i]);
  });
  return { next, values };
}

/** log p(token | prefix): log-softmax of logits seeded by a hash of the prefix (deterministic). */
function pseudoModel(prefix, vocab, salt) {
  let h = 2166136261 ^ salt;
  for (const t of prefix) h = Math.imul(h ^ (t + 7), 16777619) >>> 0;
  const r = rng(h);
  const logits = Array.from({ length: vocab }, () => 6 * r() - 3);
  const max = Math.max(...logits);
  const z = Math.log(logits.reduce((s, x) => s + Math.exp(x - max), 0)) + max;
  return Float32Array.from(logits, (x) => x - z);
}

const stepWith = (vocab, salt) => (prefixes) => {
  const out = new Float32Array(prefixes.length * vocab);
  prefixes.forEach((p, i) => out.set(pseudoModel(p, vocab, salt), i * vocab));
  return out;
};

function exhaustiveScore(entry, vocab, salt, alpha) {
  let total = 0;
  for (let i = 0; i <= entry.length; ++i) total += pseudoModel(entry.slice(0, i), vocab, salt)[i < entry.length ? entry[i] : 0];
  return total / Math.max(entry.length, 1) ** alpha;
}

describe('PrefixTrie', () => {
  it('agrees with a naive set-of-prefixes model on random tries', () => {
    for (let seed = 1; seed <= 12; ++seed) {
      const sequences = randomSequences(5 + seed * 7, 6, 3 + (seed % 8), seed);
      const trie = PrefixTrie.from(sequences, sequences.map((_, i) => 1000 + i));
      const model = naive(sequences);
      for (const [key, tokens] of model.next) {
        const prefix = key === '' ? [] : key.split(',').map(Number);
        expect(Array.from(trie.next(prefix))).toEqual([...tokens].sort((a, b) => a - b));
        expect(trie.has(prefix)).toBe(true);
        expect(trie.isComplete(prefix)).toBe(model.values.has(key));
        expect(Array.from(trie.values(prefix))).toEqual(model.values.get(key) ?? []);
      }
      expect(trie.size).toBe(model.values.size);
      expect(trie.nodeCount).toBe(model.next.size);
      expect(trie.has([99999])).toBe(false);
      expect(trie.value([99999])).toBeUndefined();
      trie.dispose();
    }
  });

  it('round-trips through serialize/deserialize and rejects every truncation and corruption', () => {
    const sequences = randomSequences(40, 5, 9, 3);
    const trie = PrefixTrie.from(sequences);
    const bytes = trie.serialize();
    const copy = PrefixTrie.deserialize(bytes);
    expect(copy.serialize()).toEqual(bytes);
    expect(Array.from(copy.next([]))).toEqual(Array.from(trie.next([])));
    for (let len = 0; len < bytes.length; len += 7) {
      expect(() => PrefixTrie.deserialize(bytes.subarray(0, len))).toThrow(/PrefixTrie.deserialize: /);
    }
    for (let i = 0; i < bytes.length; i += 5) {
      const bad = bytes.slice();
      bad[i] ^= 0x41;
      expect(() => PrefixTrie.deserialize(bad)).toThrow(/PrefixTrie.deserialize: /);
    }
  });

  it('survives random bytes without crashing the module', () => {
    const r = rng(77);
    for (let i = 0; i < 500; ++i) {
      const bytes = Uint8Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 256));
      if (i % 3 === 0 && bytes.length >= 8) bytes.set([65, 84, 75, 84, 82, 73, 69, 49]); // valid magic
      expect(() => PrefixTrie.deserialize(bytes)).toThrow(AttnkitError);
    }
    expect(Array.from(gemm(new Float32Array([2]), new Float32Array([3]), { m: 1, n: 1, k: 1 }))).toEqual([6]);
  });
});

describe('beamSearch', () => {
  it('constrained: results are complete entries and a wide beam equals exhaustive scoring', async () => {
    for (let seed = 1; seed <= 10; ++seed) {
      const sequences = randomSequences(6 + seed, 6, 12, seed).filter((s) => s.length > 0);
      const trie = PrefixTrie.from(sequences, sequences.map((_, i) => i));
      for (const lengthPenalty of [0, 1]) {
        const results = await beamSearch(stepWith(12, seed), { vocabSize: 12, eosId: 0, trie, beams: trie.size,
          topK: Math.min(3, trie.size), maxLength: 7, lengthPenalty });
        for (const r of results) {
          expect(trie.isComplete(r.tokens)).toBe(true);
          expect(Array.from(r.values)).toEqual(Array.from(trie.values(r.tokens)));
          expect(r.score).toBeCloseTo(exhaustiveScore(Array.from(r.tokens), 12, seed, lengthPenalty), 4);
        }
        const best = Math.max(...sequences.map((s) => exhaustiveScore(s, 12, seed, lengthPenalty)));
        expect(results[0].score).toBeCloseTo(best, 4);
      }
      trie.dispose();
    }
  });

  it('greedy decoding is beam 1 and takes the argmax at every step', () => {
    const [result] = beamSearchSync(stepWith(10, 4), { vocabSize: 10, eosId: 0, beams: 1, maxLength: 6, lengthPenalty: 0 });
    const expected = [];
    for (let i = 0; i < 6; ++i) {
      const lp = pseudoModel(expected, 10, 4);
      const best = lp.indexOf(Math.max(...lp));
      if (best === 0) break;
      expected.push(best);
    }
    expect(Array.from(result.tokens)).toEqual(expected);
  });

  it('accepts an asynchronous step function', async () => {
    const trie = PrefixTrie.from([[3, 4], [3, 5, 6]]);
    const step = stepWith(8, 2);
    const results = await beamSearch(async (p) => { await new Promise((ok) => setTimeout(ok, 1)); return step(p); },
      { vocabSize: 8, eosId: 0, trie, beams: 2 });
    expect(results.map((r) => trie.isComplete(r.tokens))).toEqual([true, true]);
  });

  const trie = () => PrefixTrie.from([[1, 2], [1, 3]]);
  const cases = [
    ['a step returning the wrong length', () => beamSearchSync(() => new Float32Array(3), { vocabSize: 4, eosId: 0 }),
      /beamSearch: the step function returned 3 log-probabilities, expected 1 hypotheses x vocabSize 4 = 4/],
    ['a step returning NaN', () => beamSearchSync(() => new Float32Array([0, NaN, 0, 0]), { vocabSize: 4, eosId: 0 }),
      /beamSearch: log-probability for hypothesis 0, token 1 is nan/],
    ['a step returning a plain array', () => beamSearchSync(() => [0, 0, 0, 0], { vocabSize: 4, eosId: 0 }),
      /beamSearch: the step function result must be a Float32Array/],
    ['beams 0', () => beamSearchSync(() => new Float32Array(4), { vocabSize: 4, eosId: 0, beams: 0 }), /beamSearch: beams must be a positive integer, got 0/],
    ['eosId outside the vocabulary', () => beamSearchSync(() => new Float32Array(4), { vocabSize: 4, eosId: 4 }), /eosId must be in \[0, vocabSize = 4\), got 4/],
    ['topK above beams', () => beamSearchSync(() => new Float32Array(4), { vocabSize: 4, eosId: 0, beams: 2, topK: 3 }), /topK \(3\) must be <= beams \(2\)/],
    ['an empty trie', () => beamSearchSync(() => new Float32Array(4), { vocabSize: 4, eosId: 0, trie: PrefixTrie.from([]) }), /the trie is empty/],
    ['a trie token outside the vocabulary', () => beamSearchSync(() => new Float32Array(2).fill(-1), { vocabSize: 2, eosId: 0, trie: trie() }), /the trie allows token 1|outside the vocabulary/],
    ['a trie disposed before the search', () => { const t = trie(); t.dispose(); return beamSearchSync(() => new Float32Array(4), { vocabSize: 4, eosId: 0, trie: t }); }, /this PrefixTrie was disposed/],
    ['an unknown prefix for next()', () => trie().next([2]), /PrefixTrie.next: prefix \[2\] is not in the trie/],
    ['non-integer token ids', () => PrefixTrie.from([[1, 2.5]]), /PrefixTrie.from: sequences\[0\] must be an Int32Array or an array of integers/],
    ['negative token ids', () => PrefixTrie.from([[1, -2]]), /PrefixTrie.from: token ids must be >= 0, got -2/],
    ['values of the wrong length', () => PrefixTrie.from([[1], [2]], [5]), /values has 1 entries, expected one per sequence \(2\)/],
    ['bytes that are not a Uint8Array', () => PrefixTrie.deserialize([1, 2, 3]), /bytes must be a Uint8Array/],
  ];
  for (const [name, call, message] of cases) {
    it(`rejects ${name} and keeps working`, () => {
      expect(call).toThrow(AttnkitError);
      expect(call).toThrow(message);
      expect(Array.from(trie().next([1]))).toEqual([2, 3]);
    });
  }
});
