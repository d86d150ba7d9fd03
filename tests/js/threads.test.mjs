// The threaded build in Node (init's default here): same results on every thread count, clear errors, a fixed
// pool of workers whatever is loaded and disposed.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttnkitError, KBQA, NER, attention, gauAttention, gemm, init, threadsAvailable } from '../../dist/index.js';
import { loadedModule } from '../../dist/loader.js';
import { randomFloats } from './reference.mjs';

let attnkit;
let started; // the threads init() started
beforeAll(async () => {
  attnkit = await init();
  started = attnkit.threads;
});

// fn's result on one thread and on all the threads init started.
function onOneAndAll(fn) {
  attnkit.setThreads(1);
  let one;
  try {
    one = fn();
  } finally {
    attnkit.setThreads(started);
  }
  return [one, fn()];
}

describe('threaded build', () => {
  it('is what init() loads in Node, on min(4, hardware threads) threads, with shared memory', () => {
    expect(threadsAvailable()).toBe(true);
    expect(attnkit.threads).toBe(Math.min(4, availableParallelism()));
    const mod = loadedModule('test');
    expect(mod.wasmMemory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(mod.PThread.runningWorkers.length + mod.PThread.unusedWorkers.length).toBe(attnkit.threads - 1);
  });

  it('computes attention bit-identically on one thread and on all (plain, causal, entropy-invariant, span, GAU)', () => {
    const shape = { batch: 2, heads: 3, queryLen: 200, headDim: 32 };
    const count = 2 * 3 * 200 * 32;
    const [q, k, v] = [randomFloats(count, 1, -2, 2), randomFloats(count, 2, -2, 2), randomFloats(count, 3, -2, 2)];
    const variants = [
      {}, { causal: true }, { scale: 'entropy-invariant', trainLen: 64, minKeys: 16 },
      { causal: true, span: { size: Float32Array.of(30, 90, 400), ramp: 8 } },
    ];
    for (const extra of variants) {
      const [one, all] = onOneAndAll(() => attention(q, k, v, { ...shape, ...extra }));
      expect(all).toEqual(one);
      expect(one.some((x) => x !== 0)).toBe(true);
    }
    const [one, all] = onOneAndAll(() => gauAttention(q, k, v, shape));
    expect(all).toEqual(one);
  });

  it('computes a GEMM large enough to be split across threads bit-identically', () => {
    const [m, n, k] = [70, 530, 300];
    const a = randomFloats(m * k, 4, -1, 1);
    const b = randomFloats(k * n, 5, -1, 1);
    const [one, all] = onOneAndAll(() => gemm(a, b, { m, n, k }));
    expect(all).toEqual(one);
  });

  it('finds the same entities with the same scores in a long document and in a batch of sentences', async () => {
    const ner = await NER.load();
    const texts = readFileSync(new URL('../../../shared/data/cluener/train.json', import.meta.url), 'utf8')
      .split('\n').filter(Boolean).filter((_, i) => i % 10 === 0).slice(0, 120).map((l) => JSON.parse(l).text);
    const document = texts.join('');
    expect(document.length).toBeGreaterThan(2000);
    const [one, all] = onOneAndAll(() => ({ document: ner.extract(document), many: ner.extractMany(texts) }));
    expect(all).toEqual(one);
    expect(one.document.length).toBeGreaterThan(50);
    ner.dispose();
  });

  it('answers KBQA questions identically', async () => {
    const kbqa = await KBQA.load();
    const questions = ['姚明的身高是多少？', '《红楼梦》的作者是谁？', '北京大学在哪里？'];
    const [one, all] = onOneAndAll(() => questions.map((q) => kbqa.ask(q)));
    expect(all).toEqual(one);
    kbqa.dispose();
  });

  it('reports a C++ error from the threaded build as a typed Error naming the problem', async () => {
    const ner = await NER.load();
    const error = (() => { try { ner.logits([101, 102]); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(AttnkitError);
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(/NER\.logits: this model has a lexicon/);
    ner.dispose();
  });

  it('keeps its workers and returns its memory when models are loaded and disposed', async () => {
    const mod = loadedModule('test');
    const workers = () => mod.PThread.runningWorkers.length + mod.PThread.unusedWorkers.length;
    const cycle = async () => { const ner = await NER.load(); ner.extractMany(['北京大学的张三在上海工作。'.repeat(40)]); ner.dispose(); };
    // First uses: each thread's scratch buffers grow to the largest product it has run, then stay.
    await cycle();
    await cycle();
    const before = { workers: workers(), heap: mod.heapBytesInUse() };
    for (let i = 0; i < 3; ++i) await cycle();
    expect(workers()).toBe(before.workers);
    expect(mod.heapBytesInUse()).toBe(before.heap);
  });

  it('rejects thread counts it cannot run', async () => {
    expect(() => attnkit.setThreads(0)).toThrow(/setThreads: threads must be an integer from 1 to/);
    expect(() => attnkit.setThreads(started + 1)).toThrow(/from 1 to \d+ \(the threads init\(\) started\)/);
    expect(() => attnkit.setThreads(1.5)).toThrow(AttnkitError);
    await expect(init({ threads: 0 })).rejects.toThrow(/init: threads must be an integer from 1 to 16, got 0/);
    await expect(init({ threads: 17 })).rejects.toThrow(/got 17/);
    expect(attnkit.threads).toBe(started);
  });
});
