// Softmax attention 12 heads × n × 64 vs onnxruntime-web (Transpose → MatMul → Mul → Softmax → MatMul, the
// graph an exported model has), then linear vs softmax attention as n grows (attnkit only).
import { attention, linearAttention } from '../../dist/index.js';
import { compareMs, medianMs, randomFloats } from './harness.mjs';
import { onnxModel } from './onnx-graph.mjs';
import { ortSession, ortTensor } from './ort.mjs';

const HEADS = 12;
const HEAD_DIM = 64;

export function attentionModel() {
  const dims = [HEADS, 'n', HEAD_DIM];
  return onnxModel({
    nodes: [
      { op: 'Transpose', inputs: ['K'], outputs: ['Kt'], attrs: { perm: { ints: [0, 2, 1] } } },
      { op: 'MatMul', inputs: ['Q', 'Kt'], outputs: ['S'] },
      { op: 'Mul', inputs: ['S', 'scale'], outputs: ['Ss'] },
      { op: 'Softmax', inputs: ['Ss'], outputs: ['P'], attrs: { axis: { int: -1 } } },
      { op: 'MatMul', inputs: ['P', 'V'], outputs: ['O'] },
    ],
    inputs: [['Q', dims], ['K', dims], ['V', dims]],
    outputs: [['O', dims]],
    initializers: [['scale', [], [1 / Math.sqrt(HEAD_DIM)]]],
  });
}

export async function benchAttentionVsOrt({ lengths = [128, 512, 2048], runs = 9 } = {}) {
  const session = await ortSession(attentionModel());
  const rows = [];
  for (const n of lengths) {
    const count = HEADS * n * HEAD_DIM;
    const [q, k, v] = [randomFloats(count, 1), randomFloats(count, 2), randomFloats(count, 3)];
    const options = { heads: HEADS, queryLen: n, headDim: HEAD_DIM };
    const feeds = { Q: ortTensor(q, [HEADS, n, HEAD_DIM]), K: ortTensor(k, [HEADS, n, HEAD_DIM]), V: ortTensor(v, [HEADS, n, HEAD_DIM]) };
    const ours = attention(q, k, v, options);
    const theirs = (await session.run(feeds)).O.data;
    let maxAbsDiff = 0;
    for (let i = 0; i < ours.length; ++i) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(ours[i] - theirs[i]));
    const [attnkitMs, ortMs] = await compareMs(() => attention(q, k, v, options), () => session.run(feeds), { runs });
    const flops = 4 * HEADS * n * n * HEAD_DIM;
    rows.push({ name: `softmax attention 12x${n}x64`, attnkitMs, ortMs, attnkitGflops: flops / attnkitMs / 1e6,
      ortGflops: flops / ortMs / 1e6, speedup: ortMs / attnkitMs, maxAbsDiff });
  }
  return rows;
}

export async function benchLinearVsSoftmax({ lengths = [512, 1024, 2048, 4096, 8192], runs = 5 } = {}) {
  {
    const rows = [];
    for (const n of lengths) {
      const count = HEADS * n * HEAD_DIM;
      const [q, k, v] = [randomFloats(count, 4), randomFloats(count, 5), randomFloats(count, 6)];
      const options = { heads: HEADS, queryLen: n, headDim: HEAD_DIM };
      const softmaxMs = await medianMs(() => attention(q, k, v, options), { runs, warmup: 1 });
      const row = { name: `linear vs softmax 12x${n}x64`, softmaxMs };
      for (const featureMap of ['elu+1', 'exp']) {
        row[`linear ${featureMap} ms`] = await medianMs(() => linearAttention(q, k, v, { ...options, featureMap }), { runs, warmup: 1 });
      }
      row['linear causal elu+1 ms'] = await medianMs(() => linearAttention(q, k, v, { ...options, causal: true }), { runs, warmup: 1 });
      row.speedup = softmaxMs / row['linear elu+1 ms'];
      rows.push(row);
    }
    return rows;
  }
}
