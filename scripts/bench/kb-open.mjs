// One KB index in a fresh process (so WASM memory is this KB's alone): open it with the bundled model,
// then answer questions with beams 4. Prints one JSON line for scripts/bench/kb-scale.mjs.
//   node scripts/bench/kb-open.mjs INDEX QUESTIONS.jsonl [LIMIT]
import { readFileSync } from 'node:fs';
import { KBQA, init } from '../../dist/index.js';
import { median } from './harness.mjs';

const [indexPath, questionsPath, limit = '1000'] = process.argv.slice(2);
const kit = await init();
const bytes = readFileSync(indexPath);
const start = performance.now();
const kbqa = await KBQA.load({ kb: { index: bytes } });
const openMs = performance.now() - start;
const memoryBytes = kit.memoryBytes();
const questions = readFileSync(questionsPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).slice(0, Number(limit));
let right = 0;
const times = [];
for (const { question, answer } of questions) {
  const askStart = performance.now();
  const [best] = kbqa.ask(question, { beams: 4 });
  times.push(performance.now() - askStart);
  right += best !== undefined && `${best.subject} ||| ${best.predicate} ||| ${best.object}` === answer;
}
console.log(JSON.stringify({ triples: kbqa.size, openMs, memoryBytes, heapBytes: kit.heapBytesInUse(), trieBytes: kbqa.trieBytes,
  msPerQuestion: median(times), exactMatch: right / questions.length, questions: questions.length }));
kbqa.dispose();
