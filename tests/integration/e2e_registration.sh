#!/usr/bin/env bash
# End to end, the registration interface: tern-server runs
# scripts/e2e_registration.script against four tern-lightbulbs and
# e2e_registration_v6.script against one over IPv6, and this script plays
# what happens on the devices' side when the scripts say so:
#   - Register with endpoint, lifetime, LwM2M version, binding and the
#     object list /1/0, /3/0, /3311/0 (never /0);
#   - Update after the server writes the lifetime (/1/0/1) or the binding,
#     after the Registration Update Trigger (/1/0/8), and by itself before
#     the lifetime ends;
#   - De-register on the console's quit and on SIGTERM (exit status 0);
#   - a client killed with SIGKILL expires after its lifetime;
#   - Execute Reboot (/3/0/4): the bulb restarts and registers again.
# Usage: e2e_registration.sh BUILD_DIR
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_lwm2m.sh"
SCRIPTS=$(cd "$(dirname "$0")/scripts" && pwd)

start_server srv --script "$SCRIPTS/e2e_registration.script"
start_server srv6 --address ::1 --script "$SCRIPTS/e2e_registration_v6.script"
log=$WORK/srv.log
declare -A BPORT=()
for b in reg quitter termed killed; do
    BPORT[$b]=$(free_udp_port)
done
start_bulb reg reg "${PORT[srv]}" --lifetime 30 --port "${BPORT[reg]}"
start_bulb quitter quitter "${PORT[srv]}" --lifetime 60 --port "${BPORT[quitter]}"
start_bulb termed termed "${PORT[srv]}" --lifetime 60 --port "${BPORT[termed]}"
start_bulb killed killed "${PORT[srv]}" --lifetime 5 --port "${BPORT[killed]}"
start_bulb v6 v6 "[::1]:${PORT[srv6]}" --lifetime 60

# expect_exit NAME WHAT: waits for bulb NAME to exit, expects status 0
expect_exit() {
    local rc=0
    wait "${PID[$1]}" || rc=$?
    expect_eq "$2" 0 "$rc"
}

wait_marker srv6 @quit
bulb v6 quit
wait_marker srv @quit 60
bulb quitter quit
expect_exit quitter "quit: the bulb exits 0"
wait_marker srv @term
kill -TERM "${PID[termed]}"
expect_exit termed "SIGTERM: the bulb exits 0"
wait_marker srv @kill
{
    kill -KILL "${PID[killed]}"
    wait "${PID[killed]}"
} 2>/dev/null || true # without bash's "Killed" notice
wait_script srv
wait_script srv6
pass "tern-server's registration scripts: every expectation held"

# registered LOG EP: the first registered event of EP
registered() {
    grep -F "{\"event\":\"registered\",\"ep\":\"$2\"," "$1" | head -1
}
for b in reg quitter termed killed; do
    ev=$(registered "$log" $b)
    lt=60
    [ $b = reg ] && lt=30
    [ $b = killed ] && lt=5
    for want in "\"lifetime\":$lt," '"binding":"U",' '"lwm2m":"1.0",' \
        "\"peer\":\"127.0.0.1:${BPORT[$b]}\","; do
        grep -qF "$want" <<<"$ev" || fail "Register of $b: no $want in $ev"
    done
    [ "$(instances_of "$ev")" = "/1/0 /3/0 /3311/0" ] || fail "Register of $b: object instances $(instances_of "$ev")"
done
pass "Register: lifetime, binding U, LwM2M 1.0, the source port, instances /1/0 /3/0 /3311/0"
[ "$(instances_of "$(registered "$WORK/srv6.log" v6)")" = "/1/0 /3/0 /3311/0" ] ||
    fail "Register over IPv6: $(registered "$WORK/srv6.log" v6)"
grep -qF '"peer":"[::1]:' <<<"$(registered "$WORK/srv6.log" v6)" ||
    grep -qF '"peer":"::1' <<<"$(registered "$WORK/srv6.log" v6)" ||
    fail "Register over IPv6: not from ::1: $(registered "$WORK/srv6.log" v6)"
pass "Register, Read, Write and De-register over IPv6 loopback"
while IFS= read -r ev; do
    ! lists_security "$ev" || fail "the Security object is listed: $ev"
done < <(grep -hE '^\{"event":"(registered|updated)"' "$log" "$WORK/srv6.log")
pass "no Register or Update lists /0"

grep -qF '{"event":"updated","ep":"reg","location":' "$log" || fail "no Update from reg"
grep -F '{"event":"updated","ep":"reg",' "$log" | head -1 | grep -qF '"lifetime":45,' ||
    fail "the first Update of reg does not carry the lifetime 45 the server wrote"
pass "Update after the server wrote /1/0/1 carries the new lifetime"
[ "$(count "$log" '^\{"event":"updated","ep":"killed",')" -ge 1 ] || fail "killed sent no Update"
pass "Updates before the lifetime ends (lifetime 5 s)"

for b in quitter termed; do
    grep -qF "{\"event\":\"deregistered\",\"ep\":\"$b\"," "$log" || fail "$b: no De-register"
    grep -q "^bulb: stopped" "$WORK/$b.log" || fail "$b: did not say it stopped"
done
grep -qF '{"event":"deregistered","ep":"v6",' "$WORK/srv6.log" || fail "v6: no De-register"
pass "quit and SIGTERM de-register (2.02) before the bulb exits"
grep -qF '{"event":"expired","ep":"killed",' "$log" || fail "killed: its registration did not expire"
! grep -qF '{"event":"deregistered","ep":"killed",' "$log" || fail "killed: de-registered after SIGKILL?"
kill_at=$(grep -nF '{"event":"echo","text":"@kill"}' "$log" | cut -d: -f1)
expired_at=$(grep -nF '{"event":"expired","ep":"killed",' "$log" | cut -d: -f1)
[ "$expired_at" -gt "$kill_at" ] || fail "killed expired before it was killed (its Updates came too late)"
pass "SIGKILL: no De-register; the registration expired after its lifetime, not before"

grep -q "^bulb: reboot, restarting" "$WORK/reg.log" || fail "reg: no reboot"
kill -0 "${PID[reg]}" 2>/dev/null || fail "reg: the process is gone after the reboot"
expect_eq "reg registered twice (power on, after the reboot)" 2 "$(count "$log" '^\{"event":"registered","ep":"reg",')"
grep -F '{"event":"registered","ep":"reg",' "$log" | tail -1 | grep -qF '"replaces":"/rd/' ||
    fail "the registration after the reboot does not replace the first one"
expect_eq "reg printed 'registered' twice" 2 "$(count "$WORK/reg.log" '^lwm2m: registered$')"
pass "Reboot: 2.04, the bulb restarts in place and registers again"

no_sanitizer_reports
pass "no sanitizer reports"
