#!/usr/bin/env bash
# `npm start`: set-up and build if needed, then serve the demo page on http://localhost:5173.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh wasm
echo "attnkit demo: http://localhost:5173/"
exec npx vite --config web/vite.config.mjs --port 5173 --strictPort
