#!/usr/bin/env node
// attnkit's command line.
//   node scripts/attnkit-cli.mjs ner --input X.jsonl --output Y.jsonl [--model DIR]
// reads CLUENER lines ({"text": …}) and writes them back with "label" filled by the model.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { NER } from '../dist/index.js';
import { readJsonLines, toCluenerLabel } from './cluener.mjs';

const USAGE = 'usage: node scripts/attnkit-cli.mjs ner --input X.jsonl --output Y.jsonl [--model DIR]';

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

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'ner') await ner(rest);
  else throw new Error(USAGE);
} catch (error) {
  console.error(`attnkit-cli: ${error.message}`);
  process.exit(1);
}
