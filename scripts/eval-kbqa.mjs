#!/usr/bin/env node
// KgCLUE evaluation on dev.json (KB = train + dev triples), each setting next to a string-matching
// baseline computed here on the same questions:
//   1. KB mode: the model decodes "S, P, M" constrained by the trie of KB entries → EM/F1 on S, P, O and the
//      official score (0.5·EM_O + 0.5·F1_O). Baseline: the longest KB subject name found in the question.
//   2. Subject retrieval: EM_S with a trie of subject names only. Same baseline.
//   Settings 1 and 2 are reported with the default ranking (score × confidence) and by probability alone.
//   3. Open predicate: the subject from its trie, then the predicate from a trie of every KB predicate
//      (with the seed's LCS lookahead); the beam's predicates ranked by pointwise mutual information with
//      the question (the default, mutualInformation 1), by probability, and by log p / length. EM_P.
//      Baseline: the longest KB predicate found in the question.
//   4. Out-of-KB: KB = train + dev minus the triples of a fixed, seeded half of dev (scripts/abstention.mjs).
//      For 'triple' and 'subject' mode: the AUROC of answer.confidence for in-KB vs out-of-KB questions, and
//      at thresholds (the default minConfidence among them) the share of in-KB questions answered, the
//      accuracy of those answers (triple: S, P and O exact; subject: S) and the share of out-of-KB questions
//      answered anyway.
// The KB's tries are compact by default; --trie flat uses the flat layout, --index FILE opens a prebuilt
// index of the same KB instead (answers are identical; --answers OUT writes every answer to compare).
//   node scripts/eval-kbqa.mjs [--model DIR] [--beams 4] [--limit N] [--json OUT] [--trie flat|compact]
//                              [--index KB.attnkit] [--answers OUT.jsonl] [--settings 1,2,3,4]
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MIN_CONFIDENCE, KBQA } from '../dist/index.js';
import { abstentionAt, auroc, seededHalf } from './abstention.mjs';
import { readJsonLines } from './cluener.mjs';
import { kgclueScores, knowledgeBase, parseTriple, subjectName } from './kgclue.mjs';

const { values } = parseArgs({ options: { model: { type: 'string' }, beams: { type: 'string' }, limit: { type: 'string' },
  json: { type: 'string' }, trie: { type: 'string' }, index: { type: 'string' }, answers: { type: 'string' },
  settings: { type: 'string' } } });
const settings = new Set((values.settings ?? '1,2,3,4').split(',').map(Number));
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
  // Settings 1–3 measure the answers themselves: no abstention.
  const answers = dev.map((row) => kbqa.ask(row.question, { beams, mode, minConfidence: 0, ...options })[0] ?? null);
  return { answers, msPerQuestion: (performance.now() - start) / dev.length };
}

const pct = (count) => (100 * count) / dev.length;
const fmt = (x) => x.toFixed(2);
const scoreLine = (s) => `EM S/P/O ${fmt(s.emS)}/${fmt(s.emP)}/${fmt(s.emO)}, F1 S/P/O ${fmt(s.f1S)}/${fmt(s.f1P)}/` +
  `${fmt(s.f1O)}, official score ${fmt(s.score)}`;

const report = { questions: dev.length, beams };
if (settings.has(1) || settings.has(2) || settings.has(3)) {
  const triple = run('triple');
const tripleByProbability = run('triple', { ranking: 'probability' });
  const tripleScores = kgclueScores(triple.answers.map((a, i) => [a, gold[i]]));
  const tripleScoresByProbability = kgclueScores(tripleByProbability.answers.map((a, i) => [a, gold[i]]));
  const baselineScores = kgclueScores(dev.map((row, i) => [baselineTriple(row.question), gold[i]]));
  const subject = run('subject');
const subjectByProbability = run('subject', { ranking: 'probability' });
  const emS = pct(subject.answers.filter((a, i) => a?.subject === gold[i].subject).length);
  const emSByProbability = pct(subjectByProbability.answers.filter((a, i) => a?.subject === gold[i].subject).length);
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
  console.log(`                    ranked by probability alone: ${scoreLine(tripleScoresByProbability)} ` +
    `(${fmt(tripleByProbability.msPerQuestion)} ms/question)`);
  console.log(`                    baseline: ${scoreLine(baselineScores)}`);
  console.log(`2. Subject retrieval model: EM_S ${fmt(emS)}  baseline: EM_S ${fmt(baselineEmS)} (${fmt(subject.msPerQuestion)} ms/question); ` +
    `ranked by probability alone ${fmt(emSByProbability)} (${fmt(subjectByProbability.msPerQuestion)} ms/question)`);
  console.log(`3. Open predicate   model: EM_P ${fmt(emP)} ranked by PMI (${fmt(open.msPerQuestion)} ms/question); ` +
    `by probability ${fmt(emPPlain)} (${fmt(openPlain.msPerQuestion)} ms/question), by log p / length ${fmt(emPLong)}  ` +
    `baseline: EM_P ${fmt(baselineEmP)}`);
  Object.assign(report, { kbMode: tripleScores, kbModeByProbability: tripleScoresByProbability, kbModeBaseline: baselineScores,
    subjectEm: emS, subjectEmByProbability: emSByProbability, subjectEmBaseline: baselineEmS, openPredicateEm: emP, openPredicateEmByProbability: emPPlain,
    openPredicateEmLengthPenalty1: emPLong, openPredicateEmBaseline: baselineEmP,
    msPerQuestion: { triple: triple.msPerQuestion, subject: subject.msPerQuestion, open: open.msPerQuestion,
      openByProbability: openPlain.msPerQuestion } });
}

if (settings.has(4)) report.outOfKb = await outOfKb();

/** Setting 4: the same model over a KB without the triples of a seeded half of dev. */
async function outOfKb() {
  const removed = seededHalf(dev.length);
  const removedAnswers = new Set(dev.filter((_, i) => removed.has(i)).map((row) => row.answer));
  const kept = kb.filter((t) => !removedAnswers.has(`${t.subject} ||| ${t.predicate} ||| ${t.object}`));
  const reduced = await KBQA.load({ model, kb: kept.map((t) => `${t.subject} ||| ${t.predicate} ||| ${t.object}`).join('\n') });
  const thresholds = [...new Set([1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, DEFAULT_MIN_CONFIDENCE])].sort((a, b) => a - b);
  const out = { keptTriples: kept.length, removedTriples: kb.length - kept.length, defaultMinConfidence: DEFAULT_MIN_CONFIDENCE };
  for (const mode of ['triple', 'subject']) {
    const inKb = [], outOfKbAnswers = [];
    dev.forEach((row, i) => {
      const a = reduced.ask(row.question, { beams, mode, minConfidence: 0 })[0];
      const confidence = a ? a.confidence : 0;
      if (removed.has(i)) outOfKbAnswers.push({ confidence });
      else {
        const g = gold[i];
        const correct = !!a && a.subject === g.subject && (mode === 'subject' || (a.predicate === g.predicate && a.object === g.object));
        inKb.push({ confidence, correct });
      }
    });
    const curve = thresholds.map((t) => abstentionAt(inKb, outOfKbAnswers, t));
    // Youden's J (answered in-KB − answered out-of-KB): the point of the curve the default is read from.
    const best = curve.reduce((a, c) => (c.inKbAnswered - c.outOfKbAnswered > a.inKbAnswered - a.outOfKbAnswered ? c : a));
    out[mode] = { inKb: inKb.length, outOfKb: outOfKbAnswers.length,
      auroc: auroc(inKb.map((q) => q.confidence), outOfKbAnswers.map((q) => q.confidence)),
      accuracyAnsweringAll: inKb.filter((q) => q.correct).length / inKb.length, bestThresholdByYoudenJ: best.threshold, curve };
    console.log(`4. Out-of-KB (${mode}) ${inKb.length} in-KB / ${outOfKbAnswers.length} out-of-KB questions: ` +
      `AUROC of confidence ${out[mode].auroc.toFixed(4)}; accuracy answering all in-KB ${fmt(100 * out[mode].accuracyAnsweringAll)}`);
    for (const c of curve) {
      console.log(`   minConfidence ${String(c.threshold).padEnd(5)}: in-KB answered ${fmt(100 * c.inKbAnswered)}%, ` +
        `accuracy ${fmt(100 * c.accuracyOfAnswered)}%, out-of-KB answered ${fmt(100 * c.outOfKbAnswered)}%` +
        `${c.threshold === DEFAULT_MIN_CONFIDENCE ? '  (default)' : ''}${c === best ? '  (largest answered in-KB − answered out-of-KB)' : ''}`);
    }
  }
  reduced.dispose();
  return out;
}
if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2) + '\n');
kbqa.dispose();
