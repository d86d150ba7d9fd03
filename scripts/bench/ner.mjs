// NER latency per 50-character sentence: attnkit WASM vs onnxruntime-web running the same model exported
// to ONNX (scripts/export_ner_onnx.py), on the same token ids, single thread. Also extract() end to end. With a
// word lexicon, attnkit's time includes matching the lexicon in each sentence (lexiconFeatures); onnxruntime gets
// the same features precomputed, as a float [1, n, features] input.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { NER } from '../../dist/index.js';
import { compareMs, medianMs } from './harness.mjs';
import { ort, ortSession } from './ort.mjs';

const root = new URL('../../', import.meta.url);
const vocabIds = (vocabText) => new Map(vocabText.split('\n').map((t, i) => [t, i]));
// Per-token feature bits → the [n, width] 0/1 matrix the exported graph reads.
const oneHot = (bits, width) => Float32Array.from({ length: bits.length * width }, (_, k) => (bits[Math.floor(k / width)] >>> (k % width)) & 1);

function onnxFor(modelDir) {
  const out = new URL(`build/bench/${modelDir.pathname.split('/').filter(Boolean).at(-1)}.onnx`, root).pathname;
  const weights = new URL('model.safetensors', modelDir).pathname;
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(weights).mtimeMs) {
    mkdirSync(new URL('build/bench/', root), { recursive: true });
    execFileSync('/usr/bin/python3', [new URL('scripts/export_ner_onnx.py', root).pathname, modelDir.pathname, out], { stdio: 'pipe' });
  }
  return readFileSync(out);
}

export async function benchNer({ sentences = 20, modelDir = new URL('web/models/ner-cluener/', root) } = {}) {
  if (!existsSync(new URL('model.safetensors', modelDir))) return [{ name: 'ner', note: 'no trained model in web/models/ner-cluener' }];
  const ner = await NER.load({ url: modelDir });
  const lines = readFileSync(new URL('../shared/data/cluener/train.json', root), 'utf8').split('\n').filter(Boolean);
  // Sentences whose first 50 characters are all Chinese characters or CJK punctuation: the tokenizer makes one
  // token of each, so the ids below are the model's (a Latin word or a number would be one word-piece run).
  const chinese = /^[\u3000-\u303f\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff20]{50}/u;
  const texts = lines.map((l) => JSON.parse(l).text.slice(0, 50)).filter((t) => chinese.test(t)).slice(0, sentences);
  // Token ids as the model sees them: [CLS] + the characters' tokens + [SEP] (checked against logits() below).
  const vocab = vocabIds(readFileSync(new URL('vocab.txt', modelDir), 'utf8'));
  const idsOf = (text) => [vocab.get('[CLS]'), ...[...text].map((c) => vocab.get(c.toLowerCase()) ?? vocab.get('[UNK]')), vocab.get('[SEP]')];
  const inputs = texts.map(idsOf);
  // The shipped files (config, weights with the lexicon, vocabulary), as the 10 MB budget counts them.
  const modelMB = readdirSync(modelDir).filter((f) => /^(config\.json|model\.safetensors|vocab\.txt)$/.test(f))
    .reduce((sum, f) => sum + statSync(new URL(f, modelDir)).size, 0) / 2 ** 20;
  const row = { name: `ner ${sentences} sentences x 50 chars`, tokensPerSentence: inputs[0].length, modelMB, lexicon: ner.hasLexicon };
  const oursLogits = ner.hasLexicon
    ? () => { texts.forEach((t, i) => ner.logits(inputs[i], ner.lexiconFeatures(t))); }
    : () => { for (const ids of inputs) ner.logits(ids); };
  row.attnkitExtractMs = (await medianMs(() => { for (const t of texts) ner.extract(t); }, { runs: 7 })) / sentences;
  let session;
  try {
    session = await ortSession(onnxFor(modelDir));
  } catch (error) {
    row.attnkitLogitsMs = (await medianMs(oursLogits, { runs: 7 })) / sentences;
    row.note = `onnxruntime comparison skipped: ${String(error.message).split('\n')[0]} (needs python3-torch: bash scripts/setup.sh --training)`;
    return [row];
  }
  const width = JSON.parse(readFileSync(new URL('config.json', modelDir), 'utf8')).lexicon?.features;
  const features = ner.hasLexicon ? texts.map((t) => ner.lexiconFeatures(t)) : null;
  const feeds = inputs.map((ids, s) => ({
    ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
    mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
    ...(features && { lexicon: new ort.Tensor('float32', oneHot(features[s], width), [1, ids.length, width]) }),
  }));
  const theirs = async () => { for (const f of feeds) await session.run(f); };
  // Same model, same ids: the outputs agree before anything is timed.
  const a = ner.logits(inputs[0], features?.[0]);
  const b = (await session.run(feeds[0])).logits.data;
  let maxAbsDiff = 0;
  const n = inputs[0].length;
  for (let t = 0; t < ner.labels.length; ++t)
    for (let i = 0; i < n; ++i) for (let j = i; j < n; ++j) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a[(t * n + i) * n + j] - b[(t * n + i) * n + j]));
  const [ours, ortMs] = await compareMs(oursLogits, theirs, { runs: 9 });
  Object.assign(row, { attnkitLogitsMs: ours / sentences, ortMs: ortMs / sentences, speedup: ortMs / ours, maxAbsDiff });
  return [row];
}

/**
 * Sentences per second on the CLUENER validation split (every 10th line of train.json, as eval-ner.mjs):
 * extract() one text at a time against extractMany() over all of them (windows batched through the encoder),
 * measured side by side; the entities must be identical.
 */
export async function benchNerBatching({ modelDir = new URL('web/models/ner-cluener/', root) } = {}) {
  if (!existsSync(new URL('model.safetensors', modelDir))) return [{ name: 'ner batching', note: 'no trained model' }];
  const ner = await NER.load({ url: modelDir });
  const texts = readFileSync(new URL('../shared/data/cluener/train.json', root), 'utf8').split('\n').filter(Boolean)
    .filter((_, i) => i % 10 === 0).map((l) => JSON.parse(l).text);
  const identical = JSON.stringify(ner.extractMany(texts)) === JSON.stringify(texts.map((t) => ner.extract(t)));
  const [oneMs, manyMs] = await compareMs(() => { for (const t of texts) ner.extract(t); }, () => ner.extractMany(texts), { runs: 5 });
  ner.dispose();
  return [{ name: `CLUENER validation, ${texts.length} sentences`, oneAtATimePerSecond: (1000 * texts.length) / oneMs,
    extractManyPerSecond: (1000 * texts.length) / manyMs, speedup: oneMs / manyMs, identicalEntities: identical }];
}
