// KBQA speed: ms per question (beam 4 and beam 1; triple and open-predicate modes, both rankings, WASM single thread) on KgCLUE dev
// questions with the bundled model and KB, and the time to load the KB and build its tries.
import { existsSync, readFileSync } from 'node:fs';
import { KBQA } from '../../dist/index.js';
import { medianMs } from './harness.mjs';

const root = new URL('../../', import.meta.url);

export async function benchKbqa({ questions = 50, modelDir = new URL('web/models/kbqa-kgclue/', root) } = {}) {
  if (!existsSync(new URL('model.safetensors', modelDir))) return [{ name: 'kbqa', note: 'no trained model in web/models/kbqa-kgclue' }];
  const kbText = readFileSync(new URL('kb.txt', modelDir), 'utf8');
  const dev = readFileSync(new URL('../shared/data/kgclue/dev.json', root), 'utf8').split('\n').filter(Boolean)
    .slice(0, questions).map((l) => JSON.parse(l).question);
  let kbqa = await KBQA.load({ model: { url: modelDir }, kb: kbText });
  const triples = kbqa.size;
  const trieBytes = kbqa.trieBytes;
  kbqa.dispose();
  // Load = parse the KB, tokenize every entry, build the three tries (plus the model's weights, shown apart).
  const loadMs = await medianMs(async () => { (await KBQA.load({ model: { url: modelDir }, kb: kbText })).dispose(); },
    { runs: 5, warmup: 1, warmupMs: 0 });
  const tinyKbMs = await medianMs(async () => { (await KBQA.load({ model: { url: modelDir }, kb: 'a ||| b ||| c' })).dispose(); },
    { runs: 5, warmup: 1, warmupMs: 0 });
  kbqa = await KBQA.load({ model: { url: modelDir }, kb: kbText });
  const rows = [{ name: `KB of ${triples} triples: parse, tokenize, build 3 tries`, ms: loadMs - tinyKbMs,
    detail: `tries ${(trieBytes / 1e6).toFixed(2)} MB; whole load with the model ${loadMs.toFixed(0)} ms` }];
  // The default ranks the beam's entries by score × confidence (the beam runs until `beams` entries finish);
  // 'probability' is the earlier ranking, shown for its cost.
  const settings = [['triple', {}], ['triple ranked by probability', { ranking: 'probability' }], ['open-predicate', {}],
    ['open-predicate without PMI reranking', { mutualInformation: 0 }]];
  for (const beams of [1, 4]) {
    for (const [name, options] of settings) {
      const mode = name.split(' ')[0];
      const ms = await medianMs(() => { for (const q of dev) kbqa.ask(q, { beams, mode, ...options }); }, { runs: 5 });
      rows.push({ name: `ask, ${name}, beams ${beams}`, ms: ms / questions, detail: `per question, ${questions} dev questions` });
    }
  }
  kbqa.dispose();
  return rows;
}
