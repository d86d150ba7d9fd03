#!/usr/bin/env bash
# Builds dist/ (the WASM module + the compiled TypeScript API): `build.sh` or `build.sh wasm`;
# the native library, tests and benchmarks: `build.sh native`; both: `build.sh all`;
# the native tests under ASan + UBSan: `build.sh asan`; the libFuzzer targets (clang, ASan + UBSan):
# `build.sh fuzz`. Incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's emcc runs its JS optimiser with Node and needs acorn from Debian's node modules.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"

build_wasm() {
  [ -f build/wasm/build.ninja ] || emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/wasm
  npx tsc -p wasm/tsconfig.json
  cp wasm/ts/attnkit.d.mts wasm/ts/attnkit-threads.d.mts dist/
  # Node reads .js files in this "type": "module" package as ESM; Emscripten's pthread worker is CommonJS.
  cp dist/attnkit-threads.worker.js dist/attnkit-threads.worker.cjs
  # The bundled default models ship inside the package: dist/models/NAME/{config.json,model.safetensors,vocab.txt}
  # (BioHash: config.json and model.safetensors)
  # and, for KBQA, the knowledge base as its prebuilt index kb.attnkit (KBQA.load opens it by default; the
  # KB text stays in web/models).
  for model in web/models/*/; do
    [ -f "$model/model.safetensors" ] || continue
    out="dist/models/$(basename "$model")/"
    mkdir -p "$out"
    cp -p "$model"config.json "$model"model.safetensors "$out"
    [ ! -f "$model"vocab.txt ] || cp -p "$model"vocab.txt "$out"  # a BioHash directory has no vocabulary
    # Rebuilt when the KB, the vocabulary or the WASM module (the index format) changed.
    if [ -f "$model"kb.txt ] && { [ ! -f "$out"kb.attnkit ] || [ -n "$(find "$model"kb.txt "$model"vocab.txt dist/attnkit.wasm -newer "$out"kb.attnkit)" ]; }; then
      node scripts/attnkit-cli.mjs build-kb --kb "$model"kb.txt --model "$model" --output "$out"kb.attnkit
    fi
    rm -f "$out"kb.txt  # shipped by earlier builds
  done
}

build_native() {
  [ -f build/native/build.ninja ] || cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native
}

build_sanitized() {
  [ -f build/asan/build.ninja ] || cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DATTNKIT_SANITIZE=ON >/dev/null
  cmake --build build/asan
}

build_fuzz() {
  [ -f build/fuzz/build.ninja ] || CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DATTNKIT_FUZZ=ON >/dev/null
  cmake --build build/fuzz
}

case "${1:-wasm}" in
  wasm) build_wasm ;;
  native) build_native ;;
  fuzz) build_fuzz ;;
  asan) build_sanitized ;;
  all) build_native; build_wasm ;;
  *) echo "usage: build.sh [wasm|native|asan|fuzz|all]" >&2; exit 2 ;;
esac
