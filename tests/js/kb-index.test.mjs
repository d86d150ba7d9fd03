// Compact tries and prebuilt KB index files: the same answers as the flat tries (tiny random model, a
// synthetic KB over its vocabulary, every mode), index files from the CLI and from KBQA.index(), and bad
// index files (missing, truncated, corrupted, HTML, another model's) as Errors that name the file, with
// nothing leaked and the module still working.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttnkitError, KBQA, PrefixTrie, init } from '../../dist/index.js';

const root = new URL('../../', import.meta.url).pathname;
const tiny = new URL('../fixtures/tiny-kbqa/', import.meta.url);
const CHARS = [...'龙晶游戏繁体字怎么写守望星光出品公司哪家的是你知道小说作者谁北京'];
let kit;

// Deterministic: subjects with several triples, names shared by several senses, repeated predicates.
function syntheticKb(seed, subjects) {
  let s = seed;
  const next = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const word = (min, max) => Array.from({ length: min + Math.floor(next() * (max - min + 1)) }, () => CHARS[Math.floor(next() * CHARS.length)]).join('');
  const predicates = Array.from({ length: 10 }, () => word(1, 3));
  const lines = [];
  for (let i = 0; i < subjects; ++i) {
    const name = word(1, 4);
    const subject = next() < 0.3 ? `${name}（${word(1, 2)}）` : name;
    for (let t = 1 + Math.floor(next() * 4); t > 0; --t) lines.push(`${subject} ||| ${predicates[Math.floor(next() * 10)]} ||| ${word(0, 4)}`);
  }
  return { text: lines.join('\n'), questions: Array.from({ length: 15 }, () => `${word(2, 8)}？`) };
}

function allAnswers(kbqa, questions) {
  const out = [];
  for (const question of questions) {
    for (const mode of ['triple', 'subject', 'open-predicate']) {
      for (const beams of [1, 4]) out.push(kbqa.ask(question, { mode, beams, topK: 3, minConfidence: 0 }));
    }
  }
  return out;
}

beforeAll(async () => { kit = await init(); });

describe('compact tries and KB index files answer exactly as the flat tries', () => {
  it('on synthetic KBs, in every mode: flat, compact and a reopened index give identical answers and scores', async () => {
    for (const seed of [1, 2]) {
      const { text, questions } = syntheticKb(seed, 120);
      const flat = await KBQA.load({ model: { url: tiny }, kb: text, trie: 'flat' });
      const compact = await KBQA.load({ model: { url: tiny }, kb: text });
      const index = compact.index();
      const opened = await KBQA.load({ model: { url: tiny }, kb: { index } });
      const expected = allAnswers(flat, questions);
      expect(expected.flat().length).toBeGreaterThan(100);
      expect(allAnswers(compact, questions)).toEqual(expected);
      expect(allAnswers(opened, questions)).toEqual(expected);
      expect(opened.size).toBe(flat.size);
      expect(Array.from(opened.index())).toEqual(Array.from(index));  // lossless, deterministic
      expect(compact.trieBytes * 3).toBeLessThan(flat.trieBytes);
      expect(() => flat.index()).toThrow('KBQA.index: only a KB loaded with the compact trie layout');
      for (const k of [flat, compact, opened]) k.dispose();
    }
  });

  it('PrefixTrie.from(…, { layout: "compact" }) has the flat trie\'s next(), values() and serialize() round trip', () => {
    const sequences = [[5, 6, 7], [5, 6], [5, 8], [9], [5, 6, 7], []];
    const flat = PrefixTrie.from(sequences);
    const compact = PrefixTrie.from(sequences, [10, 11, 12, 13, 14, 15], { layout: 'compact' });
    for (const prefix of [[], [5], [5, 6], [5, 6, 7], [9]]) expect(Array.from(compact.next(prefix))).toEqual(Array.from(flat.next(prefix)));
    expect(Array.from(compact.values([5, 6, 7]))).toEqual([10, 14]);
    expect(compact.nodeCount).toBe(flat.nodeCount);
    const copy = PrefixTrie.deserialize(compact.serialize());
    expect(Array.from(copy.next([5]))).toEqual([6, 8]);
    expect(Array.from(copy.values([]))).toEqual([15]);
    expect(() => compact.next([7])).toThrow('PrefixTrie.next: prefix [7] is not in the trie');
    expect(() => PrefixTrie.from(sequences, undefined, { layout: 'succinct' })).toThrow("PrefixTrie.from: layout must be one of 'compact', 'flat', got succinct");
    for (const t of [flat, compact, copy]) t.dispose();
  });

  it('attnkit-cli build-kb writes the index that kbqa --index answers from, as --kb does', () => {
    const work = mkdtempSync(join(tmpdir(), 'attnkit-kb-'));
    const { text, questions } = syntheticKb(3, 60);
    writeFileSync(join(work, 'kb.txt'), text);
    writeFileSync(join(work, 'q.jsonl'), questions.map((question, id) => JSON.stringify({ id, question })).join('\n'));
    const model = join(root, 'tests/fixtures/tiny-kbqa');
    const log = execFileSync('node', ['scripts/attnkit-cli.mjs', 'build-kb', '--kb', join(work, 'kb.txt'), '--model', model,
      '--output', join(work, 'kb.attnkit')], { cwd: root, encoding: 'utf8' });
    expect(log).toMatch(/build-kb: \d+ triples .* → .*kb\.attnkit, \d+ bytes/);
    const answer = (source) => {
      execFileSync('node', ['scripts/attnkit-cli.mjs', 'kbqa', '--input', join(work, 'q.jsonl'), '--output', join(work, 'a.jsonl'),
        '--model', model, ...source], { cwd: root, stdio: 'pipe' });
      return readFileSync(join(work, 'a.jsonl'), 'utf8');
    };
    expect(answer(['--index', join(work, 'kb.attnkit')])).toBe(answer(['--kb', join(work, 'kb.txt')]));
  });
});

describe('bad KB index files are clear Errors that name the file', () => {
  let index;
  let kept;
  beforeAll(async () => {
    kept = await KBQA.load({ model: { url: tiny }, kb: syntheticKb(4, 40).text });
    index = kept.index();
  });
  const load = (kb, extra = {}) => KBQA.load({ model: { url: tiny }, kb, ...extra });
  const flipped = () => { const b = index.slice(); b[Math.floor(b.length / 2)] ^= 0x40; return b; };
  const html = new TextEncoder().encode('<!doctype html><html><body>Not found</body></html>');
  const cases = [
    ['a missing file (404)', () => ({ index: new URL('./no-such.attnkit', tiny) }), /could not read .*no-such\.attnkit/, 'not-found'],
    ['a truncated file', () => ({ index: index.slice(0, index.length - 100) }), /KBQA\.load: kb\.index: checksum mismatch \(corrupted or truncated KB index\)/, 'corrupt-file'],
    ['a corrupted byte', () => ({ index: flipped() }), /KBQA\.load: kb\.index: checksum mismatch/, 'corrupt-file'],
    ['an HTML page instead of bytes', () => ({ index: html }), /KBQA\.load: kb\.index: not an attnkit KB index \(bad magic\)/, 'corrupt-file'],
    ['an empty file', () => ({ index: new Uint8Array(0) }), /KBQA\.load: kb\.index: 0 bytes is too short for a KB index/, 'corrupt-file'],
    ['a KB text file given as an index', () => ({ index: new TextEncoder().encode('a ||| b ||| c\n'.repeat(5)) }), /bad magic/, 'corrupt-file'],
  ];
  for (const [name, kb, message, code] of cases) {
    it(`rejects ${name} (${code}), leaking nothing`, async () => {
      await expect(load(kb())).rejects.toThrow(message);
      const error = await load(kb()).catch((e) => e);
      expect(error).toBeInstanceOf(AttnkitError);
      expect(error.code).toBe(code);
      // The index copy the binding took over is freed on failure: after a warm-up round of 20 failures,
      // 20 more leave the heap exactly as it was (both rounds end holding the same last error).
      const failures = async () => { for (let i = 0; i < 20; ++i) await load(kb()).catch(() => {}); };
      await failures();
      const before = kit.heapBytesInUse();
      await failures();
      expect(kit.heapBytesInUse()).toBe(before);
      expect(kept.ask('北京是哪家的？', { minConfidence: 0 }).length).toBe(1);  // a loaded KB is unaffected
    });
  }

  it('names the file from its URL and rejects an index built for another model\'s vocabulary', async () => {
    const work = mkdtempSync(join(tmpdir(), 'attnkit-kb-'));
    writeFileSync(join(work, 'broken.attnkit'), index.slice(0, 64));
    await expect(load({ index: pathToFileURL(join(work, 'broken.attnkit')) })).rejects.toThrow(/KBQA\.load: file:.*broken\.attnkit: checksum mismatch/);
    const other = await KBQA.load({ kb: { index } }).catch((e) => e);  // the bundled model: another vocabulary
    expect(other).toBeInstanceOf(AttnkitError);
    expect(other.message).toMatch(/was built with another vocabulary; rebuild it with this model \(attnkit-cli build-kb\)/);
    expect(other.code).toBe('invalid-argument');
  });

  it('rejects options that cannot apply', async () => {
    await expect(load({ index }, { trie: 'flat' })).rejects.toThrow("KBQA.load: trie 'flat' needs the KB as text; an index or sharded KB is always compact");
    await expect(load({ index, url: 'x' })).rejects.toThrow(/KBQA.load: unknown option 'url' in kb/);
    await expect(load({ index: 42 })).rejects.toThrow('KBQA.load: kb.index must be a URL or the index file\'s bytes');
    await expect(load('a ||| b ||| c', { trie: 'dense' })).rejects.toThrow("KBQA.load: trie must be one of 'compact', 'flat', got dense");
  });
});
