import { AttnkitWorker, gemm, init, softmax } from '/dist/index.js';

const out = document.getElementById('result');
try {
  await init();
  const c = gemm(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), { m: 2, n: 2, k: 2 });
  const p = softmax(new Float32Array([0, Math.log(3)]), { rows: 1, cols: 2 });
  let error = '';
  try { gemm(new Float32Array([NaN]), new Float32Array([1]), { m: 1, n: 1, k: 1 }); } catch (e) { error = e.message; }
  // Errors from the worker keep their code: a model not loaded yet, and an unknown option key.
  const worker = new AttnkitWorker();
  const { result: { scriptUrl } } = await worker.init();
  const workerErrors = [];
  for (const call of [() => worker.ask('x'), () => worker.loadNer({ url: '/dist/models/ner-cluener/', cached: false })]) {
    try { await call(); } catch (e) { workerErrors.push({ name: e.name, code: e.code, message: e.message }); }
  }
  worker.terminate();
  out.textContent = JSON.stringify({ c: Array.from(c), p: Array.from(p), error, workerErrors, scriptUrl });
} catch (e) {
  out.textContent = JSON.stringify({ failed: String(e) });
}
