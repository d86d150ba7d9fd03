#!/usr/bin/env bash
# `npm test`: set-up if needed, build everything, then ctest (native, and again under ASan + UBSan), Vitest
# (WASM in Node and Chromium), and a bounded libFuzzer run of every fuzz target (FUZZ_SECONDS each, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh all
ctest --test-dir build/native --output-on-failure
bash scripts/build.sh asan
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --test-dir build/asan --output-on-failure
npx vitest run --config tests/vitest.config.mjs
bash scripts/fuzz.sh
