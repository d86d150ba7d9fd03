// Every options object of the public API rejects keys it does not know (a typo must not silently give a
// result computed without the option), naming the key and listing the accepted ones; and every AttnkitError
// carries a stable `code` an app can branch on.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AttnkitError, KBQA, LinearAttentionState, NER, PrefixTrie, attention, beamSearchSync, entropy, entropyInvariantScale,
  entropyNormalize, gauAttention, gemm, init, layerNorm, linearAttention, performerProjection, rope, softmax,
} from '../../dist/index.js';

const tinyNer = new URL('../fixtures/tiny-ner/', import.meta.url);
const tinyKbqa = new URL('../fixtures/tiny-kbqa/', import.meta.url);
const kbText = readFileSync(new URL('kb.txt', tinyKbqa), 'utf8');

/** Runs `call` (sync or async) and returns the AttnkitError it throws. */
async function caught(call) {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(AttnkitError);
    return error;
  }
  throw new Error('expected an AttnkitError, got a result');
}

let ner;
let kbqa;
beforeAll(async () => {
  await init();
  ner = await NER.load({ url: tinyNer });
  kbqa = await KBQA.load({ model: { url: tinyKbqa }, kb: kbText });
});

const x16 = new Float32Array(16).fill(0.5);
const shape = { queryLen: 4, headDim: 4 };

describe('unknown option names are an error', () => {
  const cases = [
    ['attention', () => attention(x16, x16, x16, { ...shape, casual: true }), 'attention', 'casual', 'causal'],
    ['gauAttention', () => gauAttention(x16, x16, x16, { ...shape, varient: 'softmax' }), 'gauAttention', 'varient', 'variant'],
    ['gauAttention (softmax variant)', () => gauAttention(x16, x16, x16, { ...shape, variant: 'softmax', scale: 2 }),
      'gauAttention', 'scale', 'trainLen'],
    ['linearAttention', () => linearAttention(x16, x16, x16, { ...shape, feature_map: 'exp' }), 'linearAttention',
      'feature_map', 'featureMap'],
    ['LinearAttentionState', () => new LinearAttentionState({ headDim: 4, causal: true }), 'LinearAttentionState',
      'causal', 'featureMap'],
    ['rope', () => rope(new Float32Array(8), { seqLen: 2, headDim: 4, offset: 1 }), 'rope', 'offset', 'positionOffset'],
    ['gemm', () => gemm(x16, x16, { m: 4, n: 4, k: 4, transposeB: true }), 'gemm', 'transposeB', 'bTransposed'],
    ['softmax', () => softmax(x16, { rows: 4, cols: 4, axis: 1 }), 'softmax', 'axis', 'cols'],
    ['layerNorm', () => layerNorm(x16, x16.subarray(0, 4), x16.subarray(0, 4), { rows: 4, cols: 4, epsilon: 1e-5 }),
      'layerNorm', 'epsilon', 'eps'],
    ['entropy', () => entropy(new Float32Array([0.5, 0.5]), { row: 1 }), 'entropy', 'row', 'rows'],
    ['entropyNormalize', () => entropyNormalize(new Float32Array([0.5, 0.5]), 0.5, { tol: 1e-3 }), 'entropyNormalize',
      'tol', 'tolerance'],
    ['entropyInvariantScale', () => entropyInvariantScale(10, 4, { trainLength: 512 }), 'entropyInvariantScale',
      'trainLength', 'trainLen'],
    ['beamSearch', () => beamSearchSync(() => new Float32Array(4), { vocabSize: 4, eosId: 0, beam: 2 }), 'beamSearch',
      'beam', 'beams'],
    ['init', () => init({ wasmURL: 'x' }), 'init', 'wasmURL', 'wasmUrl'],
    ['NER.load', () => NER.load({ url: tinyNer, cached: false }), 'NER.load', 'cached', 'cache'],
    ['NER.load files', () => NER.load({ files: { config: '{}', weights: new Uint8Array(8), vocab: '', tokenizer: 1 } }),
      'NER.load', 'tokenizer', 'vocab'],
    ['KBQA.load', () => KBQA.load({ knowledge: kbText }), 'KBQA.load', 'knowledge', 'kb'],
    ['KBQA.load model', () => KBQA.load({ model: { path: tinyKbqa }, kb: kbText }), 'KBQA.load', 'path', 'url'],
    ['KBQA.ask', () => kbqa.ask('北京', { beam: 8 }), 'KBQA.ask', 'beam', 'beams'],
  ];
  it("NER.extract, which has no options yet, rejects one ('threshold') rather than ignore it", async () => {
    const error = await caught(() => ner.extract('北京', { threshold: 0.9 }));
    expect(error.message).toBe("NER.extract: unknown option 'threshold' in options; it accepts none");
    expect(error.code).toBe('invalid-argument');
    expect(ner.extract('北京', {})).toEqual(ner.extract('北京'));
  });
  for (const [name, call, where, key, accepted] of cases) {
    it(`${name} rejects '${key}', naming it and listing the accepted keys`, async () => {
      const error = await caught(call);
      expect(error.message).toMatch(new RegExp(`^${where}: unknown option '${key}' in [a-z.]+; accepted: .*\\b${accepted}\\b`));
      expect(error.code).toBe('invalid-argument');
    });
  }

  it('accepts every documented key (the lists match the types)', () => {
    const q = new Float32Array(2 * 2 * 4 * 4).fill(0.25);
    expect(() => attention(q, q, q, { batch: 2, heads: 2, queryLen: 4, keyLen: 4, headDim: 4, valueDim: 4, causal: true,
      prefixLen: 1, keyLengths: [4, 3], scale: 'entropy-invariant', trainLen: 64, minKeys: 2 })).not.toThrow();
    expect(() => kbqa.ask('北京', { beams: 2, topK: 1, mode: 'triple', lookahead: true, lengthPenalty: 0,
      mutualInformation: 1, minConfidence: 0.5 })).not.toThrow();
  });
});

describe('AttnkitError.code', () => {
  it("is 'invalid-argument' for a wrong value or shape (from the JS layer and from C++)", async () => {
    expect((await caught(() => gemm(x16, x16, { m: 0, n: 4, k: 4 }))).code).toBe('invalid-argument');
    const fromCpp = await caught(() => attention(x16, x16, x16, { ...shape, prefixLen: 2 }));
    expect(fromCpp.message).toBe('attention: prefixLen (prefix-LM) needs causal: true; without it every key is visible anyway');
    expect(fromCpp.code).toBe('invalid-argument');
  });

  it("is 'corrupt-file' for malformed model files, KB lines and trie bytes", async () => {
    const weights = new Uint8Array(4);
    const badModel = await caught(() => NER.load({ files: { config: '{}', weights, vocab: '[UNK]' } }));
    expect(badModel.code).toBe('corrupt-file');
    const badKb = await caught(() => KBQA.load({ model: { url: tinyKbqa }, kb: 'no separators here' }));
    expect(badKb.message).toMatch(/knowledge base line 1/);
    expect(badKb.code).toBe('corrupt-file');
    const trie = PrefixTrie.from([[1, 2], [1, 3]]);
    const bytes = trie.serialize();
    bytes[bytes.length - 1] ^= 1;
    expect((await caught(() => PrefixTrie.deserialize(bytes))).code).toBe('corrupt-file');
    trie.dispose();
  });

  it("is 'not-found' for a missing file and a trie prefix no entry starts with", async () => {
    const missing = await caught(() => NER.load({ url: new URL('../fixtures/no-such-model/', import.meta.url) }));
    expect(missing.code).toBe('not-found');
    const trie = PrefixTrie.from([[1, 2]]);
    const error = await caught(() => trie.next([7]));
    expect(error.message).toBe('PrefixTrie.next: prefix [7] is not in the trie (no entry starts with it)');
    expect(error.code).toBe('not-found');
    trie.dispose();
  });

  it("is 'out-of-memory' for a linear-attention state whose size would wrap around 32-bit memory sizes", async () => {
    // 2^20 Performer features × 2^13 values = 2^33 floats: a size_t product that wraps to 0 on wasm32.
    const error = await caught(() => new LinearAttentionState({ headDim: 1, valueDim: 2 ** 13, featureMap: 'performer',
      features: 2 ** 20, projection: new Float32Array(2 ** 20) }));
    expect(error.message).toBe('out of memory: the request needs more WebAssembly memory than is available (over 4 GiB)');
    expect(error.code).toBe('out-of-memory');
  });

  it("is 'invalid-state' for a disposed object", async () => {
    const trie = PrefixTrie.from([[1]]);
    trie.dispose();
    expect((await caught(() => trie.next([]))).code).toBe('invalid-state');
  });

  it("is 'out-of-memory' when WebAssembly memory cannot grow enough, from C++ and from the JS heap copies", async () => {
    const state = await caught(() => new LinearAttentionState({ headDim: 40000, valueDim: 40000 }));
    expect(state.message).toMatch(/out of memory/);
    expect(state.code).toBe('out-of-memory');
    const copy = await caught(() => performerProjection(2 ** 17, 2 ** 12, 1));  // a 2 GiB output buffer
    expect(copy.message).toMatch(/performerProjection: out of memory allocating/);
    expect(copy.code).toBe('out-of-memory');
  });
});
