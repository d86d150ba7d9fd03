// The demo page as `npm start` serves it (Vite, strict CSP), in headless Chromium: NER highlights entities,
// a question gets its KB answer, the attention lab reacts to its sliders, and after one visit the page
// works offline. Screenshots go to tests/e2e/output/.
import { mkdirSync } from 'node:fs';
import { createServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.mjs';

const root = new URL('../..', import.meta.url).pathname;
const output = new URL('./output/', import.meta.url).pathname;
let server;
let browser;
let url;

beforeAll(async () => {
  mkdirSync(output, { recursive: true });
  server = await createServer({ configFile: `${root}web/vite.config.mjs`, server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  url = server.resolvedUrls.local[0];
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openDemo(context) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => document.querySelectorAll('#ner-table tbody tr').length > 0, null, { timeout: 60_000 });
  await page.waitForFunction(() => document.getElementById('kbqa-answer').textContent !== '', null, { timeout: 90_000 });
  return { page, problems };
}

describe('the demo page in Chromium', () => {
  it('highlights entities, answers a question and draws the attention lab, under a strict CSP', async () => {
    const context = await browser.newContext();
    const { page, problems } = await openDemo(context);
    // NER: the first example's entities (CLUENER types), highlighted in the text.
    const types = await page.$$eval('#ner-table tbody tr', (rows) => rows.map((r) => [r.cells[0].textContent, r.dataset.type]));
    expect(types).toEqual(expect.arrayContaining([['浙商银行企业信贷部', 'company'], ['博士', 'position']]));
    expect(await page.$$eval('#ner-highlighted .entity', (spans) => spans.length)).toBeGreaterThanOrEqual(2);
    await page.click('#ner-examples button:nth-child(4)');
    await page.waitForFunction(() => [...document.querySelectorAll('#ner-table tbody tr')].some((r) => r.cells[0].textContent === '李克强'));
    // KBQA: the default question's answer is the object of the gold triple.
    expect(await page.textContent('#kbqa-triple')).toBe('龙晶（游戏） ||| 繁体 ||| 龍晶');
    expect(await page.textContent('#kbqa-answer')).toBe('龍晶');
    await page.fill('#kbqa-input', '无罪无我的和声是什么？');
    await page.click('#kbqa-form button');
    await page.waitForFunction(() => document.getElementById('kbqa-answer').textContent === '章韵、徐晨辰');
    expect(await page.$$eval('#kbqa-table tbody tr', (rows) => rows.length)).toBeGreaterThan(1);
    // Attention lab: the entropy slider moves the shown entropy to the target; the heatmaps are drawn.
    const entropyAt = async (value) => {
      await page.$eval('#lab-entropy', (el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }, value);
      return Number(await page.$eval('#lab-entropy-value', (el) => el.dataset.entropy));
    };
    const low = await entropyAt('100');
    const high = await entropyAt('900');
    expect(low).toBeCloseTo(0.1 * Math.log(12), 4);
    expect(high).toBeCloseTo(0.9 * Math.log(12), 4);
    const rowEntropy = (id) => page.$eval(id, (el) => Number(el.dataset.rowEntropy));
    expect(await rowEntropy('#map-entropy')).toBeLessThan(await rowEntropy('#map-sqrt'));  // log_4(16) = 2 sharpens
    await page.screenshot({ path: `${output}demo.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works offline after the first visit (service worker + cached models)', async () => {
    const context = await browser.newContext();
    const first = await openDemo(context);
    await first.page.waitForFunction(() => navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready, null, { timeout: 30_000 });
    await first.page.reload();  // now every request goes through the service worker, which keeps a copy
    await first.page.waitForFunction(() => document.getElementById('kbqa-answer').textContent !== '', null, { timeout: 90_000 });
    await context.setOffline(true);
    await first.page.reload();
    await first.page.waitForFunction(() => document.getElementById('kbqa-answer').textContent === '龍晶', null, { timeout: 90_000 });
    expect(await first.page.$$eval('#ner-table tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
    await first.page.screenshot({ path: `${output}demo-offline.png`, fullPage: true });
    await context.close();
  });
});
