// One process of the thread benchmark (scripts/bench/threads.mjs): attnkit on T threads (T = 1: the
// single-thread build; T > 1: the threaded build, also timed at 1 thread with setThreads for the scaling) against
// onnxruntime-web on T threads, its naive attention graph and its fused com.microsoft MultiHeadAttention, in
// one process because onnxruntime fixes its thread count when it starts. Prints the rows as JSON.
//   node scripts/bench/threads-run.mjs T
import { readFileSync } from 'node:fs';
import { attention, gemm, init, NER } from '../../dist/index.js';
import { attentionModel } from './attention.mjs';
import { matmulModel } from './gemm.mjs';
import { compareInBlocksMs, compareManyMs, randomFloats } from './harness.mjs';
import { onnxModel } from './onnx-graph.mjs';
import { ort, ortSession, ortTensor } from './ort.mjs';

const threads = Number(process.argv[2] ?? 1);
ort.env.wasm.numThreads = threads; // before the first session: onnxruntime reads it once
const attnkit = await init({ threads });
const HEADS = 12;
const HEAD_DIM = 64;
const HIDDEN = HEADS * HEAD_DIM;
const root = new URL('../../', import.meta.url);

// Times attnkit on all threads, attnkit on one (threaded build only) and the other contenders: alternately at
// one thread; in blocks after an idle pause at more (see compareInBlocksMs: onnxruntime's threads spin on).
async function timed(ours, others, runs) {
  const oneThread = async () => {
    attnkit.setThreads(1);
    try { await ours(); } finally { attnkit.setThreads(threads); }
  };
  const fns = threads > 1 ? [ours, oneThread, ...others] : [ours, ...others];
  const ms = await (threads > 1 ? compareInBlocksMs : compareManyMs)(fns, { runs });
  return threads > 1 ? { ms: ms[0], oneThreadMs: ms[1], others: ms.slice(2) } : { ms: ms[0], others: ms.slice(1) };
}

const maxAbsDiff = (a, b) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

// [heads, n, d] → [1, n, heads·d], the layout MultiHeadAttention takes.
function interleaveHeads(x, n) {
  const out = new Float32Array(x.length);
  for (let h = 0; h < HEADS; ++h)
    for (let i = 0; i < n; ++i) out.set(x.subarray((h * n + i) * HEAD_DIM, (h * n + i + 1) * HEAD_DIM), i * HIDDEN + h * HEAD_DIM);
  return out;
}

async function benchAttention(runs) {
  const naive = await ortSession(attentionModel());
  const fusedDims = [1, 'n', HIDDEN];
  const fused = await ortSession(onnxModel({
    nodes: [{ op: 'MultiHeadAttention', domain: 'com.microsoft', inputs: ['Q', 'K', 'V'], outputs: ['O'],
      attrs: { num_heads: { int: HEADS } } }],
    inputs: [['Q', fusedDims], ['K', fusedDims], ['V', fusedDims]],
    outputs: [['O', fusedDims]],
  }));
  const rows = [];
  for (const n of [128, 512, 2048]) {
    const count = HEADS * n * HEAD_DIM;
    const [q, k, v] = [randomFloats(count, 1), randomFloats(count, 2), randomFloats(count, 3)];
    const options = { heads: HEADS, queryLen: n, headDim: HEAD_DIM };
    const naiveFeeds = { Q: ortTensor(q, [HEADS, n, HEAD_DIM]), K: ortTensor(k, [HEADS, n, HEAD_DIM]), V: ortTensor(v, [HEADS, n, HEAD_DIM]) };
    const fusedFeeds = { Q: ortTensor(interleaveHeads(q, n), [1, n, HIDDEN]), K: ortTensor(interleaveHeads(k, n), [1, n, HIDDEN]),
      V: ortTensor(interleaveHeads(v, n), [1, n, HIDDEN]) };
    const ours = attention(q, k, v, options);
    const diff = Math.max(maxAbsDiff(ours, (await naive.run(naiveFeeds)).O.data),
      maxAbsDiff(interleaveHeads(ours, n), (await fused.run(fusedFeeds)).O.data));
    const t = await timed(() => attention(q, k, v, options), [() => naive.run(naiveFeeds), () => fused.run(fusedFeeds)], runs);
    const gflops = (ms) => (4 * HEADS * n * n * HEAD_DIM) / ms / 1e6;
    rows.push({ name: `softmax attention 12x${n}x64`, threads, attnkitMs: t.ms, ortNaiveMs: t.others[0], ortMhaMs: t.others[1],
      attnkitGflops: gflops(t.ms), vsOrtNaive: t.others[0] / t.ms, vsOrtMha: t.others[1] / t.ms,
      ...(t.oneThreadMs && { attnkitOneThreadMs: t.oneThreadMs, scaling: t.oneThreadMs / t.ms }), maxAbsDiff: diff });
  }
  return rows;
}

async function benchGemm(runs, size = 512) {
  const a = randomFloats(size * size, 1);
  const b = randomFloats(size * size, 2);
  const session = await ortSession(matmulModel(size));
  const feeds = { A: ortTensor(a, [size, size]), B: ortTensor(b, [size, size]) };
  const shape = { m: size, n: size, k: size };
  const diff = maxAbsDiff(gemm(a, b, shape), (await session.run(feeds)).C.data);
  const t = await timed(() => gemm(a, b, shape), [() => session.run(feeds)], runs);
  return [{ name: `gemm ${size}^3`, threads, attnkitMs: t.ms, ortMs: t.others[0], attnkitGflops: (2 * size ** 3) / t.ms / 1e6,
    vsOrt: t.others[0] / t.ms, ...(t.oneThreadMs && { attnkitOneThreadMs: t.oneThreadMs, scaling: t.oneThreadMs / t.ms }), maxAbsDiff: diff }];
}

// NER on the bundled model: 20 sentences of 50 characters one at a time (logits, lexicon matching included),
// and one 2,000-character document (extract: windows batched through the encoder). onnxruntime runs the
// exported encoder (build/bench/ner-cluener.onnx, written by the single-thread ner bench) on the same ids and
// lexicon features: each sentence alone, and the document's windows as one padded batch.
async function benchNer(runs) {
  const modelDir = new URL('web/models/ner-cluener/', root);
  const ner = await NER.load({ url: modelDir });
  const session = await ortSession(readFileSync(new URL('build/bench/ner-cluener.onnx', root)));
  const chinese = /^[\u3000-\u303f\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff20]{50,}$/u;
  const texts = readFileSync(new URL('../shared/data/cluener/train.json', root), 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l).text).filter((t) => chinese.test(t));
  const sentences = texts.slice(0, 20).map((t) => t.slice(0, 50));
  let doc = '';
  for (const t of texts.slice(20)) { if (doc.length >= 2000) break; doc += t; }
  doc = doc.slice(0, 2000);
  const vocab = new Map(readFileSync(new URL('vocab.txt', modelDir), 'utf8').split('\n').map((t, i) => [t, i]));
  const width = JSON.parse(readFileSync(new URL('config.json', modelDir), 'utf8')).lexicon.features;
  const idOf = (c) => vocab.get(c.toLowerCase()) ?? vocab.get('[UNK]');
  // One feed of `rows` windows (token ids without [CLS]/[SEP], and their feature bits), padded to the longest.
  const feed = (rows) => {
    const n = Math.max(...rows.map((r) => r.ids.length)) + 2;
    const ids = new BigInt64Array(rows.length * n);
    const mask = new BigInt64Array(rows.length * n);
    const lexicon = new Float32Array(rows.length * n * width);
    rows.forEach((r, b) => {
      [vocab.get('[CLS]'), ...r.ids, vocab.get('[SEP]')].forEach((id, i) => { ids[b * n + i] = BigInt(id); mask[b * n + i] = 1n; });
      r.bits.forEach((bits, i) => { for (let f = 0; f < width; ++f) lexicon[((b * n) + i + 1) * width + f] = (bits >>> f) & 1; });
    });
    return { ids: new ort.Tensor('int64', ids, [rows.length, n]), mask: new ort.Tensor('int64', mask, [rows.length, n]),
      lexicon: new ort.Tensor('float32', lexicon, [rows.length, n, width]) };
  };
  const rowOf = (text) => ({ ids: [...text].map(idOf), bits: [...ner.lexiconFeatures(text)].slice(1, -1) });
  const sentenceFeeds = sentences.map((s) => feed([rowOf(s)]));
  const sentenceIds = sentences.map((s) => [vocab.get('[CLS]'), ...[...s].map(idOf), vocab.get('[SEP]')]);
  const perSentence = await timed(() => { sentences.forEach((s, i) => ner.logits(sentenceIds[i], ner.lexiconFeatures(s))); },
    [async () => { for (const f of sentenceFeeds) await session.run(f); }], runs);
  // The document's windows as attnkit cuts them: 126 tokens (max_length − 2), stride 63.
  const docRow = rowOf(doc);
  const windows = [];
  for (let first = 0; ; first += 63) {
    const last = Math.min(first + 126, docRow.ids.length);
    windows.push({ ids: docRow.ids.slice(first, last), bits: docRow.bits.slice(first, last) });
    if (last === docRow.ids.length) break;
  }
  const docFeed = feed(windows);
  const document = await timed(() => ner.extract(doc), [() => session.run(docFeed)], Math.max(5, runs >> 1));
  ner.dispose();
  const scaling = (t) => (t.oneThreadMs ? { attnkitOneThreadMs: t.oneThreadMs, scaling: t.oneThreadMs / t.ms } : {});
  return [
    { name: 'ner per 50-char sentence', threads, attnkitMs: perSentence.ms / 20, ortMs: perSentence.others[0] / 20,
      vsOrt: perSentence.others[0] / perSentence.ms,
      ...(perSentence.oneThreadMs && { attnkitOneThreadMs: perSentence.oneThreadMs / 20, scaling: perSentence.oneThreadMs / perSentence.ms }) },
    { name: `ner 2000-char document (${windows.length} windows)`, threads, attnkitMs: document.ms, ortMs: document.others[0],
      vsOrt: document.others[0] / document.ms, ...scaling(document) },
  ];
}

const runs = 9;
const rows = [...await benchAttention(runs), ...await benchGemm(runs), ...await benchNer(runs)];
process.stdout.write(JSON.stringify(rows));
