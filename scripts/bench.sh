#!/usr/bin/env bash
# Runs every benchmark and prints its figures. Benchmarks never fail on timing.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
for b in "$dir"/tests/bench/bench_*; do
    [ -x "$b" ] && [ -f "$b" ] && "$b"
done
for s in tests/bench/*.sh; do
    [ -x "$s" ] && "$s" "$dir"
done
exit 0
