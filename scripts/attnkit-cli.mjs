#!/usr/bin/env node
// attnkit's command line.
//   node scripts/attnkit-cli.mjs ner --input X.jsonl --output Y.jsonl [--model DIR]
// reads CLUENER lines ({"text": …}) and writes them back with "label" filled by the model.
//   node scripts/attnkit-cli.mjs kbqa --input Q.jsonl --output A.jsonl [--kb KB.txt] [--model DIR] [--beams 4]
// reads KgCLUE lines ({"id", "question"}) and writes them with "answer": "S ||| P ||| O" from the KB
// (default: kb.txt of the model directory, i.e. the bundled KgCLUE triples).
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { KBQA, NER } from '../dist/index.js';
import { readJsonLines, toCluenerLabel } from './cluener.mjs';

const USAGE = 'usage: node scripts/attnkit-cli.mjs ner --input X.jsonl --output Y.jsonl [--model DIR]\n' +
  '       node scripts/attnkit-cli.mjs kbqa --input Q.jsonl --output A.jsonl [--kb KB.txt] [--model DIR] [--beams N]';

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
    model: { type: 'string' }, kb: { type: 'string' }, beams: { type: 'string' } } });
  if (!values.input || !values.output) throw new Error(USAGE);
  const beams = values.beams === undefined ? 4 : Number(values.beams);
  const model = await KBQA.load({ model: modelSource(values.model), kb: values.kb ? { url: pathToFileURL(values.kb) } : undefined });
  const lines = readJsonLines(values.input).map((row, i) => {
    if (typeof row.question !== 'string') throw new Error(`${values.input}: line ${i + 1} has no "question" string`);
    const [best] = model.ask(row.question, { beams });
    return JSON.stringify({ ...row, answer: best ? `${best.subject} ||| ${best.predicate} ||| ${best.object}` : '' });
  });
  writeFileSync(values.output, lines.join('\n') + '\n');
  console.log(`kbqa: ${lines.length} lines → ${values.output}`);
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'ner') await ner(rest);
  else if (command === 'kbqa') await kbqa(rest);
  else throw new Error(USAGE);
} catch (error) {
  console.error(`attnkit-cli: ${error.message}`);
  process.exit(1);
}
