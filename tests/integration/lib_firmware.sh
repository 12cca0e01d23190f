# shellcheck shell=bash
# Helpers for the firmware-update tests (sourced after lib.sh and
# lib_lwm2m.sh): packages made by tern-fwpack, a file server (tern-server
# --files), and values read from a bulb while something runs.
#
#   make_package FILE NAME VERSION SIZE   tern-fwpack with a random image
#   corrupt FILE OFFSET                   flips the bits of the byte at OFFSET
#   start_files NAME DIR [PORT] [ARGS...] tern-server --files DIR with no
#                                         commands (on PORT, or a free one:
#                                         PORT[NAME]); events in NAME.log
#   srv_once NAME COMMAND                 srv (lib_lwm2m.sh), also in $(...)
#   value_of SRV EP PATH                  reads PATH once: its value ("1.1.0",
#                                         2), "" when the read failed
#   wait_value SRV EP PATH VALUE [SECS]   until PATH reads VALUE
#   last_event LOG PATTERN                the last line of LOG containing the
#                                         fixed string PATTERN
#   field EVENT NAME                      a number or string field of an event

FWPACK_BIN=$1/tools/tern-fwpack/tern-fwpack
[ -x "$FWPACK_BIN" ] || fail "no tern-fwpack in $1 (build first)"

make_package() {
    "$FWPACK_BIN" --name "$2" --version "$3" --size "$4" -o "$1" >/dev/null ||
        fail "tern-fwpack could not make $1"
}

corrupt() {
    local byte
    byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf '%b' "\\$(printf '%03o' $((byte ^ 255)))" |
        dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

start_files() {
    local name=$1 dir=$2 port=${3:-0}
    shift 2
    [ $# -gt 0 ] && shift
    # a script that only sleeps keeps it serving until it is killed
    echo "sleep 3600s" >"$WORK/$name.script"
    start_bg "$name" "$SERVER_BIN" --json --port "$port" --files "$dir" \
        --script "$WORK/$name.script" "$@" </dev/null
    PID[$name]=${PIDS[-1]}
    wait_for_line "$WORK/$name.log" '"event":"listening"'
    PORT[$name]=$(sed -n 's/^{"event":"listening".*"port":\([0-9]*\)}$/\1/p' "$WORK/$name.log" | tail -1)
}

field() {
    sed -nE "s/.*\"$2\":(\"([^\"]*)\"|([^,}]*)).*/\\2\\3/p" <<<"$1"
}

last_event() {
    grep -F "$2" "$1" | tail -1
}

# srv_once NAME COMMAND: srv from lib_lwm2m.sh, with a marker of its own so
# that it also works in a subshell ($(...)), whose SRV_SEQ does not count
srv_once() {
    local log=$WORK/$1.log errors mark
    mark="@once-$BASHPID-$(now_us)"
    errors=$(count "$log" '^\{"event":"error"')
    printf '%s\necho %s\n' "$2" "$mark" >&"${FD[$1]}"
    wait_for_line "$log" "^\\{\"event\":\"echo\",\"text\":\"$mark\"\\}" 60
    if [ "$(count "$log" '^\{"event":"error"')" -gt "$errors" ]; then
        fail "tern-server: $(grep -E '^\{"event":"error"' "$log" | tail -1)"
    fi
}

value_of() {
    local ev
    srv_once "$1" "read $2 $3 expect 2.xx"
    ev=$(response "$WORK/$1.log" read "$2" "$3")
    grep -oE "\"$3\":\\{[^}]*\\}" <<<"$ev" | sed -E 's/.*"value":("([^"]*)"|([^,}]*)).*/\2\3/'
}

wait_value() {
    local v deadline=$((SECONDS + ${5:-20}))
    while :; do
        v=$(value_of "$1" "$2" "$3")
        [ "$v" = "$4" ] && return 0
        [ $SECONDS -lt $deadline ] ||
            fail "timed out after ${5:-20}s waiting for $3 of $2 to be $4 (it is '$v')"
        sleep 0.2
    done
}

# kill_wait NAME: SIGKILL, then reap it (without bash's "Killed" notice)
kill_wait() {
    {
        kill -KILL "${PID[$1]}"
        wait "${PID[$1]}"
    } 2>/dev/null || true
}
