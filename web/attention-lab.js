// The attention lab: heatmaps of attention weights under three attention forms, and an entropy slider.
// Weights are read out of the fused kernels by attending to an identity matrix (output = weight matrix).
import { attention, entropy, entropyNormalize, linearAttention, softmax } from 'attnkit';
import { $ } from './dom.js';

const HEAD_DIM = 16;
const LOGITS = [3, 2.5, 2, 1.5, 1, 0.5, 0, -0.5, -1, -1.5, -2, -2.5];

/** Reproducible N(0, 1)-ish values (sum of uniforms from a small LCG), scaled by `scale`. */
function randomMatrix(count, seed, scale) {
  let s = seed;
  const uniform = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  return Float32Array.from({ length: count }, () => (uniform() + uniform() + uniform() - 1.5) * 2 * scale);
}

function identity(n) {
  const eye = new Float32Array(n * n);
  for (let i = 0; i < n; ++i) eye[i * n + i] = 1;
  return eye;
}

function drawHeatmap(canvas, weights, n) {
  const context = canvas.getContext('2d');
  const cell = canvas.width / n;
  context.clearRect(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < n; ++i) {
    for (let j = 0; j < n; ++j) {
      const shade = Math.round(255 * (1 - Math.sqrt(Math.min(1, Math.max(0, weights[i * n + j])))));
      context.fillStyle = `rgb(${shade}, ${shade}, 255)`;
      context.fillRect(j * cell, i * cell, Math.ceil(cell), Math.ceil(cell));
    }
  }
  canvas.dataset.rowEntropy = entropy(weights.slice(0, n)).toString();
}

function drawMaps() {
  const n = Number($('lab-keys').value);
  $('lab-keys-value').textContent = String(n);
  const q = randomMatrix(n * HEAD_DIM, 7, 1.2);
  const k = randomMatrix(n * HEAD_DIM, 11, 1.2);
  const shape = { heads: 1, queryLen: n, keyLen: n, headDim: HEAD_DIM, valueDim: n };
  drawHeatmap($('map-sqrt'), attention(q, k, identity(n), shape), n);
  drawHeatmap($('map-entropy'), attention(q, k, identity(n), { ...shape, scale: 'entropy-invariant', trainLen: 4 }), n);
  drawHeatmap($('map-linear'), linearAttention(q, k, identity(n), { ...shape, featureMap: 'elu+1' }), n);
}

function drawEntropy() {
  const p = softmax(Float32Array.from(LOGITS), { rows: 1, cols: LOGITS.length });
  const target = (Number($('lab-entropy').value) / 1000) * Math.log(LOGITS.length);
  const { probs, gamma } = entropyNormalize(p, target);
  const h = entropy(probs)[0];
  $('lab-entropy-value').textContent =
    `target ${target.toFixed(3)} nats → H(p̃) = ${h.toFixed(3)} nats, γ = ${Number.isFinite(gamma[0]) ? gamma[0].toFixed(3) : '∞'} ` +
    `(H(p) = ${entropy(p)[0].toFixed(3)}, ln n = ${Math.log(LOGITS.length).toFixed(3)})`;
  $('lab-entropy-value').dataset.entropy = String(h);
  $('lab-bars').replaceChildren(...Array.from(probs, (x) => {
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.height = `${(x * 100).toFixed(1)}%`;
    bar.innerHTML = `<span>${x.toFixed(2)}</span>`;
    return bar;
  }));
}

export function startAttentionLab() {
  $('lab-keys').addEventListener('input', drawMaps);
  $('lab-entropy').addEventListener('input', drawEntropy);
  drawMaps();
  drawEntropy();
}
