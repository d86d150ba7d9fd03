// onnxruntime-web in this process, single-threaded WASM backend, for side-by-side timings.
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export async function ortSession(modelBytes) {
  return ort.InferenceSession.create(modelBytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}

export function ortTensor(data, dims) {
  return new ort.Tensor('float32', data, dims);
}

export { ort };
