#!/usr/bin/env node
// KgCLUE evaluation on dev.json. For now: the string-matching baseline a model must beat — the longest
// KB subject name found in the question; its (only) triple is the answer. KB = train + dev triples.
//   node scripts/eval-kbqa.mjs
import { readJsonLines } from './cluener.mjs';
import { kgclueScores, knowledgeBase, parseTriple, subjectName } from './kgclue.mjs';

const data = new URL('../../shared/data/kgclue/', import.meta.url).pathname;
const kb = knowledgeBase([`${data}train.json`, `${data}dev.json`]);
const dev = readJsonLines(`${data}dev.json`);

// Subjects by surface name; every subject here has exactly one triple (checked, as the data notes say).
const byName = new Map();
const triplesPerSubject = new Map();
for (const t of kb) {
  triplesPerSubject.set(t.subject, (triplesPerSubject.get(t.subject) ?? 0) + 1);
  const name = subjectName(t.subject);
  if (!byName.has(name)) byName.set(name, []);
  byName.get(name).push(t);
}
const names = [...byName.keys()].sort((a, b) => b.length - a.length);

function baseline(question) {
  const name = names.find((n) => question.includes(n));
  return name ? byName.get(name)[0] : null;
}

const start = performance.now();
const pairs = dev.map((row) => [baseline(row.question), parseTriple(row.answer)]);
const scores = kgclueScores(pairs);
const predicatesInTrain = new Set(readJsonLines(`${data}train.json`).map((r) => parseTriple(r.answer).predicate));
const unseen = dev.filter((r) => !predicatesInTrain.has(parseTriple(r.answer).predicate)).length;
const literal = dev.filter((r) => r.question.includes(parseTriple(r.answer).predicate)).length;
console.log(`KB: ${kb.length} triples, ${byName.size} subject names; subjects with more than one triple: ` +
  `${[...triplesPerSubject.values()].filter((c) => c > 1).length}`);
console.log(`dev: ${dev.length} questions; predicate unseen in train: ${(100 * unseen / dev.length).toFixed(1)}%; ` +
  `predicate literally in the question: ${(100 * literal / dev.length).toFixed(1)}%`);
const fmt = (x) => x.toFixed(2);
console.log(`string-matching baseline (KB mode): EM S/P/O ${fmt(scores.emS)}/${fmt(scores.emP)}/${fmt(scores.emO)}, ` +
  `F1 S/P/O ${fmt(scores.f1S)}/${fmt(scores.f1P)}/${fmt(scores.f1O)}, official score ${fmt(scores.score)} ` +
  `(${((performance.now() - start) / dev.length).toFixed(2)} ms/question)`);
