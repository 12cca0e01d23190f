#!/usr/bin/env bash
# Fails when a C file in the repository differs from what .clang-format says.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h')
if ! clang-format --dry-run -Werror $files; then
    echo "format-check: run 'make format' to fix the files above" >&2
    exit 1
fi
echo "format-check: ok"
