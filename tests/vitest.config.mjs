// Vitest over the built package: tests/js (Node) and tests/e2e (headless Chromium).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['tests/js/**/*.test.mjs', 'tests/e2e/**/*.test.mjs'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
