// The built package in headless Chromium, on a page with a strict Content-Security-Policy.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.mjs';
import { serveStatic } from './static-server.mjs';

const root = new URL('../..', import.meta.url).pathname;
const output = new URL('./output/', import.meta.url).pathname;
let server;
let browser;

beforeAll(async () => {
  mkdirSync(output, { recursive: true });
  server = await serveStatic({ '/dist/': `${root}dist`, '/': `${root}tests/e2e/pages` }, {
    // No eval anywhere: only WebAssembly compilation is allowed beyond same-origin scripts.
    'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'",
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('attnkit in Chromium', () => {
  it('loads the SIMD module under a strict CSP and computes kernels', async () => {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.goto(`${server.url}/kernels.html`);
    await page.waitForFunction(() => document.getElementById('result').textContent !== 'loading');
    const result = JSON.parse(await page.textContent('#result'));
    await page.screenshot({ path: `${output}kernels.png` });
    expect(result.failed).toBeUndefined();
    expect(result.c).toEqual([19, 22, 43, 50]);
    expect(result.p[0]).toBeCloseTo(0.25, 6);
    expect(result.error).toBe('gemm: a[0] is not finite (nan)');
    expect(result.workerErrors).toEqual([
      { name: 'AttnkitError', code: 'invalid-state', message: 'KBQA is not loaded yet: call loadKbqa() first' },
      { name: 'AttnkitError', code: 'invalid-argument',
        message: "NER.load: unknown option 'cached' in options; accepted: url, files, cache, onProgress" },
    ]);
    expect(problems).toEqual([]);
  });
});
