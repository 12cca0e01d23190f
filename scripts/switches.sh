#!/usr/bin/env bash
# Compiles src/ with -Wall -Wextra -Werror for combinations of the feature
# switches (include/tern/config.h): all on, all off, each one off and each
# one alone on, so that a switch left out of an #if fails here, not in a
# user's build.
set -euo pipefail
cd "$(dirname "$0")/.."
switches=(BLOCK BOOTSTRAP ACL PERSISTENCE OBSERVE TLV DOUBLE LOG)
combos=("${#switches[@]}:1" "${#switches[@]}:0")
for i in "${!switches[@]}"; do combos+=("$i:0" "$i:1"); done

compile_combo() { # index:value; index n (all) sets every switch to value
    local which=${1%%:*} value=${1##*:} defs=() i
    for i in "${!switches[@]}"; do
        local v=$value
        [ "$which" = "${#switches[@]}" ] || { [ "$i" = "$which" ] && v=$value || v=$((1 - value)); }
        defs+=("-DTERN_WITH_${switches[$i]}=$v")
    done
    local f
    for f in $(find src -name '*.c' | sort); do
        if ! out=$(${CC:-gcc} -std=c99 -Wall -Wextra -Werror -Iinclude -Isrc "${defs[@]}" \
            -c "$f" -o /dev/null 2>&1); then
            printf 'switches: %s fails with %s\n%s\n' "$f" "${defs[*]}" "$out" >&2
            return 1
        fi
    done
}

status=0
for combo in "${combos[@]}"; do
    compile_combo "$combo" || status=1
done
[ $status = 0 ] && echo "switches: src/ builds in ${#combos[@]} combinations of ${#switches[@]} switches"
exit $status
