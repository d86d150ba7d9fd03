import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttnkitError, NER, gemm, init } from '../../dist/index.js';
import { maxLogitDifference } from './reference.mjs';

const tiny = new URL('../fixtures/tiny-ner/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('reference.json', tiny), 'utf8'));
const config = JSON.parse(readFileSync(new URL('config.json', tiny), 'utf8'));
const files = () => ({ config: readFileSync(new URL('config.json', tiny), 'utf8'),
  weights: readFileSync(new URL('model.safetensors', tiny)), vocab: readFileSync(new URL('vocab.txt', tiny), 'utf8') });

beforeAll(async () => { await init(); });

/** Entities decoded from PyTorch's logits: cells > 0 with 1 ≤ i ≤ j ≤ n−2, mapped by the tokens' characters. */
function expectedEntities(c) {
  // The tiny vocab has one token per character except "cs"/"##ol" and "a"/"##b", so offsets are rebuilt by
  // walking the text with the same rule the tokenizer applies (lower-cased word pieces).
  const chars = [...c.text];
  const vocab = readFileSync(new URL('vocab.txt', tiny), 'utf8').split('\n');
  const spans = [];
  let at = 0;
  for (const id of c.ids.slice(1, -1)) {
    while (chars[at] === ' ') ++at;
    const piece = vocab[id].replace(/^##/, '');
    spans.push([at, at + [...piece].length]);
    at += [...piece].length;
  }
  const out = [];
  c.logits.forEach((rows, type) => rows.forEach((row, i) => row.forEach((s, j) => {
    if (i >= 1 && j >= i && j <= c.ids.length - 2 && s > 0) {
      out.push(`${config.head.labels[type]}:${spans[i - 1][0]}-${spans[j - 1][1]}`);
    }
  })));
  return out.sort();
}

describe('NER on a tiny random model (parity with PyTorch decoding)', () => {
  it('extract() finds exactly the spans PyTorch scores above 0, with text and score', async () => {
    const ner = await NER.load({ url: tiny });
    expect(ner.labels).toEqual(config.head.labels);
    for (const c of reference.cases) {
      const entities = ner.extract(c.text);
      expect(entities.map((e) => `${e.type}:${e.start}-${e.end}`).sort()).toEqual(expectedEntities(c));
      for (const e of entities) {
        expect(e.text).toBe(c.text.slice(e.start, e.end));
        expect(e.score).toBeGreaterThan(0.5);
        expect(e.score).toBeLessThanOrEqual(1);
      }
    }
    ner.dispose();
  });

  for (const [weights, referenceFile] of [['model.safetensors', 'reference.json'], ['model-f16.safetensors', 'reference-f16.json']]) {
    it(`logits() equal PyTorch's within 1e-4 (${weights})`, async () => {
      const ner = await NER.load({ files: { ...files(), weights: readFileSync(new URL(weights, tiny)) } });
      const ref = JSON.parse(readFileSync(new URL(referenceFile, tiny), 'utf8'));
      const worst = Math.max(...ref.cases.map((c) => maxLogitDifference(ner, c)));
      expect(worst).toBeLessThanOrEqual(1e-4);
      ner.dispose();
    });
  }

  for (const weights of ['model.safetensors', 'model-f16.safetensors']) {
    it(`a lexicon model's features and logits equal PyTorch's within 1e-4 (${weights})`, async () => {
      const dir = new URL('../fixtures/tiny-ner-lexicon/', import.meta.url);
      const ner = await NER.load({ files: { config: readFileSync(new URL('config.json', dir), 'utf8'),
        weights: readFileSync(new URL(weights, dir)), vocab: readFileSync(new URL('vocab.txt', dir), 'utf8') } });
      expect(ner.hasLexicon).toBe(true);
      const ref = JSON.parse(readFileSync(new URL(weights === 'model.safetensors' ? 'reference.json' : 'reference-f16.json', dir), 'utf8'));
      expect(ref.cases.some((c) => c.lexicon.some((bits) => bits !== 0))).toBe(true);
      const worst = Math.max(...ref.cases.map((c) => maxLogitDifference(ner, c)));
      expect(worst).toBeLessThanOrEqual(1e-4);
      // Its logits need the features, and a model without a lexicon takes none.
      expect(() => ner.logits(ref.cases[0].ids)).toThrow(/this model has a lexicon: pass each token's lexicon features/);
      expect(() => ner.logits(ref.cases[0].ids, [0, 1])).toThrow(/NER.logits: lexicon has 2 values, expected ids/);
      ner.dispose();
      const plain = await NER.load({ files: files() });
      expect(plain.hasLexicon).toBe(false);
      expect(Array.from(plain.lexiconFeatures('浙商银行'))).toEqual([0, 0, 0, 0, 0, 0]);
      expect(() => plain.logits(reference.cases[0].ids, reference.cases[0].ids.map(() => 1))).toThrow(/this model has no lexicon/);
      plain.dispose();
    });
  }

  it('rejects a lexicon model whose lexicon is corrupt or missing with an Error naming it', async () => {
    const dir = new URL('../fixtures/tiny-ner-lexicon/', import.meta.url);
    const lexiconFiles = (weights) => ({ config: readFileSync(new URL('config.json', dir), 'utf8'), weights,
      vocab: readFileSync(new URL('vocab.txt', dir), 'utf8') });
    // The fixture's weights with the tensor "lexicon.words" replaced (the others kept, offsets rebuilt).
    const original = readFileSync(new URL('model.safetensors', dir));
    const headerLength = Number(original.readBigUInt64LE(0));
    const header = JSON.parse(original.subarray(8, 8 + headerLength).toString('utf8'));
    const withLexicon = (blob) => {
      const parts = [];
      const out = { __metadata__: header.__metadata__ };
      let at = 0;
      for (const [name, t] of Object.entries(header)) {
        if (name === '__metadata__') continue;
        const data = name === 'lexicon.words' ? blob : original.subarray(8 + headerLength + t.data_offsets[0], 8 + headerLength + t.data_offsets[1]);
        out[name] = { ...t, shape: name === 'lexicon.words' ? [data.length] : t.shape, data_offsets: [at, at + data.length] };
        parts.push(data);
        at += data.length;
      }
      const json = Buffer.from(JSON.stringify(out).padEnd(8 * Math.ceil(JSON.stringify(out).length / 8)));
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(json.length));
      return Buffer.concat([length, json, ...parts]);
    };
    const intact = await NER.load({ files: lexiconFiles(withLexicon(gzipSync('北京\t1\n中国\t1\n'))) });
    expect(Array.from(intact.lexiconFeatures('北京')).map((b) => b !== 0)).toEqual([false, true, true, false]);
    intact.dispose();
    for (const [blob, message] of [
      [Buffer.from('not gzip at all'), /NER lexicon/],
      [gzipSync('北京\n'), /NER lexicon: lexicon line 1 is not 'word<TAB>class'/],
      [gzipSync('北京\t8\n'), /NER lexicon: lexicon line 1 has class 8, the config names 8/],
      [gzipSync('北京\t1\n北京\t2\n'), /NER lexicon: the lexicon lists a word twice/],
    ]) await expect(NER.load({ files: lexiconFiles(withLexicon(blob)) })).rejects.toThrow(message);
    // A lexicon config with weights that have no lexicon at all.
    await expect(NER.load({ files: lexiconFiles(readFileSync(new URL('model.safetensors', tiny))) })).rejects.toThrow(/lexicon/);
  });

  it('reports offsets as JS string indices around emoji (surrogate pairs)', async () => {
    const ner = await NER.load({ files: files() });
    const text = '😀' + reference.cases[0].text;
    const shifted = ner.extract(text);
    // Ω is [UNK] in the tiny vocab too, so the model sees the same ids; it is 1 UTF-16 unit, 😀 is 2.
    const plain = ner.extract('Ω' + reference.cases[0].text);
    expect(shifted.length).toBeGreaterThan(0);
    for (const e of shifted) expect(e.text).toBe(text.slice(e.start, e.end));
    const unshift = (x) => (x === 0 ? 0 : x - 1); // indices past the first character move by one unit
    expect(shifted.map((e) => [unshift(e.start), unshift(e.end), e.type])).toEqual(plain.map((e) => [e.start, e.end, e.type]));
  });

  it('handles empty, whitespace-only, lone-surrogate and very long text', async () => {
    const ner = await NER.load({ files: files() });
    expect(ner.extract('')).toEqual([]);
    expect(ner.extract(' \n\t ')).toEqual([]);
    const lone = '浙商\ud800银行';
    for (const e of ner.extract(lone)) expect(e.text).toBe(lone.slice(e.start, e.end));
    const long = reference.cases.map((c) => c.text).join('。').repeat(300); // ~12,000 characters, many windows
    const entities = ner.extract(long);
    expect(entities.length).toBeGreaterThan(100);
    expect(entities.at(-1).end).toBeGreaterThan(long.length - 100);
    for (const e of entities.slice(0, 50)) expect(e.text).toBe(long.slice(e.start, e.end));
  });
});

describe('NER.load rejects bad model files with a clear Error', () => {
  const cases = [
    ['broken config JSON', { ...files(), config: '{"vocab_size": ' }, /config.json is not valid JSON/],
    ['a config missing a field', { ...files(), config: JSON.stringify({ ...config, hidden_size: undefined }) }, /missing field 'hidden_size'/],
    ['truncated weights', { ...files(), weights: readFileSync(new URL('model.safetensors', tiny)).subarray(0, 500) }, /safetensors: /],
    ['an empty vocab', { ...files(), vocab: '' }, /the vocabulary is empty/],
    ['a vocab without [UNK]', { ...files(), vocab: '[PAD]\n[CLS]\n[SEP]\n' }, /no \[UNK\] token/],
    ['a vocab of the wrong size', { ...files(), vocab: files().vocab + 'extra\n' }, /vocab.txt has \d+ tokens but config.json says vocab_size/],
  ];
  for (const [name, modelFiles, message] of cases) {
    it(`rejects ${name} and keeps working`, async () => {
      await expect(NER.load({ files: modelFiles })).rejects.toThrow(AttnkitError);
      await expect(NER.load({ files: modelFiles })).rejects.toThrow(message);
      expect(Array.from(gemm(new Float32Array([2]), new Float32Array([3]), { m: 1, n: 1, k: 1 }))).toEqual([6]);
    });
  }

  it('rejects a missing model directory and a non-string text', async () => {
    await expect(NER.load({ url: new URL('./no-such-model/', tiny) })).rejects.toThrow(/NER.load: could not read/);
    const ner = await NER.load({ files: files() });
    expect(() => ner.extract(42)).toThrow('NER.extract: text must be a string, got number');
    expect(() => ner.logits([2, 99999, 3])).toThrow(/encoder: token id 99999 at position 1 is outside the vocabulary/);
    ner.dispose();
    expect(() => ner.extract('x')).toThrow('NER.extract: this NER was disposed');
  });
});
