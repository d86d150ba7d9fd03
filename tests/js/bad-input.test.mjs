// The bad-input corpus for model files and text (the kernels', attention's, decoding's and KBQA's own
// cases live beside their tests): every case must throw an AttnkitError naming the problem, or for edge-case
// text return a sane result; after each one the same module instance still answers valid calls correctly,
// and repeating the corpus leaves no WASM heap behind.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttnkitError, KBQA, NER, gemm, init } from '../../dist/index.js';

const tiny = new URL('../fixtures/tiny-ner/', import.meta.url);
const config = JSON.parse(readFileSync(new URL('config.json', tiny), 'utf8'));
const vocab = readFileSync(new URL('vocab.txt', tiny), 'utf8');
const weights = readFileSync(new URL('model.safetensors', tiny));
const text = '浙商银行企业信贷部叶老桂博士';

/** safetensors bytes: 8-byte little-endian header length, the header, then the data. */
function safetensors(header, data = new Uint8Array(0), headerLength) {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** The tiny model's own file with one tensor's header entry or data changed. */
function editedWeights(edit) {
  const headerLength = Number(new DataView(weights.buffer, weights.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(weights.subarray(8, 8 + headerLength)));
  const data = new Uint8Array(weights.subarray(8 + headerLength));
  edit(header, data);
  return safetensors(header, data);
}

const firstName = 'embeddings.word_embeddings.weight';
const modelCases = [
  // safetensors
  ['a 4-byte weights file', { weights: new Uint8Array(4) }, /too short for the 8-byte header length/],
  ['a header length past the end', { weights: safetensors('{}', new Uint8Array(0), 2 ** 40) }, /header length \d+ exceeds the file/],
  ['a header that is not JSON', { weights: safetensors('{"a": [1,') }, /safetensors: the header is not valid JSON/],
  ['a header that is an array', { weights: safetensors('[]') }, /safetensors: the header must be a JSON object/],
  ['non-string metadata', { weights: safetensors({ __metadata__: { a: 1 } }) }, /__metadata__ value 'a' must be a string/],
  ['a tensor without data_offsets', { weights: safetensors({ t: { dtype: 'F32', shape: [1] } }) }, /tensor 't' needs dtype, shape and data_offsets/],
  ['an unknown dtype', { weights: editedWeights((h) => { h[firstName].dtype = 'Q4'; }) }, new RegExp(`tensor '${firstName}' has dtype 'Q4'`)],
  ['offsets out of range', { weights: safetensors({ t: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }) }, /data_offsets \[0, 4\] are outside the 0 data bytes/],
  ['negative offsets', { weights: safetensors({ t: { dtype: 'F32', shape: [1], data_offsets: [-4, 0] } }, new Uint8Array(4)) }, /must be a non-negative integer/],
  ['data_offsets of three numbers', { weights: safetensors({ t: { dtype: 'F32', shape: [1], data_offsets: [0, 2, 4] } }, new Uint8Array(4)) }, /data_offsets must be \[begin, end\]/],
  ['overlapping tensors', { weights: safetensors({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, new Uint8Array(12)) }, /tensors overlap in the data section/],
  ['shape x dtype != bytes', { weights: safetensors({ t: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)) }, /tensor 't' has shape \[3\]/],
  ['a string shape', { weights: safetensors({ t: { dtype: 'F32', shape: '3', data_offsets: [0, 12] } }, new Uint8Array(12)) }, /tensor 't' shape must be an array/],
  ['a file without the model tensors', { weights: safetensors({}) }, /the model has no tensor/],
  ['a tensor of the wrong shape', { weights: editedWeights((h) => { h[firstName].shape = [h[firstName].shape[1], h[firstName].shape[0]]; }) }, /the config expects/],
  ['NaN in the weights', { weights: editedWeights((h, d) => { new DataView(d.buffer).setFloat32(h[firstName].data_offsets[0] + 8, NaN, true); }) }, /value 2 is not finite/],
  ['Infinity in the weights', { weights: editedWeights((h, d) => { new DataView(d.buffer).setFloat32(h[firstName].data_offsets[0], -Infinity, true); }) }, /value 0 is not finite/],
  ['weights that are not bytes', { weights: 'model.safetensors' }, /files.weights must be a Uint8Array or ArrayBuffer/],
  // config.json
  ['a config that is not JSON', { config: '{"vocab_size": ' }, /config.json is not valid JSON/],
  ['a config that is an array', { config: '[1, 2]' }, /config.json must be a JSON object/],
  ['a config without vocab_size', { config: { ...config, vocab_size: undefined } }, /missing field 'vocab_size'/],
  ['a string hidden_size', { config: { ...config, hidden_size: '32' } }, /'hidden_size' must be a positive integer, got "32"/],
  ['a negative num_layers', { config: { ...config, num_layers: -2 } }, /'num_layers' must be a positive integer, got -2/],
  ['heads that do not divide hidden_size', { config: { ...config, num_heads: 3 } }, /must split into num_heads 3 heads/],
  ['an unsupported activation', { config: { ...config, hidden_act: 'relu' } }, /'hidden_act' = 'relu' is not supported/],
  ['an unknown attention scale', { config: { ...config, attention_scale: { kind: 'log' } } }, /attention_scale kind 'log' is not supported/],
  ['an unknown head type', { config: { ...config, head: { ...config.head, type: 'crf' } } }, /head type 'crf' is not supported/],
  ['no entity labels', { config: { ...config, head: { ...config.head, labels: [] } } }, /head: 'labels' must be a non-empty array of strings/],
  ['an unknown model_type', { config: { ...config, model_type: 'gpt' } }, /model_type 'gpt' is not supported/],
  ['a seq2seq config for NER', { config: { ...config, model_type: 'attnkit-seq2seq', segments: 2 } }, /NER: config.json is a 'attnkit-seq2seq' model/],
  // vocab.txt
  ['an empty vocab', { vocab: '' }, /the vocabulary is empty/],
  ['a vocab without [UNK]', { vocab: '[PAD]\n[CLS]\n[SEP]\n' }, /no \[UNK\] token/],
  ['a vocab of the wrong size', { vocab: `${vocab}extra\n` }, /vocab.txt has \d+ tokens but config.json says vocab_size/],
  ['a vocab that is not text', { vocab: 42 }, /files.vocab must be the text of vocab.txt/],
];

let mod;
let ner;

beforeAll(async () => {
  mod = await init();
  ner = await NER.load({ url: tiny });
});

const expected = () => ner.extract(text);
let reference;

/** The module still computes correctly: a GEMM and the same NER result as before the corpus. */
function stillWorks() {
  expect(Array.from(gemm(new Float32Array([1, 2]), new Float32Array([3, 4]), { m: 1, n: 1, k: 2 }))).toEqual([11]);
  reference ??= expected();
  expect(ner.extract(text)).toEqual(reference);
}

describe('bad model files: NER.load and KBQA.load throw an Error naming the problem', () => {
  for (const [name, change, message] of modelCases) {
    it(`rejects ${name}`, async () => {
      const files = { config: JSON.stringify(config), weights, vocab, ...change };
      const load = () => NER.load({ files });
      await expect(load()).rejects.toThrow(AttnkitError);
      await expect(load()).rejects.toThrow(message);
      stillWorks();
    });
  }

  it('rejects the same broken weights in KBQA.load', async () => {
    const kbqaDir = new URL('../fixtures/tiny-kbqa/', import.meta.url);
    const files = { config: readFileSync(new URL('config.json', kbqaDir), 'utf8'), vocab: readFileSync(new URL('vocab.txt', kbqaDir), 'utf8') };
    for (const weightsBytes of [new Uint8Array(4), safetensors('{"a": [1,'), safetensors({})]) {
      await expect(KBQA.load({ model: { files: { ...files, weights: weightsBytes } }, kb: 'a ||| b ||| c' })).rejects.toThrow(/safetensors: /);
    }
    stillWorks();
  });
});

describe('edge-case text: sane results, never a crash', () => {
  const cases = [
    ['empty text', '', (r) => expect(r).toEqual([])],
    ['whitespace only', ' \t\n\u3000 ', (r) => expect(r).toEqual([])],
    ['control characters only', '\u0000\u0001\u200b', (r) => expect(r).toEqual([])],
    ['a lone high surrogate', '浙商\ud800银行', (r, t) => r.forEach((e) => expect(e.text).toBe(t.slice(e.start, e.end)))],
    ['a lone low surrogate at the start', '\udc00浙商银行', (r, t) => r.forEach((e) => expect(e.text).toBe(t.slice(e.start, e.end)))],
    ['one 5,000-letter word', 'a'.repeat(5000), (r, t) => r.forEach((e) => expect(e.text).toBe(t.slice(e.start, e.end)))],
    ['emoji and full-width mixed', '😀ＡＢＣ浙商银行１２３🇨🇳', (r, t) => r.forEach((e) => expect(e.text).toBe(t.slice(e.start, e.end)))],
  ];
  for (const [name, input, check] of cases) {
    it(`handles ${name}`, () => {
      check(ner.extract(input), input);
      stillWorks();
    });
  }

  it('handles 100,000 characters with the bundled model (the tiny random one flags most spans)', async () => {
    const bundled = await NER.load();
    const lines = readFileSync(new URL('../../../shared/data/cluener/train.json', import.meta.url), 'utf8').split('\n');
    let long = '';
    for (const line of lines) if (line && long.length < 100_000) long += JSON.parse(line).text;
    long = long.slice(0, 100_000);
    const found = bundled.extract(long);
    expect(found.length).toBeGreaterThan(1000);  // ~1 entity per 20 characters in CLUENER text
    expect(found.at(-1).end).toBeGreaterThan(long.length - 500);
    for (const e of found) expect(e.text).toBe(long.slice(e.start, e.end));
    bundled.dispose();
    stillWorks();
  });

  it('rejects text that is not a string', () => {
    for (const bad of [42, null, undefined, ['浙商'], new String('x')]) {
      expect(() => ner.extract(bad)).toThrow(AttnkitError);
      expect(() => ner.extract(bad)).toThrow(/NER.extract: text must be a string/);
    }
    stillWorks();
  });
});

describe('no leaks', () => {
  it('a second pass over the whole corpus leaves the heap in use exactly where it was', async () => {
    // The first pass may grow one-off buffers (the last error message's capacity); a leak grows every pass.
    const pass = async () => {
      for (const [, change] of modelCases) {
        await NER.load({ files: { config: JSON.stringify(config), weights, vocab, ...change } }).catch(() => {});
      }
      for (const input of ['', '浙商\ud800银行', text.repeat(50)]) ner.extract(input);
    };
    await pass();
    const before = mod.heapBytesInUse();
    await pass();
    await pass();
    expect(mod.heapBytesInUse()).toBe(before);
    console.log(`bad-input corpus: heap in use ${before} bytes before and ${mod.heapBytesInUse()} after two more passes`);
  });
});

afterAll(() => ner.dispose());
