// Loads and instantiates the SIMD .wasm once, in Node (bytes read from the package folder) and in
// browsers/workers (streamed from next to this file, or from a URL or bytes the caller gives).
// Emscripten 3.1.6's own Node path is not used: it fetches by file path and uses __dirname under ESM.
//
// Two builds: attnkit.wasm (one thread, everywhere) and attnkit-threads.wasm (shared memory + a pool of
// Emscripten pthread workers), chosen by `threads`: the threaded build where it can run (Node; browsers whose
// page is cross-origin isolated), the single-thread build elsewhere.
import type { AttnkitModuleOptions, AttnkitWasmModule } from './attnkit.mjs';
import { AttnkitError } from './errors.js';
import { heapU8, moduleError } from './heap.js';
import { checkOptions, optionKeys } from './options.js';

export interface InitOptions {
  /** The module bytes, for callers that fetched or bundled them themselves. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where to fetch the .wasm from (browsers); defaults to attnkit.wasm (or attnkit-threads.wasm) beside this file. */
  wasmUrl?: string | URL;
  /**
   * Threads the kernels use, counting the calling thread (1–16). Default: min(4, hardware threads) where
   * threads can run (Node; a browser page served with COOP `same-origin` + COEP `require-corp`, so
   * `crossOriginIsolated` is true), else 1. More than 1 where threads cannot run is an error. With
   * `wasmBinary` or `wasmUrl` the default is 1: pass `threads` when those are attnkit-threads.wasm.
   */
  threads?: number;
}

const INIT_KEYS = optionKeys<InitOptions>()('wasmBinary', 'wasmUrl', 'threads');
export const MAX_THREADS = 16;

/** What `init()` resolves to; the same object on every call. */
export interface Attnkit {
  /** Threads the kernels run on now (1 with the single-thread build). */
  readonly threads: number;
  /** Runs the kernels on fewer threads (or again on all): 1 up to the count init() started. */
  setThreads(threads: number): void;
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

/**
 * Whether the threaded build can run here: shared WebAssembly memory, and in browsers cross-origin isolation.
 * Also the SharedArrayBuffer global, which Emscripten's pthread runtime uses (WebKitGTK 2.50 shares
 * WebAssembly memory on an isolated page but defines no such global).
 */
export function threadsAvailable(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  if (!isNode() && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

async function hardwareThreads(): Promise<number> {
  const navigatorCount = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (typeof navigatorCount === 'number' && navigatorCount > 0) return navigatorCount;
  if (!isNode()) return 1;
  const osModule = 'node:os';
  const os = (await import(/* @vite-ignore */ osModule)) as { availableParallelism?(): number; cpus(): unknown[] };
  return os.availableParallelism?.() ?? os.cpus().length;
}

function checkThreads(threads: unknown): void {
  if (threads !== undefined && (!Number.isInteger(threads) || (threads as number) < 1 || (threads as number) > MAX_THREADS)) {
    throw new AttnkitError(`init: threads must be an integer from 1 to ${MAX_THREADS}, got ${String(threads)}`, 'invalid-argument');
  }
}

async function chooseThreads(options: InitOptions): Promise<number> {
  const { threads } = options;
  if (threads !== undefined) {
    if (threads > 1 && !threadsAvailable()) {
      throw new AttnkitError(`init: threads: ${threads} needs SharedArrayBuffer; in a browser the page must be ` +
        'cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and ' +
        'Cross-Origin-Embedder-Policy: require-corp), or pass threads: 1', 'unsupported');
    }
    return threads;
  }
  if (options.wasmBinary || options.wasmUrl || !threadsAvailable()) return 1;
  return Math.max(1, Math.min(4, await hardwareThreads()));
}

async function instantiate(options: InitOptions, threads: number): Promise<AttnkitWasmModule> {
  if (typeof WebAssembly !== 'object') throw new AttnkitError('attnkit: this environment has no WebAssembly', 'unsupported');
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new AttnkitError('attnkit: this browser does not support WebAssembly SIMD (needed since Chrome 91, ' +
      'Firefox 89, Safari 16.4); please update it', 'unsupported');
  }
  const threaded = threads > 1;
  const fileName = threaded ? 'attnkit-threads.wasm' : 'attnkit.wasm';
  const defaultUrl = new URL(`./${fileName}`, import.meta.url);
  const create: Factory = threaded ? createThreadedModule(threads - 1) : (await import('./attnkit.mjs')).default;
  if (options.wasmBinary) return create({ wasmBinary: options.wasmBinary });
  if (isNode() && !options.wasmUrl && defaultUrl.protocol === 'file:') {
    return create({ wasmBinary: await readPackagedWasmInNode(defaultUrl) });
  }
  const url = options.wasmUrl ?? defaultUrl;
  return create({
    instantiateWasm(imports, receive) {
      instantiateFromUrl(url, imports, fileName).then(
        // The module goes along: the threaded build sends it to its workers.
        ({ instance, module }) => receive(instance, module),
        (error) => rejectLoad?.(error),
      );
      return {};
    },
  });
}

type Factory = (options: AttnkitModuleOptions) => Promise<AttnkitWasmModule>;

// The threaded module starts `workers` Emscripten pthread workers with itself. In Node its generated code
// is CommonJS-flavoured (require, __dirname) although the file is ESM: those two globals are lent for the
// synchronous part of the factory call only, and the workers load attnkit-threads.worker.cjs (a copy of the
// .worker.js that Node reads as CommonJS in this "type": "module" package). Node's workers are unref'd, so
// an idle pool never keeps a process from exiting.
function createThreadedModule(workers: number): Factory {
  return async (options) => {
    const create = (await import('./attnkit-threads.mjs')).default;
    const settings: AttnkitModuleOptions = { ...options, attnkitWorkers: workers };
    if (!isNode()) return create(settings);
    const moduleModule = 'node:module';
    const urlModule = 'node:url';
    const { createRequire } = (await import(/* @vite-ignore */ moduleModule)) as { createRequire(url: string): unknown };
    const { fileURLToPath } = (await import(/* @vite-ignore */ urlModule)) as { fileURLToPath(url: URL): string };
    const lent = globalThis as { require?: unknown; __dirname?: unknown };
    const saved = { require: lent.require, dirname: lent.__dirname };
    lent.require = createRequire(import.meta.url);
    lent.__dirname = fileURLToPath(new URL('.', import.meta.url));
    settings.locateFile = (path) => fileURLToPath(new URL(path.replace(/\.worker\.js$/, '.worker.cjs'), import.meta.url));
    let loaded: Promise<AttnkitWasmModule>;
    try {
      loaded = create(settings);
    } finally {
      if (saved.require === undefined) delete lent.require; else lent.require = saved.require;
      if (saved.dirname === undefined) delete lent.__dirname; else lent.__dirname = saved.dirname;
    }
    const mod = await loaded;
    for (const worker of [...(mod.PThread?.unusedWorkers ?? []), ...(mod.PThread?.runningWorkers ?? [])]) worker.unref?.();
    return mod;
  };
}

// Emscripten's instantiateWasm hook has no rejection path of its own, so a failed fetch is routed here.
let rejectLoad: ((error: unknown) => void) | undefined;

async function instantiateFromUrl(url: string | URL, imports: WebAssembly.Imports, fileName: string):
Promise<WebAssembly.WebAssemblyInstantiatedSource> {
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
      return await WebAssembly.instantiateStreaming(response, imports);
    }
    return await WebAssembly.instantiate(await response.arrayBuffer(), imports);
  } catch (error) {
    if (!(error instanceof WebAssembly.CompileError || error instanceof WebAssembly.LinkError)) throw error;
    throw new AttnkitError(`attnkit: ${String(url)} is not this version's ${fileName} (${error.message})`, 'corrupt-file');
  }
}

/**
 * Loads the WebAssembly module (once; later calls return the same instance, whatever their options: use
 * setThreads() on it to change the thread count).
 */
export function init(options: InitOptions = {}): Promise<Attnkit> {
  try {
    checkOptions('init', options, INIT_KEYS);
    checkThreads(options.threads);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!loading) {
    loading = new Promise<AttnkitWasmModule>((resolve, reject) => {
      rejectLoad = reject;
      chooseThreads(options).then(async (threads) => {
        const loaded = await instantiate(options, threads);
        if (loaded.setThreads(threads) !== 0) throw new AttnkitError(`init: ${loaded.lastError()}`, 'unsupported');
        return loaded;
      }).then(resolve, reject);
    }).then((loaded) => {
      wasmModule = loaded;
      const started = loaded.threadCount();
      return {
        get threads() { return loaded.threadCount(); },
        setThreads(threads: number) {
          if (!Number.isInteger(threads) || threads < 1 || threads > started) {
            throw new AttnkitError(`setThreads: threads must be an integer from 1 to ${started} (the threads init() ` +
              `started), got ${String(threads)}`, 'invalid-argument');
          }
          if (loaded.setThreads(threads) !== 0) throw moduleError(loaded);
        },
        memoryBytes: () => heapU8(loaded).byteLength,
        heapBytesInUse: () => loaded.heapBytesInUse(),
      };
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
