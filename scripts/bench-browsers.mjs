#!/usr/bin/env node
// `npm run bench:browsers`: the bundled models in Chromium, Firefox and WebKit (Debian's builds, driven as in
// the e2e tests): model load time and ms per NER sentence (50 characters) and per KBQA question (beam 4),
// medians over 5 passes of 20 inputs; and whether relaxed SIMD's fused multiply-add pays in each engine
// (scripts/bench/relaxed-simd.mjs). Prints the support matrix and writes tests/bench/browsers.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { ENGINES, launch } from '../tests/e2e/browser.mjs';
import { modelInputs, openModelsPage, runTimings, serveModelsPage } from '../tests/e2e/models-page.mjs';
import { measureRelaxedMadd, relaxedMaddInput } from './bench/relaxed-simd.mjs';

const inputs = modelInputs(20, { fullLength: true });
const server = await serveModelsPage();
const rows = [];
try {
  for (const engine of ENGINES) {
    const browser = await launch(engine);
    try {
      const page = await openModelsPage(browser, server);
      rows.push({ engine, version: browser.version, ...await runTimings(page, inputs),
        relaxedSimd: await page.evaluate(measureRelaxedMadd, relaxedMaddInput()) });
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
console.log('engine | version | models load ms | NER ms/sentence | KBQA ms/question | relaxed_madd vs mul+add GFLOP/s');
for (const r of rows) {
  const relaxed = r.relaxedSimd.validates
    ? `${r.relaxedSimd.relaxedMaddGflops.toFixed(1)} vs ${r.relaxedSimd.mulAddGflops.toFixed(1)} (${r.relaxedSimd.speedup.toFixed(2)}×)`
    : 'not supported';
  console.log(`${r.engine} | ${r.version} | ${r.loadMs.toFixed(0)} | ${r.nerMsPerSentence.toFixed(1)} | ${r.kbqaMsPerQuestion.toFixed(1)} | ${relaxed}`);
}
await mkdir(new URL('../tests/bench/', import.meta.url), { recursive: true });
await writeFile(new URL('../tests/bench/browsers.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(),
  statistic: 'median over 5 passes', sentences: inputs.texts.length, questions: inputs.questions.length, rows }, null, 2)}\n`);
console.log('\nresults written to tests/bench/browsers.json');
