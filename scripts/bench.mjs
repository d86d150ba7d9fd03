// `npm run bench`: attnkit WASM vs onnxruntime-web, single thread, medians; prints a table and writes JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import { init } from '../dist/index.js';
import { benchGemm } from './bench/gemm.mjs';

await init();
const rows = [...(await benchGemm())];

const fmt = (x, digits = 2) => (typeof x === 'number' ? x.toFixed(digits) : String(x ?? ''));
console.log('benchmark                         attnkit ms   ORT ms   attnkit GFLOP/s  ORT GFLOP/s  speedup');
for (const r of rows) {
  console.log(`${r.name.padEnd(32)} ${fmt(r.attnkitMs).padStart(10)} ${fmt(r.ortMs).padStart(8)} ` +
    `${fmt(r.attnkitGflops, 1).padStart(16)} ${fmt(r.ortGflops, 1).padStart(12)} ${fmt(r.speedup).padStart(8)}x`);
}
const results = { date: new Date().toISOString(), node: process.version, rows };
await mkdir(new URL('../tests/bench/', import.meta.url), { recursive: true });
await writeFile(new URL('../tests/bench/results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
console.log('results written to tests/bench/results.json');
