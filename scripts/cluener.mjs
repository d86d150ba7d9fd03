// CLUENER format helpers shared by the CLI and the evaluation: labels are {type: {entity: [[start, end]]}}
// with code-point offsets and inclusive ends; attnkit's entities use JS string indices, end exclusive.
import { readFileSync } from 'node:fs';

/** Code-point index of every JS string index of `text` (length + 1 entries). */
export function stringIndexToCodePoint(text) {
  const map = new Int32Array(text.length + 1);
  let point = 0;
  for (let i = 0; i < text.length; ++i) {
    map[i] = point;
    const unit = text.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length
      && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
    if (pair) map[++i] = point;
    ++point;
  }
  map[text.length] = point;
  return map;
}

/** attnkit entities → CLUENER label object. */
export function toCluenerLabel(text, entities) {
  const index = stringIndexToCodePoint(text);
  const label = {};
  for (const e of entities) {
    const byText = (label[e.type] ??= {});
    (byText[e.text] ??= []).push([index[e.start], index[e.end] - 1]);
  }
  return label;
}

/** CLUENER label object → set of "type start end" keys (code points, end inclusive). */
export function spanKeys(label) {
  const keys = new Set();
  for (const [type, entities] of Object.entries(label ?? {})) {
    for (const ranges of Object.values(entities)) for (const [s, e] of ranges) keys.add(`${type} ${s} ${e}`);
  }
  return keys;
}

export function readJsonLines(path) {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
}
