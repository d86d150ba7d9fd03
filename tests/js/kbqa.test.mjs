import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttnkitError, KBQA, gemm, init } from '../../dist/index.js';

const tiny = new URL('../fixtures/tiny-kbqa/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('reference.json', tiny), 'utf8'));
const kbText = readFileSync(new URL('kb.txt', tiny), 'utf8');
const triples = kbText.trim().split('\n').map((line) => line.split('|||').map((s) => s.trim()));
const files = () => ({ config: readFileSync(new URL('config.json', tiny), 'utf8'),
  weights: readFileSync(new URL('model.safetensors', tiny)), vocab: readFileSync(new URL('vocab.txt', tiny), 'utf8') });

beforeAll(async () => { await init(); });

describe('KBQA on a tiny random seq2seq model (parity with PyTorch)', () => {
  it('logProbs() by full recomputation equal PyTorch within 1e-4', async () => {
    const kbqa = await KBQA.load({ model: { url: tiny } });
    for (const c of reference.cases) {
      const logits = kbqa.logProbs(c.source, c.target);
      const vocab = c.logits[0].length;
      expect(logits.length).toBe(c.target.length * vocab);
      let worst = 0;
      c.logits.forEach((row, t) => row.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - logits[t * vocab + j])); }));
      expect(worst).toBeLessThanOrEqual(1e-4);
    }
    kbqa.dispose();
  });

  it('with beams ≥ KB entries, ask() returns every entry with the probability PyTorch gives it', async () => {
    const kbqa = await KBQA.load({ model: { files: files() }, kb: kbText });
    expect(kbqa.size).toBe(triples.length);
    for (const c of reference.cases) {
      const answers = kbqa.ask(c.question, { beams: 16, topK: triples.length, minConfidence: 0, ranking: 'probability' });
      expect(answers.map((a) => [a.subject, a.predicate, a.object])).toEqual(c.entries.map((e) => triples[e.triple]));
      answers.forEach((a, i) => expect(Math.log(a.score)).toBeCloseTo(c.entries[i].log_prob, 4));
      expect(answers.reduce((s, a) => s + a.score, 0)).toBeCloseTo(1, 4);
    }
    kbqa.dispose();
  });

  it('confidence = e^Σ (log p(token) − max log p) over the subject name and its [SEP], by full recomputation', async () => {
    // An independent path: logProbs() recomputes the whole prefix (checked against PyTorch above), where ask()
    // decodes incrementally and finds each row's most likely id without a log per id.
    const kbqa = await KBQA.load({ model: { files: files() }, kb: kbText });
    const vocab = readFileSync(new URL('vocab.txt', tiny), 'utf8').split('\n');
    const id = new Map(vocab.map((t, i) => [t, i]));
    const sep = id.get('[SEP]');
    let checked = 0;
    for (const c of reference.cases) {
      for (const mode of ['triple', 'subject', 'open-predicate']) {
        for (const a of kbqa.ask(c.question, { beams: 16, topK: triples.length, mode, minConfidence: 0 })) {
          const name = [...a.subject.replace(/（[^（）]*）$/, '')].map((ch) => id.get(ch));
          if (name.some((t) => t === undefined)) continue;  // a name the char-level lookup cannot tokenize (龙晶2020)
          const target = [...name, sep];
          const lp = kbqa.logProbs(c.source, target);
          let regret = 0;
          target.forEach((token, t) => {
            const row = lp.subarray(t * kbqa.vocabSize, (t + 1) * kbqa.vocabSize);
            regret += row[token] - Math.max(...row);
          });
          expect(a.confidence).toBeGreaterThan(0);
          expect(a.confidence).toBeLessThanOrEqual(1);
          expect(Math.log(a.confidence)).toBeCloseTo(regret, 4);
          ++checked;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    kbqa.dispose();
  });

  it('minConfidence keeps exactly the answers whose confidence reaches it, in order', async () => {
    const kbqa = await KBQA.load({ model: { files: files() }, kb: kbText });
    let distinct = 0;
    for (const mode of ['triple', 'subject', 'open-predicate']) {
      const all = kbqa.ask('北京大学的校长是谁？', { beams: 8, topK: 8, mode, minConfidence: 0 });
      const confidences = [...new Set(all.map((a) => a.confidence))].sort((x, y) => x - y);
      distinct += confidences.length;
      const between = confidences.slice(1).map((c, i) => (c + confidences[i]) / 2);
      for (const t of [0, ...confidences, ...between, 1]) {
        expect(kbqa.ask('北京大学的校长是谁？', { beams: 8, topK: 8, mode, minConfidence: t }))
          .toEqual(all.filter((a) => a.confidence >= t));
      }
    }
    expect(distinct).toBeGreaterThan(3);  // the thresholds do fall between answers
    kbqa.dispose();
  });

  it("ranking: 'confidence' orders the same entries as 'probability' by score × confidence", async () => {
    const kbqa = await KBQA.load({ model: { files: files() }, kb: kbText });
    let reordered = 0;
    for (const c of reference.cases) {
      for (const mode of ['triple', 'subject']) {
        const options = { beams: 16, topK: triples.length, mode, minConfidence: 0 };
        const byProbability = kbqa.ask(c.question, { ...options, ranking: 'probability' });
        const byConfidence = kbqa.ask(c.question, options);
        const key = (a) => `${a.subject}|${a.predicate}|${a.object}`;
        expect(byConfidence.map(key).sort()).toEqual(byProbability.map(key).sort());
        const expected = [...byProbability].sort((a, b) =>
          Math.log(b.score) + Math.log(b.confidence) - (Math.log(a.score) + Math.log(a.confidence)));
        // Entries of one subject share score and confidence in subject mode: compare the ranking's values.
        expect(byConfidence.map((a) => Math.log(a.score) + Math.log(a.confidence)))
          .toEqual(expected.map((a) => Math.log(a.score) + Math.log(a.confidence)));
        reordered += byConfidence.some((a, i) => key(a) !== key(byProbability[i]));
      }
    }
    expect(reordered).toBeGreaterThan(0);
    expect(() => kbqa.ask('北京', { ranking: 'score' })).toThrow("KBQA.ask: ranking must be one of 'probability', 'confidence', got score");
    kbqa.dispose();
  });

  it('takes the KB as text, [s, p, o] arrays or { subject, predicate, object } objects alike', async () => {
    const question = reference.cases[0].question;
    const fromText = await KBQA.load({ model: { files: files() }, kb: kbText });
    const fromArrays = await KBQA.load({ model: { files: files() }, kb: triples });
    const fromObjects = await KBQA.load({ model: { files: files() },
      kb: triples.map(([subject, predicate, object]) => ({ subject, predicate, object })) });
    const expected = fromText.ask(question, { topK: 3, minConfidence: 0 });
    expect(expected.length).toBe(3);
    expect(fromArrays.ask(question, { topK: 3, minConfidence: 0 })).toEqual(expected);
    expect(fromObjects.ask(question, { topK: 3, minConfidence: 0 })).toEqual(expected);
    for (const k of [fromText, fromArrays, fromObjects]) k.dispose();
  });

  it('answers in every mode from the KB; open-predicate may pair a subject with any KB predicate', async () => {
    const kbqa = await KBQA.load({ model: { files: files() }, kb: kbText });
    const subjects = new Set(triples.map((t) => t[0]));
    const predicates = new Set(triples.map((t) => t[1]));
    const lines = new Set(triples.map((t) => t.join('|')));
    for (const mode of ['triple', 'subject', 'open-predicate']) {
      for (const beams of [1, 2, 5]) {
        const answers = kbqa.ask('北京大学的校长是谁？', { beams, topK: 2, mode, minConfidence: 0 });
        expect(answers.length).toBeGreaterThan(0);
        for (const a of answers) {
          expect(subjects.has(a.subject)).toBe(true);
          expect(predicates.has(a.predicate)).toBe(true);
          if (mode !== 'open-predicate' || a.object !== '') expect(lines.has([a.subject, a.predicate, a.object].join('|'))).toBe(true);
        }
      }
    }
    expect(kbqa.ask('')).toEqual([]);
    expect(kbqa.ask(' \n ')).toEqual([]);
    // Lookahead and the length penalty change the ranking, never the set of possible answers.
    for (const options of [{ lookahead: false }, { lengthPenalty: 1 }]) {
      for (const a of kbqa.ask('北京大学的校长是谁？', { beams: 3, topK: 3, mode: 'open-predicate', minConfidence: 0, ...options })) {
        expect(predicates.has(a.predicate)).toBe(true);
      }
    }
    kbqa.dispose();
  });

  it('open-predicate: mutualInformation reorders the beam\'s predicates (default 1), never their set or scores', async () => {
    const kbqa = await KBQA.load({ model: { files: files() }, kb: kbText });
    const ask = (options) => kbqa.ask('北京大学的校长是谁？', { beams: 8, topK: 8, mode: 'open-predicate', minConfidence: 0, ...options });
    const byProbability = ask({ mutualInformation: 0 });
    expect(byProbability.length).toBe(new Set(triples.map((t) => t[1])).size);
    byProbability.slice(1).forEach((a, i) => expect(a.score).toBeLessThanOrEqual(byProbability[i].score));
    expect(ask({})).toEqual(ask({ mutualInformation: 1 }));
    const orders = [0.5, 1].map((mutualInformation) => ask({ mutualInformation }));
    for (const ranked of orders) {
      const sortByPredicate = (list) => [...list].sort((a, b) => a.predicate.localeCompare(b.predicate));
      expect(sortByPredicate(ranked)).toEqual(sortByPredicate(byProbability));
    }
    expect(orders.some((ranked) => ranked.some((a, i) => a.predicate !== byProbability[i].predicate))).toBe(true);
    kbqa.dispose();
  });
});

describe('KBQA rejects bad input with a clear Error and keeps working', () => {
  const stillWorks = () => expect(Array.from(gemm(new Float32Array([2]), new Float32Array([3]), { m: 1, n: 1, k: 1 }))).toEqual([6]);
  const loadCases = [
    ['a KB line without |||', { kb: `${kbText}北京 繁体 北京\n` }, /knowledge base line 8: expected "subject \|\|\| predicate \|\|\| object"/],
    ['a KB line with four fields', { kb: 'a ||| b ||| c ||| d' }, /knowledge base line 1: expected/],
    ['an empty KB', { kb: '\n\n' }, /knowledge base: no triples/],
    ['a KB with an empty subject', { kb: ' ||| 繁体 ||| x' }, /knowledge base line 1: the subject is empty/],
    ['a KB array entry that is not three strings', { kb: [['北京', '繁体']] }, /kb\[0\] must be \[subject, predicate, object\]/],
    ['a KB field holding |||', { kb: [['北京 ||| x', '繁体', 'y']] }, /kb\[0\] has a field containing a line break or '\|\|\|'/],
    ['a KB of the wrong type', { kb: 42 }, /kb must be KB text, \{ url \}, an array of triples, \{ index \} or \{ shards \}/],
    ['a KB subject with no tokens', { kb: '\u0001 ||| 繁体 ||| x' }, /knowledge base line 1: the subject name .* has no tokens/],
    ['an NER model', { model: { url: new URL('../fixtures/tiny-ner/', import.meta.url) } }, /is a 'attnkit-encoder' model, not an 'attnkit-seq2seq' model/],
    ['a missing KB file', { kb: { url: new URL('./no-such-kb.txt', tiny) } }, /KBQA.load: could not read/],
  ];
  for (const [name, options, message] of loadCases) {
    it(`rejects ${name}`, async () => {
      const load = () => KBQA.load({ model: { files: files() }, kb: kbText, ...options });
      await expect(load()).rejects.toThrow(AttnkitError);
      await expect(load()).rejects.toThrow(message);
      stillWorks();
    });
  }

  it('rejects bad ask() and logProbs() arguments', async () => {
    const kbqa = await KBQA.load({ model: { files: files() }, kb: kbText });
    expect(() => kbqa.ask(42)).toThrow('KBQA.ask: question must be a string, got number');
    expect(() => kbqa.ask('北京', { beams: 0 })).toThrow('KBQA.ask: beams must be a positive integer, got 0');
    expect(() => kbqa.ask('北京', { beams: 65 })).toThrow('KBQA: beams must be in [1, 64], got 65');
    expect(() => kbqa.ask('北京', { topK: 1.5 })).toThrow('KBQA.ask: topK must be a positive integer, got 1.5');
    expect(() => kbqa.ask('北京', { mode: 'fuzzy' })).toThrow("KBQA.ask: mode must be one of 'triple', 'subject', 'open-predicate', got fuzzy");
    expect(() => kbqa.ask('北京', { lengthPenalty: NaN })).toThrow('KBQA.ask: lengthPenalty must be a finite number, got NaN');
    expect(() => kbqa.ask('北京', { lengthPenalty: -1 })).toThrow('KBQA: lengthPenalty must be in [0, 10], got -1');
    expect(() => kbqa.ask('北京', { mutualInformation: NaN })).toThrow('KBQA.ask: mutualInformation must be a finite number, got NaN');
    expect(() => kbqa.ask('北京', { mutualInformation: 2 })).toThrow('KBQA: mutualInformation must be in [0, 1], got 2');
    expect(() => kbqa.ask('北京', { minConfidence: NaN })).toThrow('KBQA.ask: minConfidence must be a finite number, got NaN');
    expect(() => kbqa.ask('北京', { minConfidence: -0.1 })).toThrow('KBQA: minConfidence must be in [0, 1], got -0.1');
    expect(() => kbqa.ask('北京', { minConfidence: 1.5 })).toThrow('KBQA: minConfidence must be in [0, 1], got 1.5');
    expect(() => kbqa.ask('北京', { minConfidence: '0.5' })).toThrow(/minConfidence must be a finite number/);
    expect(() => kbqa.logProbs([], [5])).toThrow('KBQA.logProbs: source must not be empty');
    expect(() => kbqa.logProbs([2, 99999, 3], [5])).toThrow(/token id 99999 at position 1 is outside the vocabulary/);
    expect(() => kbqa.logProbs([2, 3], new Array(60).fill(5))).toThrow(/exceed max_length 48/);
    expect(kbqa.ask('北京', { beams: 2, minConfidence: 0 }).length).toBe(1);
    kbqa.dispose();
    expect(() => kbqa.ask('北京')).toThrow('KBQA.ask: this KBQA was disposed');
    stillWorks();
  });
});
