// Vite serves and builds the demo; `attnkit` resolves to the freshly built dist/ (as the npm package would).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// The demo is served under a strict Content-Security-Policy: no eval, only WebAssembly compilation
// ('wasm-unsafe-eval'); inline style attributes are allowed (entity highlighting sets colours).
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

// Cross-origin isolation (COOP + COEP), so SharedArrayBuffer exists and attnkit loads its threaded build.
export const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { attnkit: `${repoRoot}dist/index.js` } },
  server: { fs: { allow: [repoRoot] }, headers: { 'Content-Security-Policy': CSP, ...ISOLATION } },
  preview: { headers: { 'Content-Security-Policy': CSP, ...ISOLATION } },
  // The loader finds attnkit.wasm beside itself via import.meta.url: keep it out of pre-bundling.
  optimizeDeps: { exclude: ['attnkit'] },
  build: { outDir: `${repoRoot}dist/web`, emptyOutDir: true, target: 'es2022' },
});
