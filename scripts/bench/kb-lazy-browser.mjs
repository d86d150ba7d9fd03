// A sharded KB in headless Chromium (tests/e2e/pages/lazy-kb.html, the bundled KBQA model): served by a local
// static server that counts the bytes it sends, so open, the first question and each later question report
// what the page really fetched (the model files are fetched before the clock starts).
import { launch } from '../../tests/e2e/browser.mjs';
import { serveStatic } from '../../tests/e2e/static-server.mjs';
import { median } from './harness.mjs';

const root = new URL('../../', import.meta.url).pathname;

export async function lazyKbInChromium(dir, questions) {
  let served = 0;
  const server = await serveStatic({ '/dist/': `${root}dist`, '/web-public/': `${root}web/public`, '/kb/': dir,
    '/': `${root}tests/e2e/pages` }, { 'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" },
  { onServe: (path, bytes) => { if (path.startsWith('/kb/')) served += bytes; } });
  const browser = await launch('chromium');
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/lazy-kb.html`);
    await page.waitFor(() => document.getElementById('result').textContent !== 'loading', null, { timeout: 60_000 });
    const load = await page.evaluate((url) => window.attnkitLazy.load(url), `${server.url}/kb/manifest.attnkit.gz`);
    const manifestBytes = served;
    const rows = [];
    for (const question of questions) {
      const before = served;
      rows.push({ ...await page.evaluate((q) => window.attnkitLazy.ask(q), question), bytes: served - before });
    }
    const later = rows.slice(1);
    return { browser: `chromium ${browser.version}`, openMs: load.loadMs, manifestBytes,
      firstQuestionMs: rows[0].ms, firstQuestionBytes: manifestBytes + rows[0].bytes,
      msPerQuestion: median(later.map((r) => r.ms)), bytesPerQuestion: median(later.map((r) => r.bytes)),
      questions: rows.length, shardsLoaded: rows.at(-1).loaded };
  } finally {
    await browser.close();
    await server.close();
  }
}
