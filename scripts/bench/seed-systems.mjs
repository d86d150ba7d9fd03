// The seed's four remaining systems, attnkit only: adaptive span vs full causal attention at n = 4096,
// persistent memory's cost, product-key memory vs scoring every slot, and BioHash codes + Hamming search.
import { attention, ProductKeyMemory } from '../../dist/index.js';
import { medianMs, randomFloats } from './harness.mjs';

const HEAD_DIM = 64;

/** ms of causal attention at n = 4096 (4 heads × 64) for spans 64 … 4096 (ramp 32), and full causal. */
export async function benchAdaptiveSpan({ n = 4096, heads = 4, spans = [64, 256, 1024, 4096], ramp = 32, runs = 5 } = {}) {
  const count = heads * n * HEAD_DIM;
  const [q, k, v] = [randomFloats(count, 1), randomFloats(count, 2), randomFloats(count, 3)];
  const base = { heads, queryLen: n, headDim: HEAD_DIM, causal: true };
  const fullMs = await medianMs(() => attention(q, k, v, base), { runs, warmupMs: 500 });
  const rows = [{ span: 'full causal', n, heads, ms: fullMs, speedupVsFull: 1 }];
  let first;
  for (const z of spans) {
    const options = { ...base, span: { size: new Float32Array(heads).fill(z), ramp } };
    const ms = await medianMs(() => attention(q, k, v, options), { runs, warmupMs: 500 });
    // Keys visited per query: min(t + 1, z + R) averaged over t, the work the span leaves.
    let visited = 0;
    for (let t = 0; t < n; ++t) visited += Math.min(t + 1, Math.ceil(z + ramp));
    first ??= { ms, visited };
    rows.push({ span: z, ramp, n, heads, ms, speedupVsFull: fullMs / ms, keysPerQuery: visited / n,
      msPerVisitedKeyVsSpan64: (ms / visited) / (first.ms / first.visited) });
  }
  return rows;
}

/** ms of attention with 0 / 16 / 64 persistent vectors per head (8 heads × 512 × 64). */
export async function benchPersistentMemory({ n = 512, heads = 8, counts = [0, 16, 64], runs = 7 } = {}) {
  const count = heads * n * HEAD_DIM;
  const [q, k, v] = [randomFloats(count, 4), randomFloats(count, 5), randomFloats(count, 6)];
  const rows = [];
  let plain;
  for (const memory of counts) {
    const persistent = memory > 0
      ? { keys: randomFloats(heads * memory * HEAD_DIM, 7), values: randomFloats(heads * memory * HEAD_DIM, 8), count: memory }
      : undefined;
    const ms = await medianMs(() => attention(q, k, v, { heads, queryLen: n, headDim: HEAD_DIM, ...(persistent ? { persistent } : {}) }),
      { runs, warmupMs: 500 });
    plain ??= ms;
    rows.push({ persistent: memory, n, heads, ms, vsNone: ms / plain, keysRatio: (n + memory) / n });
  }
  return rows;
}

/** Product-key memory, |K| = 1024² slots, d_q = 256, k = 32: product search vs scoring all slots. */
export async function benchProductKeyMemory({ n = 1024, queryDim = 256, valueDim = 64, topK = 32, queries = 16 } = {}) {
  const memory = new ProductKeyMemory({ subKeyCount: n, queryDim, valueDim, topK,
    subKeys: randomFloats(2 * n * (queryDim / 2), 9), values: randomFloats(n * n * valueDim, 10) });
  const x = randomFloats(queries * queryDim, 11);
  const product = memory.lookup(x);
  const exhaustive = memory.lookup(x.subarray(0, queryDim * 2), { search: 'exhaustive' });
  const identical = exhaustive.indices.every((s, i) => s === product.indices[i]);
  const productMs = (await medianMs(() => memory.lookup(x), { runs: 9, warmupMs: 500 })) / queries;
  const exhaustiveMs = await medianMs(() => memory.lookup(x.subarray(0, queryDim), { search: 'exhaustive' }), { runs: 5, warmup: 1, warmupMs: 0 });
  memory.dispose();
  return [{ slots: n * n, queryDim, valueDim, topK, productUsPerQuery: productMs * 1000, exhaustiveMsPerQuery: exhaustiveMs,
    speedup: exhaustiveMs / productMs, identicalSlots: identical }];
}

/** Gaussian N(0, 1) values from a seeded xorshift (Box–Muller), for the random-projection baseline. */
function gaussians(count, seed) {
  const u = randomFloats(2 * count, seed);
  return Float64Array.from({ length: count }, (_, i) =>
    Math.sqrt(-2 * Math.log(u[2 * i] + 0.5 + 1e-12)) * Math.cos(2 * Math.PI * (u[2 * i + 1] + 0.5)));
}

/** Sign codes of R·x (R: bits × buckets, seeded Gaussian) from sparse features: the simple baseline. */
function signCodes(features, buckets, bits, seed) {
  const r = gaussians(bits * buckets, seed);
  const words = bits / 64;
  const codes = new BigUint64Array(features.length * words);
  features.forEach(({ buckets: b, counts }, t) => {
    for (let unit = 0; unit < bits; ++unit) {
      let sum = 0;
      for (let i = 0; i < b.length; ++i) sum += r[unit * buckets + b[i]] * counts[i];
      if (sum > 0) codes[t * words + (unit >> 6)] |= 1n << BigInt(unit & 63);
    }
  });
  return codes;
}

/** The exact cosine top-k of query q over all texts (itself excluded), from an inverted index of features. */
function cosineTopK(q, features, norms, postings, k) {
  const dots = new Map();
  const { buckets, counts } = features[q];
  for (let i = 0; i < buckets.length; ++i) {
    for (const [text, count] of postings.get(buckets[i])) dots.set(text, (dots.get(text) ?? 0) + count * counts[i]);
  }
  dots.delete(q);
  return [...dots].map(([t, d]) => [t, d / norms[t]]).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k).map(([t]) => t);
}

/**
 * BioHash on the demo corpus (KB subjects + KgCLUE train questions): recall@10 of the Hamming top-10 against
 * the exact cosine top-10 on the n-gram count vectors, next to random-projection sign codes of the same size;
 * encode time; search time over 1M codes (the corpus codes repeated).
 */
export async function benchBioHash({ queries = 500, k = 10, tableSize = 1_000_000 } = {}) {
  const { readFileSync } = await import('node:fs');
  const { BioHash, HammingIndex } = await import('../../dist/index.js');
  const hash = await BioHash.load();
  const texts = readFileSync(new URL('../../web/public/similar-texts.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);
  const encodeStart = performance.now();
  const codes = hash.encode(texts);
  const encodeUsPerText = ((performance.now() - encodeStart) * 1000) / texts.length;
  const features = texts.map((t) => hash.features(t));
  const norms = features.map(({ counts }) => Math.sqrt(counts.reduce((s, c) => s + c * c, 0)) || 1);
  const postings = new Map();
  features.forEach(({ buckets, counts }, t) => buckets.forEach((b, i) => {
    if (!postings.has(b)) postings.set(b, []);
    postings.get(b).push([t, counts[i] / norms[t]]);
  }));
  const picks = Array.from(randomFloats(queries, 12), (u) => Math.floor((u + 0.5) * texts.length));
  const truth = picks.map((q) => cosineTopK(q, features, norms, postings, k));
  const recall = (table, tableCodes, metric) => {
    const words = table.bits / 64;
    let hits = 0;
    picks.forEach((q, n) => {
      const { indices } = table.search(tableCodes.subarray(q * words, (q + 1) * words), { topK: k + 1, metric });
      const found = Array.from(indices).filter((i) => i !== q).slice(0, k);
      hits += found.filter((i) => truth[n].includes(i)).length;
    });
    return hits / (picks.length * k);
  };
  const rows = [];
  const bioIndex = new HammingIndex({ bits: hash.bits });
  bioIndex.add(codes);
  rows.push({ codes: `BioHash ${hash.bits} bits, ${hash.active} set`, texts: texts.length, recallAt10: recall(bioIndex, codes, 'overlap'),
    encodeUsPerText });
  bioIndex.dispose();
  // Sign codes of as many bits as BioHash stores (256) and of the fewest a code table holds (64; BioHash sets 16).
  for (const bits of [hash.bits, 64]) {
    const rp = signCodes(features, hash.buckets, bits, 5);
    const index = new HammingIndex({ bits });
    index.add(rp);
    rows.push({ codes: `random projection signs, ${bits} bits`, texts: texts.length, recallAt10: recall(index, rp, 'hamming') });
    index.dispose();
  }
  // Search over 1M codes: the corpus codes repeated, one query at a time.
  const big = new HammingIndex({ bits: hash.bits });
  for (let added = 0; added < tableSize; added += texts.length) {
    const count = Math.min(texts.length, tableSize - added);
    big.add(codes.subarray(0, count * hash.words));
  }
  const query = hash.encode('周杰伦的出生地是哪里？');
  const searchMs = await medianMs(() => big.search(query, { topK: k }), { runs: 15, warmupMs: 500 });
  rows.push({ codes: `search ${big.size.toLocaleString('en')} BioHash codes, top ${k}`, searchMs, tableMB: big.memoryBytes / 2 ** 20 });
  big.dispose();
  hash.dispose();
  return rows;
}
