// GEMM 512×512×512: attnkit WASM vs onnxruntime-web MatMul, same inputs, same process.
import { gemm } from '../../dist/index.js';
import { compareMs, randomFloats } from './harness.mjs';
import { onnxModel } from './onnx-graph.mjs';
import { ortSession, ortTensor } from './ort.mjs';

/** The ONNX graph of one size×size MatMul, C = A·B. */
export function matmulModel(size) {
  return onnxModel({
    nodes: [{ op: 'MatMul', inputs: ['A', 'B'], outputs: ['C'] }],
    inputs: [['A', [size, size]], ['B', [size, size]]],
    outputs: [['C', [size, size]]],
  });
}

export async function benchGemm({ size = 512, runs = 9 } = {}) {
  const a = randomFloats(size * size, 1);
  const b = randomFloats(size * size, 2);
  const flops = 2 * size ** 3;
  const session = await ortSession(matmulModel(size));
  const feeds = { A: ortTensor(a, [size, size]), B: ortTensor(b, [size, size]) };
  // Parity check before timing: the two must compute the same product.
  const ortC = (await session.run(feeds)).C.data;
  const ourC = gemm(a, b, { m: size, n: size, k: size });
  let maxDiff = 0;
  for (let i = 0; i < ourC.length; ++i) maxDiff = Math.max(maxDiff, Math.abs(ourC[i] - ortC[i]));
  const [ours, theirs] = await compareMs(() => gemm(a, b, { m: size, n: size, k: size }), () => session.run(feeds), { runs });
  return [{
    name: `gemm ${size}x${size}x${size}`,
    attnkitMs: ours, ortMs: theirs,
    attnkitGflops: flops / ours / 1e6, ortGflops: flops / theirs / 1e6,
    speedup: theirs / ours, maxAbsDiff: maxDiff,
  }];
}
