// The question-answering panel: the best KB entry, the triple it came from and the top-k alternatives; when no
// entry reaches the default confidence, "not in this knowledge base" with the nearest entries greyed out.
import { DEFAULT_MIN_CONFIDENCE } from 'attnkit';
import { exampleButtons } from './examples.js';
import { plainError } from './plain-error.js';
import { showProgress } from './progress.js';
import { $, escape } from './dom.js';

const EXAMPLES = [
  '你知道龙晶用繁体字怎么写吗？',
  '无罪无我的和声是什么？',
  '武汉交通职业学院计算机协会有哪些学校？',
  '仁川的市鸟是什么鸟？',
  '札幌的市鸟是什么？',
  '周杰伦的出生地是哪里？',  // not in the KB (周杰 is): the page says so instead of answering 周杰's company
];

// Confidences span many orders of magnitude below the threshold: 0.97, 0.0031, 2.1e-7.
const formatConfidence = (c) => (c >= 0.01 ? c.toFixed(2) : c.toPrecision(2));

export async function startKbqaPanel(worker) {
  const status = $('kbqa-status');
  try {
    const { result: { size }, ms } = await worker.loadKbqa({ onProgress: showProgress($('kbqa-progress'), status, 'KBQA model and KB') });
    status.textContent = `Ready: ${size.toLocaleString('en')} triples; model and KB index loaded in ${ms.toFixed(0)} ms.`;
  } catch (error) {
    status.className = 'error';
    status.textContent = plainError(error);
    return;
  }
  const ask = async () => {
    const question = $('kbqa-input').value;
    try {
      // Every entry (minConfidence 0), so that the nearest ones can be shown under "not in this knowledge base";
      // the split is ask()'s own default threshold.
      const { result: answers, ms } = await worker.ask(question, { beams: Number($('kbqa-beams').value), topK: 5, minConfidence: 0 });
      const trusted = answers.filter((a) => a.confidence >= DEFAULT_MIN_CONFIDENCE);
      status.className = 'note';
      status.textContent = `${trusted.length} of ${answers.length} entries reach confidence ${DEFAULT_MIN_CONFIDENCE}; ` +
        `${ms.toFixed(1)} ms (beam search over the KB trie, in a Web Worker)`;
      const [best] = trusted;
      const answer = $('kbqa-answer');
      answer.classList.toggle('abstained', !best && answers.length > 0);
      answer.textContent = best ? best.object
        : answers.length ? 'Not in this knowledge base' : 'No answer: the question has no words.';
      $('kbqa-triple').textContent = best ? `${best.subject} ||| ${best.predicate} ||| ${best.object}`
        : answers.length ? 'Nearest entries, below the confidence threshold:' : '';
      $('kbqa-table').tBodies[0].innerHTML = answers.map((a, i) =>
        `<tr${a.confidence < DEFAULT_MIN_CONFIDENCE ? ' class="below-confidence"' : ''}><td>${i + 1}</td>` +
        `<td>${escape(a.subject)}</td><td>${escape(a.predicate)}</td><td>${escape(a.object)}</td>` +
        `<td>${a.score.toFixed(3)}</td><td>${formatConfidence(a.confidence)}</td></tr>`).join('');
    } catch (error) {
      status.className = 'error';
      status.textContent = plainError(error);
    }
  };
  exampleButtons($('kbqa-examples'), EXAMPLES, (text) => { $('kbqa-input').value = text; ask(); });
  $('kbqa-form').addEventListener('submit', (event) => { event.preventDefault(); ask(); });
  await ask();
}
