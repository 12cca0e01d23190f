#!/usr/bin/env bash
# Firmware transfer throughput (issue 7) on loopback: a 200 KB package
# (tern-fwpack) pushed by tern-server (push-firmware, Block1) to
# tern-lightbulb --firmware-dir, and pulled by the bulb (Block2) from a
# tern-server --files, per block size. The bulb takes and asks for at most
# 256-byte blocks (TERN_COAP_BLOCK_SIZE, 512-byte buffer): a push in
# larger blocks is refused with 4.13 naming 256 and goes on in 256; a file
# server that would serve larger blocks gets asked for 256. One block per
# round trip (stop and wait), every block stored in a file by the POSIX
# port; the push's time ends with the digest check of the last block.
# KB/s = 1024 bytes per second; the median of BENCH_FW_RUNS runs (default
# 5). Prints figures; never fails on timing (or at all).
# Usage: bench_firmware.sh BUILD_DIR
build=${1:-build}
server=$build/tools/tern-server/tern-server
bulb=$build/examples/lightbulb/tern-lightbulb
fwpack=$build/tools/tern-fwpack/tern-fwpack
runs=${BENCH_FW_RUNS:-5}
sizes=(16 32 64 128 256 512 1024)
if [ ! -x "$server" ] || [ ! -x "$bulb" ] || [ ! -x "$fwpack" ]; then
    echo "bench_firmware: skipped (needs $server, $bulb and $fwpack)"
    exit 0
fi
work=$(mktemp -d /tmp/tern-bench-fw.XXXXXX)
pids=()
cleanup() {
    exec 2>/dev/null # no "Killed" notices
    kill -KILL "${pids[@]}" # a bulb would wait to de-register
    wait
    rm -rf "$work"
}
trap cleanup EXIT

skip() {
    echo "bench_firmware: skipped ($*)"
    exit 0
}

# port_of LOG: the port of a tern-server's listening event (waits for it)
port_of() {
    local p
    for _ in $(seq 100); do
        p=$(sed -n 's/^{"event":"listening".*"port":\([0-9]*\)}$/\1/p' "$1")
        [ -n "$p" ] && echo "$p" && return 0
        sleep 0.05
    done
    return 1
}

mkdir -p "$work/files"
"$fwpack" --name bulb --version 2.0.0 --size 200K -o "$work/files/fw.pkg" >/dev/null || skip "tern-fwpack failed"
pkg_size=$(stat -c %s "$work/files/fw.pkg")

# the LwM2M server, commands through a FIFO held open on fd 7
mkfifo "$work/srv.in"
exec 7<>"$work/srv.in"
"$server" --json --port 0 --timeout 30s <"$work/srv.in" >"$work/srv.log" 2>&1 &
pids+=($!)
sport=$(port_of "$work/srv.log") || skip "tern-server did not start"
# one file server per block size
declare -A fport=()
echo "sleep 3600s" >"$work/serve.script"
for bs in "${sizes[@]}"; do
    "$server" --json --port 0 --files "$work/files" --block-size "$bs" --script "$work/serve.script" \
        </dev/null >"$work/files-$bs.log" 2>&1 &
    pids+=($!)
done
for bs in "${sizes[@]}"; do
    fport[$bs]=$(port_of "$work/files-$bs.log") || skip "the file server did not start"
done
"$bulb" --server "coap://127.0.0.1:$sport" --endpoint bench --lifetime 300 \
    --firmware-dir "$work/fw" </dev/null >"$work/bulb.log" 2>&1 &
pids+=($!)

seq_no=0
# run CMD: one tern-server command, waiting until it is done
run() {
    seq_no=$((seq_no + 1))
    printf '%s\necho @bench %d\n' "$1" "$seq_no" >&7
    for _ in $(seq 1200); do
        grep -qF "{\"event\":\"echo\",\"text\":\"@bench $seq_no\"}" "$work/srv.log" && return 0
        sleep 0.05
    done
    return 1
}
# field EVENT NAME
field() {
    sed -nE "s/.*\"$2\":(\"([^\"]*)\"|([^,}]*)).*/\\2\\3/p" <<<"$1"
}
# median of the arguments
median() {
    printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"
}
# kbps BYTES MS
kbps() {
    awk -v b="$1" -v ms="$2" 'BEGIN { if (ms > 0) printf "%.0f", b / 1024 / (ms / 1000); else print "-" }'
}

run "wait-registered bench 10s" || skip "the bulb did not register"
grep -qF '"event":"registered"' "$work/srv.log" || skip "the bulb did not register"

# pull_once BS: ms and blocks of one pull from the file server capped at BS
pull_once() {
    local log=$work/files-$1.log n ev
    n=$(grep -c '"event":"file-served"' "$log")
    run "write bench /5/0/1 \"coap://127.0.0.1:${fport[$1]}/fw.pkg\"" || return 1
    for _ in $(seq 1200); do
        [ "$(grep -c '"event":"file-served"' "$log")" -gt "$n" ] && break
        sleep 0.05
    done
    ev=$(grep -F '"event":"file-served"' "$log" | tail -1)
    [ -n "$ev" ] || return 1
    echo "$(field "$ev" ms) $(field "$ev" blocks) $(field "$ev" block_size)"
}

echo "bench_firmware: a $pkg_size-byte package over loopback, median of $runs runs;" \
    "tern-server (libcoap) and tern-lightbulb (Tern, 256-byte blocks)"
printf '%-8s | %-26s | %-26s\n' "" "push (Block1, PUT)" "pull (Block2, GET)"
printf '%-8s | %8s %7s %9s | %8s %7s %9s\n' "server" "block" "blocks" "KB/s" "block" "blocks" "KB/s"
for bs in "${sizes[@]}"; do
    push_ms=() pull_ms=()
    push_used=- push_blocks=- pull_used=- pull_blocks=-
    for _ in $(seq "$runs"); do
        if run "push-firmware bench $work/files/fw.pkg $bs"; then
            ev=$(grep -F '"op":"push-firmware"' "$work/srv.log" | tail -1)
            if [ "$(field "$ev" code)" = "2.04" ]; then
                push_ms+=("$(field "$ev" ms)")
                push_used=$(field "$ev" block_size)
                push_blocks=$(field "$ev" blocks)
                [ "$(field "$ev" first_block_size)" != "$push_used" ] && push_used="$push_used*"
            fi
        fi
        if r=$(pull_once "$bs"); then
            read -r ms blocks used <<<"$r"
            pull_ms+=("$ms")
            pull_blocks=$blocks
            pull_used=$used
        fi
    done
    push_kbps=- pull_kbps=-
    [ ${#push_ms[@]} -gt 0 ] && push_kbps=$(kbps "$pkg_size" "$(median "${push_ms[@]}")")
    [ ${#pull_ms[@]} -gt 0 ] && pull_kbps=$(kbps "$pkg_size" "$(median "${pull_ms[@]}")")
    printf '%-8s | %8s %7s %9s | %8s %7s %9s\n' "$bs" "$push_used" "$push_blocks" "$push_kbps" \
        "$pull_used" "$pull_blocks" "$pull_kbps"
done
echo "server: the block size tern-server starts a push with, and the largest its --files serves;"
echo "block: the size used (* after a 4.13 from the bulb: one refused block more); blocks: requests"
exit 0
