#!/usr/bin/env bash
# End to end, the paper's light-bulb scenario: tern-lightbulb registers
# with tern-server, the server reads its state, switches it on, observes
# it; the wall switch and the dimmer on the device (the bulb's console)
# produce notifications; the bulb de-registers. Then `make demo`'s script
# plays the same story from this build and must exit 0, and must fail,
# naming the step and leaving no process behind, with a bulb that never
# registers.
# Usage: e2e_scenario.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
SCRIPTS=$(cd "$(dirname "$0")/scripts" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$1" && pwd)

# ---- the scenario, with assertions on decoded values and codes ----
start_server srv --script "$SCRIPTS/e2e_scenario.script"
log=$WORK/srv.log
start_bulb bulb bulb "${PORT[srv]}" --lifetime 60
wait_marker srv @switch-off
bulb bulb off "^bulb: OFF.*\(local switch\)"
wait_marker srv @dim
bulb bulb "dim 40" "^bulb: .*dimmer 40% \(local dimmer\)"
wait_marker srv @quit
bulb bulb quit "^bulb: stopped"
rc=0
wait "${PID[bulb]}" || rc=$?
expect_eq "the bulb exits 0 after quit" 0 "$rc"
wait_script srv
pass "tern-server's scenario script: every expectation held"

ev=$(grep -F '{"event":"registered","ep":"bulb",' "$log")
expect_eq "registered with the light control instance" "/1/0 /3/0 /3311/0" "$(instances_of "$ev")"
grep -qF '"op":"write","ep":"bulb","path":"/3311/0/5850","code":"2.04"}' "$log" || fail "no 2.04 for the write"
grep -q "^bulb: ON, dimmer 100% (set by the server)" "$WORK/bulb.log" || fail "the bulb did not print the switch"
pass "switched on remotely: 2.04, and the bulb printed 'ON (set by the server)'"
expect_eq "notifications of the switch: off (wall switch), on (server)" "false true" \
    "$(notified "$log" bulb /3311/0/5850 /3311/0/5850 | tr '\n' ' ' | sed 's/ $//')"
expect_eq "notifications of the dimmer" "40" "$(notified "$log" bulb /3311/0/5851 /3311/0/5851 | tr '\n' ' ' | sed 's/ $//')"
grep -qF '{"event":"deregistered","ep":"bulb",' "$log" || fail "no De-register"
pass "de-registered (2.02) before exiting"

# ---- make demo's script, from this build ----
demo=$WORK/demo.out
"$ROOT/scripts/demo.sh" --build-dir "$BUILD" --no-build >"$demo" 2>&1 || {
    cat "$demo" >&2
    fail "scripts/demo.sh exited non-zero"
}
for want in "== 1. The bulb registers ==" "== 2. The server reads the bulb's state ==" \
    "== 3. The server switches the bulb on ==" "== 4. The server observes the switch ==" \
    "== 5. The wall switch turns the bulb off: the server is notified ==" "== 6. The bulb de-registers ==" \
    "bulb   | bulb: ON, dimmer 100% (set by the server)" \
    "server |   /3311/0/5850 On/Off = false" \
    "server | deregistered bulb1 " "demo: every step happened"; do
    grep -qF "$want" "$demo" || fail "the demo's transcript has no '$want'"
done
grep -qE '^  server \| notification bulb1 /3311/0/5850: 2.05 Content' "$demo" || fail "the demo shows no notification"
pass "scripts/demo.sh plays the six steps and exits 0"

# ---- the demo's failure path: a bulb that never registers ----
cat >"$WORK/mute-bulb" <<'FAKE'
#!/bin/sh
echo "bulb: OFF, dimmer 100% (power on)"
exec sleep 300
FAKE
chmod +x "$WORK/mute-bulb"
# in a session of its own, so that whatever it leaves behind can be found
TERN_DEMO_BULB=$WORK/mute-bulb TERN_DEMO_TIMEOUT=3 setsid "$ROOT/scripts/demo.sh" \
    --build-dir "$BUILD" --no-build >"$WORK/demo-fail.out" 2>&1 &
sid=$!
PIDS+=("$sid")
rc=0
wait "$sid" || rc=$?
[ "$rc" -ne 0 ] || fail "the demo exited 0 with a bulb that never registers"
grep -q "^demo: FAILED at step 1 (The bulb registers): the bulb's registration did not happen" \
    "$WORK/demo-fail.out" || fail "the demo's failure does not name the step: $(cat "$WORK/demo-fail.out")"
# session_members SID: the processes still in session SID, "PID ARGS" a line
session_members() {
    local stat pid
    for stat in /proc/[0-9]*/stat; do
        pid=${stat#/proc/}
        pid=${pid%/stat}
        # fields after "(comm) ": state ppid pgrp session ...
        [ "$(sed 's/.*) //' "$stat" 2>/dev/null | cut -d' ' -f4)" = "$1" ] || continue
        echo "$pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
    done
}
sleep 0.2
left=$(session_members "$sid")
[ -z "$left" ] || fail "the failed demo left processes behind: $left"
pass "the demo fails with 'FAILED at step 1 (The bulb registers)', exit $rc, no process left"

no_sanitizer_reports
pass "no sanitizer reports"
