// The loader picks the threaded build where the page is cross-origin isolated (COOP same-origin + COEP
// require-corp) and the single-thread build elsewhere, in Chromium, Firefox and WebKit; both give the same
// attention and NER results, in the page and in AttnkitWorker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, launch } from './browser.mjs';
import { serveStatic } from './static-server.mjs';

const root = new URL('../..', import.meta.url).pathname;
const mounts = { '/dist/': `${root}dist`, '/web-public/': `${root}web/public`, '/': `${root}tests/e2e/pages` };
const CSP = { 'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" };
const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

describe.each(ENGINES)('threads in %s', (engine) => {
  let isolated;
  let plain;
  let browser;

  beforeAll(async () => {
    isolated = await serveStatic(mounts, { ...CSP, ...ISOLATED });
    plain = await serveStatic(mounts, CSP);
    browser = await launch(engine);
  });

  afterAll(async () => {
    await browser?.close();
    await isolated?.close();
    await plain?.close();
  });

  async function run(server) {
    const page = await browser.newPage();
    await page.goto(`${server.url}/threads.html`);
    await page.waitFor(() => document.getElementById('result').textContent !== 'loading', null, { timeout: 60_000 });
    const result = JSON.parse(await page.text('#result'));
    expect(await page.errors()).toEqual([]);
    await page.close();
    return result;
  }

  it('uses threads on a cross-origin isolated page, with the same results as one thread', async () => {
    const result = await run(isolated);
    expect(result.failed).toBeUndefined();
    expect(result.crossOriginIsolated).toBe(true);
    // WebKitGTK 2.50 isolates the page and shares WebAssembly memory but defines no SharedArrayBuffer global,
    // which Emscripten's pthread runtime needs: the loader keeps to one thread there.
    if (engine === 'webkit' && result.sharedArrayBuffer === 'undefined') {
      expect(result.threads).toBe(1);
    } else {
      expect(result.sharedArrayBuffer).toBe('function');
      expect(result.threads).toBe(Math.min(4, result.hardwareConcurrency));
      expect(result.threads).toBeGreaterThan(1);
    }
    expect(result.workerThreads).toBe(result.threads);
    expect(result.identical).toBe(true);
    expect(result.entities).toBeGreaterThan(20);
  });

  it('falls back to the single-thread build without COOP/COEP', async () => {
    const result = await run(plain);
    expect(result.failed).toBeUndefined();
    expect(result.crossOriginIsolated).toBe(false);
    expect(result.threads).toBe(1);
    expect(result.workerThreads).toBe(1);
    expect(result.identical).toBe(true);
  });
});
