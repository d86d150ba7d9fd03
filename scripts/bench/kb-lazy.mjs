// A sharded KB in a fresh process (so WASM memory is this KB's alone): open its manifest with the bundled
// model, then answer questions with beams 4 (askAsync: each shard loaded the first time a question reaches
// it). Prints one JSON line for scripts/bench/kb-scale.mjs.
//   node scripts/bench/kb-lazy.mjs SHARD_DIR QUESTIONS.jsonl [LIMIT]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KBQA, init } from '../../dist/index.js';
import { median } from './harness.mjs';

const [dir, questionsPath, limit = '1000'] = process.argv.slice(2);
const kit = await init();
const start = performance.now();
const kbqa = await KBQA.load({ kb: { shards: pathToFileURL(join(dir, 'manifest.attnkit.gz')) } });
const openMs = performance.now() - start;
const openMemoryBytes = kit.memoryBytes();
const questions = readFileSync(questionsPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).slice(0, Number(limit));
let right = 0;
const times = [], bytes = [];
for (const { question, answer } of questions) {
  const before = kbqa.shardStats.bytesRead;
  const askStart = performance.now();
  const [best] = await kbqa.askAsync(question, { beams: 4 });
  times.push(performance.now() - askStart);
  bytes.push(kbqa.shardStats.bytesRead - before);
  right += best !== undefined && `${best.subject} ||| ${best.predicate} ||| ${best.object}` === answer;
}
console.log(JSON.stringify({ triples: kbqa.size, openMs, openMemoryBytes, memoryBytes: kit.memoryBytes(),
  trieBytes: kbqa.trieBytes, shards: kbqa.shardStats, firstQuestionMs: times[0], firstQuestionShardBytes: bytes[0],
  msPerQuestion: median(times.slice(1)), shardBytesPerQuestion: median(bytes.slice(1)), exactMatch: right / questions.length,
  questions: questions.length }));
kbqa.dispose();
