// The demo page: NER, a live softmax and a GEMM timing. Uses only the public package API.
import { gemm, init, softmax } from 'attnkit';
import { startNerPanel } from './ner-panel.js';

const $ = (id) => document.getElementById(id);

function drawSoftmax() {
  const values = $('logits').value.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  try {
    const p = softmax(Float32Array.from(values), { rows: 1, cols: values.length });
    $('bars').replaceChildren(...Array.from(p, (x) => {
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.style.height = `${(x * 100).toFixed(1)}%`;
      bar.innerHTML = `<span>${x.toFixed(3)}</span>`;
      return bar;
    }));
  } catch (error) {
    $('bars').innerHTML = `<p class="error">${error.message}</p>`;
  }
}

function runGemm() {
  const n = 512;
  const a = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  gemm(a, b, { m: n, n, k: n });
  const start = performance.now();
  gemm(a, b, { m: n, n, k: n });
  const ms = performance.now() - start;
  $('gemm-result').textContent = `${ms.toFixed(1)} ms — ${((2 * n ** 3) / ms / 1e6).toFixed(1)} GFLOP/s`;
}

try {
  const kit = await init();
  $('status').textContent = `Ready: WebAssembly SIMD module loaded (${(kit.memoryBytes() / 2 ** 20).toFixed(0)} MiB memory).`;
  $('logits').addEventListener('input', drawSoftmax);
  $('run-gemm').addEventListener('click', runGemm);
  drawSoftmax();
  await startNerPanel();
} catch (error) {
  $('status').className = 'error';
  $('status').textContent = `Could not start attnkit: ${error.message}`;
}
