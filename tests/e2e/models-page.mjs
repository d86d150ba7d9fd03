// Both bundled models on one page (tests/e2e/pages/models.html) in any engine: the inputs (50-character
// CLUENER validation sentences, KgCLUE dev questions) and the runs, shared by the e2e memory test and
// `npm run bench:browsers`.
import { readFileSync } from 'node:fs';
import { serveStatic } from './static-server.mjs';

const root = new URL('../..', import.meta.url).pathname;
const lines = (path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

/**
 * `count` texts of the held-out tenth of CLUENER train (with `fullLength`, only those of 50 characters or
 * more, cut to 50: the bench's sentence) and `count` KgCLUE dev questions.
 */
export function modelInputs(count, { fullLength = false } = {}) {
  const texts = lines(`${root}../shared/data/cluener/train.json`).filter((_, i) => i % 10 === 0)
    .map((row) => row.text).filter((t) => !fullLength || t.length >= 50).slice(0, count).map((t) => t.slice(0, 50));
  const questions = lines(`${root}../shared/data/kgclue/dev.json`).slice(0, count).map((row) => row.question);
  return { texts, questions };
}

export function serveModelsPage() {
  return serveStatic({ '/dist/': `${root}dist`, '/web-public/': `${root}web/public`, '/': `${root}tests/e2e/pages` },
    { 'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" });
}

/** Opens the page in `browser` and waits for both models; returns the page. */
export async function openModelsPage(browser, server) {
  const page = await browser.newPage();
  await page.goto(`${server.url}/models.html`);
  await page.waitFor(() => document.getElementById('result').textContent !== 'loading', null, { timeout: 120_000 });
  const state = JSON.parse(await page.text('#result'));
  if (!state.ready) throw new Error(`the models page failed: ${state.failed}`);
  return page;
}

export const runMemory = (page, { texts, questions }) =>
  page.evaluate(([t, q]) => window.attnkitModels.memory(t, q), [texts, questions]);

export const runTimings = (page, { texts, questions }) =>
  page.evaluate(([t, q]) => window.attnkitModels.timings(t, q), [texts, questions]);
