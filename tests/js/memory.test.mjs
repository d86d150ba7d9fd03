// Requests that need more memory than WebAssembly allows fail with a clear Error, not an abort; repeated
// calls do not grow the heap (nothing leaks).
import { describe, expect, it } from 'vitest';
import { AttnkitError, KBQA, LinearAttentionState, NER, PrefixTrie, attention, gemm, init, performerProjection } from '../../dist/index.js';

const stillWorks = () => expect(Array.from(gemm(new Float32Array([2]), new Float32Array([3]), { m: 1, n: 1, k: 1 }))).toEqual([6]);

describe('memory exhaustion', () => {
  it('a state needing over 4 GiB fails with an out-of-memory Error', async () => {
    await init();
    expect(() => new LinearAttentionState({ headDim: 40000, valueDim: 40000 })).toThrow(AttnkitError);
    expect(() => new LinearAttentionState({ headDim: 40000, valueDim: 40000 })).toThrow(/out of memory/);
    stillWorks();
  });

  it('a 2 GiB output fails before any work with an out-of-memory Error', () => {
    expect(() => performerProjection(2 ** 17, 2 ** 12, 1)).toThrow(/performerProjection: out of memory allocating 2147483648 bytes/);
    stillWorks();
  });
});

describe('no leaks', () => {
  it('10,000 calls of attention, trie lookups and NER keep the heap at its size after warm-up', async () => {
    const kit = await init();
    const q = new Float32Array(4 * 32 * 16).fill(0.1);
    const trie = PrefixTrie.from([[1, 2, 3], [1, 4]]);
    const ner = await NER.load({ url: new URL('../fixtures/tiny-ner/', import.meta.url) });
    const round = () => {
      attention(q, q, q, { heads: 4, queryLen: 32, headDim: 16, causal: true });
      trie.next([1]);
      ner.extract('浙商银行企业信贷部叶老桂博士');
      try { gemm(q, q, { m: 1, n: 1, k: 1 }); } catch { /* the error path must not leak either */ }
    };
    for (let i = 0; i < 200; ++i) round();
    const [memoryBefore, inUseBefore] = [kit.memoryBytes(), kit.heapBytesInUse()];
    for (let i = 0; i < 10_000; ++i) round();
    console.log(`heap in use before ${inUseBefore} B, after 10,000 rounds ${kit.heapBytesInUse()} B; memory ${memoryBefore} → ${kit.memoryBytes()} B`);
    expect(kit.heapBytesInUse()).toBe(inUseBefore);
    expect(kit.memoryBytes()).toBe(memoryBefore);
    ner.dispose();
    trie.dispose();
  }, 120_000);

  it('1,008 KBQA questions in every mode keep the heap at its size after warm-up', async () => {
    const kit = await init();
    const kbqa = await KBQA.load({ model: { url: new URL('../fixtures/tiny-kbqa/', import.meta.url) } });
    const questions = ['你知道龙晶用繁体字怎么写吗？', '守望星光是哪家公司出品的？', '北京大学的校长是谁？', ''];
    const modes = ['triple', 'subject', 'open-predicate'];
    const ask = (i) => {
      kbqa.ask(questions[i % questions.length], { beams: 1 + (i % 4), topK: 2, mode: modes[i % 3] });
      try { kbqa.ask('北京', { beams: 100 }); } catch { /* the error path must not leak either */ }
    };
    // Both measurements follow the same question and mode (the handle keeps the last answers): 12 | 48, 1,008.
    for (let i = 0; i < 48; ++i) ask(i);
    const [memoryBefore, inUseBefore] = [kit.memoryBytes(), kit.heapBytesInUse()];
    for (let i = 0; i < 1008; ++i) ask(i);
    console.log(`KBQA: heap in use before ${inUseBefore} B, after 1,008 questions ${kit.heapBytesInUse()} B; memory ${memoryBefore} → ${kit.memoryBytes()} B`);
    expect(kit.heapBytesInUse()).toBe(inUseBefore);
    expect(kit.memoryBytes()).toBe(memoryBefore);
    kbqa.dispose();
  }, 120_000);
});
