// Types of the Emscripten-generated module (dist/attnkit.mjs): the Embind functions of wasm/bindings.cpp.
export interface AttnkitWasmModule {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(address: number): void;
  lastError(): string;
  gemm(a: number, aCount: number, b: number, bCount: number, c: number, cCount: number,
       m: number, n: number, k: number, bTransposed: boolean): number;
  softmax(input: number, output: number, count: number, rows: number, cols: number): number;
  layerNorm(input: number, gamma: number, beta: number, output: number, count: number, gammaCount: number,
            betaCount: number, rows: number, cols: number, eps: number): number;
}

export interface AttnkitModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  instantiateWasm?: (
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void,
  ) => object | false;
}

declare function createAttnkitModule(options?: AttnkitModuleOptions): Promise<AttnkitWasmModule>;
export default createAttnkitModule;
