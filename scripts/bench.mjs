// `npm run bench`: attnkit WASM vs onnxruntime-web in one process, single thread, medians of ≥ 5 runs.
// Prints one table per benchmark and writes everything to tests/bench/results.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { init } from '../dist/index.js';
import { benchAttentionVsOrt, benchLinearVsSoftmax } from './bench/attention.mjs';
import { benchConstrainedStep, benchTrie } from './bench/decoding.mjs';
import { benchEntropyNormalize } from './bench/entropy.mjs';
import { benchGemm } from './bench/gemm.mjs';
import { benchNer } from './bench/ner.mjs';

await init();
// The trie goes first: its first build measures growing fresh WASM memory, as a page's first build would.
const trieFirst = benchTrie();
const sections = {
  gemm: await benchGemm(),
  attentionVsOrt: await benchAttentionVsOrt(),
  linearVsSoftmax: await benchLinearVsSoftmax(),
  entropyNormalize: await benchEntropyNormalize(),
  prefixTrie: trieFirst,
  constrainedBeamStep: benchConstrainedStep(),
  ner: await benchNer(),
};

const cell = (x) => (typeof x === 'number' ? (Math.abs(x) >= 1000 || Number.isInteger(x) ? String(Math.round(x)) : x.toPrecision(3)) : String(x));
for (const [title, rows] of Object.entries(sections)) {
  const columns = Object.keys(rows[0]);
  console.log(`\n## ${title}`);
  console.log(columns.join(' | '));
  for (const row of rows) console.log(columns.map((c) => cell(row[c])).join(' | '));
}
const results = { date: new Date().toISOString(), node: process.version, singleThread: true, statistic: 'median', sections };
await mkdir(new URL('../tests/bench/', import.meta.url), { recursive: true });
await writeFile(new URL('../tests/bench/results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
console.log('\nresults written to tests/bench/results.json');
