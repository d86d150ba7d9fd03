#!/usr/bin/env bash
# `npm test`: set-up if needed, build everything, then ctest (native), Vitest (WASM in Node and Chromium),
# and a bounded libFuzzer run of every fuzz target (FUZZ_SECONDS each, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh all
ctest --test-dir build/native --output-on-failure
npx vitest run --config tests/vitest.config.mjs
bash scripts/fuzz.sh
