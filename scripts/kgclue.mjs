// KgCLUE helpers shared by the KBQA evaluation and CLI: the knowledge base of "S ||| P ||| O" triples and
// the official metric (EM and F1 = 2·LCS/(|a|+|b|) on S, P, O; score = 0.5·EM_O + 0.5·F1_O).
import { readJsonLines } from './cluener.mjs';

export function parseTriple(line) {
  const parts = line.split('|||').map((s) => s.trim());
  if (parts.length !== 3) throw new Error(`not a "S ||| P ||| O" triple: ${line}`);
  return { subject: parts[0], predicate: parts[1], object: parts[2] };
}

/** The KB of the provided files: the triples in the answers of every given KgCLUE file. */
export function knowledgeBase(paths) {
  const seen = new Map();
  for (const path of paths) for (const row of readJsonLines(path)) seen.set(row.answer, parseTriple(row.answer));
  return [...seen.values()];
}

/** The surface name of a subject: its trailing sense label （…） removed (龙晶（游戏） → 龙晶). */
export const subjectName = (subject) => subject.replace(/（[^（）]*）$/, '');

function lcs(a, b) {
  const x = [...a], y = [...b];
  let prev = new Array(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; ++i) {
    const row = [0];
    for (let j = 1; j <= y.length; ++j) row[j] = x[i - 1] === y[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    prev = row;
  }
  return prev[y.length];
}

export const f1 = (a, b) => (a.length + b.length === 0 ? 1 : (2 * lcs(a, b)) / ([...a].length + [...b].length));

/** EM/F1 on S, P, O and the official score over predicted vs gold triples (predicted may be null). */
export function kgclueScores(pairs) {
  const sums = { emS: 0, emP: 0, emO: 0, f1S: 0, f1P: 0, f1O: 0 };
  for (const [pred, gold] of pairs) {
    const p = pred ?? { subject: '', predicate: '', object: '' };
    sums.emS += p.subject === gold.subject;
    sums.emP += p.predicate === gold.predicate;
    sums.emO += p.object === gold.object;
    sums.f1S += f1(p.subject, gold.subject);
    sums.f1P += f1(p.predicate, gold.predicate);
    sums.f1O += f1(p.object, gold.object);
  }
  const out = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, (100 * v) / pairs.length]));
  out.score = 0.5 * out.emO + 0.5 * out.f1O;
  return out;
}
