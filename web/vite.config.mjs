// Vite serves and builds the demo; `attnkit` resolves to the freshly built dist/ (as the npm package would).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { attnkit: `${repoRoot}dist/index.js` } },
  server: { fs: { allow: [repoRoot] } },
  // The loader finds attnkit.wasm beside itself via import.meta.url: keep it out of pre-bundling.
  optimizeDeps: { exclude: ['attnkit'] },
  build: { outDir: `${repoRoot}dist/web`, emptyOutDir: true, target: 'es2022' },
});
