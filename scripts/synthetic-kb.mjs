#!/usr/bin/env node
// Realistic synthetic knowledge bases for the kbScale bench (not shipped): deterministic for a seed, and
// each KB a prefix of the same stream of subjects, so the 20k KB ⊂ the 1M KB ⊂ the 20M KB.
//   - subject names recombined from real pieces: KgCLUE subject names and words of python3-jieba's
//     dictionary (349k words, weighted by frequency), a third with a KgCLUE sense label such as （游戏）;
//   - 1–30 predicates a subject (mean 4.5), drawn from the KgCLUE KB's predicate distribution;
//   - objects: half a real KgCLUE object of that predicate, half new (dictionary words, years, counts);
//   - questions over the triples of the first `questionsFrom` triples: KgCLUE train questions about the
//     same predicate with the subject's name replaced, so the answer of each is known at every scale.
//   node scripts/synthetic-kb.mjs --triples 1000000 --output kb.txt [--questions q.jsonl] [--seed 1]
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { subjectName } from './kgclue.mjs';

const root = new URL('../', import.meta.url);
const JIEBA = '/usr/lib/python3/dist-packages/jieba/dict.txt';
const CJK = /^[\u4e00-\u9fff]+$/;

function rng(seed) {  // mulberry32: small, fast, the same on every platform
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Draws from weighted items by binary search over cumulative weights.
function weighted(items, weights) {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => { cumulative[i] = total += w; });
  return (random) => {
    const x = random() * total;
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid; else lo = mid + 1;
    }
    return items[lo];
  };
}

function splitSubject(subject) {
  const name = subjectName(subject);
  return { name, sense: name === subject ? '' : subject.slice(name.length + 1, -1) };
}

/** The real pieces: KgCLUE's bundled KB and train questions, and the jieba dictionary. */
export function loadPieces() {
  const triples = readFileSync(new URL('web/models/kbqa-kgclue/kb.txt', root), 'utf8').split('\n').filter(Boolean)
    .map((line) => line.split(' ||| '));
  const names = [], senses = [], predicateCount = new Map(), objects = new Map();
  for (const [subject, predicate, object] of triples) {
    const { name, sense } = splitSubject(subject);
    names.push(name);
    if (sense) senses.push(sense);
    predicateCount.set(predicate, (predicateCount.get(predicate) ?? 0) + 1);
    if (!objects.has(predicate)) objects.set(predicate, []);
    if (object) objects.get(predicate).push(object);
  }
  if (!existsSync(JIEBA)) throw new Error(`synthetic-kb: ${JIEBA} is missing (bash scripts/setup.sh --training installs python3-jieba)`);
  const words = [], frequencies = [];
  for (const line of readFileSync(JIEBA, 'utf8').split('\n')) {
    const [word, frequency] = line.split(' ');
    if (word && word.length >= 2 && word.length <= 4 && CJK.test(word)) {
      words.push(word);
      frequencies.push(Math.sqrt(Number(frequency)));  // flattened: common words, but not only the commonest
    }
  }
  // Question templates by predicate: train questions that contain their subject's name.
  const templates = new Map();
  const train = readFileSync(new URL('../shared/data/kgclue/train.json', root), 'utf8').split('\n').filter(Boolean);
  for (const line of train) {
    const { question, answer } = JSON.parse(line);
    const [subject, predicate] = answer.split(' ||| ');
    const { name } = splitSubject(subject);
    if (!question.includes(name)) continue;
    if (!templates.has(predicate)) templates.set(predicate, []);
    templates.get(predicate).push(question.replace(name, '\u0000'));
  }
  return {
    names, senses, predicates: [...predicateCount.keys()], predicateWeights: [...predicateCount.values()], objects,
    words, frequencies, templates,
  };
}

/**
 * Writes `triples` triples through `write(lines)` and returns `questions` questions (with their expected
 * answers) about triples among the first `questionsFrom`.
 */
export function generateKb({ triples, seed = 1, write, questions = 1000, questionsFrom = 20_000, pieces = loadPieces() }) {
  const random = rng(seed);
  const word = weighted(pieces.words, pieces.frequencies);
  const predicate = weighted(pieces.predicates, pieces.predicateWeights);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const newName = () => {
    const form = random();
    if (form < 0.4) return word(random) + word(random);
    if (form < 0.7) return random() < 0.5 ? pick(pieces.names) + word(random) : word(random) + pick(pieces.names);
    return word(random) + word(random) + word(random);
  };
  const newObject = (p) => {
    const real = pieces.objects.get(p);
    const form = random();
    if (form < 0.5 && real?.length) return pick(real);
    if (form < 0.7) return word(random);
    if (form < 0.85) return word(random) + word(random);
    if (form < 0.93) return `${1900 + Math.floor(random() * 125)}年`;
    return String(Math.floor(random() * 100000));
  };
  const seen = new Set();
  const candidates = [];  // [subject name, subject, predicate, object] among the first questionsFrom
  let written = 0;
  let batch = [];
  while (written < triples) {
    let name = newName();
    while (name.length > 14 || seen.has(name)) name = newName();
    seen.add(name);
    const subject = random() < 0.33 ? `${name}（${pick(pieces.senses)}）` : name;
    const count = Math.min(30, 1 + Math.floor(-Math.log(1 - random()) * 3.5));
    const used = new Set();
    for (let t = 0; t < count && written < triples; ++t) {
      const p = predicate(random);
      if (used.has(p)) continue;
      used.add(p);
      const object = newObject(p);
      batch.push(`${subject} ||| ${p} ||| ${object}`);
      if (written < questionsFrom && pieces.templates.has(p)) candidates.push([name, subject, p, object]);
      ++written;
    }
    if (batch.length >= 50_000) {
      write(batch.join('\n') + '\n');
      batch = [];
    }
  }
  if (batch.length) write(batch.join('\n') + '\n');
  // Questions from an independent stream, so they do not depend on `triples`.
  const questionRandom = rng(seed + 1000);
  const asked = [];
  for (let i = 0; i < questions && candidates.length; ++i) {
    const [name, subject, p, object] = candidates[Math.floor(questionRandom() * candidates.length)];
    const templateList = pieces.templates.get(p);
    const template = templateList[Math.floor(questionRandom() * templateList.length)];
    asked.push({ id: i, question: template.replace('\u0000', name), answer: `${subject} ||| ${p} ||| ${object}` });
  }
  return asked;
}

/** generateKb() into the file `output` (its text) and `questionsOutput` (JSON lines); returns the questions. */
export function writeKb({ output, questionsOutput, ...options }) {
  const fd = openSync(output, 'w');
  let asked;
  try {
    asked = generateKb({ ...options, write: (text) => writeSync(fd, text) });
  } finally {
    closeSync(fd);
  }
  if (questionsOutput) writeFileSync(questionsOutput, asked.map((q) => JSON.stringify(q)).join('\n') + '\n');
  return asked;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { triples: { type: 'string' }, output: { type: 'string' },
    questions: { type: 'string' }, seed: { type: 'string' } } });
  if (!values.triples || !values.output) {
    console.error('usage: node scripts/synthetic-kb.mjs --triples N --output KB.txt [--questions Q.jsonl] [--seed S]');
    process.exit(1);
  }
  const asked = writeKb({ triples: Number(values.triples), seed: Number(values.seed ?? 1), output: values.output,
    questionsOutput: values.questions });
  console.log(`synthetic-kb: ${values.triples} triples → ${values.output}${values.questions ? `, ${asked.length} questions → ${values.questions}` : ''}`);
}
