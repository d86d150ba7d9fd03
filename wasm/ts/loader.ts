// Loads and instantiates the SIMD .wasm once, in Node (bytes read from the package folder) and in
// browsers/workers (streamed from next to this file, or from a URL or bytes the caller gives).
// Emscripten 3.1.6's own Node path is not used: it fetches by file path and uses __dirname under ESM.
import createAttnkitModule, { type AttnkitWasmModule } from './attnkit.mjs';
import { AttnkitError } from './errors.js';
import { checkOptions, optionKeys } from './options.js';

export interface InitOptions {
  /** The module bytes, for callers that fetched or bundled them themselves. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where to fetch the .wasm from (browsers); defaults to attnkit.wasm beside this file. */
  wasmUrl?: string | URL;
}

const INIT_KEYS = optionKeys<InitOptions>()('wasmBinary', 'wasmUrl');

/** What `init()` resolves to; the same object on every call. */
export interface Attnkit {
  /** Bytes of WebAssembly memory reserved now (grows on demand, up to 2 GiB; never shrinks). */
  memoryBytes(): number;
  /** Bytes currently allocated inside that memory (models, tries, states you have not disposed). */
  heapBytesInUse(): number;
}

let loading: Promise<Attnkit> | undefined;
let wasmModule: AttnkitWasmModule | undefined;

// A minimal module using one SIMD instruction (i32x4.splat); validates only where SIMD128 is supported.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

function isNode(): boolean {
  const maybeProcess = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof maybeProcess?.versions?.node === 'string';
}

async function readPackagedWasmInNode(url: URL): Promise<Uint8Array> {
  // A computed specifier keeps bundlers from pulling Node built-ins into browser builds.
  const fsModule = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsModule)) as { readFile(path: URL): Promise<Uint8Array> };
  return fs.readFile(url);
}

async function instantiate(options: InitOptions): Promise<AttnkitWasmModule> {
  if (typeof WebAssembly !== 'object') throw new AttnkitError('attnkit: this environment has no WebAssembly', 'unsupported');
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new AttnkitError('attnkit: this browser does not support WebAssembly SIMD (needed since Chrome 91, ' +
      'Firefox 89, Safari 16.4); please update it', 'unsupported');
  }
  const defaultUrl = new URL('./attnkit.wasm', import.meta.url);
  if (options.wasmBinary) return createAttnkitModule({ wasmBinary: options.wasmBinary });
  if (isNode() && !options.wasmUrl && defaultUrl.protocol === 'file:') {
    return createAttnkitModule({ wasmBinary: await readPackagedWasmInNode(defaultUrl) });
  }
  const url = options.wasmUrl ?? defaultUrl;
  return createAttnkitModule({
    instantiateWasm(imports, receive) {
      instantiateFromUrl(url, imports).then(
        (instance) => receive(instance),
        (error) => rejectLoad?.(error),
      );
      return {};
    },
  });
}

// Emscripten's instantiateWasm hook has no rejection path of its own, so a failed fetch is routed here.
let rejectLoad: ((error: unknown) => void) | undefined;

async function instantiateFromUrl(url: string | URL, imports: WebAssembly.Imports): Promise<WebAssembly.Instance> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new AttnkitError(`attnkit: could not load ${String(url)} (${(error as Error).message})`, 'network');
  }
  if (!response.ok) {
    throw new AttnkitError(`attnkit: could not load ${String(url)} (HTTP ${response.status})`,
      response.status === 404 || response.status === 410 ? 'not-found' : 'network');
  }
  const type = response.headers.get('content-type') ?? '';
  try {
    if (type.startsWith('application/wasm') && typeof WebAssembly.instantiateStreaming === 'function') {
      return (await WebAssembly.instantiateStreaming(response, imports)).instance;
    }
    return (await WebAssembly.instantiate(await response.arrayBuffer(), imports)).instance;
  } catch (error) {
    if (!(error instanceof WebAssembly.CompileError || error instanceof WebAssembly.LinkError)) throw error;
    throw new AttnkitError(`attnkit: ${String(url)} is not this version's attnkit.wasm (${error.message})`, 'corrupt-file');
  }
}

/** Loads the WebAssembly module (once; later calls return the same instance). */
export function init(options: InitOptions = {}): Promise<Attnkit> {
  try {
    checkOptions('init', options, INIT_KEYS);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!loading) {
    loading = new Promise<AttnkitWasmModule>((resolve, reject) => {
      rejectLoad = reject;
      instantiate(options).then(resolve, reject);
    }).then((loaded) => {
      wasmModule = loaded;
      return { memoryBytes: () => loaded.HEAPU8.byteLength, heapBytesInUse: () => loaded.heapBytesInUse() };
    });
    // A failed load may be retried (e.g. after the network comes back).
    loading.catch(() => { loading = undefined; });
  }
  return loading;
}

/** The loaded module, or a clear error naming the function that was called too early. */
export function loadedModule(caller: string): AttnkitWasmModule {
  if (!wasmModule) throw new AttnkitError(`${caller}: attnkit is not initialised; call \`await init()\` first`, 'invalid-state');
  return wasmModule;
}
