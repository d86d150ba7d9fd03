// Relaxed SIMD (issue 17): does f32x4.relaxed_madd (a fused multiply-add where the CPU has one) pay over
// f32x4.mul + f32x4.add? Debian's Emscripten 3.1.6 (clang 14) can only emit the pre-standard encoding
// 0xfd 0xaf 0x01 (its __builtin_wasm_fma_f32x4 under -mrelaxed-simd), which engines now reject, so this
// measures the best case directly: two hand-encoded modules with the same 8 independent chains
// acc ← acc·a + b, one with the standard relaxed_madd (0xfd 0x85 0x02), one with mul then add.
// Run where the engine validates relaxed SIMD (Chromium: scripts/bench-browsers.mjs; Node 20 needs
// --experimental-wasm-relaxed-simd).

const CHAINS = 12;
const uleb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const f32x4 = (x) => [0xfd, 0x0c, ...new Uint8Array(new Float32Array([x, x, x, x]).buffer)];  // v128.const
const get = (i) => [0x20, ...uleb(i)];
const set = (i) => [0x21, ...uleb(i)];
const MUL = [0xfd, 0xe6, 0x01], ADD = [0xfd, 0xe4, 0x01], RELAXED_MADD = [0xfd, 0x85, 0x02];

/** A module exporting run(iterations) → f32: CHAINS accumulators updated `iterations` times. */
export function chainsModule(fused) {
  // Locals: 0 = iterations (param), 1 = a, 2 = b, 3 … 3 + CHAINS − 1 = the accumulators.
  const acc = (k) => 3 + k;
  const step = (k) => (fused ? [...get(acc(k)), ...get(1), ...get(2), ...RELAXED_MADD]
    : [...get(acc(k)), ...get(1), ...MUL, ...get(2), ...ADD]);
  const body = [
    ...f32x4(0.5), ...set(1), ...f32x4(1), ...set(2),
    ...Array.from({ length: CHAINS }, (_, k) => [...get(2), ...set(acc(k))]).flat(),
    0x03, 0x40,  // loop
    ...Array.from({ length: CHAINS }, (_, k) => [...step(k), ...set(acc(k))]).flat(),
    ...get(0), 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00,  // iterations -= 1; br_if 0
    0x0b,
    ...get(acc(0)), ...Array.from({ length: CHAINS - 1 }, (_, k) => [...get(acc(k + 1)), ...ADD]).flat(),
    0xfd, 0x1f, 0x00,  // f32x4.extract_lane 0
    0x0b,
  ];
  const locals = [0x01, ...uleb(2 + CHAINS), 0x7b];  // one group: 2 + CHAINS v128 locals
  const fn = [...locals, ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7d]),        // type: (i32) → f32
    ...section(3, [0x01, 0x00]),                                 // one function
    ...section(7, [0x01, 0x03, ...[...'run'].map((c) => c.charCodeAt(0)), 0x00, 0x00]),
    ...section(10, [0x01, ...uleb(fn.length), ...fn]),
  ]);
}

/** The two modules' bytes as plain arrays (what page.evaluate can pass) for measureRelaxedMadd. */
export const relaxedMaddInput = () => [[...chainsModule(true)], [...chainsModule(false)], CHAINS];

/**
 * GFLOP/s of both modules, timed alternately (medians of 7 runs), in whatever engine runs it; { validates:
 * false } where the engine rejects relaxed SIMD. Self-contained, one argument: the browser bench passes it to
 * page.evaluate.
 */
export async function measureRelaxedMadd([fusedBytes, plainBytes, chains]) {
  const iterations = 2e7, runs = 7;
  if (!WebAssembly.validate(new Uint8Array(fusedBytes))) return { validates: false };
  const make = async (bytes) => (await WebAssembly.instantiate(new Uint8Array(bytes))).instance.exports.run;
  const fused = await make(fusedBytes), plain = await make(plainBytes);
  const flops = iterations * chains * 4 * 2;
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const time = (f) => { const t = performance.now(); const r = f(iterations); return [performance.now() - t, r]; };
  time(fused), time(plain);  // warm up (tier-up)
  const a = [], b = [];
  let sums;
  for (let r = 0; r < runs; ++r) {
    const [ta, ra] = time(fused), [tb, rb] = time(plain);
    a.push(ta), b.push(tb), sums = [ra, rb];
  }
  // Both converge to chains · 2 (acc = 2 is the fixed point of acc·0.5 + 1): the modules compute the same.
  return { validates: true, relaxedMaddGflops: flops / median(a) / 1e6, mulAddGflops: flops / median(b) / 1e6,
    speedup: median(b) / median(a), sameResult: sums[0] === sums[1] };
}
