// The bundled default model (web/models/ner-cluener → dist/models/ner-cluener): NER.load() with no
// argument, and parity with the PyTorch reference the trainer wrote (fp16 weights evaluated in fp32).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NER, init } from '../../dist/index.js';
import { stringIndexToCodePoint } from '../../scripts/cluener.mjs';
import { maxLogitDifference } from './reference.mjs';

const modelDir = new URL('../../web/models/ner-cluener/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('reference.json', modelDir), 'utf8'));
let ner;

beforeAll(async () => {
  await init();
  ner = await NER.load();
});

describe('the bundled CLUENER model', () => {
  it('extractMany gives every text exactly the entities and scores extract gives it, in batches across texts', () => {
    // 300 CLUENER texts (several 2,048-token batches), long texts read in windows, empty and odd texts.
    const dev = readFileSync(new URL('../../../shared/data/cluener/train.json', import.meta.url), 'utf8').trim().split('\n')
      .slice(0, 300).map((l) => JSON.parse(l).text);
    const long = dev.slice(0, 40).join('');  // past max_length: overlapping windows
    const texts = [long, ...dev, '', '   ', '😀北京大学', long.slice(0, 700), '浙商银行企业信贷部叶老桂博士'];
    const many = ner.extractMany(texts);
    expect(many).toHaveLength(texts.length);
    texts.forEach((text, i) => expect(many[i]).toEqual(ner.extract(text)));
    expect(many.flat().length).toBeGreaterThan(300);
    expect(ner.extractMany([])).toEqual([]);
    expect(() => ner.extractMany('北京')).toThrow('NER.extractMany: texts must be an array of strings');
    expect(() => ner.extractMany(['北京', 3])).toThrow('NER.extractMany: texts must be an array of strings');
    expect(() => ner.extractMany(['北京'], { batch: 4 })).toThrow(/NER.extractMany: unknown option 'batch'/);
  });

  it('loads with no argument and no network, with the ten CLUENER types', () => {
    expect(ner.labels).toEqual(['address', 'book', 'company', 'game', 'government', 'movie', 'name', 'organization', 'position', 'scene']);
  });

  it('computes the same span logits as PyTorch (max |Δ| ≤ 1e-4) and the same entities', () => {
    let worst = 0;
    for (const c of reference.cases) {
      worst = Math.max(worst, maxLogitDifference(ner, c));
      const index = stringIndexToCodePoint(c.text);
      const found = ner.extract(c.text).map((e) => [e.type, index[e.start], index[e.end] - 1]);
      expect(found.map(String).sort()).toEqual(c.entities.map(String).sort());
    }
    expect(worst).toBeLessThanOrEqual(1e-4);
  });
});
