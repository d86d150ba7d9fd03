// Timing helpers for the benchmarks: warm up, then the median of repeated runs.
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Median milliseconds of `fn` over `runs` timed runs (fn may be async). Untimed warm-up runs go on for at
 * least `warmup` calls and `warmupMs` milliseconds: V8 first runs WASM on its baseline compiler and tiers
 * hot functions up to TurboFan in the background, so a short warm-up times the wrong code.
 */
export async function medianMs(fn, { runs = 7, warmup = 2, warmupMs = 1500 } = {}) {
  const warmupEnd = performance.now() + warmupMs;
  for (let i = 0; i < warmup || performance.now() < warmupEnd; ++i) await fn();
  const times = [];
  for (let i = 0; i < runs; ++i) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export function randomFloats(count, seed = 1) {
  // xorshift: reproducible inputs without a dependency.
  let s = seed >>> 0 || 1;
  const out = new Float32Array(count);
  for (let i = 0; i < count; ++i) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

/**
 * Medians of several contenders timed in turn (a, b, c, a, b, c, …) after all are warmed up, so drift in the
 * machine's speed (shared hosts) hits them alike. Returns their medians in order.
 */
export async function compareManyMs(fns, { runs = 9, warmupMs = 1500 } = {}) {
  for (const fn of fns) await medianMs(fn, { runs: 1, warmupMs });
  const times = fns.map(() => []);
  for (let i = 0; i < runs; ++i) {
    for (const [f, fn] of fns.entries()) {
      const start = performance.now();
      await fn();
      times[f].push(performance.now() - start);
    }
  }
  return times.map(median);
}

/** compareManyMs of two: [medianMsA, medianMsB]. */
export function compareMs(fnA, fnB, options) {
  return compareManyMs([fnA, fnB], options);
}

/**
 * Medians of several contenders, each timed in a block of its own after the machine has been idle for
 * `idleMs`. For multi-threaded contenders in one process: onnxruntime's pool keeps spinning on its cores for a
 * while after each run, so an interleaved attnkit run would find them busy (on 2 cores, a 512³ GEMM on 2 threads
 * measured 6.0 ms interleaved with onnxruntime runs and 3.4 ms after 1 s idle).
 */
export async function compareInBlocksMs(fns, { runs = 9, warmupMs = 1500, idleMs = 500 } = {}) {
  const medians = [];
  for (const fn of fns) {
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    medians.push(await medianMs(fn, { runs, warmupMs }));
  }
  return medians;
}
