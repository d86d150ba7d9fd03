import { AttnkitWorker, attention, init, NER } from '/dist/index.js';

const out = document.getElementById('result');
const randomFloats = (count, seed) => {
  let s = seed;
  return Float32Array.from({ length: count }, () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 - 0.5; });
};
try {
  const attnkit = await init();
  const threads = attnkit.threads;
  const [q, k, v] = [1, 2, 3].map((seed) => randomFloats(4 * 300 * 32, seed));
  const shape = { heads: 4, queryLen: 300, headDim: 32, causal: true };
  const all = attention(q, k, v, shape);
  const ner = await NER.load({ url: '/dist/models/ner-cluener/' });
  const text = '北京大学的张三在上海市浦东新区的华为公司工作，他喜欢玩英雄联盟。'.repeat(20);
  const entitiesAll = JSON.stringify(ner.extract(text));
  attnkit.setThreads(1);
  const one = attention(q, k, v, shape);
  const entitiesOne = JSON.stringify(ner.extract(text));
  attnkit.setThreads(threads);
  ner.dispose();
  const worker = new AttnkitWorker();
  const { result: { threads: workerThreads } } = await worker.init();
  worker.terminate();
  out.textContent = JSON.stringify({
    crossOriginIsolated: globalThis.crossOriginIsolated === true, threads, workerThreads,
    hardwareConcurrency: navigator.hardwareConcurrency, sharedArrayBuffer: typeof SharedArrayBuffer,
    sharedMemory: (() => { try { return String(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer); } catch (e) { return String(e); } })(),
    identical: all.every((x, i) => x === one[i]) && entitiesAll === entitiesOne, entities: JSON.parse(entitiesOne).length,
  });
} catch (e) {
  out.textContent = JSON.stringify({ failed: String(e), stack: e.stack });
}
