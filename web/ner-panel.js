// The NER panel: highlights entities with a colour per type; nested entities stack their underlines. The
// model runs in the worker; typing re-runs it, latest text wins.
import { exampleButtons } from './examples.js';
import { plainError } from './plain-error.js';
import { showProgress } from './progress.js';
import { $, escape } from './dom.js';

const COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42a5b3', '#f032e6', '#9a9a1f', '#e08f9e', '#008080'];
const EXAMPLES = [
  '浙商银行企业信贷部叶老桂博士则从另一个角度对五道门槛进行了解读。',
  '生生不息CSOL生化狂潮让你填弹狂扫',
  '那不勒斯vs锡耶纳以及桑普vs热那亚之上呢？',
  '据新华社北京电，国务院总理李克强在人民大会堂会见了来访的美国苹果公司首席执行官库克。',
];

const MAX_DEPTH = 4;
const MAX_ROWS = 200;

/** Text split at every entity boundary; each piece lists the entities covering it (outermost first). */
function render(text, entities, colourOf) {
  const cuts = [...new Set([0, text.length, ...entities.flatMap((e) => [e.start, e.end])])].sort((a, b) => a - b);
  let html = '';
  for (let i = 0; i + 1 < cuts.length; ++i) {
    const [from, to] = [cuts[i], cuts[i + 1]];
    const covering = entities.filter((e) => e.start <= from && e.end >= to);
    const piece = escape(text.slice(from, to));
    if (covering.length === 0) { html += piece; continue; }
    // At most MAX_DEPTH stacked underlines: deeper nesting is still listed in the tooltip and the table.
    const lines = covering.slice(0, MAX_DEPTH).map((e, depth) => `0 ${3 + 4 * depth}px 0 ${colourOf(e.type)}`).join(', ');
    const title = covering.map((e) => `${e.type}: ${e.text}`).join('\n');
    html += `<span class="entity" style="background:${colourOf(covering[0].type)}22; box-shadow:${lines}" title="${escape(title)}">${piece}</span>`;
  }
  return html;
}

export async function startNerPanel(worker) {
  const status = $('ner-status');
  let labels;
  try {
    ({ result: { labels } } = await worker.loadNer({ onProgress: showProgress($('ner-progress'), status, 'NER model') }));
  } catch (error) {
    status.className = 'error';
    status.textContent = plainError(error);
    return;
  }
  const colourOf = (type) => COLOURS[labels.indexOf(type) % COLOURS.length];
  $('ner-legend').innerHTML = labels.map((l) => `<span><i style="background:${colourOf(l)}"></i>${l}</span>`).join('');
  let latest = 0;
  const run = async () => {
    const text = $('ner-input').value;
    const ticket = ++latest;
    try {
      const { result: entities, ms } = await worker.extract(text);
      if (ticket !== latest) return;  // a newer text is on its way
      status.className = 'note';
      status.textContent = `${entities.length} entities in ${ms.toFixed(1)} ms (WebAssembly, in a Web Worker)`;
      $('ner-highlighted').innerHTML = render(text, entities, colourOf);
      $('ner-table').tBodies[0].innerHTML = entities.slice(0, MAX_ROWS).map((e) =>
        `<tr data-type="${e.type}"><td>${escape(e.text)}</td><td><i style="color:${colourOf(e.type)}">■</i> ${e.type}</td>` +
        `<td>${e.start}–${e.end}</td><td>${e.score.toFixed(3)}</td></tr>`).join('');
    } catch (error) {
      status.className = 'error';
      status.textContent = plainError(error);
    }
  };
  exampleButtons($('ner-examples'), EXAMPLES, (text) => { $('ner-input').value = text; run(); });
  $('ner-input').addEventListener('input', run);
  await run();
}
