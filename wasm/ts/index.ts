// attnkit's public API.
export { init, type Attnkit, type InitOptions } from './loader.js';
export { AttnkitError } from './errors.js';
export { gemm, softmax, layerNorm, type GemmShape, type RowsShape, type LayerNormOptions } from './kernels.js';
