// Offers the test driver `load(manifestUrl)` (the bundled KBQA model over a sharded KB) and `ask(question)`
// (askAsync, timed), so the driver can count the bytes the server sends for each question.
import { KBQA, init } from '/dist/index.js';

const show = (value) => { document.getElementById('result').textContent = JSON.stringify(value); return value; };
let kbqa;

try {
  await init();
  show({ ready: true });
} catch (error) {
  show({ failed: String(error) });
}

window.attnkitLazy = {
  async load(manifest) {
    kbqa?.dispose();
    const start = performance.now();
    kbqa = await KBQA.load({ kb: { shards: manifest } });
    return show({ loadMs: performance.now() - start, size: kbqa.size, shards: kbqa.shardStats.count });
  },
  async ask(question) {
    const start = performance.now();
    const [best] = await kbqa.askAsync(question);
    const ms = performance.now() - start;
    return show({ answer: best ? `${best.subject} ||| ${best.predicate} ||| ${best.object}` : '', ms,
      loaded: kbqa.shardStats.loaded });
  },
};
