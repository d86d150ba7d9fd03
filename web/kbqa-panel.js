// The question-answering panel: the best KB entry, the triple it came from and the top-k alternatives.
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
];

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
      const { result: answers, ms } = await worker.ask(question, { beams: Number($('kbqa-beams').value), topK: 5 });
      status.className = 'note';
      status.textContent = `${answers.length} answers in ${ms.toFixed(1)} ms (beam search over the KB trie, in a Web Worker)`;
      const [best] = answers;
      $('kbqa-answer').textContent = best ? best.object : 'No answer: the question has no words.';
      $('kbqa-triple').textContent = best ? `${best.subject} ||| ${best.predicate} ||| ${best.object}` : '';
      $('kbqa-table').tBodies[0].innerHTML = answers.map((a, i) =>
        `<tr><td>${i + 1}</td><td>${escape(a.subject)}</td><td>${escape(a.predicate)}</td><td>${escape(a.object)}</td>` +
        `<td>${a.score.toFixed(3)}</td></tr>`).join('');
    } catch (error) {
      status.className = 'error';
      status.textContent = plainError(error);
    }
  };
  exampleButtons($('kbqa-examples'), EXAMPLES, (text) => { $('kbqa-input').value = text; ask(); });
  $('kbqa-form').addEventListener('submit', (event) => { event.preventDefault(); ask(); });
  await ask();
}
