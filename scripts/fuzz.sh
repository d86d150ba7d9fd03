#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time (FUZZ_SECONDS, default 20) from its committed seed corpus
# (tests/fuzz/corpus/<name>); new inputs go to a temporary directory, so the repository stays unchanged.
# A crash fails the run and leaves its input in build/fuzz/crashes/ (add it to the corpus once fixed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh fuzz >/dev/null
mkdir -p build/fuzz/crashes
for target in build/fuzz/*_fuzz; do
  name=$(basename "$target" _fuzz)
  name=${name%_deserialize}  # trie_deserialize_fuzz reads tests/fuzz/corpus/trie
  work=$(mktemp -d)
  echo "fuzz: $(basename "$target") for ${FUZZ_SECONDS:-20}s"
  # The fuzzer's own status decides (`|| true` after a pipe would reset PIPESTATUS and hide a crash).
  status=0
  "$target" -max_total_time="${FUZZ_SECONDS:-20}" -print_final_stats=1 -artifact_prefix=build/fuzz/crashes/ \
    "$work" "tests/fuzz/corpus/$name" >"$work.log" 2>&1 || status=$?
  grep -E "stat::number_of_executed_units|ERROR|SUMMARY" "$work.log" || true
  rm -f "$work.log"
  rm -rf "$work"
  [ "$status" -eq 0 ] || { echo "fuzz: $(basename "$target") failed (status $status)"; exit 1; }
done
