// `npm run bench`: attnkit WASM vs onnxruntime-web in one process, single thread, medians of ≥ 5 runs; the
// `threads` section runs attnkit and onnxruntime at 1 and 2 threads in child processes.
// Prints one table per benchmark and writes everything to tests/bench/results.json.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { init } from '../dist/index.js';
import { benchAttentionVsOrt, benchLinearVsSoftmax } from './bench/attention.mjs';
import { benchConstrainedStep, benchTrie } from './bench/decoding.mjs';
import { benchEntropyNormalize } from './bench/entropy.mjs';
import { benchGemm } from './bench/gemm.mjs';
import { benchKbScale } from './bench/kb-scale.mjs';
import { benchKbqa } from './bench/kbqa.mjs';
import { benchNer, benchNerBatching } from './bench/ner.mjs';
import { benchThreads, wasmSizes } from './bench/threads.mjs';
import { benchAdaptiveSpan, benchBioHash, benchPersistentMemory, benchProductKeyMemory } from './bench/seed-systems.mjs';

await init({ threads: 1 });
// `npm run bench` runs every section; `node scripts/bench.mjs kbqa ner` only those named.
const wanted = process.argv.slice(2);
const run = (name) => wanted.length === 0 || wanted.includes(name);
// The trie goes first: its first build measures growing fresh WASM memory, as a page's first build would.
const trieFirst = run('prefixTrie') ? benchTrie() : null;
const benches = {
  gemm: () => benchGemm(),
  attentionVsOrt: () => benchAttentionVsOrt(),
  linearVsSoftmax: () => benchLinearVsSoftmax(),
  entropyNormalize: () => benchEntropyNormalize(),
  prefixTrie: () => trieFirst,
  constrainedBeamStep: () => benchConstrainedStep(),
  ner: () => benchNer(),
  nerBatching: () => benchNerBatching(),
  kbqa: () => benchKbqa(),
  kbScale: () => benchKbScale(),
  adaptiveSpan: () => benchAdaptiveSpan(),
  persistentMemory: () => benchPersistentMemory(),
  productKeyMemory: () => benchProductKeyMemory(),
  bioHash: () => benchBioHash(),
  // After ner: its child processes read the ONNX export the ner section writes.
  threads: () => benchThreads(),
  wasmSizes: () => wasmSizes(),
};
const sections = {};
for (const [name, bench] of Object.entries(benches)) if (run(name)) sections[name] = await bench();

const cell = (x) => (x === undefined ? '' : typeof x === 'number' ? (Math.abs(x) >= 1000 || Number.isInteger(x) ? String(Math.round(x)) : x.toPrecision(3)) : String(x));
for (const [title, rows] of Object.entries(sections)) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  console.log(`\n## ${title}`);
  console.log(columns.join(' | '));
  for (const row of rows) console.log(columns.map((c) => cell(row[c])).join(' | '));
}
// A partial run replaces only its sections in the saved results.
const file = new URL('../tests/bench/results.json', import.meta.url);
const previous = wanted.length && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).sections : {};
const results = { date: new Date().toISOString(), node: process.version, singleThread: true, statistic: 'median',
  sections: { ...previous, ...sections } };
await mkdir(new URL('../tests/bench/', import.meta.url), { recursive: true });
await writeFile(file, JSON.stringify(results, null, 2) + '\n');
console.log('\nresults written to tests/bench/results.json');
