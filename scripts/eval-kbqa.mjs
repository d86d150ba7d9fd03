#!/usr/bin/env node
// KgCLUE evaluation on dev.json (KB = train + dev triples), each setting next to a string-matching
// baseline computed here on the same questions:
//   1. KB mode: the model decodes "S, P, M" constrained by the trie of KB entries → EM/F1 on S, P, O and the
//      official score (0.5·EM_O + 0.5·F1_O). Baseline: the longest KB subject name found in the question.
//   2. Subject retrieval: EM_S with a trie of subject names only. Same baseline.
//   3. Open predicate: the subject from its trie, then the predicate from a trie of every KB predicate
//      (with the seed's LCS lookahead); the beam's predicates ranked by pointwise mutual information with
//      the question (the default, mutualInformation 1), by probability, and by log p / length. EM_P.
//      Baseline: the longest KB predicate found in the question.
// The KB's tries are compact by default; --trie flat uses the flat layout, --index FILE opens a prebuilt
// index of the same KB instead (answers are identical; --answers OUT writes every answer to compare).
//   node scripts/eval-kbqa.mjs [--model DIR] [--beams 4] [--limit N] [--json OUT] [--trie flat|compact]
//                              [--index KB.attnkit] [--answers OUT.jsonl]
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { KBQA } from '../dist/index.js';
import { readJsonLines } from './cluener.mjs';
import { kgclueScores, knowledgeBase, parseTriple, subjectName } from './kgclue.mjs';

const { values } = parseArgs({ options: { model: { type: 'string' }, beams: { type: 'string' }, limit: { type: 'string' },
  json: { type: 'string' }, trie: { type: 'string' }, index: { type: 'string' }, answers: { type: 'string' } } });
const beams = Number(values.beams ?? 4);
const data = new URL('../../shared/data/kgclue/', import.meta.url).pathname;
const kb = knowledgeBase([`${data}train.json`, `${data}dev.json`]);
const dev = readJsonLines(`${data}dev.json`).slice(0, values.limit ? Number(values.limit) : undefined);
const gold = dev.map((row) => parseTriple(row.answer));

// Baselines: longest substring match against KB subject names / KB predicates.
const byName = new Map();
for (const t of kb) if (!byName.has(subjectName(t.subject))) byName.set(subjectName(t.subject), t);
const names = [...byName.keys()].sort((a, b) => b.length - a.length);
const predicates = [...new Set(kb.map((t) => t.predicate))].sort((a, b) => b.length - a.length);
const baselineTriple = (q) => byName.get(names.find((n) => q.includes(n))) ?? null;
const baselinePredicate = (q) => predicates.find((p) => q.includes(p)) ?? '';

const model = values.model ? { url: pathToFileURL(values.model.endsWith('/') ? values.model : `${values.model}/`) } : {};
const kbText = kb.map((t) => `${t.subject} ||| ${t.predicate} ||| ${t.object}`).join('\n');
const loadStart = performance.now();
const kbqa = await KBQA.load(values.index
  ? { model, kb: { index: readFileSync(values.index) } } : { model, kb: kbText, trie: values.trie ?? 'compact' });
const loadMs = performance.now() - loadStart;

function run(mode, options = {}) {
  const start = performance.now();
  const answers = dev.map((row) => kbqa.ask(row.question, { beams, mode, ...options })[0] ?? null);
  return { answers, msPerQuestion: (performance.now() - start) / dev.length };
}

const pct = (count) => (100 * count) / dev.length;
const fmt = (x) => x.toFixed(2);
const scoreLine = (s) => `EM S/P/O ${fmt(s.emS)}/${fmt(s.emP)}/${fmt(s.emO)}, F1 S/P/O ${fmt(s.f1S)}/${fmt(s.f1P)}/` +
  `${fmt(s.f1O)}, official score ${fmt(s.score)}`;

const triple = run('triple');
const tripleScores = kgclueScores(triple.answers.map((a, i) => [a, gold[i]]));
const baselineScores = kgclueScores(dev.map((row, i) => [baselineTriple(row.question), gold[i]]));
const subject = run('subject');
const emS = pct(subject.answers.filter((a, i) => a?.subject === gold[i].subject).length);
const baselineEmS = pct(dev.filter((row, i) => baselineTriple(row.question)?.subject === gold[i].subject).length);
const predicateEm = (answers) => pct(answers.filter((a, i) => a?.predicate === gold[i].predicate).length);
const open = run('open-predicate');  // reranked by PMI: discounts the predicates the model gives any question
const emP = predicateEm(open.answers);
const openPlain = run('open-predicate', { mutualInformation: 0 });
const emPPlain = predicateEm(openPlain.answers);
// ranked by log p / length: fewer truncated predicates (机构 for 机构职能)
const openLong = run('open-predicate', { mutualInformation: 0, lengthPenalty: 1 });
const emPLong = predicateEm(openLong.answers);
if (values.answers) {
  const settings = { triple, subject, open, openPlain, openLong };
  writeFileSync(values.answers, dev.map((row, i) => JSON.stringify({ id: row.id,
    ...Object.fromEntries(Object.entries(settings).map(([name, run]) => [name, run.answers[i]])) })).join('\n') + '\n');
}
const baselineEmP = pct(dev.filter((row, i) => baselinePredicate(row.question) === gold[i].predicate).length);

console.log(`KgCLUE dev: ${dev.length} questions; KB ${kb.length} triples (train + dev), loaded with its tries ` +
  `(${(kbqa.trieBytes / 1e6).toFixed(2)} MB) in ${loadMs.toFixed(0)} ms; beams ${beams}`);
console.log(`1. KB mode          model:    ${scoreLine(tripleScores)} (${fmt(triple.msPerQuestion)} ms/question)`);
console.log(`                    baseline: ${scoreLine(baselineScores)}`);
console.log(`2. Subject retrieval model: EM_S ${fmt(emS)}  baseline: EM_S ${fmt(baselineEmS)} (${fmt(subject.msPerQuestion)} ms/question)`);
console.log(`3. Open predicate   model: EM_P ${fmt(emP)} ranked by PMI (${fmt(open.msPerQuestion)} ms/question); ` +
  `by probability ${fmt(emPPlain)} (${fmt(openPlain.msPerQuestion)} ms/question), by log p / length ${fmt(emPLong)}  ` +
  `baseline: EM_P ${fmt(baselineEmP)}`);
if (values.json) {
  writeFileSync(values.json, JSON.stringify({ questions: dev.length, beams, kbMode: tripleScores, kbModeBaseline: baselineScores,
    subjectEm: emS, subjectEmBaseline: baselineEmS, openPredicateEm: emP, openPredicateEmByProbability: emPPlain, openPredicateEmLengthPenalty1: emPLong, openPredicateEmBaseline: baselineEmP,
    msPerQuestion: { triple: triple.msPerQuestion, subject: subject.msPerQuestion, open: open.msPerQuestion,
      openByProbability: openPlain.msPerQuestion } }, null, 2) + '\n');
}
kbqa.dispose();
