// Sharded KBs (attnkit-cli build-kb --shards → manifest.attnkit.gz + shards/N.txt.gz, KBQA.load({ kb: { shards } })):
// the bundled KgCLUE KB cut into shards answers KgCLUE dev questions exactly as the shipped index, loading
// only the shards the questions reach; the CLI answers from it; a missing, corrupt, foreign or HTML manifest
// or shard is an Error naming the file, leaking nothing, and the KBQA object keeps answering the questions
// whose shards are fine (and the failed ones once the file is repaired).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttnkitError, KBQA, KbShardBuilder, init } from '../../dist/index.js';
import { serveStatic } from '../e2e/static-server.mjs';

const root = new URL('../../', import.meta.url).pathname;
const tiny = join(root, 'tests/fixtures/tiny-kbqa/');
const dev = readFileSync(new URL('../../../shared/data/kgclue/dev.json', import.meta.url), 'utf8')
  .split('\n').filter(Boolean).map((l) => JSON.parse(l));
let kit;

function buildShards(kb, shardTriples, model) {
  const dir = mkdtempSync(join(tmpdir(), 'attnkit-shards-'));
  const args = ['scripts/attnkit-cli.mjs', 'build-kb', '--kb', kb, '--shards', dir, '--shard-triples', String(shardTriples)];
  execFileSync('node', model ? [...args, '--model', model] : args, { cwd: root, stdio: 'pipe' });
  return dir;
}
const manifestOf = (dir) => pathToFileURL(join(dir, 'manifest.attnkit.gz'));
const shardFiles = (dir) => readdirSync(join(dir, 'shards')).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => { kit = await init(); });

describe('a sharded KB answers exactly as the KB in memory', () => {
  it('the bundled KgCLUE KB in 300-triple shards: 150 dev questions × 3 modes as the shipped index, only the shards reached loaded', async () => {
    const dir = buildShards('web/models/kbqa-kgclue/kb.txt', 300);
    const whole = await KBQA.load();
    const lazy = await KBQA.load({ kb: { shards: manifestOf(dir) } });
    expect(lazy.size).toBe(whole.size);
    const { count } = lazy.shardStats;
    expect(count).toBe(shardFiles(dir).length);
    expect(count).toBeGreaterThan(50);
    const first = dev[0].question;
    expect(() => lazy.ask(first)).toThrow(/needs shard\(s\) [\d, ]+ of the sharded KB, not loaded yet: use await kbqa.askAsync/);
    let compared = 0;
    for (const row of dev.slice(0, 150)) {
      for (const mode of ['triple', 'subject', 'open-predicate']) {
        const options = { beams: 4, topK: 2, mode };
        expect(await lazy.askAsync(row.question, options)).toEqual(whole.ask(row.question, options));
        ++compared;
      }
    }
    expect(compared).toBe(450);
    // Loaded now: ask() answers synchronously, as askAsync did.
    expect(lazy.ask(first)).toEqual(whole.ask(first));
    const stats = lazy.shardStats;
    expect(stats.loaded).toBeGreaterThan(0);
    expect(stats.loaded).toBeLessThan(count);
    expect(stats.bytesRead).toBeGreaterThan(0);
    expect(lazy.trieBytes).toBeGreaterThan(0);
    expect(() => lazy.index()).toThrow(/sharded KB has no single index file/);
    expect(whole.shardStats).toBeUndefined();
    whole.dispose();
    lazy.dispose();
  }, 180_000);

  it('attnkit-cli kbqa --shards writes the answers kbqa --index does', () => {
    const dir = buildShards('web/models/kbqa-kgclue/kb.txt', 1000);
    const work = mkdtempSync(join(tmpdir(), 'attnkit-cli-'));
    const questions = join(work, 'q.jsonl');
    writeFileSync(questions, dev.slice(0, 30).map((r) => JSON.stringify({ id: r.id, question: r.question })).join('\n'));
    const run = (flag, value, out) => execFileSync('node', ['scripts/attnkit-cli.mjs', 'kbqa', '--input', questions,
      '--output', join(work, out), flag, value], { cwd: root, stdio: 'pipe' });
    run('--shards', dir, 'shards.jsonl');
    run('--index', 'dist/models/kbqa-kgclue/kb.attnkit', 'index.jsonl');
    const answers = readFileSync(join(work, 'shards.jsonl'), 'utf8');
    expect(answers.split('\n').filter(Boolean)).toHaveLength(30);
    expect(answers).toBe(readFileSync(join(work, 'index.jsonl'), 'utf8'));
  }, 60_000);
});

describe('bad sharded KBs are Errors that name the file', () => {
  const kbText = Array.from({ length: 60 }, (_, i) => {
    const chars = [...'龙晶游戏繁体字怎么写守望星光出品公司哪家的是你知道小说作者谁北京'];
    const name = chars[i % chars.length] + chars[(i * 7) % chars.length] + chars[(i * 13) % chars.length];
    return `${name} ||| ${chars[i % 5]}${chars[5 + (i % 3)]} ||| ${chars[(i * 3) % chars.length]}`;
  }).join('\n');
  const questions = Array.from({ length: 40 }, (_, i) => `${[...'龙晶游戏繁体字怎么写守望星光出品公司'][i % 18]}${[...'哪家的是你知道小说作者谁'][i % 12]}？`);
  let dir;
  let whole;

  beforeAll(async () => {
    const kb = join(mkdtempSync(join(tmpdir(), 'attnkit-kb-')), 'kb.txt');
    writeFileSync(kb, kbText);
    dir = buildShards(kb, 3, tiny);
    whole = await KBQA.load({ model: { url: pathToFileURL(tiny) }, kb: kbText });
  });

  const html = '<!doctype html><html><body>Not found</body></html>';
  const manifestCases = [
    ['a missing manifest', (d) => join(d, 'missing.attnkit'), 'not-found', /could not read .*missing\.attnkit/],
    ['an HTML page as the manifest', (d) => { writeFileSync(join(d, 'page.html'), html); return join(d, 'page.html'); },
      'corrupt-file', /page\.html is not a sharded KB's manifest/],
    ['a truncated manifest', (d) => {
      const bytes = readFileSync(join(d, 'manifest.attnkit.gz'));
      writeFileSync(join(d, 'cut.attnkit'), bytes.subarray(0, bytes.length - 100));
      return join(d, 'cut.attnkit');
    }, 'corrupt-file', /cut\.attnkit: checksum mismatch|cut\.attnkit: truncated/],
  ];
  for (const [name, make, code, message] of manifestCases) {
    it(`rejects ${name} (${code})`, async () => {
      const error = await rejection(KBQA.load({ model: { url: pathToFileURL(tiny) }, kb: { shards: pathToFileURL(make(dir)) } }));
      expect(error).toBeInstanceOf(AttnkitError);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
  }

  it('rejects a manifest cut with another model\'s vocabulary (invalid-argument)', async () => {
    const error = await rejection(KBQA.load({ kb: { shards: manifestOf(dir) } }));  // the bundled model's vocabulary
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(/manifest\.attnkit\.gz: the KB shards were cut with another vocabulary/);
  });

  const shardCases = [
    ['missing', (file) => () => { execFileSync('rm', [file]); }, 'not-found',
      /(could not read|could not load) .*shards\/\d+\.txt\.gz( \(HTTP 404\))?/],
    ['an HTML page', (file) => () => writeFileSync(file, html), 'corrupt-file', /shards\/\d+\.txt\.gz: an HTML page, not a KB shard/],
    ['truncated', (file) => () => writeFileSync(file, readFileSync(file).subarray(0, 40)), 'corrupt-file',
      /shards\/\d+\.txt\.gz: truncated gzip data/],
    ['another shard', (file, other) => () => copyFileSync(other, file), 'corrupt-file',
      /shard .*shards\/\d+\.txt\.gz: checksum mismatch/],
  ];
  for (const [name, breaker, code, message] of shardCases) for (const via of ['file', 'http']) {
    it(`a shard that is ${name} fails the questions reaching it (${code}, ${via}), leaks nothing, and the rest still answer`, async () => {
      // Every odd shard broken, in a copy of the sharded KB, read from disk or from a local HTTP server (which
      // answers 404 for a missing file, and serves the HTML page as it is).
      const copy = mkdtempSync(join(tmpdir(), 'attnkit-broken-'));
      execFileSync('cp', ['-r', join(dir, 'manifest.attnkit.gz'), join(dir, 'shards'), copy]);
      const files = shardFiles(copy);
      const originals = new Map(files.map((f) => [f, readFileSync(join(copy, 'shards', f))]));
      files.forEach((f, i) => { if (i % 2 === 1) breaker(join(copy, 'shards', f), join(copy, 'shards', files[i - 1]))(); });
      const server = via === 'http' ? await serveStatic({ '/': copy }) : undefined;
      const manifest = server ? `${server.url}/manifest.attnkit.gz` : manifestOf(copy);
      const lazy = await KBQA.load({ model: { url: pathToFileURL(tiny) }, kb: { shards: manifest } });
      const round = async () => {
        let answered = 0, failed = 0;
        for (const question of questions) {
          try {
            expect(await lazy.askAsync(question, { beams: 2, topK: 2 })).toEqual(whole.ask(question, { beams: 2, topK: 2 }));
            ++answered;
          } catch (error) {
            expect(error).toBeInstanceOf(AttnkitError);
            expect(error.code).toBe(code);
            expect(error.message).toMatch(message);
            ++failed;
          }
        }
        return { answered, failed };
      };
      const first = await round();
      expect(first.answered).toBeGreaterThan(0);
      expect(first.failed).toBeGreaterThan(0);
      // More identical rounds of failures leave the heap where it was: a leak of even one allocation per
      // failed question would add ≥ 16 B × failures × 3 rounds. (Not exactly equal: the allocator's placement
      // of the same sizes moves the count by 8–24 B from one round to the next.)
      await round();
      const before = kit.heapBytesInUse();
      for (let r = 0; r < 3; r++) expect(await round()).toEqual(first);
      expect(Math.abs(kit.heapBytesInUse() - before)).toBeLessThanOrEqual(64);
      expect(64).toBeLessThan(16 * 3 * first.failed);
      // Repaired files: every question answers, as the KB in memory does.
      for (const [f, bytes] of originals) writeFileSync(join(copy, 'shards', f), bytes);
      expect(await round()).toEqual({ answered: questions.length, failed: 0 });
      lazy.dispose();
      await server?.close();
    });
  }

  it('KbShardBuilder rejects wrong shapes and bad lines with Errors naming them, and keeps working', async () => {
    const builder = await KbShardBuilder.create({ model: { url: pathToFileURL(tiny) }, buckets: 2 });
    const encode = (text) => new TextEncoder().encode(text);
    expect(() => builder.route('龙晶 ||| 繁体 ||| 龍晶\n')).toThrow('KbShardBuilder.route: lines must be a Uint8Array');
    expect(() => builder.cut([1, 2])).toThrow('KbShardBuilder.cut: lines must be a Uint8Array');
    expect(() => builder.takeBucket(-1)).toThrow('KbShardBuilder.takeBucket: bucket must be a non-negative integer');
    expect(() => builder.takeBucket(2)).toThrow('bucket 2 is outside the builder\'s 2');
    expect(() => builder.route(encode('龙晶 ||| 繁体 ||| 龍晶\nno separators here\n')))
      .toThrow(/knowledge base line 2: expected "subject \|\|\| predicate \|\|\| object"/);
    await expect(KbShardBuilder.create({ model: { url: pathToFileURL(tiny) }, shardTriples: 0 }))
      .rejects.toThrow(/shardTriples must be a positive integer/);
    // Still usable: the next lines route and cut, the manifest follows.
    builder.route(encode('守望星光 ||| 出品公司 ||| 星光公司\n'));
    const routed = [0, 1].map((b) => builder.takeBucket(b));
    const shards = routed.flatMap((lines) => (lines.length > 0 ? builder.cut(lines) : []));
    expect(new TextDecoder().decode(shards.at(-1))).toContain('守望星光 ||| 出品公司 ||| 星光公司');
    expect(builder.manifest().length).toBeGreaterThan(0);
    builder.dispose();
  });

  it('rejects options that cannot apply', async () => {
    await expect(KBQA.load({ model: { url: pathToFileURL(tiny) }, kb: { shards: manifestOf(dir) }, trie: 'flat' }))
      .rejects.toThrow(/an index or sharded KB is always compact/);
    await expect(KBQA.load({ kb: { shards: 42 } })).rejects.toThrow(/kb.shards must be the URL/);
    await expect(KBQA.load({ kb: { shards: manifestOf(dir), extra: 1 } })).rejects.toThrow(/extra/);
  });
});
