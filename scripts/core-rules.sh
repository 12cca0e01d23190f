#!/usr/bin/env bash
# Checks DESIGN.md's rules of the core on the built library:
#  - no mutable globals: libtern.a has no writable data (.data/.bss) symbols
#  - no heap: nothing in libtern.a references malloc/calloc/realloc/free
#  - no OS: src/ includes no POSIX or OS header
set -euo pipefail
cd "$(dirname "$0")/.."
lib=${1:-build}/libtern.a
fail=0

# objects in writable sections; .data.rel.ro holds const tables of
# pointers (relocated at load time, then read-only) and is fine
writable=$(objdump -t "$lib" 2>/dev/null | awk '$0 ~ /^[0-9a-f]+ / && ($4 ~ /^\.(data|bss)/ || $4 == "COMMON" || $3 ~ /^\.(data|bss)/) && $4 !~ /^\.data\.rel\.ro/ && $3 !~ /^\.data\.rel\.ro/ && $NF !~ /^\./ {print}')
if [ -n "$writable" ]; then
    echo "core-rules: mutable globals in libtern.a:" >&2
    echo "$writable" >&2
    fail=1
fi

heap=$(nm -A "$lib" 2>/dev/null | awk '$2 == "U" && $3 ~ /^(malloc|calloc|realloc|free)$/ {print}')
if [ -n "$heap" ]; then
    echo "core-rules: heap use in libtern.a:" >&2
    echo "$heap" >&2
    fail=1
fi

os=$(grep -rnE '#include <(unistd|sys/|pthread|poll|netinet|arpa/|fcntl|time|signal|stdio|stdlib)' src/ || true)
if [ -n "$os" ]; then
    echo "core-rules: OS or hosted headers in src/:" >&2
    echo "$os" >&2
    fail=1
fi

[ $fail -eq 0 ] && echo "core-rules: ok"
exit $fail
