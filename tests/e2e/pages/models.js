// Loads the bundled NER and KBQA models (default URLs beside the package) and offers two runs to the test
// driver: `memory` (every text and question once; WASM heap in use before and after, after a warm-up) and
// `timings` (median ms per NER sentence and per KBQA question). Results are returned, and shown on the page.
import { KBQA, NER, init } from '/dist/index.js';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const show = (value) => { document.getElementById('result').textContent = JSON.stringify(value); return value; };

let kit;
let ner;
let kbqa;
let loadMs;
try {
  const start = performance.now();
  kit = await init();
  [ner, kbqa] = await Promise.all([NER.load(), KBQA.load()]);
  loadMs = performance.now() - start;
  show({ ready: true, loadMs });
} catch (error) {
  show({ failed: String(error) });
}

window.attnkitModels = {
  /**
   * Heap in use after a warm-up pass and after `texts` and `questions` all ran once more. The warm-up is the
   * same pass, so both measurements hold the same last results (KBQA keeps its last answers' strings, whose
   * allocation differs from one answer to another): any difference is growth per call.
   */
  memory(texts, questions) {
    const pass = () => {
      let entities = 0;
      let answered = 0;
      for (const text of texts) entities += ner.extract(text).length;
      // minConfidence 0: every question decodes to an answer (the default abstains on a few dev questions)
      for (const question of questions) answered += kbqa.ask(question, { beams: 4, minConfidence: 0 }).length > 0 ? 1 : 0;
      return { entities, answered };
    };
    pass();
    const heapBefore = kit.heapBytesInUse();
    const memoryBefore = kit.memoryBytes();
    const { entities, answered } = pass();
    return show({ heapBefore, heapAfter: kit.heapBytesInUse(), memoryBefore, memoryAfter: kit.memoryBytes(),
      texts: texts.length, entities, questions: questions.length, answered });
  },
  /**
   * ms per sentence and per question: the median over `passes` timed passes of (pass time / items), after one
   * untimed pass. Whole passes are timed because some engines round performance.now() to 1 ms.
   */
  timings(texts, questions, passes = 5) {
    const each = (items, run) => {
      items.forEach(run);
      return median(Array.from({ length: passes }, () => {
        const start = performance.now();
        items.forEach(run);
        return (performance.now() - start) / items.length;
      }));
    };
    return show({ loadMs, nerMsPerSentence: each(texts, (t) => ner.extract(t)),
      kbqaMsPerQuestion: each(questions, (q) => kbqa.ask(q, { beams: 4 })) });
  },
};
