// The attention lab: heatmaps of attention weights under five attention forms, and an entropy slider.
// Weights are read out of the fused kernels by attending to an identity matrix (output = weight matrix).
import { attention, entropy, entropyNormalize, linearAttention, softmax } from 'attnkit';
import { $ } from './dom.js';

const HEAD_DIM = 16;
const MEMORY = 4;  // persistent vectors in the all-attention map
const LOGITS = [3, 2.5, 2, 1.5, 1, 0.5, 0, -0.5, -1, -1.5, -2, -2.5];

/** Reproducible N(0, 1)-ish values (sum of uniforms from a small LCG), scaled by `scale`. */
function randomMatrix(count, seed, scale) {
  let s = seed;
  const uniform = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  return Float32Array.from({ length: count }, () => (uniform() + uniform() + uniform() - 1.5) * 2 * scale);
}

/** Rows `first` … `first + rows − 1` of the identity of size `cols` (as values: row r picks weight column r). */
function identityRows(rows, cols, first = 0) {
  const eye = new Float32Array(rows * cols);
  for (let i = 0; i < rows; ++i) eye[i * cols + first + i] = 1;
  return eye;
}

const identity = (n) => identityRows(n, n);

/** Weights [rows × cols] as a heatmap; columns before `markedColumns` (persistent vectors) get a red tint. */
function drawHeatmap(canvas, weights, rows, cols = rows, markedColumns = 0) {
  const context = canvas.getContext('2d');
  const cell = canvas.width / cols;
  canvas.height = Math.round(cell * rows);
  context.clearRect(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < rows; ++i) {
    for (let j = 0; j < cols; ++j) {
      const shade = Math.round(255 * (1 - Math.sqrt(Math.min(1, Math.max(0, weights[i * cols + j])))));
      context.fillStyle = j < markedColumns ? `rgb(255, ${shade}, ${shade})` : `rgb(${shade}, ${shade}, 255)`;
      context.fillRect(j * cell, i * cell, Math.ceil(cell), Math.ceil(cell));
    }
  }
  canvas.dataset.rowEntropy = entropy(weights.slice(0, cols)).toString();
  canvas.dataset.lastRow = Array.from(weights.subarray((rows - 1) * cols, rows * cols), (w) => w.toFixed(4)).join(' ');
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
  // Adaptive span z = 3, ramp R = 4: full weight up to 3 keys back, fading to 0 at 7 back.
  drawHeatmap($('map-span'), attention(q, k, identity(n), { ...shape, causal: true, span: { size: [3], ramp: 4 } }), n);
  // All-attention: MEMORY persistent key/value pairs (red columns) that every query sees, then the n context keys.
  const cols = MEMORY + n;
  const persistent = { keys: randomMatrix(MEMORY * HEAD_DIM, 13, 1.2), values: identityRows(MEMORY, cols), count: MEMORY };
  drawHeatmap($('map-persistent'), attention(q, k, identityRows(n, cols, MEMORY), { ...shape, valueDim: cols, causal: true, persistent }),
    n, cols, MEMORY);
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
