// Messages between AttnkitWorker (page) and the worker script (worker.ts).
import type { AskOptions, KbqaLoadOptions } from './kbqa.js';
import type { ModelSource } from './model-files.js';
import type { ExtractOptions } from './ner.js';

/** Load options that can cross postMessage (callbacks stay on the page side). */
export type WorkerModelSource = Omit<ModelSource, 'onProgress'>;
export type WorkerKbqaOptions = Omit<KbqaLoadOptions, 'onProgress'>;

export type Request =
  | { id: number; method: 'init'; args: [{ threads?: number }] }
  | { id: number; method: 'nerLoad'; args: [WorkerModelSource] }
  | { id: number; method: 'nerExtract'; args: [string, ExtractOptions | undefined] }
  | { id: number; method: 'nerExtractMany'; args: [string[], ExtractOptions | undefined] }
  | { id: number; method: 'kbqaLoad'; args: [WorkerKbqaOptions] }
  | { id: number; method: 'kbqaAsk'; args: [string, AskOptions] };

export type Reply =
  | { id: number; result: unknown; ms: number }
  | { id: number; error: string; name: string; code: string }
  | { id: number; progress: [number, number] };
