// Both bundled models in one page of each engine: 200 NER texts and 200 KBQA questions leave the WASM heap
// exactly where it was after a warm-up (nothing grows per call; WebKit is where memory trouble shows first),
// and the engine's load time and latencies are recorded for the README's support matrix.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, launch } from './browser.mjs';
import { modelInputs, openModelsPage, runMemory, runTimings, serveModelsPage } from './models-page.mjs';

const output = new URL('./output/', import.meta.url).pathname;
const inputs = modelInputs(200);

describe.each(ENGINES)('both models in one %s page', (engine) => {
  let server;
  let browser;
  let page;

  beforeAll(async () => {
    mkdirSync(output, { recursive: true });
    server = await serveModelsPage();
    browser = await launch(engine);
    page = await openModelsPage(browser, server);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('answers 200 questions and reads 200 texts with no growth of the WASM heap', async () => {
    const m = await runMemory(page, inputs);
    console.log(`${engine} ${browser.version}: heap in use ${m.heapBefore} → ${m.heapAfter} B; WASM memory ` +
      `${(m.memoryBefore / 2 ** 20).toFixed(0)} → ${(m.memoryAfter / 2 ** 20).toFixed(0)} MiB; ${m.entities} entities, ` +
      `${m.answered}/${m.questions} questions answered`);
    expect(m.texts).toBe(200);
    expect(m.questions).toBe(200);
    expect(m.entities).toBeGreaterThan(200);
    expect(m.answered).toBe(200);
    expect(m.heapAfter).toBe(m.heapBefore);
    expect(m.memoryAfter).toBe(m.memoryBefore);
    writeFileSync(`${output}memory-${engine}.json`, `${JSON.stringify({ engine, version: browser.version, ...m }, null, 2)}\n`);
    expect(await page.errors()).toEqual([]);
  });

  it('records model load time and median latencies (support matrix)', async () => {
    const t = await runTimings(page, modelInputs(20, { fullLength: true }));
    expect(t.loadMs).toBeGreaterThan(0);
    expect(t.nerMsPerSentence).toBeGreaterThan(0);
    expect(t.kbqaMsPerQuestion).toBeGreaterThan(0);
    writeFileSync(`${output}timings-${engine}.json`, `${JSON.stringify({ engine, version: browser.version, ...t }, null, 2)}\n`);
    await page.screenshot(`${output}models-${engine}.png`);
  });
});
