// Threads: attnkit vs onnxruntime-web at 1 and at 2 threads (one child process per thread count, one after the
// other: onnxruntime fixes its threads when it starts), plus each .wasm's size.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

const root = new URL('../../', import.meta.url);

export function benchThreads({ counts = [1, 2] } = {}) {
  const rows = [];
  for (const threads of counts) {
    const out = execFileSync(process.execPath, [new URL('scripts/bench/threads-run.mjs', root).pathname, String(threads)],
      { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
    rows.push(...JSON.parse(out));
  }
  return rows;
}

export function wasmSizes() {
  return ['attnkit.wasm', 'attnkit-threads.wasm'].map((file) => {
    const bytes = statSync(new URL(`dist/${file}`, root)).size;
    return { name: file, bytes, MiB: bytes / 2 ** 20, underOneMiB: bytes <= 2 ** 20 };
  });
}
