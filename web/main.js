// The demo page: NER and KBQA in a Web Worker (AttnkitWorker), the attention lab and similar entries on this thread. Uses only
// the public package API.
import { AttnkitWorker, init } from 'attnkit';
import { startAttentionLab } from './attention-lab.js';
import { startKbqaPanel } from './kbqa-panel.js';
import { startNerPanel } from './ner-panel.js';
import { startSimilarPanel } from './similar-panel.js';
import { plainError } from './plain-error.js';
import { $ } from './dom.js';

// The page shell works offline after one visit (web/public/sw.js); the models come from attnkit's cache.
if ('serviceWorker' in navigator) navigator.serviceWorker.register('./sw.js').catch(() => {});

// The service worker keeps what the page loads, but WebKit does not always send a worker's own script through
// it: the worker's script URL is handed to the service worker to keep as well.
function keepOffline(worker, started) {
  if (!('serviceWorker' in navigator)) return;
  Promise.all([started, navigator.serviceWorker.ready])
    .then(([{ result }, registration]) => registration.active?.postMessage({ keep: [result.scriptUrl] }))
    .catch(() => {});  // offline support is a bonus: the page works without it
}

try {
  // This thread only runs microsecond-sized work (the lab, similar entries): one thread. The worker's module
  // uses threads when the page is cross-origin isolated (the demo server sends COOP/COEP).
  const kit = await init({ threads: 1 });
  $('status').textContent = `Ready: WebAssembly SIMD module loaded (${(kit.memoryBytes() / 2 ** 20).toFixed(0)} MiB memory).`;
  startAttentionLab();
  const similar = startSimilarPanel();  // on this thread: encoding and search take microseconds
  const worker = new AttnkitWorker();
  const started = worker.init();
  started.then(({ result }) => {
    $('status').dataset.workerThreads = String(result.threads);
    $('status').textContent += ` NER and KBQA run in a worker on ${result.threads} thread${result.threads > 1 ? 's' : ''}` +
      (result.threads > 1 ? '.' : ' (threads need a cross-origin isolated page).');
  }).catch(() => {});
  keepOffline(worker, started);
  // One worker runs requests in order: NER loads first (smaller), then KBQA.
  await startNerPanel(worker);
  await startKbqaPanel(worker);
  await similar;
} catch (error) {
  $('status').className = 'error';
  $('status').textContent = plainError(error);
}
