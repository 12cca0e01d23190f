# shellcheck shell=bash
# Helpers for the LwM2M end-to-end tests (sourced after lib.sh): tern-server
# and tern-lightbulb as real processes on loopback, fed through FIFOs.
#
#   start_server NAME [ARGS...]   tern-server --json --port 0 ARGS; commands
#                                 from the FIFO $WORK/NAME.in (srv NAME CMD),
#                                 or from --script FILE when ARGS give one;
#                                 its port in PORT[NAME], its events in
#                                 $WORK/NAME.log
#   start_bulb NAME EP PORT [ARGS...]  tern-lightbulb registering as EP with
#                                 the server on 127.0.0.1:PORT (or PORT given
#                                 as [::1]:N); its output in $WORK/NAME.log
#   bulb NAME CMD [PATTERN]       a command on the bulb's console
#   srv NAME COMMAND              one tern-server command; waits until it is
#                                 done, fails the test if it failed
#   wait_marker NAME TEXT         until a --script reaches "echo TEXT"
#   wait_script NAME              the --script's exit status must be 0
#   notified, response, instances_of, lists_security: read the JSON events
# Every process is killed on exit by lib.sh's cleanup, pass or fail.

SERVER_BIN=${1:?usage: $0 BUILD_DIR}/tools/tern-server/tern-server
BULB_BIN=$1/examples/lightbulb/tern-lightbulb
[ -x "$SERVER_BIN" ] || fail "no tern-server in $1 (build first)"
[ -x "$BULB_BIN" ] || fail "no tern-lightbulb in $1 (build first)"

declare -A FD=() PID=() PORT=()

# open_fifo NAME: the FIFO $WORK/NAME.in, held open read-write on FD[NAME]:
# writing to it never blocks, and its reader never sees end-of-file.
open_fifo() {
    local fd
    mkfifo "$WORK/$1.in"
    exec {fd}<>"$WORK/$1.in"
    FD[$1]=$fd
}

start_server() {
    local name=$1
    shift
    open_fifo "$name"
    start_bg "$name" "$SERVER_BIN" --json --port 0 "$@" <"$WORK/$name.in"
    PID[$name]=${PIDS[-1]}
    wait_for_line "$WORK/$name.log" '"event":"listening"'
    PORT[$name]=$(sed -n 's/^{"event":"listening".*"port":\([0-9]*\)}$/\1/p' "$WORK/$name.log")
    [ -n "${PORT[$name]}" ] || fail "tern-server $name: no port in its listening event"
}

start_bulb() {
    local name=$1 ep=$2 port=$3 host=127.0.0.1
    shift 3
    case $port in *:*) host=${port%:*} port=${port##*:} ;; esac # [::1]:PORT
    open_fifo "$name"
    start_bg "$name" "$BULB_BIN" --server "coap://$host:$port" --endpoint "$ep" "$@" <"$WORK/$name.in"
    PID[$name]=${PIDS[-1]}
}

# count FILE PATTERN: how many lines of FILE match the extended regex PATTERN
count() {
    grep -cE "$2" "$1" 2>/dev/null || true
}

# wait_for_count FILE PATTERN N [SECONDS]: until at least N lines match
wait_for_count() {
    local file=$1 pattern=$2 n=$3 secs=${4:-10}
    local deadline=$((SECONDS + secs))
    while [ "$(count "$file" "$pattern")" -lt "$n" ]; do
        [ $SECONDS -lt $deadline ] ||
            fail "timed out after ${secs}s waiting for $n lines /$pattern/ in $(basename "$file") (have $(count "$file" "$pattern"))"
        sleep 0.05
    done
}

# bulb NAME COMMAND [PATTERN]: a local command on the bulb (on, off, dim N,
# status, quit); with PATTERN, waits for a new line of the bulb's output
# matching it
bulb() {
    local log=$WORK/$1.log n
    n=$(count "$log" "${3:-^}")
    echo "$2" >&"${FD[$1]}"
    [ -z "${3:-}" ] || wait_for_count "$log" "$3" $((n + 1))
}

SRV_SEQ=0
# srv NAME COMMAND: runs COMMAND on interactive tern-server NAME and waits
# until it is done (an echo marker after it comes out); fails the test with
# tern-server's message when the command failed.
srv() {
    local name=$1 cmd=$2 log=$WORK/$1.log errors
    SRV_SEQ=$((SRV_SEQ + 1))
    errors=$(count "$log" '^\{"event":"error"')
    printf '%s\necho @done %d\n' "$cmd" "$SRV_SEQ" >&"${FD[$name]}"
    wait_for_line "$log" "^\\{\"event\":\"echo\",\"text\":\"@done $SRV_SEQ\"\\}" 60
    if [ "$(count "$log" '^\{"event":"error"')" -gt "$errors" ]; then
        fail "tern-server: $(grep -E '^\{"event":"error"' "$log" | tail -1)"
    fi
}

# wait_script NAME: waits for tern-server NAME (started with --script) to
# exit; fails the test, naming the failed line, unless it exited 0.
wait_script() {
    local rc=0
    wait "${PID[$1]}" || rc=$?
    if [ $rc -ne 0 ]; then
        fail "the tern-server script of $1 exited $rc: $(grep -E '^\{"event":"error"' "$WORK/$1.log" || echo "no error event")"
    fi
}

# wait_marker NAME TEXT [SECONDS]: until tern-server NAME (running a
# script) printed "echo TEXT"; fails at once, with the script's error,
# when tern-server exits first
wait_marker() {
    local log=$WORK/$1.log deadline=$((SECONDS + ${3:-30}))
    until grep -qF "{\"event\":\"echo\",\"text\":\"$2\"}" "$log"; do
        if ! kill -0 "${PID[$1]}" 2>/dev/null; then
            wait_script "$1"
            fail "tern-server $1 ended before '$2'"
        fi
        [ $SECONDS -lt $deadline ] || fail "timed out after ${3:-30}s waiting for tern-server $1 to reach '$2'"
        sleep 0.05
    done
}

# notified LOG EP OBSERVED_PATH VALUE_PATH: the values at VALUE_PATH that the
# notifications of the observation of OBSERVED_PATH carried, one a line
notified() {
    grep -F "{\"event\":\"notification\",\"ep\":\"$2\",\"path\":\"$3\"," "$1" |
        grep -oE "\"$4\":\\{[^}]*\\}" | sed -E 's/.*"value":("[^"]*"|[^,}]*).*/\1/' || true
}

# response LOG OP EP PATH: the last response event of that request
response() {
    grep -F "{\"event\":\"response\",\"op\":\"$2\",\"ep\":\"$3\",\"path\":\"$4\"," "$1" | tail -1
}

# now_us: wall-clock time in microseconds
now_us() {
    local t=$EPOCHREALTIME
    echo "${t//[!0-9]/}"
}

# instances_of EVENT: the object instances (/O/I) of the object list in a
# registered or updated event, in order, separated by spaces; objects
# listed without instances (e.g. </2>) are left out
instances_of() {
    grep -oE '"objects":\[[^]]*\]' <<<"$1" | grep -oE '"/[0-9]+/[0-9]+"' | tr -d '"' | tr '\n' ' ' | sed 's/ $//'
}

# lists_security EVENT: true when the object list names the Security object
lists_security() {
    grep -oE '"objects":\[[^]]*\]' <<<"$1" | grep -qE '"/0(/[0-9]+)?"'
}

# no_sanitizer_reports: fails when a process reported an AddressSanitizer,
# LeakSanitizer or UndefinedBehaviorSanitizer error in its log
no_sanitizer_reports() {
    local hits
    hits=$(grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$WORK"/*.log 2>/dev/null || true)
    [ -z "$hits" ] || fail "sanitizer reports in: $hits"
}
