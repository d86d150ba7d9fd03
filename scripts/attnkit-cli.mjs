#!/usr/bin/env node
// attnkit's command line.
//   node scripts/attnkit-cli.mjs ner --input X.jsonl --output Y.jsonl [--model DIR]
// reads CLUENER lines ({"text": …}) and writes them back with "label" filled by the model.
//   node scripts/attnkit-cli.mjs kbqa --input Q.jsonl --output A.jsonl [--kb KB.txt | --index KB.attnkit | --shards DIR] [--model DIR] [--beams 4]
//                                     [--min-confidence C]
// reads KgCLUE lines ({"id", "question"}) and writes them with "answer": "S ||| P ||| O" from the KB, or "" where
// no answer reaches the confidence C (default: KBQA's DEFAULT_MIN_CONFIDENCE; 0 answers every question)
// (default: the model directory's kb.txt; for the bundled model, its prebuilt index of the KgCLUE triples).
//   node scripts/attnkit-cli.mjs build-kb --kb KB.txt --output KB.attnkit [--model DIR]
// tokenizes a KB once, offline, for the model (default: the bundled one) and writes its index file: the
// compact tries and the triples, versioned and checksummed; KBQA.load({ kb: { index: url } }) opens it.
//   node scripts/attnkit-cli.mjs build-kb --kb KB.txt --shards DIR [--shard-triples 1000] [--model DIR]
// cuts a KB of any size into DIR/manifest.attnkit.gz and DIR/shards/N.txt.gz, streaming (the text is never held
// whole: its lines go to bucket files in DIR/.buckets first); KBQA.load({ kb: { shards: url of the manifest } })
// fetches each shard the first time a question reaches it.
import {
  appendFileSync, closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MIN_CONFIDENCE, KBQA, KbShardBuilder, NER } from '../dist/index.js';
import { readJsonLines, toCluenerLabel } from './cluener.mjs';

const USAGE = 'usage: node scripts/attnkit-cli.mjs ner --input X.jsonl --output Y.jsonl [--model DIR]\n' +
  '       node scripts/attnkit-cli.mjs kbqa --input Q.jsonl --output A.jsonl [--kb KB.txt | --index KB.attnkit | --shards DIR] [--model DIR] [--beams N] [--min-confidence C]\n' +
  '       node scripts/attnkit-cli.mjs build-kb --kb KB.txt (--output KB.attnkit | --shards DIR [--shard-triples N]) [--model DIR]';

function modelSource(dir) {
  return dir ? { url: pathToFileURL(dir.endsWith('/') ? dir : `${dir}/`) } : {};
}

async function ner(args) {
  const { values } = parseArgs({ args, options: { input: { type: 'string' }, output: { type: 'string' }, model: { type: 'string' } } });
  if (!values.input || !values.output) throw new Error(USAGE);
  const model = await NER.load(modelSource(values.model));
  const lines = readJsonLines(values.input).map((row, i) => {
    if (typeof row.text !== 'string') throw new Error(`${values.input}: line ${i + 1} has no "text" string`);
    return JSON.stringify({ ...row, label: toCluenerLabel(row.text, model.extract(row.text)) });
  });
  writeFileSync(values.output, lines.join('\n') + '\n');
  console.log(`ner: ${lines.length} lines → ${values.output}`);
}

async function kbqa(args) {
  const { values } = parseArgs({ args, options: { input: { type: 'string' }, output: { type: 'string' },
    model: { type: 'string' }, kb: { type: 'string' }, index: { type: 'string' }, shards: { type: 'string' },
    beams: { type: 'string' }, 'min-confidence': { type: 'string' } } });
  if (!values.input || !values.output || [values.kb, values.index, values.shards].filter(Boolean).length > 1) {
    throw new Error(USAGE);
  }
  const beams = values.beams === undefined ? 4 : Number(values.beams);
  // Checked by ask() like any option: a value that is not a number in [0, 1] is a named Error.
  const minConfidence = values['min-confidence'] === undefined ? DEFAULT_MIN_CONFIDENCE : Number(values['min-confidence']);
  const kb = values.index ? { index: pathToFileURL(values.index) }
    : values.shards ? { shards: pathToFileURL(join(values.shards, 'manifest.attnkit.gz')) }
      : values.kb ? { url: pathToFileURL(values.kb) } : undefined;
  const model = await KBQA.load({ model: modelSource(values.model), kb });
  const lines = [];
  for (const [i, row] of readJsonLines(values.input).entries()) {
    if (typeof row.question !== 'string') throw new Error(`${values.input}: line ${i + 1} has no "question" string`);
    const [best] = await model.askAsync(row.question, { beams, minConfidence });
    lines.push(JSON.stringify({ ...row, answer: best ? `${best.subject} ||| ${best.predicate} ||| ${best.object}` : '' }));
  }
  writeFileSync(values.output, lines.join('\n') + '\n');
  console.log(`kbqa: ${lines.length} lines → ${values.output}`);
}

async function buildKb(args) {
  const { values } = parseArgs({ args, options: { kb: { type: 'string' }, output: { type: 'string' },
    shards: { type: 'string' }, 'shard-triples': { type: 'string' }, model: { type: 'string' } } });
  if (!values.kb || !values.output === !values.shards) throw new Error(USAGE);
  if (values.shards) return buildShards(values);
  const start = performance.now();
  const model = await KBQA.load({ model: modelSource(values.model), kb: { url: pathToFileURL(values.kb) } });
  const index = model.index();
  writeFileSync(values.output, index);
  const seconds = (performance.now() - start) / 1000;
  console.log(`build-kb: ${model.size} triples (${statSync(values.kb).size} bytes of text) → ${values.output}, ` +
    `${index.length} bytes, ${seconds.toFixed(1)} s`);
  model.dispose();
}

const CHUNK_BYTES = 16 << 20;   // KB text read and routed at a time
const BUCKET_BYTES = 32 << 20;  // text a bucket is cut from at once (its tries are built in WASM memory)

/** Calls `route` with the file's text in chunks of whole lines. */
function readLines(path, route) {
  const fd = openSync(path, 'r');
  try {
    let carry = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.alloc(CHUNK_BYTES);
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      const data = Buffer.concat([carry, chunk.subarray(0, read)]);
      if (read === 0) {
        if (data.length > 0) route(data);
        return;
      }
      const end = data.lastIndexOf(10) + 1;
      if (end > 0) route(data.subarray(0, end));
      carry = Buffer.from(data.subarray(end));
    }
  } finally {
    closeSync(fd);
  }
}

async function buildShards(values) {
  const start = performance.now();
  const textBytes = statSync(values.kb).size;
  const buckets = Math.min(4096, Math.max(1, Math.ceil(textBytes / BUCKET_BYTES)));
  const shardTriples = values['shard-triples'] === undefined ? 1000 : Number(values['shard-triples']);
  const builder = await KbShardBuilder.create({ model: modelSource(values.model), shardTriples, buckets });
  const bucketDir = join(values.shards, '.buckets'), shardDir = join(values.shards, 'shards');
  rmSync(values.shards, { recursive: true, force: true });
  mkdirSync(bucketDir, { recursive: true });
  mkdirSync(shardDir);
  const bucketPath = (b) => join(bucketDir, `${b}.txt`);
  readLines(values.kb, (lines) => {
    builder.route(lines);
    for (let b = 0; b < buckets; b++) {
      const routed = builder.takeBucket(b);
      if (routed.length > 0) appendFileSync(bucketPath(b), routed);
    }
  });
  let shards = 0, shardBytes = 0, peakRss = process.memoryUsage().rss;
  for (let b = 0; b < buckets; b++) {
    let lines;
    try {
      lines = readFileSync(bucketPath(b));
    } catch {
      continue;  // no triple went to this bucket
    }
    for (const text of builder.cut(lines)) {
      const gzipped = gzipSync(text, { level: 9 });
      writeFileSync(join(shardDir, `${shards++}.txt.gz`), gzipped);
      shardBytes += gzipped.length;
    }
    rmSync(bucketPath(b));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  rmSync(bucketDir, { recursive: true });
  const manifest = gzipSync(builder.manifest(), { level: 9 });
  writeFileSync(join(values.shards, 'manifest.attnkit.gz'), manifest);
  const { triples, cuts } = builder.stats;
  builder.dispose();
  const seconds = (performance.now() - start) / 1000;
  console.log(`build-kb: ${triples} triples (${textBytes} bytes of text) → ${values.shards}: manifest ` +
    `${manifest.length} bytes gzip'd (${cuts} cut points), ${shards} shards ${shardBytes} bytes gzip'd, ` +
    `${seconds.toFixed(1)} s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`);
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'ner') await ner(rest);
  else if (command === 'kbqa') await kbqa(rest);
  else if (command === 'build-kb') await buildKb(rest);
  else throw new Error(USAGE);
} catch (error) {
  console.error(`attnkit-cli: ${error.message}`);
  process.exit(1);
}
