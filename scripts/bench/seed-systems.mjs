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
