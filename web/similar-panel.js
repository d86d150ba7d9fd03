// The "similar entries" panel: BioHash codes of every KB subject and KgCLUE question, searched by popcount as
// you type. No neural encoder: a text's code is the top-k winners of one sparse product, then a Hamming search.
import { BioHash, HammingIndex } from 'attnkit';
import { exampleButtons } from './examples.js';
import { plainError } from './plain-error.js';
import { $, escape } from './dom.js';

const EXAMPLES = ['周杰伦的出生地是哪里？', '龙晶游戏繁体', '武汉交通职业学院', '札幌的市鸟'];
const TOP_K = 10;

export async function startSimilarPanel() {
  const status = $('similar-status');
  let hash, index, texts;
  try {
    const started = performance.now();
    hash = await BioHash.load();
    const response = await fetch(new URL('./similar-texts.txt', document.baseURI));
    if (!response.ok) throw new Error(`could not load the corpus of similar entries (HTTP ${response.status})`);
    texts = (await response.text()).split('\n').filter((line) => line.length > 0);
    index = new HammingIndex({ bits: hash.bits });
    index.add(hash.encode(texts));
    status.textContent = `Ready: ${texts.length.toLocaleString('en')} KB subjects and questions as ${hash.bits}-bit codes ` +
      `(${hash.active} bits set), ${(index.memoryBytes / 1024).toFixed(0)} KiB, built in ${(performance.now() - started).toFixed(0)} ms.`;
  } catch (error) {
    status.className = 'error';
    status.textContent = plainError(error);
    return;
  }
  const search = () => {
    const query = $('similar-input').value;
    const started = performance.now();
    const { indices, scores } = index.search(hash.encode(query), { topK: TOP_K });
    const us = (performance.now() - started) * 1000;
    status.className = 'note';
    status.textContent = `${TOP_K} nearest of ${texts.length.toLocaleString('en')} codes in ${us.toFixed(0)} µs (encode + search)`;
    $('similar-table').tBodies[0].innerHTML = Array.from(indices).filter((i) => i >= 0).map((i, rank) =>
      `<tr><td>${rank + 1}</td><td>${escape(texts[i])}</td><td>${scores[rank]} / ${hash.active}</td></tr>`).join('');
  };
  exampleButtons($('similar-examples'), EXAMPLES, (text) => { $('similar-input').value = text; search(); });
  $('similar-input').addEventListener('input', search);
  search();
}
