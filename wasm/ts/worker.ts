// The worker script of `attnkit/worker`: hosts one NER and one KBQA model off the main thread and answers
// AttnkitWorker's requests. Start it with AttnkitWorker (or new Worker(url, { type: 'module' })).
import { AttnkitError } from './errors.js';
import { init } from './loader.js';
import { KBQA } from './kbqa.js';
import { NER } from './ner.js';
import type { Reply, Request } from './worker-protocol.js';

interface WorkerScope {
  postMessage(message: Reply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Request>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
let ner: NER | undefined;
let kbqa: KBQA | undefined;

function loaded<T>(model: T | undefined, what: string): T {
  if (!model) {
    throw new AttnkitError(`${what} is not loaded yet: call ${what === 'NER' ? 'loadNer' : 'loadKbqa'}() first`, 'invalid-state');
  }
  return model;
}

async function handle(request: Request): Promise<unknown> {
  const progress = (loaded: number, total: number) => scope.postMessage({ id: request.id, progress: [loaded, total] });
  switch (request.method) {
    case 'init':
      return {
        scriptUrl: (globalThis as unknown as { location: { href: string } }).location.href,
        threads: (await init(request.args[0] ?? {})).threads,
      };
    case 'nerLoad':
      ner?.dispose();
      ner = undefined;
      ner = await NER.load({ ...request.args[0], onProgress: progress });
      return { labels: ner.labels };
    case 'nerExtract':
      return loaded(ner, 'NER').extract(request.args[0], request.args[1]);
    case 'nerExtractMany':
      return loaded(ner, 'NER').extractMany(request.args[0], request.args[1]);
    case 'kbqaLoad':
      kbqa?.dispose();
      kbqa = undefined;
      kbqa = await KBQA.load({ ...request.args[0], onProgress: progress });
      return { size: kbqa.size };
    case 'kbqaAsk':
      return loaded(kbqa, 'KBQA').askAsync(request.args[0], request.args[1]);
    default:
      throw new AttnkitError(`unknown request ${(request as { method: string }).method}`);
  }
}

// Requests run one at a time, in order (WASM calls are synchronous anyway).
let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (event) => {
  const request = event.data;
  queue = queue.then(async () => {
    const start = performance.now();
    try {
      const result = await handle(request);
      scope.postMessage({ id: request.id, result, ms: performance.now() - start });
    } catch (error) {
      const e = error as Error & { code?: string };
      scope.postMessage({ id: request.id, error: e.message ?? String(error), name: e.name ?? 'Error',
        code: e instanceof AttnkitError ? e.code : 'internal' });
    }
  });
});
