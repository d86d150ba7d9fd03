// The demo page as `npm start` serves it (Vite, strict CSP), in Chromium, Firefox and WebKit: NER highlights
// entities, a question gets its KB answer, the attention lab reacts to its sliders, and after one visit the
// page works offline (the server is then shut down). Screenshots go to tests/e2e/output/.
import { mkdirSync } from 'node:fs';
import { createServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, launch } from './browser.mjs';

const root = new URL('../..', import.meta.url).pathname;
const output = new URL('./output/', import.meta.url).pathname;

async function startDemoServer() {
  const server = await createServer({ configFile: `${root}web/vite.config.mjs`, server: { port: 0, host: '127.0.0.1' },
    logLevel: 'error' });
  await server.listen();
  return server;
}

async function openDemo(browser, url) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitFor(() => document.querySelectorAll('#ner-table tbody tr').length > 0, null, { timeout: 90_000 });
  await page.waitFor(() => document.getElementById('kbqa-answer').textContent !== '', null, { timeout: 120_000 });
  return page;
}

describe.each(ENGINES)('the demo page in %s', (engine) => {
  let server;
  let browser;

  beforeAll(async () => {
    mkdirSync(output, { recursive: true });
    server = await startDemoServer();
    browser = await launch(engine);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('highlights entities, answers a question and draws the attention lab, under a strict CSP', async () => {
    const page = await openDemo(browser, server.resolvedUrls.local[0]);
    // NER: the first example's entities (CLUENER types), highlighted in the text.
    const types = await page.evaluate(() => [...document.querySelectorAll('#ner-table tbody tr')]
      .map((r) => [r.cells[0].textContent, r.dataset.type]));
    expect(types).toEqual(expect.arrayContaining([['浙商银行企业信贷部', 'company'], ['博士', 'position']]));
    expect(await page.evaluate(() => document.querySelectorAll('#ner-highlighted .entity').length)).toBeGreaterThanOrEqual(2);
    await page.click('#ner-examples button:nth-child(4)');
    await page.waitFor(() => [...document.querySelectorAll('#ner-table tbody tr')].some((r) => r.cells[0].textContent === '李克强'));
    // The worker's module runs on threads (the demo server sends COOP/COEP), except in WebKitGTK (see threads.test).
    await page.waitFor(() => document.getElementById('status').dataset.workerThreads !== undefined);
    const { workerThreads, cores } = await page.evaluate(() => ({
      workerThreads: Number(document.getElementById('status').dataset.workerThreads), cores: navigator.hardwareConcurrency }));
    expect(workerThreads).toBe(engine === 'webkit' ? 1 : Math.min(4, cores));
    // KBQA: the default question's answer is the object of the gold triple.
    expect(await page.text('#kbqa-triple')).toBe('龙晶（游戏） ||| 繁体 ||| 龍晶');
    expect(await page.text('#kbqa-answer')).toBe('龍晶');
    await page.fill('#kbqa-input', '无罪无我的和声是什么？');
    await page.click('#kbqa-form button');
    await page.waitFor(() => document.getElementById('kbqa-answer').textContent === '章韵、徐晨辰');
    expect(await page.evaluate(() => document.querySelectorAll('#kbqa-table tbody tr').length)).toBeGreaterThan(1);
    // An out-of-KB question (the last example): "not in this knowledge base", the nearest entries greyed out.
    await page.click('#kbqa-examples button:last-child');
    await page.waitFor(() => document.getElementById('kbqa-answer').textContent === 'Not in this knowledge base');
    expect(await page.evaluate(() => [...document.querySelectorAll('#kbqa-table tbody tr')]
      .every((r) => r.classList.contains('below-confidence')) && document.querySelectorAll('#kbqa-table tbody tr').length > 0)).toBe(true);
    expect(await page.text('#kbqa-triple')).toBe('Nearest entries, below the confidence threshold:');
    // Attention lab: the entropy slider moves the shown entropy to the target; the heatmaps are drawn.
    const entropyAt = (value) => page.evaluate((v) => {
      const slider = document.getElementById('lab-entropy');
      slider.value = v;
      slider.dispatchEvent(new Event('input'));
      return Number(document.getElementById('lab-entropy-value').dataset.entropy);
    }, value);
    expect(await entropyAt('100')).toBeCloseTo(0.1 * Math.log(12), 4);
    expect(await entropyAt('900')).toBeCloseTo(0.9 * Math.log(12), 4);
    const rowEntropy = (id) => page.evaluate((selector) => Number(document.querySelector(selector).dataset.rowEntropy), id);
    expect(await rowEntropy('#map-entropy')).toBeLessThan(await rowEntropy('#map-sqrt'));  // log_4(16) = 2 sharpens
    const lastRow = (id) => page.evaluate((selector) => document.querySelector(selector).dataset.lastRow.split(' ').map(Number), id);
    // Span z = 3, ramp 4: query 15 gives keys ≥ 7 back (0…8) no weight, keys 9…15 some, and sums to 1.
    const span = await lastRow('#map-span');
    expect(span.slice(0, 9).every((w) => w === 0)).toBe(true);
    expect(span.slice(9).every((w) => w > 0)).toBe(true);
    expect(span.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    // Persistent memory: 4 extra columns before the 16 keys, seen by the last query too.
    const memory = await lastRow('#map-persistent');
    expect(memory).toHaveLength(20);
    expect(memory.slice(0, 4).every((w) => w > 0)).toBe(true);
    expect(memory.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    await page.screenshot(`${output}demo-${engine}.png`);
    expect(await page.errors()).toEqual([]);
    await page.close();
  });

  // Last in its engine's block: it shuts the server down.
  it('works offline after the first visit (service worker + cached models), with the server gone', async () => {
    const page = await openDemo(browser, server.resolvedUrls.local[0]);
    await page.waitFor(() => navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null || true),
      null, { timeout: 30_000 });
    await page.reload();  // now every request goes through the service worker, which keeps a copy
    await page.waitFor(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await page.waitFor(() => document.getElementById('kbqa-answer').textContent !== '', null, { timeout: 120_000 });
    await server.close();
    server = undefined;
    await page.reload();
    await page.waitFor(() => document.getElementById('kbqa-answer').textContent === '龍晶', null, { timeout: 120_000 });
    expect(await page.evaluate(() => document.querySelectorAll('#ner-table tbody tr').length)).toBeGreaterThan(0);
    await page.screenshot(`${output}demo-offline-${engine}.png`);
    await page.close();
  });
});
