#!/usr/bin/env bash
# The main job (make demo): builds Tern, starts tern-server (an LwM2M server
# on libcoap) and tern-lightbulb (Tern's LwM2M client, the paper's light
# bulb) on loopback, and plays the paper's scenario as a transcript:
#   1. the bulb registers
#   2. the server reads its state
#   3. the server switches it on
#   4. the server observes the switch
#   5. the wall switch on the device turns it off: a notification arrives
#   6. the bulb de-registers
# Exits 0 when every step happened; otherwise names the step that failed,
# shows the end of both logs and exits 1. Both processes are stopped on
# every way out.
#
# Usage: scripts/demo.sh [--build-dir DIR] [--no-build]
# Environment: TERN_DEMO_TIMEOUT (seconds each step may take, default 20),
# TERN_DEMO_BULB (another client binary, for testing the failure path).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
build=1
while [ $# -gt 0 ]; do
    case $1 in
    --build-dir) build_dir=${2:?--build-dir needs a directory}; shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tern-demo.XXXXXX")
server_pid=""
bulb_pid=""
step_no=0
step_name="starting"

# ---- stopping everything, on every way out ----
stop() {
    local pid alive
    # the bulb first: SIGTERM lets it de-register
    for pid in $bulb_pid $server_pid; do
        kill "$pid" 2>/dev/null || true
    done
    for _ in $(seq 30); do
        alive=0
        for pid in $bulb_pid $server_pid; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ $alive -eq 1 ] || break
        sleep 0.1
    done
    for pid in $bulb_pid $server_pid; do
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
on_exit() {
    local status=$?
    stop
    rm -rf "$WORK"
    exit $status
}
trap on_exit EXIT
trap 'echo; echo "demo: interrupted during step $step_no ($step_name)" >&2; exit 130' INT TERM

# ---- the transcript ----
c_head="" c_srv="" c_bulb="" c_dev="" c_off=""
if [ -t 1 ]; then
    c_head=$'\e[1m' c_srv=$'\e[36m' c_bulb=$'\e[33m' c_dev=$'\e[35m' c_off=$'\e[0m'
fi
declare -A shown=([server]=0 [bulb]=0)

# show WHO: prints the lines WHO (server or bulb) wrote since the last call
show() {
    local who=$1 file=$WORK/$1.out colour=$c_srv n
    [ "$who" = bulb ] && colour=$c_bulb
    n=$(wc -l <"$file")
    [ "$n" -gt "${shown[$who]}" ] || return 0
    sed -n "$((shown[$who] + 1)),${n}p" "$file" | grep -v '^@done ' |
        while IFS= read -r line; do
            printf '  %s%-6s |%s %s\n' "$colour" "$who" "$c_off" "$line"
        done
    shown[$who]=$n
}

heading() {
    step_no=$1
    step_name=$2
    printf '\n%s== %s. %s ==%s\n' "$c_head" "$1" "$2" "$c_off"
}

failed() {
    show bulb
    show server
    {
        echo
        echo "demo: FAILED at step $step_no ($step_name): $*"
        for f in server.out bulb.out bulb.err; do
            [ -s "$WORK/$f" ] || continue
            echo "---- $f (last 15 lines) ----"
            grep -v '^@done ' "$WORK/$f" | tail -n 15
        done
    } >&2
    exit 1
}

# await WHAT FILE PATTERN [SECONDS]: until FILE has a line matching PATTERN
await() {
    local what=$1 file=$2 pattern=$3 secs=${4:-$TIMEOUT}
    local deadline=$((SECONDS + secs))
    until grep -qE "$pattern" "$file"; do
        [ $SECONDS -lt $deadline ] || failed "$what did not happen within ${secs}s"
        kill -0 "$server_pid" 2>/dev/null || failed "tern-server exited"
        if [ -n "$bulb_pid" ] && [ "$what" != "the bulb stopping" ] && ! kill -0 "$bulb_pid" 2>/dev/null; then
            local status=0
            wait "$bulb_pid" || status=$?
            bulb_pid=""
            failed "tern-lightbulb exited with status $status"
        fi
        sleep 0.05
    done
}

seq_no=0
# ask COMMAND: gives tern-server one command (a request with expectations
# on its answer, or a wait) and waits until it is done; fails the step when
# tern-server says it failed
ask() {
    seq_no=$((seq_no + 1))
    case $1 in
    wait-*) ;; # waiting sends nothing: only what arrives is shown
    *) printf '  %s%-6s >%s %s\n' "$c_srv" server "$c_off" "$1" ;;
    esac
    printf '%s\necho @done %d\n' "$1" "$seq_no" >&7
    await "'$1'" "$WORK/server.out" "^@done $seq_no\$"
    show server
    if grep -q '^error: ' "$WORK/server.out"; then
        failed "$(grep '^error: ' "$WORK/server.out" | tail -1 | sed 's/^error: line [0-9]*: //')"
    fi
}

# device COMMAND: types COMMAND on the bulb's console (its standard input)
device() {
    printf '  %s%-6s <%s %s   %s(typed on the bulb'"'"'s console)%s\n' "$c_dev" device "$c_off" "$1" "$c_dev" "$c_off"
    printf '%s\n' "$1" >&8
}

# ---- build, start ----
if [ $build -eq 1 ]; then
    echo "demo: building Tern in $build_dir (scripts/build.sh) ..."
    scripts/build.sh "$build_dir" >"$WORK/build.log" 2>&1 || {
        tail -n 30 "$WORK/build.log" >&2
        echo "demo: FAILED: the build failed (the end of its log is above)" >&2
        exit 1
    }
fi
SERVER=$build_dir/tools/tern-server/tern-server
BULB=${TERN_DEMO_BULB:-$build_dir/examples/lightbulb/tern-lightbulb}
TIMEOUT=${TERN_DEMO_TIMEOUT:-20}
EP=bulb1
for bin in "$SERVER" "$BULB"; do
    [ -x "$bin" ] || { echo "demo: FAILED: $bin is missing (build first)" >&2; exit 1; }
done

printf '%sTern demo: the paper'"'"'s LwM2M light bulb, two processes on loopback%s\n' "$c_head" "$c_off"
mkfifo "$WORK/server.in" "$WORK/bulb.in"
exec 7<>"$WORK/server.in" 8<>"$WORK/bulb.in"
"$SERVER" --address 127.0.0.1 --port 0 <"$WORK/server.in" >"$WORK/server.out" 2>&1 &
server_pid=$!
await "tern-server starting" "$WORK/server.out" '^listening on coap://' 30
port=$(sed -n 's|^listening on coap://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$WORK/server.out")
[ -n "$port" ] || failed "tern-server did not say its port"
shown[server]=1
echo "  tern-server, an LwM2M server on libcoap, listens on coap://127.0.0.1:$port"
echo "  tern-lightbulb, Tern's LwM2M client, starts as '$EP' and registers with it"
echo "  (server > a request the server sends, server | what it prints,"
echo "   bulb | what the bulb prints, device < a command on the bulb's console)"

heading 1 "The bulb registers"
"$BULB" --server "coap://127.0.0.1:$port" --endpoint "$EP" --lifetime 60 \
    <"$WORK/bulb.in" >"$WORK/bulb.out" 2>"$WORK/bulb.err" &
bulb_pid=$!
await "the bulb's registration" "$WORK/server.out" "^registered $EP "
await "the bulb's registration" "$WORK/bulb.out" '^lwm2m: registered$'
show bulb
ask "wait-registered $EP"
grep -q "objects .*</3311/0>" "$WORK/server.out" || failed "the object list has no light control (/3311/0)"
grep "^  objects " "$WORK/server.out" | grep -qE '</0(/[0-9]+)?>' && failed "the object list shows the Security object (/0)"

heading 2 "The server reads the bulb's state"
ask "read $EP /3/0/0 expect-value Tern"
ask "read $EP /3311/0 expect-value /3311/0/5850=false"

heading 3 "The server switches the bulb on"
ask "write $EP /3311/0/5850 true"
await "the bulb switching on" "$WORK/bulb.out" '^bulb: ON.*\(set by the server\)'
show bulb
ask "read $EP /3311/0/5850 expect-value true"

heading 4 "The server observes the switch"
ask "observe $EP /3311/0/5850 expect-value true"

heading 5 "The wall switch turns the bulb off: the server is notified"
device off
await "the bulb switching off" "$WORK/bulb.out" '^bulb: OFF.*\(local switch\)'
show bulb
ask "wait-notify $EP /3311/0/5850 false 10s"

heading 6 "The bulb de-registers"
device quit
await "the bulb stopping" "$WORK/bulb.out" '^bulb: stopped'
bulb_status=0
wait "$bulb_pid" || bulb_status=$?
bulb_pid=""
show bulb
[ $bulb_status -eq 0 ] || failed "tern-lightbulb exited with status $bulb_status"
ask "wait-deregistered $EP"
grep -q "^deregistered $EP " "$WORK/server.out" || failed "the server saw no De-register"

printf '\n%sdemo: every step happened: registered, read, switched on, observed, notified, de-registered%s\n' \
    "$c_head" "$c_off"
