// Fetching a model directory (config.json, model.safetensors, vocab.txt): from the files the caller
// passes, from a URL (browser fetch, or a file: URL read from disk in Node), or the bundled default.
// In browsers, fetched files are kept in the Cache API (cache 'attnkit-models'), so a page works offline
// after its first load; progress is reported while the bytes stream in.
import type { ModelFiles as ModelFileViews } from './attnkit.mjs';
import { AttnkitError } from './errors.js';
import type { HeapScope } from './heap.js';
import { checkOptions, optionKeys } from './options.js';

export interface ModelFiles {
  config: string;
  weights: Uint8Array;
  vocab: string;
}

/** Bytes received so far and the total expected (0 when the server does not say). */
export type ProgressCallback = (loaded: number, total: number) => void;

export interface FetchOptions {
  /** Keep fetched files in the Cache API and read them from there next time (default true where it exists). */
  cache?: boolean;
  /** Called as file bytes arrive (summed over the files of one load). */
  onProgress?: ProgressCallback;
}

export interface ModelSource extends FetchOptions {
  /** A directory URL holding config.json, model.safetensors and vocab.txt (ends with '/'). */
  url?: string | URL;
  /** The three files themselves. */
  files?: { config: string | object; weights: Uint8Array | ArrayBuffer; vocab: string };
}

const CACHE_NAME = 'attnkit-models';
export const FETCH_KEYS = optionKeys<FetchOptions>()('cache', 'onProgress');
const SOURCE_KEYS = optionKeys<ModelSource>()('url', 'files', ...FETCH_KEYS);
const FILES_KEYS = optionKeys<NonNullable<ModelSource['files']>>()('config', 'weights', 'vocab');

/** Sums the progress of several concurrent downloads into one callback. */
export function progressSum(onProgress: ProgressCallback | undefined, parts: number): ProgressCallback[] {
  const loaded = new Array<number>(parts).fill(0);
  const total = new Array<number>(parts).fill(0);
  return loaded.map((_, i) => (l: number, t: number) => {
    loaded[i] = l;
    total[i] = t;
    onProgress?.(loaded.reduce((a, b) => a + b, 0), total.reduce((a, b) => a + b, 0));
  });
}

async function readStream(response: Response, onProgress?: ProgressCallback): Promise<Uint8Array> {
  const total = Number(response.headers.get('content-length') ?? 0);
  if (!response.body || !onProgress) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, total || bytes.length);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded, Math.max(total, loaded));
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) { bytes.set(chunk, at); at += chunk.length; }
  onProgress(loaded, loaded);
  return bytes;
}

function isNodeFileUrl(url: URL): boolean {
  const maybeProcess = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return url.protocol === 'file:' && typeof maybeProcess?.versions?.node === 'string';
}

// Opened once: a sharded KB reads a file from it for every shard a question reaches.
let cacheOpened: Promise<Cache | undefined> | undefined;
const openCache = () => (cacheOpened ??= caches.open(CACHE_NAME).catch(() => undefined));

/** The bytes at `url`: fetched, or read from disk for a file: URL in Node. */
export async function readBytes(where: string, url: URL, options: FetchOptions = {}): Promise<Uint8Array> {
  if (isNodeFileUrl(url)) {
    const fsModule = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsModule)) as { readFile(path: URL): Promise<Uint8Array> };
    try {
      const bytes = new Uint8Array(await fs.readFile(url));
      options.onProgress?.(bytes.length, bytes.length);
      return bytes;
    } catch (error) {
      const missing = (error as { code?: string }).code === 'ENOENT';
      throw new AttnkitError(`${where}: could not read ${url.href} (${(error as Error).message})`,
        missing ? 'not-found' : 'network');
    }
  }
  const cache = options.cache !== false && typeof caches !== 'undefined' && /^https?:$/.test(url.protocol)
    ? await openCache() : undefined;
  const cached = await cache?.match(url.href);
  if (cached) return readStream(cached, options.onProgress);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new AttnkitError(`${where}: could not load ${url.href} (${(error as Error).message}; offline and not cached yet?)`,
      'network');
  }
  if (!response.ok) {
    throw new AttnkitError(`${where}: could not load ${url.href} (HTTP ${response.status})`,
      response.status === 404 || response.status === 410 ? 'not-found' : 'network');
  }
  const bytes = await readStream(response, options.onProgress);
  if (cache) {
    const headers = { 'content-type': response.headers.get('content-type') ?? 'application/octet-stream', 'content-length': String(bytes.length) };
    // Not awaited: the bytes are here already, and writing to the cache takes a disk write a question on a
    // sharded KB should not wait for. A failure (quota) leaves the file usable, just not cached.
    void cache.put(url.href, new Response(bytes as Uint8Array<ArrayBuffer>, { headers })).catch(() => undefined);
  }
  return bytes;
}

/** `url` resolved against `base`, as a directory (bundlers may drop the trailing '/' of a directory URL). */
export function directoryUrl(url: string | URL, base: URL): URL {
  const resolved = new URL(String(url), base);
  return resolved.href.endsWith('/') ? resolved : new URL(`${resolved.href}/`);
}

/** Checks a model source's keys (and its files' keys); `what` names it in messages ('options', 'model'). */
export function checkModelSource(where: string, source: ModelSource | undefined, what = 'options'): ModelSource {
  const checked = checkOptions(where, source, SOURCE_KEYS, what);
  if (checked.files !== undefined) checkOptions(where, checked.files, FILES_KEYS, `${what}.files`);
  return checked;
}

export async function loadModelFiles(where: string, source: ModelSource, defaultUrl: URL): Promise<ModelFiles> {
  if (source.files) {
    const { config, weights, vocab } = source.files;
    if (!(weights instanceof Uint8Array || weights instanceof ArrayBuffer)) {
      throw new AttnkitError(`${where}: files.weights must be a Uint8Array or ArrayBuffer`);
    }
    if (typeof vocab !== 'string') throw new AttnkitError(`${where}: files.vocab must be the text of vocab.txt`);
    return {
      config: typeof config === 'string' ? config : JSON.stringify(config),
      weights: weights instanceof Uint8Array ? weights : new Uint8Array(weights),
      vocab,
    };
  }
  const directory = directoryUrl(source.url ?? defaultUrl, defaultUrl);
  const decoder = new TextDecoder();
  const progress = progressSum(source.onProgress, 3);
  const [config, weights, vocab] = await Promise.all(['config.json', 'model.safetensors', 'vocab.txt'].map(
    (name, i) => readBytes(where, new URL(name, directory), { cache: source.cache, onProgress: progress[i] })));
  return { config: decoder.decode(config), weights, vocab: decoder.decode(vocab) };
}

const encoder = new TextEncoder();

/** Copies a model directory's three files into the heap scope as the binding's ModelFiles views. */
export function modelFileViews(heap: HeapScope, files: ModelFiles): ModelFileViews {
  return { config: heap.view(encoder.encode(files.config)), weights: heap.view(files.weights),
    vocab: heap.view(encoder.encode(files.vocab)) };
}
