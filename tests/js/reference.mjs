// Plain-JS references (float64) that the WASM kernels are compared against.
export function referenceGemm(a, b, m, n, k, bTransposed) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; ++i)
    for (let j = 0; j < n; ++j) {
      let sum = 0;
      for (let p = 0; p < k; ++p) sum += a[i * k + p] * (bTransposed ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = sum;
    }
  return c;
}

export function referenceSoftmax(x, rows, cols) {
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; ++r) {
    const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
    const max = Math.max(...row);
    const exps = row.map((v) => (max === -Infinity ? 0 : Math.exp(v - max)));
    const sum = exps.reduce((s, v) => s + v, 0);
    exps.forEach((v, j) => { y[r * cols + j] = sum > 0 ? v / sum : 0; });
  }
  return y;
}

export function referenceLayerNorm(x, gamma, beta, rows, cols, eps) {
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; ++r) {
    const row = x.subarray(r * cols, (r + 1) * cols);
    const mean = row.reduce((s, v) => s + v, 0) / cols;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / cols;
    for (let j = 0; j < cols; ++j) y[r * cols + j] = ((row[j] - mean) / Math.sqrt(variance + eps)) * gamma[j] + beta[j];
  }
  return y;
}

export function randomFloats(count, seed, lo = -1, hi = 1) {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(count);
  for (let i = 0; i < count; ++i) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = lo + (hi - lo) * (s / 4294967296);
  }
  return out;
}

export function maxAbsDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; ++i) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Largest |Δ| between ner.logits(ids) and a PyTorch reference case's logits, over the cells i ≤ j. */
export function maxLogitDifference(ner, referenceCase) {
  const n = referenceCase.ids.length;
  // A lexicon model's reference holds Python's per-token lexicon bits: WASM's matcher must give the same.
  const lexicon = ner.hasLexicon ? Array.from(ner.lexiconFeatures(referenceCase.text)) : undefined;
  if (lexicon && JSON.stringify(lexicon) !== JSON.stringify(referenceCase.lexicon)) {
    throw new Error(`lexicon features differ from Python's for ${referenceCase.text}: ${lexicon} vs ${referenceCase.lexicon}`);
  }
  const logits = ner.logits(referenceCase.ids, lexicon);
  let worst = 0;
  referenceCase.logits.forEach((rows, t) => rows.forEach((row, i) => row.forEach((want, j) => {
    if (j >= i) worst = Math.max(worst, Math.abs(logits[(t * n + i) * n + j] - want));
  })));
  return worst;
}
