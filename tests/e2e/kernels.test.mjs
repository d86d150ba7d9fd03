// The built package on a page with a strict Content-Security-Policy, in Chromium, Firefox and WebKit: the
// SIMD module loads, kernels compute, errors keep their messages and codes, also through the worker.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, launch } from './browser.mjs';
import { serveStatic } from './static-server.mjs';

const root = new URL('../..', import.meta.url).pathname;
const output = new URL('./output/', import.meta.url).pathname;

describe.each(ENGINES)('attnkit in %s', (engine) => {
  let server;
  let browser;

  beforeAll(async () => {
    mkdirSync(output, { recursive: true });
    server = await serveStatic({ '/dist/': `${root}dist`, '/web-public/': `${root}web/public`, '/': `${root}tests/e2e/pages` }, {
      // No eval anywhere: only WebAssembly compilation is allowed beyond same-origin scripts.
      'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'",
    });
    browser = await launch(engine);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the SIMD module under a strict CSP and computes kernels', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/kernels.html`);
    await page.waitFor(() => document.getElementById('result').textContent !== 'loading');
    const result = JSON.parse(await page.text('#result'));
    await page.screenshot(`${output}kernels-${engine}.png`);
    expect(result.failed).toBeUndefined();
    expect(result.c).toEqual([19, 22, 43, 50]);
    expect(result.p[0]).toBeCloseTo(0.25, 6);
    expect(result.error).toBe('gemm: a[0] is not finite (nan)');
    expect(result.scriptUrl).toBe(`${server.url}/dist/worker.js`);  // what a page caches to keep the worker offline
    expect(result.workerErrors).toEqual([
      { name: 'AttnkitError', code: 'invalid-state', message: 'KBQA is not loaded yet: call loadKbqa() first' },
      { name: 'AttnkitError', code: 'invalid-argument',
        message: "NER.load: unknown option 'cached' in options; accepted: url, files, cache, onProgress" },
    ]);
    expect(await page.errors()).toEqual([]);
    await page.close();
  });

  it('sees the errors of a failing page (so a page error fails a test in this engine)', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/throws.html`);
    await page.waitFor(() => document.getElementById('result').textContent === 'done');
    await page.waitFor(() => (window.attnkitPageErrors ?? []).length >= 2, null, { timeout: 10_000 });
    const errors = (await page.errors()).join('\n');
    expect(errors).toMatch(/thrown on purpose/);
    expect(errors).toMatch(/rejected on purpose/);
    await page.close();
  });
});
