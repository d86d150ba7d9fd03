// A lazily loaded 1M-triple KB in headless Chromium: the bundled KBQA model over a synthetic KB
// (scripts/synthetic-kb.mjs) cut into shards by attnkit-cli, served by the test's static server. The page
// answers as Node does from the same files, fetching the manifest up front and each shard once, the first
// time a question reaches it (bytes counted at the server); then, with the server gone, a new KBQA in the
// same page answers again from the Cache API alone.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KBQA, init } from '../../dist/index.js';
import { writeKb } from '../../scripts/synthetic-kb.mjs';
import { launch } from './browser.mjs';
import { serveStatic } from './static-server.mjs';

const root = new URL('../..', import.meta.url).pathname;
const QUESTIONS = 20;
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

describe('a lazily loaded 1M-triple KB in Chromium', () => {
  let work, server, browser, page, questions, expected, manifestUrl;
  let served = 0;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'attnkit-lazy-kb-'));
    const asked = writeKb({ triples: 1_000_000, seed: 1, output: join(work, 'kb.txt'), questions: QUESTIONS });
    questions = asked.map((q) => q.question);
    execFileSync('node', ['scripts/attnkit-cli.mjs', 'build-kb', '--kb', join(work, 'kb.txt'), '--shards', join(work, 'kb')],
      { cwd: root, stdio: 'pipe' });
    rmSync(join(work, 'kb.txt'));
    // What Node answers from the same files (the sharded KB answers as the KB in memory: tests/js/kb-shards).
    await init();
    const node = await KBQA.load({ kb: { shards: pathToFileURL(join(work, 'kb', 'manifest.attnkit.gz')) } });
    expected = [];
    for (const question of questions) {
      const [best] = await node.askAsync(question);
      expected.push(best ? `${best.subject} ||| ${best.predicate} ||| ${best.object}` : '');
    }
    node.dispose();
    server = await serveStatic({ '/dist/': `${root}/dist`, '/web-public/': `${root}/web/public`, '/kb/': join(work, 'kb'),
      '/': `${root}/tests/e2e/pages` }, { 'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" },
    { onServe: (path, bytes) => { if (path.startsWith('/kb/')) served += bytes; } });
    manifestUrl = `${server.url}/kb/manifest.attnkit.gz`;
    browser = await launch('chromium');
    page = await browser.newPage();
    await page.goto(`${server.url}/lazy-kb.html`);
    await page.waitFor(() => document.getElementById('result').textContent !== 'loading', null, { timeout: 60_000 });
    expect(JSON.parse(await page.text('#result')).ready).toBe(true);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('answers as Node does, fetching the manifest once and each shard the first time a question needs it', async () => {
    const load = await page.evaluate((url) => window.attnkitLazy.load(url), manifestUrl);
    expect(load.size).toBe(1_000_000);
    const manifestBytes = served;
    const rows = [];
    for (const question of questions) {
      const before = served;
      rows.push({ ...await page.evaluate((q) => window.attnkitLazy.ask(q), question), bytes: served - before });
    }
    expect(rows.map((r) => r.answer)).toEqual(expected);
    const later = rows.slice(1);
    console.log(`chromium lazy 1M KB: ${load.shards} shards, manifest ${manifestBytes} B, open ${load.loadMs.toFixed(0)} ms; ` +
      `first question ${rows[0].bytes} B ${rows[0].ms.toFixed(0)} ms; later median ${median(later.map((r) => r.bytes))} B ` +
      `${median(later.map((r) => r.ms)).toFixed(0)} ms; ${rows.at(-1).loaded} shards loaded`);
    expect(manifestBytes + rows[0].bytes).toBeLessThan(2 * 2 ** 20);
    expect(median(later.map((r) => r.bytes))).toBeLessThan(200 * 1024);
    expect(rows.at(-1).loaded).toBeLessThan(load.shards / 4);  // only the shards reached
    // Asked again: every shard is loaded already, nothing is fetched.
    const before = served;
    for (const question of questions.slice(0, 5)) await page.evaluate((q) => window.attnkitLazy.ask(q), question);
    expect(served).toBe(before);
    expect(await page.errors()).toEqual([]);
  });

  it('answers again offline, from the Cache API, once the server is gone', async () => {
    await server.close();
    server = undefined;
    const load = await page.evaluate((url) => window.attnkitLazy.load(url), manifestUrl);
    expect(load.size).toBe(1_000_000);
    const answers = [];
    for (const question of questions) answers.push((await page.evaluate((q) => window.attnkitLazy.ask(q), question)).answer);
    expect(answers).toEqual(expected);
  });
});
