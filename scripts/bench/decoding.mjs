// PrefixTrie at scale (1,000,000 random sequences of length 4–24 over a 21,128-token vocabulary) and the
// per-step cost of trie-constrained beam search against the same search unconstrained.
import { PrefixTrie, beamSearchSync } from '../../dist/index.js';
import { median, randomFloats } from './harness.mjs';

function randomSequences(count, vocab, seed) {
  let s = seed >>> 0;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  return Array.from({ length: count }, () => {
    const seq = new Int32Array(4 + (next() % 21));
    for (let i = 0; i < seq.length; ++i) seq[i] = 1 + (next() % (vocab - 1));
    return seq;
  });
}

// Both layouts on the same sequences and probes, side by side: bytes per node and next() per second.
export function benchTrie({ count = 1_000_000, vocab = 21128, lookups = 200_000, runs = 5 } = {}) {
  const sequences = randomSequences(count, vocab, 11);
  const probes = Array.from({ length: lookups }, (_, i) => {
    const seq = sequences[(i * 7919) % count];
    return seq.subarray(0, 1 + (i % seq.length));
  });
  const rows = [];
  for (const layout of ['flat', 'compact']) {
    // The first build pays for growing WASM memory (first touches of fresh pages); a later one reuses it.
    let start = performance.now();
    PrefixTrie.from(sequences, undefined, { layout }).dispose();
    const firstBuildMs = performance.now() - start;
    start = performance.now();
    const trie = PrefixTrie.from(sequences, undefined, { layout });
    const buildMs = performance.now() - start;
    const times = [];
    for (let r = 0; r < runs; ++r) {
      const lookupStart = performance.now();
      for (const prefix of probes) trie.next(prefix);
      times.push(performance.now() - lookupStart);
    }
    rows.push({ name: `${layout} trie of ${count} sequences`, firstBuildMs, buildMs, nodes: trie.nodeCount,
      bytesPerNode: trie.byteLength / trie.nodeCount, megabytes: trie.byteLength / 2 ** 20,
      nextPerSecond: lookups / (median(times) / 1000) });
    trie.dispose();
  }
  rows[1].nextSlowdown = rows[0].nextPerSecond / rows[1].nextPerSecond;
  return rows;
}

export function benchConstrainedStep({ vocab = 21128, beams = 4, entries = 20_000, runs = 15 } = {}) {
  const sequences = randomSequences(entries, vocab, 5);
  const trie = PrefixTrie.from(sequences);
  const table = randomFloats(beams * vocab, 3);
  for (let i = 0; i < table.length; ++i) table[i] = -10 * Math.abs(table[i]) - 0.01;
  const step = (prefixes) => table.subarray(0, prefixes.length * vocab);
  // Time per step: the same step function, the same beams and length, with and without the trie.
  const perStep = (trieOption) => {
    const times = [];
    for (let r = 0; r < runs; ++r) {
      let steps = 0;
      const start = performance.now();
      beamSearchSync((p) => { ++steps; return step(p); }, { vocabSize: vocab, eosId: 0, beams, maxLength: 12, earlyStopping: false, trie: trieOption, lengthPenalty: 0 });
      times.push((performance.now() - start) / steps);
    }
    return median(times);
  };
  perStep(undefined); perStep(trie); // warm-up (V8 tier-up)
  const unconstrainedMs = perStep(undefined);
  const constrainedMs = perStep(trie);
  trie.dispose();
  return [{ name: `beam ${beams} step, vocab ${vocab}`, unconstrainedMs, constrainedMs, overheadPercent: 100 * (constrainedMs / unconstrainedMs - 1) }];
}
