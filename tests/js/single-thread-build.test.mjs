// init({ threads: 1 }) in Node loads the single-thread build (attnkit.wasm): no shared memory, no workers.
import { beforeAll, describe, expect, it } from 'vitest';
import { attention, init } from '../../dist/index.js';
import { loadedModule } from '../../dist/loader.js';
import { randomFloats } from './reference.mjs';

let attnkit;
beforeAll(async () => { attnkit = await init({ threads: 1 }); });

describe('single-thread build', () => {
  it('is loaded by threads: 1, with unshared memory and no pthread workers', () => {
    expect(attnkit.threads).toBe(1);
    const mod = loadedModule('test');
    expect(mod.HEAPU8.buffer).toBeInstanceOf(ArrayBuffer);
    expect(mod.PThread).toBeUndefined();
    const q = randomFloats(2 * 16 * 8, 1, -1, 1);
    expect(attention(q, q, q, { heads: 2, queryLen: 16, headDim: 8 }).length).toBe(q.length);
  });

  it('cannot be asked for more threads', () => {
    expect(() => attnkit.setThreads(2)).toThrow(/setThreads: threads must be an integer from 1 to 1/);
    attnkit.setThreads(1);
    expect(attnkit.threads).toBe(1);
  });
});
