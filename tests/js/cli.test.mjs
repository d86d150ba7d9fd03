// scripts/attnkit-cli.mjs as a user runs it: CLUENER lines in, the same lines with "label" out; KgCLUE
// questions in, the same lines with "answer" out.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KBQA, NER } from '../../dist/index.js';

const root = new URL('../..', import.meta.url).pathname;
const model = join(root, 'tests/fixtures/tiny-ner');
const work = mkdtempSync(join(tmpdir(), 'attnkit-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('attnkit-cli ner', () => {
  it('labels each line in CLUENER format (code points, inclusive ends), keeping other fields', async () => {
    const rows = [{ text: '浙商银行企业信贷部叶老桂博士' }, { id: 7, text: '😀生生不息CSOL生化狂潮让你填弹狂扫' }];
    writeFileSync(join(work, 'in.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    execFileSync('node', ['scripts/attnkit-cli.mjs', 'ner', '--input', join(work, 'in.jsonl'), '--output', join(work, 'out.jsonl'),
      '--model', model], { cwd: root, stdio: 'pipe' });
    const out = readFileSync(join(work, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((r) => r.id)).toEqual([undefined, 7]);
    const ner = await NER.load({ url: new URL(`file://${model}/`) });
    out.forEach((row, i) => {
      const chars = [...rows[i].text];
      const expected = ner.extract(rows[i].text).length;
      let count = 0;
      for (const [, entities] of Object.entries(row.label)) {
        for (const [text, ranges] of Object.entries(entities)) {
          for (const [s, e] of ranges) {
            expect(chars.slice(s, e + 1).join('')).toBe(text); // code points, end inclusive
            ++count;
          }
        }
      }
      expect(count).toBe(expected);
    });
  });

  it('fails with a usage message and a non-zero status on bad arguments', () => {
    expect(() => execFileSync('node', ['scripts/attnkit-cli.mjs', 'ner', '--input', 'x'], { cwd: root, stdio: 'pipe' }))
      .toThrow(/usage: node scripts\/attnkit-cli.mjs ner --input/);
  });
});

describe('attnkit-cli kbqa', () => {
  const kbqaModel = join(root, 'tests/fixtures/tiny-kbqa');
  it('answers each KgCLUE line with "S ||| P ||| O" from the KB, keeping other fields; "" below --min-confidence', async () => {
    const rows = [{ id: 0, question: '你知道龙晶用繁体字怎么写吗？' }, { id: 1, question: '守望星光是哪家公司出品的？' }, { id: 2, question: '' }];
    writeFileSync(join(work, 'q.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const kbqa = await KBQA.load({ model: { url: new URL(`file://${kbqaModel}/`) } });
    // The tiny model is random, so its confidences are low: 0 answers everything, the default may abstain.
    for (const minConfidence of ['0', undefined, '1']) {
      execFileSync('node', ['scripts/attnkit-cli.mjs', 'kbqa', '--input', join(work, 'q.jsonl'), '--output', join(work, 'a.jsonl'),
        '--model', kbqaModel, '--kb', join(kbqaModel, 'kb.txt'), '--beams', '3',
        ...(minConfidence === undefined ? [] : ['--min-confidence', minConfidence])], { cwd: root, stdio: 'pipe' });
      const out = readFileSync(join(work, 'a.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(out.map((r) => r.id)).toEqual([0, 1, 2]);
      rows.forEach((row, i) => {
        const options = { beams: 3, ...(minConfidence === undefined ? {} : { minConfidence: Number(minConfidence) }) };
        const [best] = kbqa.ask(row.question, options);
        expect(out[i].answer).toBe(best ? `${best.subject} ||| ${best.predicate} ||| ${best.object}` : '');
      });
      if (minConfidence === '0') expect(out[0].answer.split(' ||| ')).toHaveLength(3);
      if (minConfidence === '1') expect(out[0].answer).toBe(kbqa.ask(rows[0].question, { beams: 3, minConfidence: 0 })[0].confidence === 1 ? out[0].answer : '');
    }
    kbqa.dispose();
    expect(() => execFileSync('node', ['scripts/attnkit-cli.mjs', 'kbqa', '--input', join(work, 'q.jsonl'), '--output',
      join(work, 'a3.jsonl'), '--model', kbqaModel, '--kb', join(kbqaModel, 'kb.txt'), '--min-confidence', '2'], { cwd: root, stdio: 'pipe' }))
      .toThrow(/minConfidence must be in \[0, 1\], got 2/);
  });

  it('names a bad KB file and exits non-zero', () => {
    writeFileSync(join(work, 'bad-kb.txt'), 'no separators on this line\n');
    expect(() => execFileSync('node', ['scripts/attnkit-cli.mjs', 'kbqa', '--input', join(work, 'q.jsonl'), '--output',
      join(work, 'a2.jsonl'), '--model', kbqaModel, '--kb', join(work, 'bad-kb.txt')], { cwd: root, stdio: 'pipe' }))
      .toThrow(/knowledge base line 1: expected/);
  });
});
