# Shared helpers for the integration tests (sourced, not run).
# Every process a test starts is killed on exit, pass or fail.
set -euo pipefail

TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "/tmp/tern-${TEST_NAME}.XXXXXX")
PIDS=()

cleanup() {
    local status=$?
    # TERM first (clients de-register), KILL whatever is left after 3 s
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for _ in $(seq 30); do
        local alive=0
        for pid in "${PIDS[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ $alive -eq 0 ] && break
        sleep 0.1
    done
    for pid in "${PIDS[@]}"; do
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ $status -ne 0 ]; then
        echo "---- $TEST_NAME failed; logs in $WORK ----" >&2
        for f in "$WORK"/*.log; do
            [ -f "$f" ] || continue
            echo "---- $(basename "$f") (last 40 lines) ----" >&2
            tail -n 40 "$f" >&2
        done
    else
        rm -rf "$WORK"
    fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

pass() {
    echo "ok: $*"
}

# A UDP port that was free a moment ago, on loopback.
free_udp_port() {
    python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_bg NAME CMD...: runs CMD in the background, output in $WORK/NAME.log.
# Its standard input is the caller's (an explicit <&0: a plain background
# job would get /dev/null), so `start_bg x cmd <fifo` feeds cmd.
start_bg() {
    local name=$1
    shift
    "$@" <&0 >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
}

# wait_for_line FILE PATTERN [SECONDS]: waits until FILE has a line matching PATTERN
wait_for_line() {
    local file=$1 pattern=$2 secs=${3:-10}
    local deadline=$((SECONDS + secs))
    while [ $SECONDS -lt $deadline ]; do
        grep -qE "$pattern" "$file" 2>/dev/null && return 0
        sleep 0.05
    done
    fail "timed out after ${secs}s waiting for /$pattern/ in $(basename "$file")"
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
    pass "$1"
}
