#!/usr/bin/env node
// F1 of the NER model on the validation split the trainer held out (every 10th line of CLUENER train.json):
// micro over exact (type, start, end) spans, and per type.   node scripts/eval-ner.mjs [--model DIR]
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { NER } from '../dist/index.js';
import { readJsonLines, spanKeys, toCluenerLabel } from './cluener.mjs';

const { values } = parseArgs({ options: { model: { type: 'string' }, data: { type: 'string' } } });
const data = values.data ?? new URL('../../shared/data/cluener/train.json', import.meta.url).pathname;
const rows = readJsonLines(data).filter((_, i) => i % 10 === 0);
const ner = await NER.load(values.model ? { url: pathToFileURL(values.model.endsWith('/') ? values.model : `${values.model}/`) } : {});

const counts = {};
const add = (type, field) => { (counts[type] ??= { tp: 0, fp: 0, fn: 0 })[field] += 1; };
const start = performance.now();
for (const row of rows) {
  const predicted = spanKeys(toCluenerLabel(row.text, ner.extract(row.text)));
  const gold = spanKeys(row.label);
  for (const key of predicted) add(key.split(' ')[0], gold.has(key) ? 'tp' : 'fp');
  for (const key of gold) if (!predicted.has(key)) add(key.split(' ')[0], 'fn');
}
const seconds = (performance.now() - start) / 1000;
const f1 = ({ tp, fp, fn }) => (2 * tp) / Math.max(1, 2 * tp + fp + fn);
const total = Object.values(counts).reduce((s, c) => ({ tp: s.tp + c.tp, fp: s.fp + c.fp, fn: s.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
console.log(`validation sentences: ${rows.length} (every 10th line of ${data})`);
for (const type of Object.keys(counts).sort()) console.log(`  ${type.padEnd(14)} F1 ${(100 * f1(counts[type])).toFixed(2)}`);
console.log(`micro F1 ${(100 * f1(total)).toFixed(2)} (tp ${total.tp}, fp ${total.fp}, fn ${total.fn}); ${(rows.length / seconds).toFixed(1)} sentences/s`);
