import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

const dist = new URL('../../dist/', import.meta.url);

describe('init', () => {
  it('is idempotent: concurrent and repeated calls give the same instance', async () => {
    vi.resetModules();
    const { init } = await import('../../dist/index.js');
    const [first, second] = await Promise.all([init(), init()]);
    expect(first).toBe(second);
    expect(await init()).toBe(first);
    expect(first.memoryBytes()).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  });

  it('names the missing init when a kernel is called too early', async () => {
    vi.resetModules();
    const { gemm } = await import('../../dist/index.js');
    expect(() => gemm(new Float32Array(1), new Float32Array(1), { m: 1, n: 1, k: 1 }))
      .toThrow('gemm: attnkit is not initialised; call `await init()` first');
  });

  it('accepts the module bytes from the caller', async () => {
    vi.resetModules();
    const { init, gemm } = await import('../../dist/index.js');
    await init({ wasmBinary: readFileSync(new URL('attnkit.wasm', dist)) });
    expect(Array.from(gemm(new Float32Array([2]), new Float32Array([3]), { m: 1, n: 1, k: 1 }))).toEqual([6]);
  });
});

describe('the .wasm', () => {
  it('is small (under 1 MB)', () => {
    expect(readFileSync(new URL('attnkit.wasm', dist)).length).toBeLessThan(1024 * 1024);
  });

  it('computes the GEMM with WASM SIMD128 f32x4 multiply and add instructions', () => {
    // The symbol map names each function index; the micro-kernel is inlined into the loop nest that
    // kernels::gemm and the models' pre-packed weights share (gemm_packed_b, or its row loop gemm_packed_rows).
    const symbols = readFileSync(new URL('attnkit.mjs.symbols', dist), 'utf8').split('\n');
    const indices = symbols.filter((s) => /attnkit::kernels::(\\28anonymous\\20namespace\\29::)?gemm(_packed_b|_packed_rows)?\\28/.test(s)).map((s) => Number(s.split(':')[0]));
    expect(indices.length).toBeGreaterThan(0);
    const wat = execFileSync('wasm2wat', ['--enable-exceptions', new URL('attnkit.wasm', dist).pathname],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const bodies = indices.map((index) => {
      const start = wat.indexOf(`(func (;${index};)`);
      expect(start).toBeGreaterThan(0);
      return wat.slice(start, wat.indexOf('(func (;', start + 10));
    });
    const simd = bodies.filter((body) => /f32x4\.mul/.test(body) && /f32x4\.add/.test(body)
      && /v128\.load32_splat|f32x4\.splat/.test(body));
    expect(simd.length).toBeGreaterThan(0);
  });
});
