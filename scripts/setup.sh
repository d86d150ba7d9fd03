#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine: system packages, then npm dependencies.
# Called by `npm test` and `npm start`; does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# `setup.sh --training` adds what the PyTorch training/export scripts need (also used by npm run bench).
TRAINING_PACKAGES=(python3-torch libopenblas0-pthread python3-numpy)
APT_PACKAGES=(emscripten libxsimd-dev wabt cmake ninja-build g++ clang libgtest-dev libbenchmark-dev nlohmann-json3-dev
              libclang-rt-14-dev
              chromium fonts-noto-cjk  # CJK fonts: readable Chinese in the e2e screenshots
              # The e2e suite's other engines: Firefox ESR (driven over WebDriver BiDi) and WebKitGTK's MiniBrowser
              # with its WebDriver, which needs an X display (Xvfb).
              firefox-esr webkit2gtk-driver libwebkit2gtk-4.1-0 xvfb
              # Words for the synthetic KBs (scripts/synthetic-kb.mjs) of the lazy-KB e2e test and the bench.
              python3-jieba)
[ "${1:-}" = "--training" ] && APT_PACKAGES+=("${TRAINING_PACKAGES[@]}")
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm dependencies from the committed lockfile; skipped when node_modules matches it.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.setup-lock-stamp; then
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.setup-lock-stamp
fi
