// The bundled default KBQA model and KB (web/models/kbqa-kgclue → dist/models/kbqa-kgclue, the KB as its
// prebuilt index): KBQA.load() with no argument, parity with the PyTorch reference the trainer wrote (fp16
// weights evaluated in fp32), answers on KgCLUE dev questions, and the same answers as the flat tries.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KBQA, init } from '../../dist/index.js';

const modelDir = new URL('../../web/models/kbqa-kgclue/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('reference.json', modelDir), 'utf8'));
const dev = readFileSync(new URL('../../../shared/data/kgclue/dev.json', import.meta.url), 'utf8')
  .split('\n').filter(Boolean).map((l) => JSON.parse(l));
let kbqa;

beforeAll(async () => {
  await init();
  kbqa = await KBQA.load();
});

describe('the bundled KgCLUE model and KB', () => {
  it('loads with no argument and no network: the 20,000 triples of train + dev', () => {
    expect(kbqa.size).toBe(20000);
  });

  it('computes the same log-probabilities as PyTorch (max |Δ| ≤ 1e-3 at every 7th vocabulary id)', () => {
    let worst = 0;
    for (const c of reference.cases) {
      const out = kbqa.logProbs(c.source, c.target);
      const vocab = out.length / c.target.length;
      c.logits.forEach((row, t) => row.forEach((v, j) => {
        worst = Math.max(worst, Math.abs(v - out[t * vocab + c.logit_ids[j]]));
      }));
    }
    expect(worst).toBeLessThanOrEqual(1e-3);
  });

  it('answers most of the first 100 dev questions with the gold triple, every answer from the KB', () => {
    let right = 0;
    for (const row of dev.slice(0, 100)) {
      const [best] = kbqa.ask(row.question, { beams: 4, minConfidence: 0 });
      right += `${best.subject} ||| ${best.predicate} ||| ${best.object}` === row.answer;
      expect(best.score).toBeGreaterThan(0);
    }
    expect(right).toBeGreaterThanOrEqual(90);
  });

  it('an entity absent from the KB gets a far lower confidence than once it is added, in every mode; ask() abstains without it', async () => {
    // None of these four subjects is in the bundled KB: the model writes the name from the question, the trie
    // makes it end at a shorter or other name (周杰 for 周杰伦), and that step costs it its confidence.
    const cases = [
      ['周杰伦的出生地是哪里？', '周杰伦（华语流行乐男歌手） ||| 出生地 ||| 台湾省新北市'],
      ['马云的妻子是谁？', '马云（阿里巴巴集团创始人） ||| 妻子 ||| 张瑛'],
      ['李白字什么？', '李白（唐代诗人） ||| 字 ||| 太白'],
      ['苹果公司的创始人是谁？', '苹果公司 ||| 创始人 ||| 史蒂夫·乔布斯'],
    ];
    const kbText = readFileSync(new URL('kb.txt', modelDir), 'utf8').trimEnd();
    const subjects = kbText.split('\n').map((l) => l.split(' ||| ')[0]);
    for (const [, line] of cases) {
      const name = line.split(' ||| ')[0].replace(/（.*/, '');
      expect(subjects.some((s) => s === name || s.startsWith(`${name}（`))).toBe(false);
    }
    const extended = await KBQA.load({ kb: `${kbText}\n${cases.map(([, line]) => line).join('\n')}` });
    for (const [question, line] of cases) {
      for (const mode of ['triple', 'subject', 'open-predicate']) {
        const [without] = kbqa.ask(question, { mode, minConfidence: 0 });
        const [withIt] = extended.ask(question, { mode, minConfidence: 0 });
        expect(withIt.subject).toBe(line.split(' ||| ')[0]);
        for (const a of [without, withIt]) expect(a.confidence >= 0 && a.confidence <= 1).toBe(true);
        expect(withIt.confidence).toBeGreaterThan(100 * without.confidence);
        expect(kbqa.ask(question, { mode })).toEqual([]);  // the default minConfidence: "not in this KB"
        expect(extended.ask(question, { mode })).toEqual([withIt]);
      }
    }
    extended.dispose();
  });

  it('the shipped compact index answers 200 dev questions exactly as flat tries built from kb.txt, in every mode', async () => {
    const flat = await KBQA.load({ kb: readFileSync(new URL('kb.txt', modelDir), 'utf8'), trie: 'flat' });
    expect(kbqa.trieBytes * 6).toBeLessThan(flat.trieBytes);
    let compared = 0;
    for (const row of dev.slice(100, 300)) {
      for (const mode of ['triple', 'subject', 'open-predicate']) {
        expect(kbqa.ask(row.question, { beams: 4, topK: 2, mode })).toEqual(flat.ask(row.question, { beams: 4, topK: 2, mode }));
        ++compared;
      }
    }
    expect(compared).toBe(600);
    flat.dispose();
  }, 120_000);
});
