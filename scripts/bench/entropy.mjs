// Entropy normalisation of 1,000 rows × 4,096 (softmax rows of random logits) to a target of half ln n.
import { entropyNormalize, softmax } from '../../dist/index.js';
import { medianMs, randomFloats } from './harness.mjs';

export async function benchEntropyNormalize({ rows = 1000, cols = 4096, runs = 5 } = {}) {
  const logits = randomFloats(rows * cols, 7);
  for (let i = 0; i < logits.length; ++i) logits[i] *= 8;
  const p = softmax(logits, { rows, cols });
  const target = 0.5 * Math.log(cols);
  let iterations;
  const ms = await medianMs(() => { iterations = entropyNormalize(p, target, { rows, cols }).iterations; }, { runs, warmup: 1 });
  const sorted = Array.from(iterations).sort((a, b) => a - b);
  return [{ name: `entropy normalise ${rows}x${cols}`, attnkitMs: ms, rowsPerSecond: rows / (ms / 1000),
    medianIterations: sorted[sorted.length >> 1], maxIterations: sorted.at(-1) }];
}
