#!/usr/bin/env bash
# The whole test suite, as CI runs it:
#   1. normal build: unit and integration tests
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build: the same tests
#   3. the core's rules: no mutable globals, no heap, no OS calls in src/;
#      src/ builds with the feature switches on, off and one by one
#   4. a bounded libFuzzer run of every parser (TERN_FUZZ_SECONDS each)
#   5. the Cortex-M3 builds of the footprint profiles
#   6. the formatting check
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==== %s ====\n' "$*"; }

step "build and test (normal)"
scripts/build.sh build
(cd build && ctest --output-on-failure -j 2)

step "build and test (ASan + UBSan)"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DTERN_SANITIZE=ON
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j 2)

step "core rules"
scripts/core-rules.sh build
scripts/switches.sh

step "fuzzing"
scripts/fuzz.sh

step "embedded builds"
scripts/footprint.sh --build-only

step "formatting"
scripts/format-check.sh

printf '\ncheck: all passed\n'
