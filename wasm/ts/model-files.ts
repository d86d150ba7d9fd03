// Fetching a model directory (config.json, model.safetensors, vocab.txt): from the files the caller
// passes, from a URL (browser fetch, or a file: URL read from disk in Node), or the bundled default.
import { AttnkitError } from './errors.js';

export interface ModelFiles {
  config: string;
  weights: Uint8Array;
  vocab: string;
}

export interface ModelSource {
  /** A directory URL holding config.json, model.safetensors and vocab.txt (ends with '/'). */
  url?: string | URL;
  /** The three files themselves. */
  files?: { config: string | object; weights: Uint8Array | ArrayBuffer; vocab: string };
}

function isNodeFileUrl(url: URL): boolean {
  const maybeProcess = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return url.protocol === 'file:' && typeof maybeProcess?.versions?.node === 'string';
}

/** The bytes at `url`: fetched, or read from disk for a file: URL in Node. */
export async function readBytes(where: string, url: URL): Promise<Uint8Array> {
  if (isNodeFileUrl(url)) {
    const fsModule = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsModule)) as { readFile(path: URL): Promise<Uint8Array> };
    try {
      return new Uint8Array(await fs.readFile(url));
    } catch (error) {
      throw new AttnkitError(`${where}: could not read ${url.href} (${(error as Error).message})`);
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new AttnkitError(`${where}: could not load ${url.href} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
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
  const base = new URL(String(source.url ?? defaultUrl), defaultUrl);
  const directory = base.href.endsWith('/') ? base : new URL(`${base.href}/`);
  const decoder = new TextDecoder();
  const [config, weights, vocab] = await Promise.all(
    ['config.json', 'model.safetensors', 'vocab.txt'].map((name) => readBytes(where, new URL(name, directory))));
  return { config: decoder.decode(config), weights, vocab: decoder.decode(vocab) };
}
