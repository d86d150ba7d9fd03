#!/usr/bin/env node
// attnkit's command line.
//   node scripts/attnkit-cli.mjs ner --input X.jsonl --output Y.jsonl [--model DIR]
// reads CLUENER lines ({"text": …}) and writes them back with "label" filled by the model.
//   node scripts/attnkit-cli.mjs kbqa --input Q.jsonl --output A.jsonl [--kb KB.txt] [--model DIR] [--beams 4]
// reads KgCLUE lines ({"id", "question"}) and writes them with "answer": "S ||| P ||| O" from the KB
// (default: the model directory's kb.txt; for the bundled model, its prebuilt index of the KgCLUE triples).
//   node scripts/attnkit-cli.mjs build-kb --kb KB.txt --output KB.attnkit [--model DIR]
// tokenizes a KB once, offline, for the model (default: the bundled one) and writes its index file: the
// compact tries and the triples, versioned and checksummed; KBQA.load({ kb: { index: url } }) opens it.
import { statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { KBQA, NER } from '../dist/index.js';
import { readJsonLines, toCluenerLabel } from './cluener.mjs';

const USAGE = 'usage: node scripts/attnkit-cli.mjs ner --input X.jsonl --output Y.jsonl [--model DIR]\n' +
  '       node scripts/attnkit-cli.mjs kbqa --input Q.jsonl --output A.jsonl [--kb KB.txt | --index KB.attnkit] [--model DIR] [--beams N]\n' +
  '       node scripts/attnkit-cli.mjs build-kb --kb KB.txt --output KB.attnkit [--model DIR]';

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
    model: { type: 'string' }, kb: { type: 'string' }, index: { type: 'string' }, beams: { type: 'string' } } });
  if (!values.input || !values.output || (values.kb && values.index)) throw new Error(USAGE);
  const beams = values.beams === undefined ? 4 : Number(values.beams);
  const kb = values.index ? { index: pathToFileURL(values.index) } : values.kb ? { url: pathToFileURL(values.kb) } : undefined;
  const model = await KBQA.load({ model: modelSource(values.model), kb });
  const lines = readJsonLines(values.input).map((row, i) => {
    if (typeof row.question !== 'string') throw new Error(`${values.input}: line ${i + 1} has no "question" string`);
    const [best] = model.ask(row.question, { beams });
    return JSON.stringify({ ...row, answer: best ? `${best.subject} ||| ${best.predicate} ||| ${best.object}` : '' });
  });
  writeFileSync(values.output, lines.join('\n') + '\n');
  console.log(`kbqa: ${lines.length} lines → ${values.output}`);
}

async function buildKb(args) {
  const { values } = parseArgs({ args, options: { kb: { type: 'string' }, output: { type: 'string' }, model: { type: 'string' } } });
  if (!values.kb || !values.output) throw new Error(USAGE);
  const start = performance.now();
  const model = await KBQA.load({ model: modelSource(values.model), kb: { url: pathToFileURL(values.kb) } });
  const index = model.index();
  writeFileSync(values.output, index);
  const seconds = (performance.now() - start) / 1000;
  console.log(`build-kb: ${model.size} triples (${statSync(values.kb).size} bytes of text) → ${values.output}, ` +
    `${index.length} bytes, ${seconds.toFixed(1)} s`);
  model.dispose();
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'ner') await ner(rest);
  else if (command === 'kbqa') await kbqa(rest);
  else if (command === 'build-kb') await buildKb(rest);
  else throw new Error(USAGE);
} catch (error) {
  console.error(`attnkit-cli: ${error.message}`);
  process.exit(1);
}
