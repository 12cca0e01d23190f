#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time
# (TERN_FUZZ_SECONDS, default 30) from its seed corpus in tests/fuzz/corpus.
# A crash, a sanitizer report or a leak fails the run; the reproducer is
# kept in build-fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${TERN_FUZZ_SECONDS:-30}
dir=build-fuzz
CC=clang cmake -S . -B $dir -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTERN_BUILD_FUZZ=ON \
    -DTERN_BUILD_TESTS=OFF -DTERN_BUILD_TOOLS=OFF -DTERN_BUILD_EXAMPLES=OFF >/dev/null
cmake --build $dir -j "$(nproc)"
mkdir -p $dir/crashes

run_one() {
    local target=$1
    local name=${target#fuzz_}
    local seeds=tests/fuzz/corpus/${name%%_*}
    local work=$dir/corpus/$target
    mkdir -p "$work"
    [ -d "$seeds" ] && cp -n "$seeds"/* "$work"/ 2>/dev/null || true
    if "$dir/tests/fuzz/$target" -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$dir/crashes/$target-" "$work" >"$dir/$target.log" 2>&1; then
        echo "fuzz: $target: $(grep -E 'stat::number_of_executed_units' "$dir/$target.log" | awk '{print $2}') runs, no finding"
    else
        echo "fuzz: $target FAILED; log follows" >&2
        tail -n 60 "$dir/$target.log" >&2
        return 1
    fi
}

status=0
for bin in "$dir"/tests/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    run_one "$(basename "$bin")" || status=1
done
exit $status
