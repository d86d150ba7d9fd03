// AttnkitWorker: NER and KBQA in a Web Worker, so a page never freezes while a model loads or runs.
//   const worker = new AttnkitWorker();
//   await worker.loadNer({ onProgress: (loaded, total) => … });
//   const { result: entities, ms } = await worker.extract('…');
import { AttnkitError, errorCode } from './errors.js';
import type { Answer, AskOptions, KbqaLoadOptions, KnowledgeSource } from './kbqa.js';
import type { ModelSource, ProgressCallback } from './model-files.js';
import type { Entity, ExtractOptions } from './ner.js';
import type { Reply, Request } from './worker-protocol.js';

/** A worker's answer and how long the work took inside the worker. */
export interface Timed<T> {
  result: T;
  ms: number;
}

/** URLs as absolute strings (URL objects cannot cross postMessage; relative ones resolve against the page). */
function absolute(url: string | URL): string {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  return base ? new URL(String(url), base).href : String(url);
}

function cloneableModel(source: ModelSource | undefined): ModelSource | undefined {
  return source?.url ? { ...source, url: absolute(source.url) } : source;
}

/** A KB source whose URL (text, index or sharded manifest) is resolved against the page, not the worker. */
function cloneableKb(kb: KnowledgeSource | undefined): KnowledgeSource | undefined {
  if (!kb || typeof kb !== 'object' || Array.isArray(kb)) return kb;
  if ('url' in kb) return { ...kb, url: absolute(kb.url) };
  if ('shards' in kb) return { ...kb, shards: absolute(kb.shards) };
  if ('index' in kb && (typeof kb.index === 'string' || kb.index instanceof URL)) return { ...kb, index: absolute(kb.index) };
  return kb;
}

type Pending = { resolve: (r: Timed<unknown>) => void; reject: (e: Error) => void; onProgress?: ProgressCallback };

type RequestOf<M extends Request['method']> = Extract<Request, { method: M }>;

export class AttnkitWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** Starts the bundled worker script, or adopts a Worker you created from `attnkit/worker` yourself. */
  constructor(worker?: Worker) {
    this.worker = worker ?? new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker.addEventListener('message', (event: MessageEvent<Reply>) => this.receive(event.data));
    this.worker.addEventListener('error', (event: ErrorEvent) => {
      const error = new AttnkitError(`attnkit worker failed: ${event.message || 'the worker script could not start'}`,
        'internal');
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
  }

  private receive(reply: Reply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if ('progress' in reply) {
      p.onProgress?.(...reply.progress);
      return;
    }
    this.pending.delete(reply.id);
    if ('error' in reply) p.reject(new AttnkitError(reply.error, errorCode(reply.code)));
    else p.resolve({ result: reply.result, ms: reply.ms });
  }

  private call<M extends Request['method'], T>(method: M, args: RequestOf<M>['args'], onProgress?: ProgressCallback): Promise<Timed<T>> {
    const id = this.nextId++;
    return new Promise<Timed<T>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: Timed<unknown>) => void, reject, onProgress });
      this.worker.postMessage({ id, method, args } as Request);
    });
  }

  /**
   * Loads the WebAssembly module in the worker (the load calls do it too). Resolves to the worker script's
   * own URL, as the browser loaded it (after any bundler's rewriting): a page that keeps itself offline
   * should cache it, since WebKit does not always route a worker's script load through the service worker.
   * `threads` as in init(); by default the worker uses threads when the page is cross-origin isolated.
   * Resolves also to the thread count the worker's module runs on.
   */
  init(options: { threads?: number } = {}): Promise<Timed<{ scriptUrl: string; threads: number }>> {
    return this.call('init', [options]);
  }

  /** NER.load in the worker; same sources as NER.load, with progress reported here. */
  loadNer(source: ModelSource = {}): Promise<Timed<{ labels: string[] }>> {
    const { onProgress, ...rest } = source;
    return this.call('nerLoad', [cloneableModel(rest) ?? {}], onProgress);
  }

  extract(text: string, options?: ExtractOptions): Promise<Timed<Entity[]>> {
    return this.call('nerExtract', [text, options]);
  }

  /** NER.extractMany in the worker: the texts' windows batched through the encoder. */
  extractMany(texts: string[], options?: ExtractOptions): Promise<Timed<Entity[][]>> {
    return this.call('nerExtractMany', [texts, options]);
  }

  /** KBQA.load in the worker; KB and model as KBQA.load, with progress reported here. */
  loadKbqa(options: KbqaLoadOptions = {}): Promise<Timed<{ size: number }>> {
    const { onProgress, ...rest } = options;
    if (rest.model?.onProgress) throw new AttnkitError('AttnkitWorker.loadKbqa: pass onProgress at the top level');
    return this.call('kbqaLoad', [{ ...rest, model: cloneableModel(rest.model), kb: cloneableKb(rest.kb) }], onProgress);
  }

  /** KBQA.askAsync in the worker: the shards of a sharded KB the question reaches are loaded there. */
  ask(question: string, options: AskOptions = {}): Promise<Timed<Answer[]>> {
    return this.call('kbqaAsk', [question, options]);
  }

  /** Stops the worker; pending calls fail. */
  terminate(): void {
    this.worker.terminate();
    const error = new AttnkitError('attnkit worker was terminated', 'invalid-state');
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
